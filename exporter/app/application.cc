#include "app/application.h"

#include <spdlog/spdlog.h>

#include "api/audiences_api.h"
#include "api/dashboard_api.h"
#include "api/entities_api.h"
#include "api/events_api.h"
#include "api/insights_api.h"
#include "api/integration_health_api.h"
#include "api/operations_api.h"
#include "api/warehouse_api.h"
#include "metrics/catalog_collector.h"
#include "metrics/process_collector.h"
#include "store/retention.h"

namespace vitals {

Application::Application(Config config, const Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      registry_(std::make_shared<prometheus::Registry>()),
      tenants_(config_.tenants),
      authenticator_(config_.tokens, tenants_),
      exporter_metrics_(*registry_),
      integration_metrics_(*registry_, [this](const std::string& id) {
        const Tenant* t = tenants_.find_by_id(id);
        return t ? t->slug : id;
      }) {
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
  ingest_ =
      std::make_unique<IngestPipeline>(*store_, *rollups_, integration_metrics_, exporter_metrics_);
  warehouse_ = std::make_unique<WarehouseTelemetry>(*rollups_, *store_, config_.warehouse,
                                                    config_.storage.retention);
  api_ = std::make_unique<ApiContext>(ApiContext{config_,
                                                 tenants_,
                                                 authenticator_,
                                                 clock_,
                                                 *store_,
                                                 *entities_,
                                                 *audiences_,
                                                 *members_,
                                                 *rollups_,
                                                 *warehouse_,
                                                 *ingest_,
                                                 exporter_metrics_,
                                                 {},
                                                 ready_,
                                                 shutting_down_});
  catalog_gauges_ =
      std::make_shared<CatalogCollector>(*entities_, *audiences_, *warehouse_, tenants_, clock_);
  api_->collectables = {registry_, std::make_shared<ProcessCollector>(), catalog_gauges_};
  build_routes();
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
}

void Application::start() {
  const auto started = std::chrono::steady_clock::now();
  // Prune first: after downtime the store may hold events past the retention.
  Retention(*store_, *rollups_, config_.storage.retention).apply(clock_.now_ms());
  ingest_->rebuild_from_store(tenants_, clock_.now_ms());
  spdlog::info(
      "rollups rebuilt from {} stored events in {:.0f} ms ({} series)", store_->count(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
      rollups_->series_count());
  HttpServerOptions options;
  options.host = config_.server.listen_host;
  options.port = config_.server.listen_port;
  options.threads = config_.server.threads;
  options.max_body_bytes = config_.server.max_body_bytes;
  server_ = std::make_unique<HttpServer>(
      options, router_, [this](std::string_view route, int status, double seconds) {
        exporter_metrics_.observe_http(route, status, seconds);
      });
  server_->start();
  housekeeping_ = std::thread([this] { housekeeping_loop(); });
  ready_ = true;
  spdlog::info("vitals listening on {}:{}", config_.server.listen_host, server_->port());
}

void Application::stop() {
  if (shutting_down_.exchange(true)) return;
  ready_ = false;
  if (server_) server_->stop();
  {
    std::lock_guard lock(housekeeping_mutex_);
    housekeeping_stop_ = true;
  }
  housekeeping_wake_.notify_all();
  if (housekeeping_.joinable()) housekeeping_.join();
  spdlog::info("vitals stopped");
}

// Ticks every couple of seconds: keeps the catalog gauges' cache warm (so a scrape never pays
// for deriving every connection's state) and prunes by retention every prune_interval.
void Application::housekeeping_loop() {
  constexpr auto kTick = std::chrono::seconds(2);
  const auto prune_every = std::chrono::milliseconds(config_.storage.prune_interval);
  auto next_prune = std::chrono::steady_clock::now() + prune_every;
  std::unique_lock lock(housekeeping_mutex_);
  while (!housekeeping_wake_.wait_for(lock, kTick, [this] { return housekeeping_stop_; })) {
    lock.unlock();
    try {
      catalog_gauges_->Collect();
      if (std::chrono::steady_clock::now() >= next_prune) {
        next_prune += prune_every;
        const auto removed =
            Retention(*store_, *rollups_, config_.storage.retention).apply(clock_.now_ms());
        exporter_metrics_.count_pruned(double(removed));
        if (removed > 0) spdlog::info("retention: pruned {} events", removed);
      }
    } catch (const std::exception& e) {
      spdlog::error("housekeeping failed: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace vitals
