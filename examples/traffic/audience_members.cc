#include "audience_members.h"

#include <algorithm>

namespace vitals::traffic {

std::string audience_member_list(std::int64_t size, std::int64_t pool, Rng& rng) {
  const double share = std::clamp(double(size) / double(pool), 0.0, 1.0);
  std::string ndjson;
  for (std::int64_t n = 0; n < pool; ++n) {
    if (rng.chance(share)) ndjson += "\"cust-" + std::to_string(n) + "\"\n";
  }
  return ndjson;
}

}  // namespace vitals::traffic
