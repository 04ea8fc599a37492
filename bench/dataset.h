#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ingest/event.h"

namespace vitals::bench {

// The data set DESIGN.md's goals are stated for: events over `days` days for 20 tenants, with
// 10 types, 200 integration keys (each belonging to one type), 4 modes and 8 error categories.
struct DatasetShape {
  std::uint64_t events = 10'000'000;
  int days = 30;
  int tenants = 20;
  int types = 10;
  int keys = 200;
  int modes = 4;
  int categories = 8;
  std::uint64_t seed = 1;
};

std::string tenant_name(int index);

// Calls `emit` with batches of events in time order (as live traffic would arrive), ending at
// `end`.
void generate_dataset(const DatasetShape& shape, TimeMs end, size_t batch_size,
                      const std::function<void(std::vector<StoredEvent>&)>& emit);

// The event as one NDJSON line of the ingest API, newline included.
void append_ndjson(const Event& event, std::string& out);

}  // namespace vitals::bench
