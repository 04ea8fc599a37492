#pragma once

#include <cstddef>
#include <string_view>

namespace vitals {

// Calls visit(line, line_number) for every line of an NDJSON body that is not blank; numbers
// count every line from 1, so they match what an editor shows. A trailing '\r' is dropped.
template <typename Visit>
void for_each_ndjson_line(std::string_view body, Visit&& visit) {
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    visit(line, line_number);
  }
}

}  // namespace vitals
