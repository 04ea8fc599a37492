#include "store/entity_store.h"

namespace vitals {
namespace {

constexpr const char* kEntityColumns =
    "tenant_id, kind, id, name, status, attributes, created_ms, updated_ms";

Entity read_entity(const sqlite::Statement& row) {
  return Entity{std::string(row.column_text(0)),
                std::string(row.column_text(1)),
                std::string(row.column_text(2)),
                std::string(row.column_text(3)),
                std::string(row.column_text(4)),
                std::string(row.column_text(5)),
                row.column_int(6),
                row.column_int(7)};
}

}  // namespace

EntityStore::EntityStore(const std::string& path) : db_(std::make_unique<sqlite::Database>(path)) {
  db_->exec("PRAGMA synchronous = FULL");
}

EntityStore::PutResult EntityStore::put(const Entity& e, TimeMs now) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement exists(*db_,
                           "SELECT 1 FROM entities WHERE tenant_id = ? AND kind = ? AND id = ?");
  exists.bind(1, e.tenant_id).bind(2, e.kind).bind(3, e.id);
  const bool replacing = exists.step();
  sqlite::Statement upsert(
      *db_, std::string("INSERT INTO entities (") + kEntityColumns +
                ") VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (tenant_id, kind, id) DO UPDATE SET "
                "name = excluded.name, status = excluded.status, attributes = excluded.attributes, "
                "updated_ms = excluded.updated_ms");
  // Callers validate name and status as non-empty (an empty string would bind as NULL).
  upsert.bind(1, e.tenant_id).bind(2, e.kind).bind(3, e.id).bind(4, e.name);
  upsert.bind(5, e.status).bind(6, e.attributes_json).bind(7, now).bind(8, now);
  upsert.step();
  sqlite::Statement read(*db_, std::string("SELECT ") + kEntityColumns +
                                   " FROM entities WHERE tenant_id = ? AND kind = ? AND id = ?");
  read.bind(1, e.tenant_id).bind(2, e.kind).bind(3, e.id);
  read.step();
  PutResult result{!replacing, read_entity(read)};
  tx.commit();
  return result;
}

std::optional<Entity> EntityStore::get(const std::string& tenant_id, const std::string& kind,
                                       const std::string& id) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, std::string("SELECT ") + kEntityColumns +
                                " FROM entities WHERE tenant_id = ? AND kind = ? AND id = ?");
  q.bind(1, tenant_id).bind(2, kind).bind(3, id);
  if (!q.step()) return std::nullopt;
  return read_entity(q);
}

std::vector<Entity> EntityStore::list(const std::string& tenant_id, const std::string& kind) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, std::string("SELECT ") + kEntityColumns +
                                " FROM entities WHERE tenant_id = ? AND kind = ? ORDER BY id");
  q.bind(1, tenant_id).bind(2, kind);
  std::vector<Entity> out;
  while (q.step()) out.push_back(read_entity(q));
  return out;
}

std::vector<Entity> EntityStore::list_kind(const std::string& kind) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, std::string("SELECT ") + kEntityColumns +
                                " FROM entities WHERE kind = ? ORDER BY tenant_id, id");
  q.bind(1, kind);
  std::vector<Entity> out;
  while (q.step()) out.push_back(read_entity(q));
  return out;
}

bool EntityStore::remove(const std::string& tenant_id, const std::string& kind,
                         const std::string& id) {
  std::lock_guard lock(mutex_);
  sqlite::Statement del(*db_, "DELETE FROM entities WHERE tenant_id = ? AND kind = ? AND id = ?");
  del.bind(1, tenant_id).bind(2, kind).bind(3, id);
  del.step();
  return db_->changes() > 0;
}

std::vector<EntityCount> EntityStore::counts() const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT tenant_id, kind, status, count(*) FROM entities "
                      "GROUP BY tenant_id, kind, status ORDER BY tenant_id, kind, status");
  std::vector<EntityCount> out;
  while (q.step()) {
    out.push_back({std::string(q.column_text(0)), std::string(q.column_text(1)),
                   std::string(q.column_text(2)), q.column_int(3)});
  }
  return out;
}

}  // namespace vitals
