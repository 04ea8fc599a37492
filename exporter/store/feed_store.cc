#include "store/feed_store.h"

#include <variant>

namespace vitals {
namespace {

// Every query names the alerts table `a`, so that filters read the same in each.
constexpr const char* kFeedColumns =
    "a.id, a.tenant_id, a.user_id, a.severity, a.source, a.title, a.message, a.link, "
    "a.metadata, a.pinned, a.created_ms";
constexpr int kColumnCount = 11;

std::optional<std::string> nullable_text(const sqlite::Statement& row, int col) {
  if (row.column_is_null(col)) return std::nullopt;
  return std::string(row.column_text(col));
}

FeedAlert read_alert(const sqlite::Statement& row) {
  FeedAlert alert;
  alert.id = row.column_text(0);
  alert.tenant_id = row.column_text(1);
  alert.user_id = nullable_text(row, 2);
  alert.severity = row.column_text(3);
  alert.source = row.column_text(4);
  alert.title = row.column_text(5);
  alert.message = row.column_text(6);
  alert.link = nullable_text(row, 7);
  alert.metadata = nlohmann::json::parse(row.column_text(8));
  alert.pinned = row.column_int(9) != 0;
  alert.created_at = row.column_int(10);
  return alert;
}

// SQL parameters numbered as they are added, so that a query can be assembled from optional
// filters without counting placeholders by hand. A nullopt text binds NULL.
class Parameters {
 public:
  std::string add(std::optional<std::string> text) {
    values_.emplace_back(std::move(text));
    return placeholder();
  }
  std::string add(std::int64_t number) {
    values_.emplace_back(number);
    return placeholder();
  }

  // "?1, ?2, …" for every parameter added so far.
  std::string placeholders() const {
    std::string list;
    for (size_t i = 1; i <= values_.size(); ++i) list += (i == 1 ? "?" : ", ?") + std::to_string(i);
    return list;
  }

  void bind(sqlite::Statement& statement) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (const auto* number = std::get_if<std::int64_t>(&values_[i])) {
        statement.bind(index, *number);
      } else if (const auto& text = std::get<std::optional<std::string>>(values_[i])) {
        statement.bind(index, *text);
      } else {
        statement.bind_null(index);
      }
    }
  }

 private:
  std::string placeholder() const { return "?" + std::to_string(values_.size()); }

  std::vector<std::variant<std::optional<std::string>, std::int64_t>> values_;
};

// The alerts `a` a caller sees (see FeedStore). Comparing with a NULL user is never true, so a
// caller without a user sees the fan-out alerts only.
std::string visible_to(Parameters& p, const std::string& tenant_id,
                       const std::optional<std::string>& user_id) {
  return "a.tenant_id = " + p.add(tenant_id) +
         " AND a.dismissed_ms IS NULL AND (a.user_id IS NULL OR a.user_id = " + p.add(user_id) +
         ")";
}

std::string one_of(Parameters& p, std::string_view column, const std::vector<std::string>& values) {
  std::string sql = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < values.size(); ++i) sql += (i == 0 ? "" : ", ") + p.add(values[i]);
  return sql + ")";
}

std::string page_sql(const FeedQuery& q, Parameters& p) {
  std::string sql = std::string("SELECT ") + kFeedColumns +
                    ", r.alert_id IS NOT NULL FROM feed_alerts a LEFT JOIN feed_alert_reads r "
                    "ON r.tenant_id = a.tenant_id AND r.alert_id = a.id AND r.user_id = " +
                    p.add(q.user_id) + " WHERE " + visible_to(p, q.tenant_id, q.user_id);
  if (q.before_id) sql += " AND a.id < " + p.add(*q.before_id);
  if (q.created_after) sql += " AND a.created_ms > " + p.add(*q.created_after);
  if (!q.severities.empty()) sql += one_of(p, "a.severity", q.severities);
  if (!q.sources.empty()) sql += one_of(p, "a.source", q.sources);
  if (q.unread_only) sql += " AND r.alert_id IS NULL";
  // One row more than asked tells whether older rows exist.
  return sql + " ORDER BY a.id DESC LIMIT " + p.add(static_cast<std::int64_t>(q.limit) + 1);
}

// Read rows for the alerts the user sees (only `id` when given); returns how many are new.
std::int64_t insert_reads(sqlite::Database& db, const std::string& tenant_id,
                          const std::string& user_id, const std::optional<std::string>& id,
                          TimeMs now) {
  Parameters p;
  std::string sql =
      "INSERT INTO feed_alert_reads (tenant_id, user_id, alert_id, read_ms) SELECT a.tenant_id, " +
      p.add(user_id) + ", a.id, " + p.add(now) + " FROM feed_alerts a WHERE " +
      visible_to(p, tenant_id, user_id);
  if (id) sql += " AND a.id = " + p.add(*id);
  sqlite::Statement insert(db, sql + " ON CONFLICT DO NOTHING");
  p.bind(insert);
  insert.step();
  return db.changes();
}

bool is_visible(sqlite::Database& db, const std::string& tenant_id,
                const std::optional<std::string>& user_id, const std::string& id) {
  Parameters p;
  const std::string sql =
      "SELECT 1 FROM feed_alerts a WHERE " + visible_to(p, tenant_id, user_id) + " AND a.id = ";
  sqlite::Statement q(db, sql + p.add(id));
  p.bind(q);
  return q.step();
}

std::optional<FeedAlert> select_by_dedup_key(sqlite::Database& db, const std::string& tenant_id,
                                             const std::string& dedup_key) {
  sqlite::Statement q(db, std::string("SELECT ") + kFeedColumns +
                              " FROM feed_alerts a WHERE a.tenant_id = ? AND a.dedup_key = ?");
  q.bind(1, tenant_id).bind(2, dedup_key);
  if (!q.step()) return std::nullopt;
  return read_alert(q);
}

void insert_alert(sqlite::Database& db, const FeedAlert& alert,
                  const std::optional<std::string>& dedup_key) {
  Parameters p;
  p.add(alert.tenant_id);
  p.add(alert.id);
  p.add(alert.user_id);
  p.add(alert.severity);
  p.add(alert.source);
  p.add(alert.title);
  p.add(alert.message);
  p.add(alert.link);
  // Metadata may carry label values from anywhere; bad UTF-8 is replaced rather than thrown on.
  p.add(alert.metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  p.add(std::int64_t{alert.pinned});
  p.add(alert.created_at);
  p.add(dedup_key);
  sqlite::Statement insert(db,
                           "INSERT INTO feed_alerts (tenant_id, id, user_id, severity, source, "
                           "title, message, link, metadata, pinned, created_ms, dedup_key) "
                           "VALUES (" +
                               p.placeholders() + ")");
  p.bind(insert);
  insert.step();
}

}  // namespace

FeedStore::FeedStore(const std::string& path) : db_(std::make_unique<sqlite::Database>(path)) {
  db_->exec("PRAGMA synchronous = FULL");
  sqlite::Statement newest(*db_, "SELECT max(id) FROM feed_alerts");
  if (newest.step() && !newest.column_is_null(0)) ids_.advance_past(newest.column_text(0));
}

PublishResult FeedStore::publish(FeedAlert alert, const std::optional<std::string>& dedup_key) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  PublishResult result = publish_locked(std::move(alert), dedup_key);
  tx.commit();
  return result;
}

std::vector<PublishResult> FeedStore::publish_all(
    std::vector<std::pair<FeedAlert, std::optional<std::string>>> alerts) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  std::vector<PublishResult> results;
  for (auto& [alert, dedup_key] : alerts) {
    results.push_back(publish_locked(std::move(alert), dedup_key));
  }
  tx.commit();
  return results;
}

PublishResult FeedStore::publish_locked(FeedAlert alert,
                                        const std::optional<std::string>& dedup_key) {
  const bool deduplicated = dedup_key && !dedup_key->empty();
  if (deduplicated) {
    if (auto existing = select_by_dedup_key(*db_, alert.tenant_id, *dedup_key)) {
      return {std::move(*existing), false};
    }
  }
  alert.id = ids_.next(alert.created_at);
  insert_alert(*db_, alert, deduplicated ? dedup_key : std::nullopt);
  return {std::move(alert), true};
}

std::int64_t FeedStore::prune_before(TimeMs cutoff) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  sqlite::Statement alerts(*db_, "DELETE FROM feed_alerts WHERE created_ms < ?");
  alerts.bind(1, cutoff);
  alerts.step();
  const std::int64_t removed = db_->changes();
  db_->exec(
      "DELETE FROM feed_alert_reads WHERE NOT EXISTS (SELECT 1 FROM feed_alerts a WHERE "
      "a.tenant_id = feed_alert_reads.tenant_id AND a.id = feed_alert_reads.alert_id)");
  tx.commit();
  return removed;
}

std::optional<FeedAlert> FeedStore::find(const std::string& tenant_id,
                                         const std::string& id) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, std::string("SELECT ") + kFeedColumns +
                                " FROM feed_alerts a WHERE a.tenant_id = ? AND a.id = ? AND "
                                "a.dismissed_ms IS NULL");
  q.bind(1, tenant_id).bind(2, id);
  if (!q.step()) return std::nullopt;
  return read_alert(q);
}

bool FeedStore::is_read(const std::string& tenant_id, const std::string& user_id,
                        const std::string& id) const {
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_,
                      "SELECT 1 FROM feed_alert_reads WHERE tenant_id = ? AND user_id = ? AND "
                      "alert_id = ?");
  q.bind(1, tenant_id).bind(2, user_id).bind(3, id);
  return q.step();
}

std::optional<FeedAlert> FeedStore::find_by_dedup_key(const std::string& tenant_id,
                                                      const std::string& dedup_key) const {
  std::lock_guard lock(mutex_);
  return select_by_dedup_key(*db_, tenant_id, dedup_key);
}

FeedPage FeedStore::page(const FeedQuery& query) const {
  Parameters p;
  const std::string sql = page_sql(query, p);
  std::lock_guard lock(mutex_);
  sqlite::Statement q(*db_, sql);
  p.bind(q);
  FeedPage page;
  while (q.step()) page.rows.push_back({read_alert(q), q.column_int(kColumnCount) != 0});
  if (page.rows.size() > query.limit) {
    page.rows.pop_back();
    page.has_more = true;
  }
  return page;
}

bool FeedStore::mark_read(const std::string& tenant_id, const std::string& user_id,
                          const std::string& id, TimeMs now) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  if (!is_visible(*db_, tenant_id, user_id, id)) return false;
  insert_reads(*db_, tenant_id, user_id, id, now);
  tx.commit();
  return true;
}

std::int64_t FeedStore::mark_all_read(const std::string& tenant_id, const std::string& user_id,
                                      TimeMs now) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  const std::int64_t marked = insert_reads(*db_, tenant_id, user_id, std::nullopt, now);
  tx.commit();
  return marked;
}

bool FeedStore::dismiss(const std::string& tenant_id, const std::optional<std::string>& user_id,
                        const std::string& id, TimeMs now) {
  Parameters p;
  std::string sql = "UPDATE feed_alerts AS a SET dismissed_ms = " + p.add(now) + " WHERE " +
                    visible_to(p, tenant_id, user_id);
  sql += " AND a.id = " + p.add(id);
  std::lock_guard lock(mutex_);
  sqlite::Statement update(*db_, sql);
  p.bind(update);
  update.step();
  return db_->changes() > 0;
}

}  // namespace vitals
