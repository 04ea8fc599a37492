#include "notify/delivery_loop.h"

#include <spdlog/spdlog.h>

namespace vitals::notify {
namespace {

// After an error the loop waits this long before trying again (the store may be unavailable).
constexpr TimeMs kAfterError = 5 * kMsPerSecond;

}  // namespace

DeliveryLoop::DeliveryLoop(Dispatcher& dispatcher, const Clock& clock)
    : dispatcher_(dispatcher), clock_(clock), loop_([this] { return deliver(); }) {}

WakeableLoop::Rest DeliveryLoop::deliver() {
  try {
    const TimeMs next = dispatcher_.deliver();
    return {0, std::max<TimeMs>(0, next - clock_.now_ms())};
  } catch (const std::exception& e) {
    spdlog::error("notification delivery failed: {}", e.what());
    return {0, kAfterError};
  }
}

}  // namespace vitals::notify
