#include "feed/alert_id.h"

#include <algorithm>
#include <random>

namespace vitals {
namespace {

using Ulid = unsigned __int128;

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kRandomBits = 80;
constexpr TimeMs kMaxUlidTime = (TimeMs{1} << 48) - 1;

std::string encode(Ulid value) {
  std::string text(kAlertIdPrefix);
  text.resize(kAlertIdPrefix.size() + kUlidLength);
  for (size_t i = text.size(); i > kAlertIdPrefix.size(); --i) {
    text[i - 1] = kCrockford[static_cast<size_t>(value & 31)];
    value >>= 5;
  }
  return text;
}

std::optional<Ulid> decode(std::string_view text) {
  if (text.size() != kAlertIdPrefix.size() + kUlidLength || !text.starts_with(kAlertIdPrefix)) {
    return std::nullopt;
  }
  text.remove_prefix(kAlertIdPrefix.size());
  // 26 digits carry 130 bits; the first digit may only use the low 3 of its 5.
  if (text.front() > '7') return std::nullopt;
  Ulid value = 0;
  for (char c : text) {
    const size_t digit = kCrockford.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    value = (value << 5) | digit;
  }
  return value;
}

TimeMs time_of(Ulid value) {
  return static_cast<TimeMs>(value >> kRandomBits);
}

AlertIdGenerator::RandomBits default_random() {
  return [engine = std::mt19937_64(std::random_device{}())]() mutable { return engine(); };
}

}  // namespace

AlertIdGenerator::AlertIdGenerator() : AlertIdGenerator(default_random()) {}

AlertIdGenerator::AlertIdGenerator(RandomBits random) : random_(std::move(random)) {}

std::string AlertIdGenerator::next(TimeMs created_at) {
  const Ulid time = static_cast<Ulid>(std::clamp<TimeMs>(created_at, 0, kMaxUlidTime));
  std::lock_guard lock(mutex_);
  if (time > static_cast<Ulid>(time_of(last_))) {
    const Ulid random_high = random_() & 0xffff;  // 16 + 64 = 80 random bits
    const Ulid random_low = random_();
    last_ = (time << kRandomBits) | (random_high << 64) | random_low;
  } else {
    ++last_;
  }
  return encode(last_);
}

void AlertIdGenerator::advance_past(std::string_view id) {
  const auto value = decode(id);
  std::lock_guard lock(mutex_);
  if (value && *value > last_) last_ = *value;
}

bool is_alert_id(std::string_view text) {
  return decode(text).has_value();
}

std::optional<TimeMs> alert_id_time(std::string_view id) {
  const auto value = decode(id);
  if (!value) return std::nullopt;
  return time_of(*value);
}

}  // namespace vitals
