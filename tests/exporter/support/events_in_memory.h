#pragma once

#include <vector>

#include "rollup/rollup_engine.h"

namespace vitals::testing {

// A RawEventReader over events held in a vector, standing in for the event store: the rollups
// read raw events only for the ragged edges of a window.
inline RawEventReader reader_over(const std::vector<StoredEvent>& events) {
  return [&events](const RawScan& scan, const std::function<void(const Event&)>& visit) {
    for (const auto& s : events) {
      const Event& e = s.event;
      if (s.seq <= scan.max_seq && e.tenant_id == scan.tenant_id && e.time >= scan.from &&
          e.time < scan.to) {
        visit(e);
      }
    }
  };
}

}  // namespace vitals::testing
