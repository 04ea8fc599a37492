#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace vitals {

// The standard process_* metrics, read from /proc/self at each scrape.
class ProcessCollector final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace vitals
