#pragma once

#include <string>

#include "core/clock.h"

namespace vitals::testing {

// The wall clock in epoch milliseconds: what the vitals under test reads as "now".
TimeMs wall_now();

// One NDJSON line: a sync_run of tenant acme's integration `key` with `status` at `at`, taking
// 1 s; anything but a success carries a timeout error (what the shipped rules alert on).
std::string sync_run(const std::string& status, TimeMs at, const std::string& key = "s1");

}  // namespace vitals::testing
