#include "stored_events.h"

#include <sqlite3.h>

#include <stdexcept>

namespace vitals::testing {
namespace {

std::string batch_of(const std::string& event_id) {
  return event_id.substr(0, event_id.rfind("-e"));
}

}  // namespace

StoredEvents::StoredEvents(const std::filesystem::path& db_path, const std::string& id_prefix) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_path.string() + ": " + why);
  }
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT event_id, COUNT(*) FROM events WHERE substr(event_id, 1, ?1) = ?2 "
                     "GROUP BY event_id",
                     -1, &query, nullptr);
  sqlite3_bind_int(query, 1, static_cast<int>(id_prefix.size()));
  sqlite3_bind_text(query, 2, id_prefix.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(query) == SQLITE_ROW) {
    const std::string id = reinterpret_cast<const char*>(sqlite3_column_text(query, 0));
    const auto rows = static_cast<size_t>(sqlite3_column_int64(query, 1));
    rows_by_batch_[batch_of(id)] += rows;
    total_rows_ += rows;
    if (rows > 1) duplicated_.push_back(id);
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
}

size_t StoredEvents::rows_of(const SentBatch& batch) const {
  const auto found = rows_by_batch_.find(batch.name);
  return found == rows_by_batch_.end() ? 0 : found->second;
}

std::vector<std::string> StoredEvents::duplicated_ids() const {
  return duplicated_;
}

std::vector<std::string> broken_batch_promises(const StoredEvents& store,
                                               const std::vector<SentBatch>& batches,
                                               size_t& unacknowledged_stored) {
  std::vector<std::string> broken;
  unacknowledged_stored = 0;
  for (const SentBatch& batch : batches) {
    const size_t rows = store.rows_of(batch);
    const std::string seen = batch.name + " (status " + std::to_string(batch.status) + ") has " +
                             std::to_string(rows) + " of " + std::to_string(batch.events) +
                             " events stored";
    if (batch.acknowledged() && rows != batch.events) broken.push_back("acknowledged " + seen);
    if (!batch.acknowledged() && rows != 0 && rows != batch.events) {
      broken.push_back("half-stored " + seen);
    }
    if (!batch.acknowledged() && rows == batch.events) ++unacknowledged_stored;
  }
  for (const auto& id : store.duplicated_ids()) broken.push_back("stored twice: " + id);
  return broken;
}

size_t events_counted_by_vitals(VitalsProcess& vitals) {
  size_t total = 0;
  for (const char* tenant : {"acme", "globex"}) {
    const auto r =
        vitals.get(std::string("/spaces/") + tenant + "/integration-health", "dev-admin-token");
    if (r.status != 200) throw std::runtime_error("integration-health: " + r.body);
    total += r.json()["total_events"].get<size_t>();
  }
  return total;
}

}  // namespace vitals::testing
