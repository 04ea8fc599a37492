#include "store/notification_store.h"

#include <nlohmann/json.hpp>

#include "evaluator/announcement_json.h"

namespace vitals {
namespace {

using evaluator::Announcement;
using notify::Notification;
using Json = nlohmann::json;

// A queued row's body: the announcement and where vitals shows it.
std::string body_of(const Announcement& a, const std::string& generator_url) {
  return Json{{"announcement", evaluator::announcement_json(a)}, {"generator_url", generator_url}}
      .dump();
}

void read_body(std::string_view text, Notification& n) {
  const Json body = Json::parse(text);
  n.announcement = evaluator::announcement_of(body.at("announcement"));
  n.generator_url = body.value("generator_url", "");
}

void run_for_each_id(sqlite::Statement& statement, const std::vector<std::int64_t>& ids,
                     int id_index) {
  for (const auto id : ids) {
    statement.bind(id_index, id);
    statement.step();
    statement.reset();
  }
}

}  // namespace

SqliteNotificationQueue::SqliteNotificationQueue(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path)) {
  db_->exec("PRAGMA synchronous = FULL");
}

// The statements of one enqueue_all transaction, prepared once for all its handovers.
struct SqliteNotificationQueue::Writer {
  explicit Writer(sqlite::Database& db)
      : known(db, "SELECT 1 FROM notification_keys WHERE key = ?"),
        remember(db, "INSERT INTO notification_keys (key, queued_ms) VALUES (?, ?)"),
        live(db, "INSERT OR REPLACE INTO notification_live VALUES (?, ?)"),
        ended(db, "DELETE FROM notification_live WHERE instance = ?"),
        insert(db,
               "INSERT INTO notification_outbox (receiver, instance, body, queued_ms) "
               "VALUES (?,?,?,?)") {}

  bool is_known(const std::string& key) {
    known.bind(1, key);
    const bool found = known.step();
    known.reset();
    return found;
  }

  void run(sqlite::Statement& statement) {
    statement.step();
    statement.reset();
  }

  sqlite::Statement known, remember, live, ended, insert;
};

std::vector<notify::EnqueueOutcome> SqliteNotificationQueue::enqueue_all(
    const std::vector<Handover>& handovers, TimeMs now, size_t limit) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  Writer w(*db_);
  sqlite::Statement count(*db_, "SELECT COUNT(*) FROM notification_outbox");
  count.step();
  size_t queued = static_cast<size_t>(count.column_int(0));
  std::vector<notify::EnqueueOutcome> out;
  for (const auto& h : handovers) {
    const Announcement& a = *h.announcement;
    if (w.is_known(a.key)) {
      out.push_back(notify::EnqueueOutcome::kAlreadyQueued);
      continue;
    }
    // The key and the live alerts are state, kept whether or not the queue has room.
    w.remember.bind(1, a.key).bind(2, now);
    w.run(w.remember);
    const std::string instance = evaluator::instance_key(a);
    const std::string body = body_of(a, h.generator_url);
    const bool firing = a.kind == Announcement::Kind::kFiring;
    if (firing) {
      w.live.bind(1, instance).bind(2, body);
      w.run(w.live);
    } else {
      w.ended.bind(1, instance);
      w.run(w.ended);
    }
    if (firing && queued + h.receivers.size() > limit) {
      out.push_back(notify::EnqueueOutcome::kFull);
      continue;
    }
    for (const auto& receiver : h.receivers) {
      w.insert.bind(1, receiver).bind(2, instance).bind(3, body).bind(4, now);
      w.run(w.insert);
    }
    queued += h.receivers.size();
    out.push_back(notify::EnqueueOutcome::kQueued);
  }
  tx.commit();
  return out;
}

std::vector<Notification> SqliteNotificationQueue::heads(const std::string& receiver,
                                                         size_t limit) {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT id, instance, body, queued_ms, attempts FROM notification_outbox "
                      "WHERE id IN (SELECT MIN(id) FROM notification_outbox WHERE receiver = ? "
                      "GROUP BY instance) ORDER BY id LIMIT ?");
  q.bind(1, receiver).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Notification> out;
  while (q.step()) {
    Notification n;
    n.id = q.column_int(0);
    n.receiver = receiver;
    n.instance = q.column_text(1);
    read_body(q.column_text(2), n);
    n.queued_at = q.column_int(3);
    n.attempts = static_cast<int>(q.column_int(4));
    out.push_back(std::move(n));
  }
  return out;
}

void SqliteNotificationQueue::remove(const std::vector<std::int64_t>& ids) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement q(*db_, "DELETE FROM notification_outbox WHERE id = ?");
  run_for_each_id(q, ids, 1);
  tx.commit();
}

void SqliteNotificationQueue::record_failure(const std::vector<std::int64_t>& ids,
                                             const std::string& error) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement q(
      *db_, "UPDATE notification_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?");
  q.bind(1, error.empty() ? std::string_view("unknown") : std::string_view(error));
  run_for_each_id(q, ids, 2);
  tx.commit();
}

std::vector<notify::ReceiverBacklog> SqliteNotificationQueue::backlog() {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT receiver, COUNT(*), MIN(queued_ms) FROM notification_outbox "
                      "GROUP BY receiver ORDER BY receiver");
  std::vector<notify::ReceiverBacklog> out;
  while (q.step()) {
    out.push_back(
        {std::string(q.column_text(0)), static_cast<size_t>(q.column_int(1)), q.column_int(2)});
  }
  return out;
}

std::vector<Notification> SqliteNotificationQueue::live() {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, "SELECT instance, body FROM notification_live ORDER BY instance");
  std::vector<Notification> out;
  while (q.step()) {
    Notification n;
    n.instance = q.column_text(0);
    read_body(q.column_text(1), n);
    out.push_back(std::move(n));
  }
  return out;
}

size_t SqliteNotificationQueue::discard_except(const std::set<std::string>& keep) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement receivers(*db_, "SELECT DISTINCT receiver FROM notification_outbox");
  std::vector<std::string> gone;
  while (receivers.step()) {
    std::string name(receivers.column_text(0));
    if (!keep.count(name)) gone.push_back(std::move(name));
  }
  sqlite::Statement discard(*db_, "DELETE FROM notification_outbox WHERE receiver = ?");
  size_t removed = 0;
  for (const auto& name : gone) {
    discard.bind(1, name);
    discard.step();
    removed += static_cast<size_t>(db_->changes());
    discard.reset();
  }
  tx.commit();
  return removed;
}

void SqliteNotificationQueue::forget_keys_before(TimeMs cutoff) {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, "DELETE FROM notification_keys WHERE queued_ms < ?");
  q.bind(1, cutoff);
  q.step();
}

}  // namespace vitals
