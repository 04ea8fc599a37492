// Notification delivery throughput: how fast a backlog drains once a receiver is back.
//
//   vitals_bench_notifications [notifications]
//
// Real components: the SQLite queue (synchronous = FULL) in a temporary database, the dispatcher,
// libcurl, and a receiver in this process on a loopback port that answers 200. N announcements
// of N different alerts are queued (as after an outage), then delivered until the queue is
// empty: to a webhook (one request each) and to an Alertmanager (batches of 64).

#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

#include "bench_timing.h"
#include "notify/alertmanager_receiver.h"
#include "notify/curl_sender.h"
#include "notify/dispatcher.h"
#include "notify/webhook_receiver.h"
#include "store/event_store.h"
#include "store/notification_store.h"
#include "support/recording_receiver.h"
#include "support/temp_dir.h"

namespace vitals {
namespace {

using bench::ms_since;
using bench::Stopwatch;

class NoMetrics final : public notify::DeliveryObserver {
 public:
  void sent(std::string_view, std::string_view, size_t) override {}
  void failed(std::string_view, std::string_view, notify::Failure, size_t) override {}
  void dropped(notify::Drop, size_t) override {}
};

evaluator::Announcement announcement(int i) {
  evaluator::Announcement a;
  a.rule = "SyncFailing";
  a.tenant_id = "t";
  a.labels = {{"alertname", "SyncFailing"},
              {"tenant", "acme"},
              {"severity", "error"},
              {"source", "flow"},
              {"integration_key", "sync-" + std::to_string(i)}};
  a.key = "SyncFailing/" + std::to_string(i) + "@1/firing";
  a.fired_at = a.at = a.active_at = 1'000;
  a.title = "Sync sync-" + std::to_string(i) + " failed its latest run";
  a.message = "The latest run failed.";
  a.severity = "error";
  a.source = "flow";
  return a;
}

void drain(const std::string& label, std::shared_ptr<const notify::Receiver> receiver, int count,
           testing::RecordingReceiver& endpoint) {
  testing::TempDir dir;
  const std::string db = (dir.path() / "vitals.db").string();
  EventStore migrate(db);
  SqliteNotificationQueue queue(db);
  notify::CurlSender sender;
  NoMetrics metrics;
  SystemClock clock;
  notify::Dispatcher dispatcher(queue, sender, metrics, clock,
                                {static_cast<size_t>(count), notify::Backoff{}});
  dispatcher.set_receivers({receiver});
  auto start = Stopwatch::now();
  std::vector<evaluator::Announcement> batch;
  for (int i = 0; i < count; ++i) batch.push_back(announcement(i));
  dispatcher.announce(batch);
  const double queue_ms = ms_since(start);
  const size_t before = endpoint.requests().size();
  start = Stopwatch::now();
  while (!queue.backlog().empty()) dispatcher.deliver();
  const double drain_ms = ms_since(start);
  std::printf("| %s | %d | %.0f | %.0f | %zu | %.0f |\n", label.c_str(), count, queue_ms, drain_ms,
              endpoint.requests().size() - before, count / (drain_ms / 1000.0));
}

}  // namespace
}  // namespace vitals

int main(int argc, char** argv) {
  using namespace vitals;
  const int count = argc > 1 ? std::atoi(argv[1]) : 10'000;
  spdlog::set_level(spdlog::level::warn);
  testing::RecordingReceiver endpoint;
  std::printf(
      "| receiver | notifications | queue ms | drain ms | requests | notifications/s |\n"
      "|---|---|---|---|---|---|\n");
  drain("webhook (1 per request, signed)",
        std::make_shared<notify::WebhookReceiver>("hook", endpoint.url(), "secret", notify::Route{},
                                                  5'000),
        count, endpoint);
  drain("Alertmanager (64 per request)",
        std::make_shared<notify::AlertmanagerReceiver>(endpoint.url(""), notify::Route{}, 5'000,
                                                       kMsPerMinute),
        count, endpoint);
  return 0;
}
