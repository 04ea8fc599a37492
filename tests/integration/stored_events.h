#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/ingest_clients.h"
#include "vitals_process.h"

namespace vitals::testing {

// What a stopped vitals' store holds of the batches IngestClients sent: read straight from the
// SQLite file (read-only), so the answer does not depend on vitals' own bookkeeping.
class StoredEvents {
 public:
  // Reads every stored event whose id starts with `id_prefix`.
  StoredEvents(const std::filesystem::path& db_path, const std::string& id_prefix);

  // Rows holding this batch's events (a duplicated event counts twice).
  size_t rows_of(const SentBatch& batch) const;
  // Event ids stored more than once.
  std::vector<std::string> duplicated_ids() const;
  size_t total_rows() const { return total_rows_; }

 private:
  std::map<std::string, size_t> rows_by_batch_;
  std::vector<std::string> duplicated_;
  size_t total_rows_ = 0;
};

// Checks the promise of SPEC §3.1 for every batch: an acknowledged one is stored exactly once,
// any other is stored wholly or not at all. Returns one line per broken promise (empty when all
// hold) and counts the unacknowledged batches that were stored in `unacknowledged_stored`.
std::vector<std::string> broken_batch_promises(const StoredEvents& store,
                                               const std::vector<SentBatch>& batches,
                                               size_t& unacknowledged_stored);

// The events a running vitals counts over both example tenants (integration-health's
// total_events of the last 30 days), to compare its rollups with the store.
size_t events_counted_by_vitals(VitalsProcess& vitals);

}  // namespace vitals::testing
