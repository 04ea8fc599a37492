#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evaluator/rule.h"

namespace vitals::evaluator {

struct TenantRef {
  std::string id;
  std::string slug;  // what alerts are labelled with
};

// One signal over one tenant's data in [from, to), filtered by `where` and grouped by `by`.
struct SignalRequest {
  Signal signal = Signal::kEventCount;
  std::string item;
  Labels where;
  std::vector<std::string> by;
  std::string tenant_id;
  TimeMs from = 0;
  TimeMs to = 0;
};

struct SignalSample {
  Labels labels;  // one per `by` dimension
  double value = 0;
  std::uint64_t events = 0;  // the events behind the value, for min_events
};

// Where rules read their data; the exporter implements it over its rollups, catalog and stores.
// A group without a value (a latency signal over events without latency) has no sample.
class SignalSource {
 public:
  virtual ~SignalSource() = default;
  virtual std::vector<TenantRef> tenants() const = 0;
  virtual std::vector<SignalSample> sample(const SignalRequest& request) const = 0;

  // An evaluation cycle brackets its sample() calls with these, so a source may share work
  // between rules that read the same data at the same instant.
  virtual void begin_cycle() const {}
  virtual void end_cycle() const {}
};

}  // namespace vitals::evaluator
