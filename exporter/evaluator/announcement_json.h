#pragma once

#include <nlohmann/json.hpp>

#include "evaluator/alert.h"

namespace vitals::evaluator {

// The stored form of an announcement (the state store's outbox, the notification queue). Every
// field round-trips; rows written before a field existed read it as its default.
nlohmann::json announcement_json(const Announcement& announcement);
Announcement announcement_of(const nlohmann::json& json);

}  // namespace vitals::evaluator
