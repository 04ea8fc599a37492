#include "store/audience_store.h"

namespace vitals {

AudienceStore::AudienceStore(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path)) {
  db_->exec("PRAGMA synchronous = FULL");
}

void AudienceStore::add_sizes(const std::string& tenant_id, const std::string& audience_id,
                              const std::vector<SizeObservation>& observations) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement insert(*db_,
                           "INSERT INTO audience_sizes (tenant_id, audience_id, time_ms, size) "
                           "VALUES (?,?,?,?) ON CONFLICT DO UPDATE SET size = excluded.size");
  for (const auto& o : observations) {
    insert.bind(1, tenant_id).bind(2, audience_id).bind(3, o.time).bind(4, o.size);
    insert.step();
    insert.reset();
  }
  tx.commit();
}

std::vector<SizeObservation> AudienceStore::sizes(const std::string& tenant_id,
                                                  const std::string& audience_id, TimeMs from,
                                                  TimeMs to) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT time_ms, size FROM audience_sizes WHERE tenant_id = ? AND "
                      "audience_id = ? AND time_ms >= ? AND time_ms < ? ORDER BY time_ms");
  q.bind(1, tenant_id).bind(2, audience_id).bind(3, from).bind(4, to);
  std::vector<SizeObservation> out;
  while (q.step()) out.push_back({q.column_int(0), q.column_int(1)});
  return out;
}

std::optional<SizeObservation> AudienceStore::latest_before(const std::string& tenant_id,
                                                            const std::string& audience_id,
                                                            TimeMs t) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT time_ms, size FROM audience_sizes WHERE tenant_id = ? AND "
                      "audience_id = ? AND time_ms < ? ORDER BY time_ms DESC LIMIT 1");
  q.bind(1, tenant_id).bind(2, audience_id).bind(3, t);
  if (!q.step()) return std::nullopt;
  return SizeObservation{q.column_int(0), q.column_int(1)};
}

// SQLite takes the bare column `size` from the row holding max(time_ms).
std::map<std::string, SizeObservation> AudienceStore::latest_sizes(
    const std::string& tenant_id) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT audience_id, max(time_ms), size FROM audience_sizes "
                      "WHERE tenant_id = ? GROUP BY audience_id");
  q.bind(1, tenant_id);
  std::map<std::string, SizeObservation> out;
  while (q.step()) out[std::string(q.column_text(0))] = {q.column_int(1), q.column_int(2)};
  return out;
}

std::map<std::string, std::map<std::string, SizeObservation>> AudienceStore::all_latest_sizes()
    const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT tenant_id, audience_id, max(time_ms), size FROM audience_sizes "
                      "GROUP BY tenant_id, audience_id");
  std::map<std::string, std::map<std::string, SizeObservation>> out;
  while (q.step()) {
    out[std::string(q.column_text(0))][std::string(q.column_text(1))] = {q.column_int(2),
                                                                         q.column_int(3)};
  }
  return out;
}

}  // namespace vitals
