#include "core/header_quality.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vitals {
namespace {

// The text of `rest` before the first `separator`, which is taken off `rest` with it.
std::string_view take_until(std::string_view& rest, char separator) {
  const size_t at = rest.find(separator);
  const std::string_view head = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 1);
  return head;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The q parameter of one element's parameters ("; version=1.0.0; q=0.5"), 1 without one; a q
// that is not a number counts as 0, so a garbled preference never wins.
double quality_of(std::string_view parameters) {
  while (!parameters.empty()) {
    const std::string_view parameter = trim_whitespace(take_until(parameters, ';'));
    if (parameter.size() < 2 || std::tolower(static_cast<unsigned char>(parameter[0])) != 'q' ||
        parameter[1] != '=') {
      continue;
    }
    const std::string_view number = parameter.substr(2);
    double q = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), q);
    if (error != std::errc() || end != number.data() + number.size()) return 0;
    return std::clamp(q, 0.0, 1.0);
  }
  return 1;
}

}  // namespace

double header_quality(std::string_view header, std::initializer_list<std::string_view> values) {
  double best = 0;
  while (!header.empty()) {
    std::string_view parameters = take_until(header, ',');
    const std::string_view value = trim_whitespace(take_until(parameters, ';'));
    const bool listed = std::any_of(values.begin(), values.end(), [&](std::string_view v) {
      return same_ignoring_case(value, v);
    });
    if (listed) best = std::max(best, quality_of(parameters));
  }
  return best;
}

std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace vitals
