#include "evaluator/alert_template.h"

#include <cmath>
#include <cstdio>

namespace vitals::evaluator {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string format_window(TimeMs ms) {
  struct Unit {
    TimeMs size;
    const char* suffix;
  };
  for (const Unit unit : {Unit{kMsPerDay, "d"}, Unit{kMsPerHour, "h"}, Unit{kMsPerMinute, "m"},
                          Unit{kMsPerSecond, "s"}}) {
    if (ms >= unit.size && ms % unit.size == 0) return std::to_string(ms / unit.size) + unit.suffix;
  }
  return std::to_string(ms) + "ms";
}

namespace {

std::string builtin(std::string_view name, const TemplateValues& v) {
  if (name == "value") return format_number(v.value);
  if (name == "threshold") return format_number(v.rule.threshold);
  if (name == "window") return format_window(v.rule.window);
  if (name == "rule") return v.rule.name;
  if (name == "op") return std::string(comparison_text(v.rule.op));
  if (name == "signal") return v.rule.signal_expression();
  return {};
}

// Calls visit(name) for each placeholder and copy(text) for the text between them. An unclosed
// "{{" is visited as the name "{{" and then copied with the rest of the text.
template <typename Visit, typename Copy>
void scan(std::string_view text, Visit&& visit, Copy&& copy) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      visit(std::string_view("{{"));
      break;
    }
    copy(text.substr(pos, open - pos));
    visit(trim(text.substr(open + 2, close - open - 2)));
    pos = close + 2;
  }
  if (pos < text.size()) copy(text.substr(pos));
}

}  // namespace

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  std::string text(buffer);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

bool is_builtin_template_name(std::string_view name) {
  return name == "value" || name == "threshold" || name == "window" || name == "rule" ||
         name == "op" || name == "signal";
}

std::string rewrite_template(std::string_view text,
                             const std::function<std::string(std::string_view)>& placeholder) {
  std::string out;
  scan(
      text,
      [&](std::string_view name) {
        if (name != "{{") out += placeholder(name);  // unclosed: the rest is copied as it is
      },
      [&](std::string_view plain) { out += plain; });
  return out;
}

std::string expand_template(std::string_view text, const TemplateValues& values) {
  return rewrite_template(text, [&](std::string_view name) {
    const auto label = values.labels.find(std::string(name));
    return label != values.labels.end() ? label->second : builtin(name, values);
  });
}

std::set<std::string> template_names(std::string_view text) {
  std::set<std::string> names;
  scan(
      text, [&](std::string_view name) { names.emplace(name); }, [](std::string_view) {});
  return names;
}

}  // namespace vitals::evaluator
