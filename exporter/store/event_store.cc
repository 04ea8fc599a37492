#include "store/event_store.h"

#include "store/schema.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <filesystem>
#include <memory>
#include <span>

namespace vitals {
namespace {

constexpr const char* kEventColumns =
    "tenant_id, type, key, mode, status, time_ms, latency_ms, error_category, error_message, "
    "counts, event_id";

Event read_event(const sqlite::Statement& row, int first) {
  Event e;
  e.tenant_id = row.column_text(first);
  e.type = row.column_text(first + 1);
  e.key = row.column_text(first + 2);
  e.mode = row.column_text(first + 3);
  e.status = static_cast<EventStatus>(row.column_int(first + 4));
  e.time = row.column_int(first + 5);
  if (!row.column_is_null(first + 6)) e.latency_ms = row.column_double(first + 6);
  e.error_category = row.column_text(first + 7);
  e.error_message = row.column_text(first + 8);
  e.counts = decode_counts(row.column_text(first + 9));
  e.id = row.column_text(first + 10);
  return e;
}

void configure(sqlite::Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a commit is on disk before append() returns, so an acknowledged batch survives power
  // loss, not just a crash of this process.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // The writer's page cache holds the index pages that inserts touch. With SQLite's default
  // 2 MiB, and the index on (tenant, time) that the events had then, every insert read its leaf
  // back from the OS and half-filled transactions spilled to the WAL early (pread and pwrite were a
  // quarter of ingest's time). 16 MiB ingests as fast as 64 did, with the index on time alone, even
  // for events spread over 30 days (bench/README.md, "Memory at the goal's 100,000 series"), and
  // leaves 48 MiB more for the rollups.
  db.exec("PRAGMA cache_size = -16384");
  db.exec("PRAGMA wal_autocheckpoint = 8000");
}

}  // namespace

std::string encode_counts(const ItemCounts& counts) {
  std::string out;
  for (const auto& [kind, n] : counts) {
    if (!out.empty()) out += ',';
    out += kind;
    out += '=';
    out += std::to_string(n);
  }
  return out;
}

ItemCounts decode_counts(std::string_view text) {
  ItemCounts out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos) {
      std::int64_t n = 0;
      std::from_chars(pair.data() + eq + 1, pair.data() + pair.size(), n);
      out.emplace_back(std::string(pair.substr(0, eq)), n);
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

namespace {

// SQLite says only "unable to open database file" or "attempt to write a readonly database";
// an operator needs to hear that the volume is mounted read-only.
bool on_read_only_file_system(const std::filesystem::path& dir) {
  struct statvfs fs {};
  return ::statvfs(dir.empty() ? "." : dir.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

// Inserts events into the writer's open transaction. Events without an id cannot conflict
// with anything stored, so runs of them go in one multi-row INSERT each: per statement SQLite
// reads and rewrites the AUTOINCREMENT counter and runs its statement-end bookkeeping, which was
// a fifth of a row-at-a-time insert. The rows of one statement get consecutive sequence numbers
// ending at the last inserted rowid. An event with an id is inserted alone, so that a duplicate
// is told by its row not being inserted.
//
// A run goes in statements of a power of two rows (64, then 32, 16, … for the rest), so the
// writer prepares seven statements once and keeps them: preparing a 64-row statement per group
// was 6% of ingest's CPU.
class EventInserter {
 public:
  static constexpr size_t kStatementSizes = 7;  // 1, 2, 4, … 64 rows
  using Statements = std::span<std::unique_ptr<sqlite::Statement>, kStatementSizes>;

  EventInserter(sqlite::Database& db, Statements statements, std::vector<StoredEventRef>& stored)
      : db_(db), statements_(statements), stored_(stored) {}

  AppendOutcome batch(const std::vector<Event>& events, const std::vector<size_t>& skip) {
    AppendOutcome outcome;
    std::vector<const Event*> run;  // events without an id, not yet inserted
    auto skipped = skip.begin();
    for (size_t i = 0; i < events.size(); ++i) {
      if (skipped != skip.end() && *skipped == i) {
        ++skipped;
        continue;
      }
      ++outcome.accepted;
      const Event& e = events[i];
      if (e.id.empty()) {
        run.push_back(&e);
        continue;
      }
      insert_run(run);
      if (!insert_one(e)) ++outcome.duplicates;
    }
    insert_run(run);
    return outcome;
  }

 private:
  static constexpr size_t kMaxRowsPerStatement = size_t{1} << (kStatementSizes - 1);
  static constexpr int kColumns = 11;

  void insert_run(std::vector<const Event*>& run) {
    for (size_t first = 0, rows = 0; first < run.size(); first += rows) {
      rows = std::bit_floor(std::min(kMaxRowsPerStatement, run.size() - first));
      sqlite::Statement& insert = statement(rows);
      for (size_t r = 0; r < rows; ++r)
        bind(insert, static_cast<int>(r) * kColumns, *run[first + r]);
      insert.step();
      if (db_.changes() != static_cast<int64_t>(rows)) {
        throw sqlite::Error(SQLITE_INTERNAL, "an insert of " + std::to_string(rows) +
                                                 " events stored " + std::to_string(db_.changes()));
      }
      const std::int64_t last = sqlite3_last_insert_rowid(db_.handle());
      for (size_t r = 0; r < rows; ++r) {
        stored_.push_back({last - static_cast<std::int64_t>(rows - 1 - r), run[first + r]});
      }
      insert.reset();
    }
    run.clear();
  }

  // False when the tenant already has an event with this id.
  bool insert_one(const Event& e) {
    sqlite::Statement& insert = statement(1);
    bind(insert, 0, e);
    insert.step();
    const bool inserted = db_.changes() == 1;
    if (inserted) stored_.push_back({sqlite3_last_insert_rowid(db_.handle()), &e});
    insert.reset();
    return inserted;
  }

  // The event's own text is bound without a copy: the events outlive the statement's step.
  void bind(sqlite::Statement& insert, int offset, const Event& e) {
    const int at = offset + 1;
    insert.bind_unowned(at, e.tenant_id).bind_unowned(at + 1, e.type);
    insert.bind_unowned(at + 2, e.key).bind_unowned(at + 3, e.mode);
    insert.bind(at + 4, static_cast<int64_t>(e.status)).bind(at + 5, e.time);
    if (e.latency_ms) insert.bind(at + 6, *e.latency_ms);
    insert.bind_unowned(at + 7, e.error_category).bind_unowned(at + 8, e.error_message);
    insert.bind(at + 9, encode_counts(e.counts)).bind_unowned(at + 10, e.id);
  }

  sqlite::Statement& statement(size_t rows) {
    auto& slot = statements_[static_cast<size_t>(std::countr_zero(rows))];
    if (!slot) {
      std::string sql = std::string("INSERT INTO events (") + kEventColumns + ") VALUES ";
      for (size_t r = 0; r < rows; ++r)
        sql += r == 0 ? "(?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?)";
      sql += " ON CONFLICT DO NOTHING";
      slot = std::make_unique<sqlite::Statement>(db_, sql);
    }
    slot->reset();  // after a failed step, which threw before its reset (the group rolled back)
    return *slot;
  }

  sqlite::Database& db_;
  Statements statements_;  // by log2 of rows per statement
  std::vector<StoredEventRef>& stored_;
};

}  // namespace

EventStore::EventStore(const std::string& path) : path_(path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  try {
    writer_ = std::make_unique<sqlite::Database>(path);
    configure(*writer_);
    schema_version_ = migrate_schema(*writer_, path_);
    reader_ = std::make_unique<sqlite::Database>(path);
  } catch (const sqlite::Error& e) {
    if (!on_read_only_file_system(parent)) throw;
    throw sqlite::Error(SQLITE_READONLY, "the event store " + path +
                                             " is on a read-only file system (" + e.what() + ")");
  }
}

EventStore::~EventStore() = default;

AppendOutcome EventStore::append(const std::vector<Event>& batch, const CommitObserver& on_commit,
                                 const AlsoWrite& also) {
  std::vector<GroupedBatch> group(1);
  group[0].events = &batch;
  group[0].also = also ? &also : nullptr;
  std::lock_guard lock(append_mutex_);
  const std::vector<StoredEventRef> stored = append_group(group);
  if (on_commit && !stored.empty()) on_commit(stored);
  return group[0].outcome;
}

std::vector<StoredEventRef> EventStore::append_group(std::vector<GroupedBatch>& group) {
  std::lock_guard lock(write_mutex_);
  std::vector<StoredEventRef> stored;
  {
    sqlite::Transaction tx(*writer_);
    EventInserter insert(*writer_, insert_statements_, stored);
    for (GroupedBatch& batch : group) {
      batch.outcome = insert.batch(*batch.events, batch.skip);
      if (batch.also) (*batch.also)(*writer_);
    }
    tx.commit();
  }
  return stored;
}

void EventStore::scan(const EventScan& range,
                      const std::function<void(const Event&)>& visit) const {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement query(*reader_, std::string("SELECT ") + kEventColumns +
                                        " FROM events WHERE tenant_id = ? AND time_ms >= ? "
                                        "AND time_ms < ? AND seq <= ? ORDER BY time_ms");
  query.bind(1, range.tenant_id).bind(2, range.from).bind(3, range.to).bind(4, range.max_seq);
  while (query.step()) visit(read_event(query, 0));
}

void EventStore::latest_deliveries(const std::string& tenant_id, const std::string& connection_id,
                                   TimeMs from, TimeMs to, bool failures_only,
                                   const std::function<bool(const Event&)>& visit) const {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement query(
      *reader_, std::string("SELECT ") + kEventColumns +
                    " FROM events WHERE type = 'warehouse_delivery' AND tenant_id = ? AND key = ?"
                    " AND time_ms >= ? AND time_ms < ?" +
                    (failures_only ? " AND status != 0" : "") + " ORDER BY time_ms DESC, seq DESC");
  query.bind(1, tenant_id).bind(2, connection_id).bind(3, from).bind(4, to);
  while (query.step()) {
    if (!visit(read_event(query, 0))) break;
  }
}

void EventStore::scan_after(std::int64_t seq,
                            const std::function<void(StoredEvent&&)>& visit) const {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement query(*reader_, std::string("SELECT seq, ") + kEventColumns +
                                        " FROM events WHERE seq > ? ORDER BY seq");
  query.bind(1, seq);
  while (query.step()) visit(StoredEvent{query.column_int(0), read_event(query, 1)});
}

std::optional<StoredEvent> EventStore::event_at(std::int64_t seq) const {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement query(
      *reader_, std::string("SELECT seq, ") + kEventColumns + " FROM events WHERE seq = ?");
  query.bind(1, seq);
  if (!query.step()) return std::nullopt;
  return StoredEvent{query.column_int(0), read_event(query, 1)};
}

std::int64_t EventStore::prune_before(TimeMs cutoff) {
  std::lock_guard lock(write_mutex_);
  sqlite::Statement del(*writer_, "DELETE FROM events WHERE time_ms < ?");
  del.bind(1, cutoff);
  del.step();
  return writer_->changes();
}

void EventStore::release_cache_memory() {
  {
    std::lock_guard lock(write_mutex_);
    sqlite3_db_release_memory(writer_->handle());
  }
  std::lock_guard lock(read_mutex_);
  sqlite3_db_release_memory(reader_->handle());
}

std::int64_t EventStore::cache_bytes() const {
  auto used = [](sqlite::Database& db) {
    int current = 0;
    int highest = 0;
    sqlite3_db_status(db.handle(), SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0);
    return std::int64_t{current};
  };
  std::int64_t bytes = 0;
  {
    std::lock_guard lock(write_mutex_);
    bytes += used(*writer_);
  }
  std::lock_guard lock(read_mutex_);
  return bytes + used(*reader_);
}

std::int64_t EventStore::count() const {
  std::lock_guard lock(read_mutex_);
  sqlite::Statement query(*reader_, "SELECT count(*) FROM events");
  query.step();
  return query.column_int(0);
}

}  // namespace vitals
