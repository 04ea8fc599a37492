#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "feed/alert_id.h"
#include "feed/feed_alert.h"
#include "store/sqlite.h"

namespace vitals {

struct PublishResult {
  FeedAlert alert;
  bool created;
};

// One page of a caller's feed, newest first.
struct FeedQuery {
  std::string tenant_id;
  std::optional<std::string> user_id;    // the caller's user; nullopt for an API-key caller
  std::optional<std::string> before_id;  // the cursor: only alerts with a smaller id
  size_t limit = 50;
  bool unread_only = false;
  std::optional<TimeMs> created_after;
  std::vector<std::string> severities;  // empty: every severity
  std::vector<std::string> sources;     // empty: every source
};

struct FeedRow {
  FeedAlert alert;
  bool read = false;
};

struct FeedPage {
  std::vector<FeedRow> rows;
  bool has_more = false;  // older alerts match the same query
};

// The system-health feed, durable in the shared SQLite database. Opened after EventStore, which
// migrates the schema.
//
// A caller sees the tenant's alerts that are not dismissed and are either addressed to its user
// or fanned out to everyone (user_id null); a caller without a user sees only the fan-out ones,
// never as read. Ids come from one generator advanced past the newest stored id, so a new alert
// always sorts after every stored one: paging by "older than the cursor" neither skips nor
// repeats a row while alerts keep arriving.
class FeedStore {
 public:
  explicit FeedStore(const std::string& path);

  // Stores `alert` (id assigned here from alert.created_at, which the caller sets). When dedup_key
  // is given and the tenant already has an alert with that key (even a dismissed one), nothing is
  // stored and the existing alert is returned with created=false.
  PublishResult publish(FeedAlert alert,
                        const std::optional<std::string>& dedup_key = std::nullopt);

  // publish() for each, in order, in one transaction: all are stored or none.
  std::vector<PublishResult> publish_all(
      std::vector<std::pair<FeedAlert, std::optional<std::string>>> alerts);

  // The alert, unless it was dismissed; regardless of whom it is addressed to.
  std::optional<FeedAlert> find(const std::string& tenant_id, const std::string& id) const;

  // Whether `user_id` has read the alert.
  bool is_read(const std::string& tenant_id, const std::string& user_id,
               const std::string& id) const;

  // The alert published with `dedup_key`, even a dismissed one (a resolution still names it).
  std::optional<FeedAlert> find_by_dedup_key(const std::string& tenant_id,
                                             const std::string& dedup_key) const;

  FeedPage page(const FeedQuery& query) const;

  // Marks one alert the user can see as read; false when the user cannot see it. Marking an
  // alert read twice changes nothing.
  bool mark_read(const std::string& tenant_id, const std::string& user_id, const std::string& id,
                 TimeMs now);

  // Marks every alert the user can see as read; returns how many were not read before.
  std::int64_t mark_all_read(const std::string& tenant_id, const std::string& user_id, TimeMs now);

  // Hides an alert the caller can see from the whole tenant, for good; false when the caller
  // cannot see it (including when it is already dismissed).
  bool dismiss(const std::string& tenant_id, const std::optional<std::string>& user_id,
               const std::string& id, TimeMs now);

  // Deletes alerts created before `cutoff` (the retention), with their read state; returns how
  // many alerts went.
  std::int64_t prune_before(TimeMs cutoff);

 private:
  PublishResult publish_locked(FeedAlert alert, const std::optional<std::string>& dedup_key);

  std::unique_ptr<sqlite::Database> db_;
  mutable std::mutex mutex_;
  AlertIdGenerator ids_;
};

}  // namespace vitals
