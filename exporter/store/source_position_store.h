#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "store/sqlite.h"

namespace vitals {

// Where each scrape source stopped, as text the source itself encodes (an HTTP cursor, a file's
// identity and offset). Positions are read here at start-up; they are written by
// `write_source_position` inside the transaction that stores the events they cover, so that the
// events and the position commit together (opened after EventStore, which migrates the schema).
class SourcePositionStore {
 public:
  explicit SourcePositionStore(const std::string& path);

  std::optional<std::string> load(const std::string& source);

 private:
  std::unique_ptr<sqlite::Database> db_;
  std::mutex mutex_;
};

// Inserts or replaces a source's position on `db`, which the caller has in a transaction.
void write_source_position(sqlite::Database& db, const std::string& source,
                           const std::string& position, TimeMs now);

}  // namespace vitals
