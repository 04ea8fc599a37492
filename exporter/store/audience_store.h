#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite.h"

namespace vitals {

struct SizeObservation {
  TimeMs time = 0;
  std::int64_t size = 0;
};

// Audience size observations, durable in the shared SQLite database. Opened after EventStore,
// which migrates the schema.
class AudienceStore {
 public:
  explicit AudienceStore(const std::string& path);

  // Records every observation or none.
  void add_sizes(const std::string& tenant_id, const std::string& audience_id,
                 const std::vector<SizeObservation>& observations);

  // Observations in [from, to), oldest first.
  std::vector<SizeObservation> sizes(const std::string& tenant_id, const std::string& audience_id,
                                     TimeMs from, TimeMs to) const;

  // The audience's latest observation before `t`, if any.
  std::optional<SizeObservation> latest_before(const std::string& tenant_id,
                                               const std::string& audience_id, TimeMs t) const;

  // The latest observation of every audience of the tenant.
  std::map<std::string, SizeObservation> latest_sizes(const std::string& tenant_id) const;

  // The latest observation of every audience of every tenant: tenant id -> audience -> size.
  std::map<std::string, std::map<std::string, SizeObservation>> all_latest_sizes() const;

 private:
  std::unique_ptr<sqlite::Database> db_;
  mutable std::mutex mutex_;
};

}  // namespace vitals
