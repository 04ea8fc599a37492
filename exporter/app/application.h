#pragma once

#include <prometheus/registry.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "alerting/exporter_signal_source.h"
#include "alerting/feed_alert_sink.h"
#include "api/api_context.h"
#include "config/config.h"
#include "core/clock.h"
#include "evaluator/evaluation_loop.h"
#include "evaluator/fanout_sink.h"
#include "evaluator/rule_manager.h"
#include "http/http_server.h"
#include "ingest/ingest_pipeline.h"
#include "metrics/integration_metrics.h"
#include "metrics/notification_metrics.h"
#include "metrics/source_metrics.h"
#include "notify/curl_sender.h"
#include "notify/delivery_loop.h"
#include "notify/dispatcher.h"
#include "sources/source_manager.h"
#include "store/alert_state_store.h"
#include "store/notification_store.h"
#include "store/source_position_store.h"

namespace vitals {

// One running vitals: the store, the rollups rebuilt from it, the metrics, the HTTP server and
// the housekeeping that prunes by retention. Construction opens everything; start() serves.
class Application {
 public:
  Application(Config config, const Clock& clock);
  ~Application();

  void start();
  // Stops accepting, lets requests in flight finish, then closes the store.
  void stop();
  int port() const { return server_ ? server_->port() : 0; }

  // Re-reads the configuration file and its rule files. Invalid ones are refused with every
  // problem in `message` and everything running stays; otherwise the tenants, the rules, the tokens
  // and the notification receivers are replaced. Storage, server and source settings apply at the
  // next restart.
  ReloadResult reload();

 private:
  void housekeeping_loop();
  void save_rollup_snapshot();
  void build_routes();
  void start_rules();
  void start_notifications();
  std::string generator_url(const evaluator::Announcement& announcement) const;

  Config config_;
  const Clock& clock_;
  std::shared_ptr<prometheus::Registry> registry_;
  TenantDirectory tenants_;
  Authenticator authenticator_;
  ExporterMetrics exporter_metrics_;
  IntegrationMetrics integration_metrics_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<EntityStore> entities_;
  std::unique_ptr<AudienceStore> audiences_;
  std::unique_ptr<MemberStore> members_;
  std::unique_ptr<FeedStore> feed_store_;
  std::unique_ptr<AlertFeed> feed_;
  std::unique_ptr<RollupEngine> rollups_;
  std::unique_ptr<WarehouseTelemetry> warehouse_;
  std::unique_ptr<IngestPipeline> ingest_;
  std::unique_ptr<SqliteAlertStateStore> alert_state_;
  std::unique_ptr<ExporterSignalSource> signals_;
  std::unique_ptr<FeedAlertSink> feed_sink_;
  NotificationMetrics notification_metrics_;
  std::unique_ptr<SqliteNotificationQueue> notification_queue_;
  std::unique_ptr<notify::CurlSender> http_sender_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::unique_ptr<notify::DeliveryLoop> delivery_;
  std::unique_ptr<evaluator::FanoutSink> alert_sink_;
  std::unique_ptr<evaluator::RuleManager> rules_;
  std::unique_ptr<evaluator::EvaluationLoop> evaluation_;
  SourceMetrics source_metrics_;
  std::unique_ptr<SourcePositionStore> source_positions_;
  std::unique_ptr<sources::SourceManager> sources_;
  std::mutex reload_mutex_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> shutting_down_{false};
  bool rollups_rebuilt_ = false;  // a snapshot of rollups that were never rebuilt would be empty
  std::unique_ptr<ApiContext> api_;
  std::shared_ptr<prometheus::Collectable> catalog_gauges_;
  Router router_;
  std::unique_ptr<HttpServer> server_;

  std::mutex housekeeping_mutex_;
  std::condition_variable housekeeping_wake_;
  bool housekeeping_stop_ = false;
  std::thread housekeeping_;
};

}  // namespace vitals
