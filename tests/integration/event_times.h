#pragma once

#include <chrono>
#include <string>

#include "core/time_format.h"

namespace vitals::testing {

// A second before now, as RFC 3339, for the events a test reads back at once. The JSON APIs'
// windows end at the request's millisecond, exclusive (`[now − days, now)`, SPEC §6.1), and a
// loopback round trip can take less than a millisecond: an event stamped with its receipt
// could fall just outside the read that follows its 200.
inline std::string a_second_ago() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return format_rfc3339_ms(now.count() - 1000);
}

}  // namespace vitals::testing
