#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/ndjson_lines.h"
#include "sources/record_sink.h"

namespace vitals::testing {

// A sink that keeps what it is given: every non-blank line, and the last position; it can be
// told to fail, as a store that cannot take writes does.
class RecordingSink final : public sources::RecordSink {
 public:
  sources::Delivery deliver(std::string_view ndjson, const std::string& position) override {
    if (fail_next) {
      fail_next = false;
      throw std::runtime_error("store unavailable");
    }
    sources::Delivery d;
    for_each_ndjson_line(ndjson, [&](std::string_view line, size_t) {
      lines.emplace_back(line);
      ++d.stored;
    });
    this->position = position;
    ++deliveries;
    return d;
  }

  std::vector<std::string> lines;
  std::string position;
  int deliveries = 0;
  bool fail_next = false;
};

}  // namespace vitals::testing
