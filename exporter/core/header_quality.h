#pragma once

#include <initializer_list>
#include <string_view>

namespace vitals {

// The quality a request's Accept or Accept-Encoding header gives one of the listed values
// (RFC 9110 §12.4.2): the highest `q` among the header's elements whose value is one of
// `values` (compared without regard to case, parameters other than `q` ignored), 1 when such an
// element has no `q`, and 0 when none names it. `q=0` means "not acceptable".
double header_quality(std::string_view header, std::initializer_list<std::string_view> values);

// A header value without the spaces and tabs around it (HTTP's optional whitespace).
std::string_view trim_whitespace(std::string_view s);

}  // namespace vitals
