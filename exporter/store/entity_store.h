#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite.h"

namespace vitals {

struct Entity {
  std::string tenant_id;
  std::string kind;
  std::string id;
  std::string name;
  std::string status;
  std::string attributes_json;  // a JSON object, as given
  TimeMs created = 0;
  TimeMs updated = 0;
};

struct EntityCount {
  std::string tenant_id;
  std::string kind;
  std::string status;
  std::int64_t count = 0;
};

// The entity catalog (warehouse connections, sources, syncs, audiences, …), durable in the same
// SQLite database as the events. Opened after EventStore, which migrates the schema.
class EntityStore {
 public:
  explicit EntityStore(const std::string& path);

  struct PutResult {
    bool created = false;
    Entity stored;  // as written, read back inside the same transaction
  };
  // Creates or replaces. `created` is kept across replacements.
  PutResult put(const Entity& entity, TimeMs now);
  std::optional<Entity> get(const std::string& tenant_id, const std::string& kind,
                            const std::string& id) const;
  std::vector<Entity> list(const std::string& tenant_id, const std::string& kind) const;
  // Every entity of one kind across tenants (e.g. all warehouse connections).
  std::vector<Entity> list_kind(const std::string& kind) const;
  bool remove(const std::string& tenant_id, const std::string& kind, const std::string& id);
  std::vector<EntityCount> counts() const;

 private:
  std::unique_ptr<sqlite::Database> db_;
  mutable std::mutex mutex_;
};

}  // namespace vitals
