#include "rule_cycle_fixture.h"

#include <cstdio>
#include <random>

#include "alerting/exporter_signal_source.h"
#include "alerting/feed_alert_sink.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "evaluator/rule_loader.h"
#include "evaluator/rule_manager.h"
#include "store/alert_state_store.h"
#include "support/temp_dir.h"

namespace vitals::bench {
namespace {

constexpr const char* kTenant = "bench";

std::vector<evaluator::Rule> make_rules(int count, int types) {
  const char* signals[] = {"error_rate_pct", "success_rate_pct", "p95_ms", "event_count",
                           "error_count"};
  const char* ops[] = {">", "<", ">", "<", ">"};
  const double thresholds[] = {60, 40, 5000, 2, 4};
  std::string text;
  for (int i = 0; i < count; ++i) {
    const int s = i % 5;
    if (types > 0)
      text +=
          "[[rules]]\nwhere = { integration_type = \"type-" + std::to_string(i % types) + "\" }\n";
    else
      text += "[[rules]]\n";
    text += "name = \"R" + std::to_string(i) + "\"\nsignal = \"" + signals[s] +
            "\"\nby = [\"integration_key\"]\nwindow = \"" + (i % 2 ? "15m" : "10m") +
            "\"\nop = \"" + ops[s] + "\"\nthreshold = " + std::to_string(thresholds[s]) +
            "\nfor = \"" + (i % 3 ? "5m" : "0s") + "\"\ntitle = \"{{integration_key}}\"\n";
  }
  auto load = evaluator::parse_rules(text, "bench.toml");
  if (!load.problems.empty()) std::fprintf(stderr, "%s\n", load.problems[0].to_string().c_str());
  return load.rules;
}

std::vector<Event> recent_runs(const std::string& tenant_id, int groups, int types, TimeMs now) {
  std::mt19937_64 rng(5);
  std::vector<Event> events;
  for (int g = 0; g < groups; ++g) {
    for (int i = 0; i < 6; ++i) {
      Event e;
      e.tenant_id = tenant_id;
      e.type = "type-" + std::to_string(types > 0 ? g % types : 0);
      e.key = "key-" + std::to_string(g);
      e.mode = "default";
      e.time = now - 15 * kMsPerMinute + static_cast<TimeMs>(rng() % (15 * kMsPerMinute));
      e.status = rng() % 10 == 0 ? EventStatus::kException : EventStatus::kSuccess;
      if (is_failure(e.status)) e.error_category = "timeout";
      e.latency_ms = double(100 + rng() % 5000);
      events.push_back(std::move(e));
    }
  }
  return events;
}

}  // namespace

// Members in the order they depend on each other.
struct RuleCycleFixture::Parts {
  explicit Parts(TimeMs start)
      : now(start),
        db((dir.path() / "vitals.db").string()),
        tenants({TenantConfig{kTenant, kTenant, uuid_v5_url(kTenant)}}),
        store(db),
        rollups(
            {35 * kMsPerDay, 8 * kMsPerDay},
            [this](const RawScan& s, const std::function<void(const Event&)>& visit) {
              store.scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
            },
            now - kMsPerDay),
        entities(db),
        audiences(db),
        warehouse(rollups, store, {}, 35 * kMsPerDay),
        source(tenants, rollups, entities, audiences, warehouse),
        state(db),
        feed_store(db),
        feed(feed_store, tenants, registry),
        sink(feed, feed_store),
        manager(source, sink, state) {}

  TimeMs now;
  testing::TempDir dir;
  std::string db;
  TenantDirectory tenants;
  EventStore store;
  RollupEngine rollups;
  EntityStore entities;
  AudienceStore audiences;
  WarehouseTelemetry warehouse;
  ExporterSignalSource source;
  SqliteAlertStateStore state;
  FeedStore feed_store;
  prometheus::Registry registry;
  AlertFeed feed;
  FeedAlertSink sink;
  evaluator::RuleManager manager;
};

RuleCycleFixture::RuleCycleFixture(int rules, int groups, int types)
    : parts_(std::make_unique<Parts>(*parse_rfc3339("2026-03-10T12:00:00Z"))) {
  Parts& p = *parts_;
  const std::string tenant_id = p.tenants.all().front().id;
  p.store.append(recent_runs(tenant_id, groups, types, p.now),
                 [&](const std::vector<StoredEventRef>& s) { p.rollups.apply(s); });
  p.manager.set_rules(make_rules(rules, types), p.now);
}

RuleCycleFixture::~RuleCycleFixture() = default;

TimeMs RuleCycleFixture::now() const {
  return parts_->now;
}

void RuleCycleFixture::evaluate(TimeMs at) {
  parts_->manager.evaluate(at);
}

size_t RuleCycleFixture::active_alerts() const {
  return parts_->manager.active_alerts().size();
}

}  // namespace vitals::bench
