#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace vitals {

inline constexpr std::string_view kAlertIdPrefix = "cha_";
inline constexpr size_t kUlidLength = 26;

// Hands out system-health alert ids: "cha_" + a ULID (48-bit millisecond time, 80 random bits)
// in Crockford base 32. Upper-case Crockford digits are in ASCII order, so ids compare as plain
// strings exactly as their 128-bit values do, that is by time first.
//
// Ids are monotonic per generator: an id made in the same millisecond as the previous one (or,
// with the clock set back, in an earlier one) is the previous id plus one, as in the ULID
// specification's monotonic mode. An overflow of the random part carries into the time part,
// which keeps the order at the cost of an id one millisecond late. Thread-safe.
class AlertIdGenerator {
 public:
  // 64 uniformly random bits per call; injected by tests.
  using RandomBits = std::function<std::uint64_t()>;

  AlertIdGenerator();
  explicit AlertIdGenerator(RandomBits random);

  std::string next(TimeMs created_at);

  // From now on, hand out only ids above `id` (the newest id already stored, say, so that a
  // clock set back across a restart cannot make a new alert sort before an old one). Ignores
  // anything that is not an alert id.
  void advance_past(std::string_view id);

 private:
  std::mutex mutex_;
  RandomBits random_;
  unsigned __int128 last_ = 0;
};

// "cha_" followed by 26 upper-case Crockford base-32 digits that fit in 128 bits.
bool is_alert_id(std::string_view text);

// The millisecond time in an alert id; nullopt when `id` is not one.
std::optional<TimeMs> alert_id_time(std::string_view id);

}  // namespace vitals
