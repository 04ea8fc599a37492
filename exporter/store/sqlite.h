#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vitals::sqlite {

// Thrown for any SQLite failure; `code` keeps the primary result code so that callers can tell
// "the disk is full" (retry later) from a bug.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // Conditions under which the store cannot take writes now but may later.
  bool is_unavailable() const;

 private:
  int code_;
};

class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);  // empty text binds NULL
  // Like bind(), without a copy: the text must stay as it is until the statement is reset.
  Statement& bind_unowned(int index, std::string_view text);
  Statement& bind_null(int index);
  Statement& bind_blob(int index, std::string_view bytes);

  // True while there is a row to read; false when the statement is done.
  bool step();
  void reset();

  int64_t column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double column_double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view column_text(int col) const;
  std::string_view column_blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Rolls back unless committed: a throw anywhere inside leaves nothing behind.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// Heap memory SQLite holds in this process, all connections together: page caches, prepared
// statements, schemas. Part of vitals' resident memory that its own structures do not explain.
std::int64_t memory_used();

}  // namespace vitals::sqlite
