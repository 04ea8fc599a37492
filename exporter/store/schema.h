#pragma once

#include <string>

#include "store/sqlite.h"

namespace vitals {

// Brings the database to the newest schema this vitals knows, one versioned step at a time
// (PRAGMA user_version), each step in its own transaction. Refuses a database from a newer
// vitals. Returns the version reached.
int migrate_schema(sqlite::Database& db, const std::string& path);

}  // namespace vitals
