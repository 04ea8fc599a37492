#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vitals::traffic {

// Thirty days stays inside the default 35-day retention, so no backfilled event is refused as
// too old.
inline constexpr double kMaxBackfillHours = 30 * 24;

struct Options {
  std::string url = "http://127.0.0.1:9470";
  std::string token = "dev-ingest-token";
  std::vector<std::string> tenants = {"acme", "globex"};
  double rate = 50;       // live events per second, over all tenants
  int batch = 100;        // most events in one request
  double duration_s = 0;  // live phase length; 0 = until a signal
  std::uint64_t seed = 1;
  double backfill_hours = 0;
  double backfill_rate = 20;  // events per hour per tenant
};

enum class ParseOutcome { kRun, kHelp, kError };

struct ParseResult {
  ParseOutcome outcome = ParseOutcome::kRun;
  Options options;
  std::string error;    // set for kError
  std::string warning;  // a value was adjusted (the backfill cap); the run goes on
};

ParseResult parse_options(int argc, const char* const* argv);

std::string usage_text(std::string_view program);

}  // namespace vitals::traffic
