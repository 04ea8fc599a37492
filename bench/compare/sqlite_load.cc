// vitals-sqlite-load: loads bench/compare's CSV into SQLite the way one would without vitals:
// an indexed table, one transaction, one prepared INSERT reused for every row. Prints nothing;
// bench/compare times it.
//
//   vitals-sqlite-load DB CSV

#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

namespace {

bool exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return true;
  std::fprintf(stderr, "%s: %s\n", sql, error);
  sqlite3_free(error);
  return false;
}

constexpr const char* kSchema =
    "PRAGMA journal_mode = WAL;"
    "CREATE TABLE events (tenant TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL, "
    "mode TEXT NOT NULL, status TEXT NOT NULL, time_ms INTEGER NOT NULL, latency_ms REAL, "
    "error_category TEXT);"
    "CREATE INDEX events_tenant_time ON events (tenant, time_ms);";

// Binds one CSV line (no quoting in this data set; an empty field is NULL) to the statement.
bool bind_line(sqlite3_stmt* insert, std::string_view line) {
  std::array<std::string_view, 8> fields;
  size_t count = 0;
  while (count < fields.size()) {
    const size_t comma = line.find(',');
    fields[count++] = line.substr(0, comma);
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  if (count != fields.size()) return false;
  for (size_t i = 0; i < fields.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    if (fields[i].empty()) {
      sqlite3_bind_null(insert, column);
    } else if (i == 5) {
      sqlite3_bind_int64(insert, column, std::stoll(std::string(fields[i])));
    } else if (i == 6) {
      sqlite3_bind_double(insert, column, std::stod(std::string(fields[i])));
    } else {
      sqlite3_bind_text(insert, column, fields[i].data(), static_cast<int>(fields[i].size()),
                        SQLITE_TRANSIENT);
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB CSV\n", argv[0]);
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK || !exec(db, kSchema) || !exec(db, "BEGIN")) {
    return 1;
  }
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &insert,
                     nullptr);
  std::ifstream in(argv[2]);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!bind_line(insert, line) || sqlite3_step(insert) != SQLITE_DONE) {
      std::fprintf(stderr, "cannot insert: %s (%s)\n", line.c_str(), sqlite3_errmsg(db));
      return 1;
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  const bool ok = exec(db, "COMMIT") && exec(db, "ANALYZE");
  sqlite3_close(db);
  return ok ? 0 : 1;
}
