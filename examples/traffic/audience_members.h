#pragma once

#include <cstdint>
#include <string>

#include "random.h"

namespace vitals::traffic {

// An NDJSON member list of about `size` customers drawn from one pool of `pool` customer ids
// per tenant ("cust-<n>"), each customer independently. Audiences drawn from the same pool
// overlap the way real segments do: by chance and in proportion to their sizes.
std::string audience_member_list(std::int64_t size, std::int64_t pool, Rng& rng);

}  // namespace vitals::traffic
