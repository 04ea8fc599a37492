#include "store/source_position_store.h"

namespace vitals {

SourcePositionStore::SourcePositionStore(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path)) {}

std::optional<std::string> SourcePositionStore::load(const std::string& source) {
  std::lock_guard lock(mutex_);
  sqlite::Statement query(*db_, "SELECT position FROM source_positions WHERE source = ?");
  query.bind(1, source);
  if (!query.step()) return std::nullopt;
  return std::string(query.column_text(0));
}

void write_source_position(sqlite::Database& db, const std::string& source,
                           const std::string& position, TimeMs now) {
  sqlite::Statement upsert(db,
                           "INSERT INTO source_positions (source, position, updated_ms) "
                           "VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                           "position = excluded.position, updated_ms = excluded.updated_ms");
  upsert.bind(1, source).bind(2, position).bind(3, now);
  upsert.step();
}

}  // namespace vitals
