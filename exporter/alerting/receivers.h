#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "notify/receiver.h"

namespace vitals {

// The receivers a configuration names: one per Alertmanager URL, one per webhook. Receiver names
// are the webhook's name and the Alertmanager's URL, and label the notification metrics.
std::vector<std::shared_ptr<const notify::Receiver>> configured_receivers(
    const NotificationsConfig& config);

}  // namespace vitals
