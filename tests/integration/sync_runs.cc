#include "sync_runs.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "core/time_format.h"

namespace vitals::testing {

TimeMs wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string sync_run(const std::string& status, TimeMs at, const std::string& key) {
  nlohmann::json e = {{"tenant", "acme"}, {"type", "sync_run"},         {"key", key},
                      {"status", status}, {"time", format_rfc3339(at)}, {"latency_ms", 1000}};
  if (status != "success") e["error"] = {{"category", "timeout"}, {"message", "took too long"}};
  return e.dump() + "\n";
}

}  // namespace vitals::testing
