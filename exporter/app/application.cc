#include "app/application.h"

#include <spdlog/spdlog.h>

#include "alerting/receivers.h"
#include "api/audiences_api.h"
#include "api/dashboard_api.h"
#include "api/entities_api.h"
#include "api/events_api.h"
#include "api/insights_api.h"
#include "api/integration_health_api.h"
#include "api/operations_api.h"
#include "api/system_health_api.h"
#include "api/warehouse_api.h"
#include "app/rule_files.h"
#include "core/free_heap.h"
#include "metrics/alerts_collector.h"
#include "metrics/catalog_collector.h"
#include "metrics/process_collector.h"
#include "store/retention.h"

namespace vitals {
namespace {

// After new data, the rules are evaluated again at most this soon (besides every rules.interval),
// so a breach reaches the feed within about this long.
constexpr TimeMs kRuleNudgeGap = 500;

// `heading` and then one indented line per problem.
std::string listing(std::string heading, const std::vector<SourceProblem>& problems) {
  for (const auto& p : problems) heading += "\n  " + p.to_string();
  return heading;
}

}  // namespace

Application::Application(Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      registry_(std::make_shared<prometheus::Registry>()),
      tenants_(config_.tenants),
      authenticator_(config_.tokens, tenants_),
      exporter_metrics_(*registry_),
      integration_metrics_(
          [this](const std::string& id) { return tenants_.slug_of(id); }, clock_,
          SeriesLimits{config_.limits.max_series_per_family, config_.limits.series_idle_ttl}),
      notification_metrics_(*registry_),
      source_metrics_(*registry_) {
  store_ = std::make_unique<EventStore>(config_.storage.path);
  const EventStore* store = store_.get();
  RawEventReader raw = [store](const RawScan& scan,
                               const std::function<void(const Event&)>& visit) {
    store->scan({scan.tenant_id, scan.from, scan.to, scan.max_seq}, visit);
  };
  rollups_ = std::make_unique<RollupEngine>(
      RollupOptions{config_.storage.retention, config_.storage.minute_rollup_horizon}, raw,
      clock_.now_ms());
  entities_ = std::make_unique<EntityStore>(config_.storage.path);
  audiences_ = std::make_unique<AudienceStore>(config_.storage.path);
  members_ = std::make_unique<MemberStore>(config_.storage.path);
  feed_store_ = std::make_unique<FeedStore>(config_.storage.path);
  feed_ = std::make_unique<AlertFeed>(*feed_store_, tenants_, *registry_);
  ingest_ =
      std::make_unique<IngestPipeline>(*store_, *rollups_, integration_metrics_, exporter_metrics_,
                                       config_.limits.max_series_per_tenant);
  warehouse_ = std::make_unique<WarehouseTelemetry>(*rollups_, *store_, config_.warehouse,
                                                    config_.storage.retention);
  start_notifications();
  start_rules();
  source_positions_ = std::make_unique<SourcePositionStore>(config_.storage.path);
  sources_ = std::make_unique<sources::SourceManager>(
      config_.sources,
      sources::SourceManager::Context{*ingest_, tenants_, *source_positions_, source_metrics_,
                                      clock_, config_.storage.retention});
  api_ = std::make_unique<ApiContext>(ApiContext{config_,
                                                 tenants_,
                                                 authenticator_,
                                                 clock_,
                                                 *store_,
                                                 *entities_,
                                                 *audiences_,
                                                 *members_,
                                                 *feed_store_,
                                                 *feed_,
                                                 *rollups_,
                                                 *warehouse_,
                                                 *ingest_,
                                                 exporter_metrics_,
                                                 {},
                                                 {&integration_metrics_},
                                                 ready_,
                                                 shutting_down_,
                                                 {}});
  catalog_gauges_ =
      std::make_shared<CatalogCollector>(*entities_, *audiences_, *warehouse_, tenants_, clock_);
  api_->collectables = {registry_, std::make_shared<ProcessCollector>(), catalog_gauges_,
                        std::make_shared<AlertsCollector>(*rules_),
                        std::make_shared<NotificationQueueCollector>(
                            *notification_queue_, [this] { return dispatcher_->receiver_names(); },
                            config_.notifications.queue_limit, clock_)};
  api_->reload = [this] { return reload(); };
  build_routes();
}

// Loads the configured rules (refusing to start on an invalid one, as Prometheus does) and
// restores the alert state they had before a restart.
void Application::start_rules() {
  auto load = load_configured_rules(config_);
  if (!load.problems.empty()) throw std::runtime_error(listing("invalid rules:", load.problems));
  alert_state_ = std::make_unique<SqliteAlertStateStore>(config_.storage.path);
  signals_ = std::make_unique<ExporterSignalSource>(tenants_, *rollups_, *entities_, *audiences_,
                                                    *warehouse_);
  feed_sink_ = std::make_unique<FeedAlertSink>(*feed_, *feed_store_);
  alert_sink_ = std::make_unique<evaluator::FanoutSink>(
      std::vector<evaluator::AlertSink*>{feed_sink_.get(), dispatcher_.get()});
  rules_ = std::make_unique<evaluator::RuleManager>(*signals_, *alert_sink_, *alert_state_);
  rules_->on_cycle([this](double seconds) { exporter_metrics_.observe_rule_cycle(seconds); });
  rules_->set_rules(std::move(load.rules), clock_.now_ms());
  spdlog::info("{} alerting rules loaded", rules_->rule_count());
  evaluation_ = std::make_unique<evaluator::EvaluationLoop>(*rules_, clock_, config_.rules.interval,
                                                            kRuleNudgeGap);
  ingest_->on_commit([this] { evaluation_->nudge(); });
}

// The notification queue and its delivery thread. Announcements reach it after the feed (see
// start_rules), so a notification can link to the feed alert it is about.
void Application::start_notifications() {
  notification_queue_ = std::make_unique<SqliteNotificationQueue>(config_.storage.path);
  http_sender_ = std::make_unique<notify::CurlSender>();
  dispatcher_ = std::make_unique<notify::Dispatcher>(
      *notification_queue_, *http_sender_, notification_metrics_, clock_,
      notify::DispatchOptions{config_.notifications.queue_limit, config_.notifications.backoff});
  dispatcher_->set_receivers(configured_receivers(config_.notifications));
  dispatcher_->set_generator_url([this](const auto& a) { return generator_url(a); });
  delivery_ = std::make_unique<notify::DeliveryLoop>(*dispatcher_, clock_);
  dispatcher_->on_queued([this] { delivery_->wake(); });
  spdlog::info("{} notification receivers configured", dispatcher_->receiver_names().size());
}

// The feed alert the announcement is about (a resolution links to the alert it resolves).
std::string Application::generator_url(const evaluator::Announcement& a) const {
  const std::string base = config_.notifications.external_url + "/api/v1/system-health";
  const auto& key = a.kind == evaluator::Announcement::Kind::kFiring ? a.key : a.firing_key;
  const auto alert = feed_store_->find_by_dedup_key(a.tenant_id, key);
  return alert ? base + "/" + alert->id : base;
}

ReloadResult Application::reload() {
  std::lock_guard lock(reload_mutex_);
  auto config = load_config_file(config_.source_path);
  std::vector<SourceProblem> problems = config.problems;
  evaluator::RuleLoad rules;
  if (config.config) {
    rules = load_configured_rules(*config.config);
    problems.insert(problems.end(), rules.problems.begin(), rules.problems.end());
  }
  if (!problems.empty()) {
    const std::string message =
        listing("the new configuration is invalid; the running one stays:", problems);
    spdlog::error("reload refused: {}", message);
    return {false, message};
  }
  const size_t count = rules.rules.size();
  // Tenants first: the rules and tokens below name them by slug.
  tenants_.replace(config.config->tenants);
  rules_->set_rules(std::move(rules.rules), clock_.now_ms());
  evaluation_->nudge();
  authenticator_.replace(config.config->tokens, tenants_);
  auto receivers = configured_receivers(config.config->notifications);
  const size_t receiver_count = receivers.size();
  dispatcher_->set_receivers(std::move(receivers));
  delivery_->wake();
  const std::string message = std::to_string(config.config->tenants.size()) + " tenants, " +
                              std::to_string(count) + " rules, " +
                              std::to_string(config.config->tokens.size()) + " tokens and " +
                              std::to_string(receiver_count) + " notification receivers loaded";
  spdlog::info("reload: {}", message);
  return {true, message};
}

Application::~Application() {
  stop();
}

void Application::build_routes() {
  register_operations_api(router_, *api_);
  register_events_api(router_, *api_);
  register_integration_health_api(router_, *api_);
  register_dashboard_api(router_, *api_);
  register_entities_api(router_, *api_);
  register_warehouse_api(router_, *api_);
  register_insights_api(router_, *api_);
  register_audiences_api(router_, *api_);
  register_system_health_api(router_, *api_);
}

void Application::start() {
  const auto started = std::chrono::steady_clock::now();
  // Prune first: after downtime the store may hold events past the retention.
  Retention(*store_, *rollups_, config_.storage.retention).apply(clock_.now_ms());
  const auto rebuild = ingest_->rebuild_from_store(tenants_, clock_.now_ms(),
                                                   config_.storage.rollup_snapshot_path());
  return_free_heap_to_system();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  exporter_metrics_.set_startup(rebuild.from_snapshot, rebuild.replayed, seconds);
  rollups_rebuilt_ = true;
  if (!rebuild.snapshot_problem.empty()) {
    spdlog::warn("rollup snapshot not used ({}); rebuilt from the store", rebuild.snapshot_problem);
  }
  spdlog::info("rollups ready in {:.0f} ms: {}{} events replayed from the store ({} series)",
               seconds * 1000, rebuild.from_snapshot ? "snapshot loaded, " : "", rebuild.replayed,
               rollups_->series_count());
  const ServerConfig& c = config_.server;
  HttpServerOptions options{c.listen_host,      c.listen_port,     c.threads,
                            c.connection_queue, c.listen_backlog,  c.max_body_bytes,
                            c.max_header_bytes, c.request_timeout, c.keep_alive_timeout};
  server_ = std::make_unique<HttpServer>(
      options, router_, [this](std::string_view route, int status, double seconds) {
        exporter_metrics_.observe_http(route, status, seconds);
        if (route == kEventsRoute && status != 200) exporter_metrics_.count_rejection(status);
      });
  server_->start();
  housekeeping_ = std::thread([this] { housekeeping_loop(); });
  evaluation_->start();
  delivery_->start();
  sources_->start();
  spdlog::info("{} scrape sources started", sources_->size());
  ready_ = true;
  spdlog::info("vitals listening on {}:{}", config_.server.listen_host, server_->port());
}

void Application::stop() {
  if (shutting_down_.exchange(true)) return;
  ready_ = false;
  if (server_) server_->stop();
  if (sources_) sources_->stop();
  {
    std::lock_guard lock(housekeeping_mutex_);
    housekeeping_stop_ = true;
  }
  housekeeping_wake_.notify_all();
  if (housekeeping_.joinable()) housekeeping_.join();
  if (evaluation_) evaluation_->stop();
  if (delivery_) delivery_->stop();
  save_rollup_snapshot();
  spdlog::info("vitals stopped");
}

// After the server and the sources have stopped, so no batch can land between the snapshot and
// the exit. A snapshot that cannot be written only makes the next start slower.
void Application::save_rollup_snapshot() {
  const std::string path = config_.storage.rollup_snapshot_path();
  if (path.empty() || !rollups_rebuilt_) return;
  const auto started = std::chrono::steady_clock::now();
  try {
    ingest_->save_snapshot(path);
    spdlog::info(
        "rollup snapshot saved to {} in {:.0f} ms", path,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
  } catch (const std::exception& e) {
    spdlog::warn("rollup snapshot not saved: {}", e.what());
  }
}

// Ticks every couple of seconds: keeps the catalog gauges' cache warm (so a scrape never pays
// for deriving every connection's state), drops idle integrations from /metrics and prunes by
// retention every prune_interval.
void Application::housekeeping_loop() {
  constexpr auto kTick = std::chrono::seconds(2);
  const auto prune_every = std::chrono::milliseconds(config_.storage.prune_interval);
  auto next_prune = std::chrono::steady_clock::now() + prune_every;
  std::unique_lock lock(housekeeping_mutex_);
  while (!housekeeping_wake_.wait_for(lock, kTick, [this] { return housekeeping_stop_; })) {
    lock.unlock();
    try {
      catalog_gauges_->Collect();
      const size_t idle = integration_metrics_.expire_idle();
      if (idle > 0)
        spdlog::info("/metrics: {} idle integrations left (limits.series_idle_ttl)", idle);
      if (std::chrono::steady_clock::now() >= next_prune) {
        next_prune += prune_every;
        const auto removed =
            Retention(*store_, *rollups_, config_.storage.retention).apply(clock_.now_ms());
        exporter_metrics_.count_pruned(double(removed));
        if (removed > 0) spdlog::info("retention: pruned {} events", removed);
        const auto alerts = feed_store_->prune_before(clock_.now_ms() - config_.storage.retention);
        if (alerts > 0) spdlog::info("retention: pruned {} system-health alerts", alerts);
        notification_queue_->forget_keys_before(clock_.now_ms() - config_.storage.retention);
        store_->release_cache_memory();
        return_free_heap_to_system();
      }
    } catch (const std::exception& e) {
      spdlog::error("housekeeping failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace vitals
