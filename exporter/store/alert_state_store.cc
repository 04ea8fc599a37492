#include "store/alert_state_store.h"

#include <nlohmann/json.hpp>

#include "evaluator/announcement_json.h"

namespace vitals {
namespace {

using evaluator::AlertInstance;
using evaluator::AlertState;
using evaluator::Announcement;
using evaluator::announcement_json;
using evaluator::announcement_of;
using Json = nlohmann::json;

}  // namespace

SqliteAlertStateStore::SqliteAlertStateStore(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path)) {
  db_->exec("PRAGMA synchronous = FULL");
}

std::vector<AlertInstance> SqliteAlertStateStore::load_instances() {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT rule, tenant_id, labels, state, value, active_ms, fired_ms, "
                      "keep_firing_since_ms, fired_value FROM alert_instances "
                      "ORDER BY rule, fingerprint");
  std::vector<AlertInstance> out;
  while (q.step()) {
    AlertInstance i;
    i.rule = q.column_text(0);
    i.tenant_id = q.column_text(1);
    Json::parse(q.column_text(2)).get_to(i.labels);
    i.state = q.column_text(3) == "firing" ? AlertState::kFiring : AlertState::kPending;
    i.value = q.column_double(4);
    i.active_at = q.column_int(5);
    i.fired_at = q.column_int(6);
    i.fired_value = q.column_double(8);
    i.keep_firing_since = q.column_int(7);
    out.push_back(std::move(i));
  }
  return out;
}

void SqliteAlertStateStore::save(const std::vector<evaluator::RuleState>& rules) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement clear(*db_, "DELETE FROM alert_instances WHERE rule = ?");
  sqlite::Statement insert(*db_,
                           "INSERT INTO alert_instances (rule, fingerprint, tenant_id, labels, "
                           "state, value, active_ms, fired_ms, keep_firing_since_ms, fired_value) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?)");
  sqlite::Statement enqueue(*db_,
                            "INSERT INTO alert_announcements (key, body) VALUES (?,?) "
                            "ON CONFLICT (key) DO NOTHING");
  for (const auto& rule : rules) {
    clear.bind(1, rule.rule);
    clear.step();
    clear.reset();
    for (const auto& i : rule.instances) {
      insert.bind(1, rule.rule)
          .bind(2, evaluator::fingerprint(i.labels))
          .bind(3, i.tenant_id)
          .bind(4, Json(i.labels).dump())
          .bind(5, state_name(i.state))
          .bind(6, i.value)
          .bind(7, i.active_at)
          .bind(8, i.fired_at)
          .bind(9, i.keep_firing_since)
          .bind(10, i.fired_value);
      insert.step();
      insert.reset();
    }
    for (const auto& a : rule.announcements) {
      enqueue.bind(1, a.key).bind(2, announcement_json(a).dump());
      enqueue.step();
      enqueue.reset();
    }
  }
  tx.commit();
}

std::vector<Announcement> SqliteAlertStateStore::outbox() {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, "SELECT body FROM alert_announcements ORDER BY seq");
  std::vector<Announcement> out;
  while (q.step()) out.push_back(announcement_of(Json::parse(q.column_text(0))));
  return out;
}

void SqliteAlertStateStore::delivered(const std::vector<std::string>& keys) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement q(*db_, "DELETE FROM alert_announcements WHERE key = ?");
  for (const auto& key : keys) {
    q.bind(1, key);
    q.step();
    q.reset();
  }
  tx.commit();
}

}  // namespace vitals
