#include "store/schema.h"

#include <vector>

namespace vitals {
namespace {

// Each entry moves the schema one version forward; entries are never edited once released.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: events, with idempotency per tenant.
      R"sql(
        CREATE TABLE events (
          seq            INTEGER PRIMARY KEY AUTOINCREMENT,
          tenant_id      TEXT    NOT NULL,
          type           TEXT    NOT NULL,
          key            TEXT    NOT NULL,
          mode           TEXT    NOT NULL,
          status         INTEGER NOT NULL,
          time_ms        INTEGER NOT NULL,
          latency_ms     REAL,
          error_category TEXT,
          error_message  TEXT,
          counts         TEXT,
          event_id       TEXT
        );
        CREATE INDEX events_by_tenant_time ON events (tenant_id, time_ms);
        CREATE UNIQUE INDEX events_idempotency ON events (tenant_id, event_id)
          WHERE event_id IS NOT NULL;
      )sql",
      // 2: the entity catalog, and a partial index so that warehouse telemetry finds a
      // connection's latest deliveries without every other event paying for an index.
      R"sql(
        CREATE TABLE entities (
          tenant_id  TEXT    NOT NULL,
          kind       TEXT    NOT NULL,
          id         TEXT    NOT NULL,
          name       TEXT    NOT NULL,
          status     TEXT    NOT NULL,
          attributes TEXT    NOT NULL,
          created_ms INTEGER NOT NULL,
          updated_ms INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, kind, id)
        ) WITHOUT ROWID;
        CREATE INDEX events_warehouse_deliveries ON events (tenant_id, key, time_ms)
          WHERE type = 'warehouse_delivery';
      )sql",
      // 3: audience size observations (SPEC §3.4); a second observation at the same instant
      // replaces the first.
      R"sql(
        CREATE TABLE audience_sizes (
          tenant_id   TEXT    NOT NULL,
          audience_id TEXT    NOT NULL,
          time_ms     INTEGER NOT NULL,
          size        INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, audience_id, time_ms)
        ) WITHOUT ROWID;
      )sql",
      // 4: audience member sets (SPEC §3.4). Each tenant numbers its member ids densely from 0
      // and never renumbers, so a set is a compressed bitmap of numbers.
      R"sql(
        CREATE TABLE audience_member_numbers (
          tenant_id TEXT    NOT NULL,
          member    TEXT    NOT NULL,
          number    INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, member)
        ) WITHOUT ROWID;
        CREATE TABLE audience_member_counters (
          tenant_id   TEXT    PRIMARY KEY,
          next_number INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE audience_member_sets (
          tenant_id    TEXT    NOT NULL,
          audience_id  TEXT    NOT NULL,
          member_count INTEGER NOT NULL,
          bitmap       BLOB    NOT NULL,
          updated_ms   INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, audience_id)
        ) WITHOUT ROWID;
      )sql",
      // 5: the system-health feed (SPEC §6.4). The primary key serves "newest first by id within
      // a tenant" (ids sort by creation). A dismissed alert keeps its row (dismissed_ms set) so
      // that its dedup key is never reused. Read state is one row per user and alert, apart from
      // the alert, so marking read never touches the alert.
      R"sql(
        CREATE TABLE feed_alerts (
          tenant_id    TEXT    NOT NULL,
          id           TEXT    NOT NULL,
          user_id      TEXT,
          severity     TEXT    NOT NULL,
          source       TEXT    NOT NULL,
          title        TEXT    NOT NULL,
          message      TEXT    NOT NULL,
          link         TEXT,
          metadata     TEXT    NOT NULL,
          pinned       INTEGER NOT NULL,
          created_ms   INTEGER NOT NULL,
          dedup_key    TEXT,
          dismissed_ms INTEGER,
          PRIMARY KEY (tenant_id, id)
        );
        CREATE UNIQUE INDEX feed_alerts_dedup ON feed_alerts (tenant_id, dedup_key)
          WHERE dedup_key IS NOT NULL;
        CREATE TABLE feed_alert_reads (
          tenant_id TEXT    NOT NULL,
          user_id   TEXT    NOT NULL,
          alert_id  TEXT    NOT NULL,
          read_ms   INTEGER NOT NULL,
          PRIMARY KEY (tenant_id, user_id, alert_id)
        ) WITHOUT ROWID;
      )sql",
      // 6: rule alert state (SPEC §7): the pending and firing instances of each rule, and the
      // announcements not yet delivered, so a restart neither forgets nor repeats an alert.
      R"sql(
        CREATE TABLE alert_instances (
          rule                 TEXT    NOT NULL,
          fingerprint          TEXT    NOT NULL,
          tenant_id            TEXT    NOT NULL,
          labels               TEXT    NOT NULL,
          state                TEXT    NOT NULL,
          value                REAL    NOT NULL,
          active_ms            INTEGER NOT NULL,
          fired_ms             INTEGER NOT NULL,
          keep_firing_since_ms INTEGER NOT NULL,
          PRIMARY KEY (rule, fingerprint)
        ) WITHOUT ROWID;
        CREATE TABLE alert_announcements (
          seq  INTEGER PRIMARY KEY AUTOINCREMENT,
          key  TEXT    NOT NULL UNIQUE,
          body TEXT    NOT NULL
        );
      )sql",
      // 7: the value an alert fired with, so that its resolution repeats the firing title.
      R"sql(
        ALTER TABLE alert_instances ADD COLUMN fired_value REAL NOT NULL DEFAULT 0;
      )sql",
      // 8: the notification outbox (one row per announcement and receiver, removed once
      // delivered), the keys of announcements already queued, and the live (firing) alerts that
      // Alertmanager is sent again while they last.
      R"sql(
        CREATE TABLE notification_outbox (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          receiver    TEXT    NOT NULL,
          instance    TEXT    NOT NULL,
          body        TEXT    NOT NULL,
          queued_ms   INTEGER NOT NULL,
          attempts    INTEGER NOT NULL DEFAULT 0,
          last_error  TEXT
        );
        CREATE INDEX notification_outbox_heads ON notification_outbox (receiver, instance, id);
        CREATE TABLE notification_keys (
          key        TEXT    PRIMARY KEY,
          queued_ms  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX notification_keys_by_time ON notification_keys (queued_ms);
        CREATE TABLE notification_live (
          instance  TEXT PRIMARY KEY,
          body      TEXT NOT NULL
        ) WITHOUT ROWID;
      )sql",
      // 9: where each scrape source stopped (an HTTP cursor, a file offset), written in the
      // same transaction as the events it covers so a restart neither repeats nor skips them.
      R"sql(
        CREATE TABLE source_positions (
          source     TEXT    PRIMARY KEY,
          position   TEXT    NOT NULL,
          updated_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
      )sql",
      // 10: events indexed by time alone. The (tenant_id, time_ms) index cost each insert a
      // seek among 36-character tenant ids, about half of SQLite's time per event, and more
      // when events arrive out of time order. Events are read by time only for the ragged
      // edges of a window, less than an hour (the rollups hold the rest), so reading every
      // tenant's events there and keeping one tenant's is cheap; retention is one range delete.
      R"sql(
        DROP INDEX events_by_tenant_time;
        CREATE INDEX events_by_time ON events (time_ms);
      )sql",
  };
  return kMigrations;
}

}  // namespace

int migrate_schema(sqlite::Database& db, const std::string& path) {
  const int current = [&] {
    // Finished before the steps run: a statement still open would lock the tables a step drops.
    sqlite::Statement version(db, "PRAGMA user_version");
    version.step();
    return static_cast<int>(version.column_int(0));
  }();
  const auto& steps = migrations();
  if (current > static_cast<int>(steps.size())) {
    throw sqlite::Error(SQLITE_ERROR, path + " has schema version " + std::to_string(current) +
                                          ", newer than this vitals knows");
  }
  for (size_t v = static_cast<size_t>(current); v < steps.size(); ++v) {
    sqlite::Transaction tx(db);
    db.exec(steps[v]);
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
  return static_cast<int>(steps.size());
}

}  // namespace vitals
