#include "core/header_quality.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vitals {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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
    const size_t semicolon = parameters.find(';');
    const std::string_view parameter = trimmed(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? "" : parameters.substr(semicolon + 1);
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
    const size_t comma = header.find(',');
    const std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? "" : header.substr(comma + 1);
    const size_t semicolon = element.find(';');
    const std::string_view value = trimmed(element.substr(0, semicolon));
    const bool listed = std::any_of(values.begin(), values.end(), [&](std::string_view v) {
      return same_ignoring_case(value, v);
    });
    if (!listed) continue;
    best = std::max(best, semicolon == std::string_view::npos
                              ? 1.0
                              : quality_of(element.substr(semicolon + 1)));
  }
  return best;
}

}  // namespace vitals
