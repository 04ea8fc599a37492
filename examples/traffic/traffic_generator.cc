// vitals-traffic: posts realistic integration events to a running vitals (SPEC section 3), so
// that the dashboards, alerts and /metrics have something to show during development and demos.
// First declares each tenant's catalog entities (SPEC 3.2), which the telemetry and insights APIs
// join the events with; then optionally backfills history, then sends a live stream at a fixed
// rate.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "audience_members.h"
#include "audience_sizes.h"
#include "entity_catalog.h"
#include "event_mix.h"
#include "ingest_client.h"
#include "options.h"
#include "random.h"

namespace vitals::traffic {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

volatile std::sig_atomic_t g_stop_requested = 0;

// The first signal lets the current request finish and the summary print; a second one means
// the user is not willing to wait.
extern "C" void on_stop_signal(int) {
  if (g_stop_requested) std::_Exit(130);
  g_stop_requested = 1;
}

void install_signal_handlers() {
  struct sigaction action = {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() {
  return g_stop_requested != 0;
}

TimeMs wall_now_ms() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<milliseconds>(since_epoch).count();
}

// Sleeps in short slices so that a signal ends the wait promptly.
void sleep_unless_stopped(SteadyClock::time_point until) {
  while (!stop_requested() && SteadyClock::now() < until) {
    std::this_thread::sleep_for(
        std::min<SteadyClock::duration>(milliseconds(50), until - SteadyClock::now()));
  }
}

struct Stats {
  std::int64_t events = 0;   // events in batches the server took (2xx)
  std::int64_t batches = 0;  // requests answered 2xx
  std::int64_t errors = 0;   // requests that failed: non-2xx or no answer
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  std::int64_t skipped = 0;  // live events dropped because sending fell too far behind
};

class TrafficRun {
 public:
  TrafficRun(const Options& options, IngestClient& client);

  void declare_entities();
  void record_audiences(const TenantTraffic& tenant);
  void backfill();
  void live();
  std::string summary() const;
  bool delivered_nothing() const { return stats_.events == 0 && stats_.errors > 0; }

 private:
  bool keep_going() const { return !stop_requested() && !out_of_time_; }
  void add_event(std::size_t tenant, TimeMs time);
  void flush();
  void back_off();
  bool declare_tenant_entities(const TenantTraffic& tenant);
  void record_answer(const HttpResult& answer);
  void report_progress();
  std::int64_t send_due_events(std::int64_t scheduled, std::int64_t due, TimeMs live_start);
  std::int64_t skip_backlog(std::int64_t scheduled, std::int64_t due);
  void sleep_until_next_tick(SteadyClock::time_point start, SteadyClock::duration period) const;

  const Options& options_;
  IngestClient& client_;
  Rng rng_;
  std::vector<TenantTraffic> tenants_;
  std::string id_prefix_;
  std::int64_t next_id_ = 0;
  std::string body_;  // the batch being built, NDJSON
  int body_events_ = 0;
  Stats stats_;
  const char* phase_ = "backfill";
  SteadyClock::time_point started_ = SteadyClock::now();
  SteadyClock::time_point last_progress_ = started_;
  std::optional<SteadyClock::time_point> deadline_;  // end of the live phase, if --duration
  bool out_of_time_ = false;
};

TrafficRun::TrafficRun(const Options& options, IngestClient& client)
    : options_(options), client_(client), rng_(options.seed) {
  const TimeMs start = wall_now_ms();
  for (std::size_t i = 0; i < options.tenants.size(); ++i) {
    tenants_.emplace_back(options.tenants[i], i, start);
  }
  // The start time keeps ids unique across runs: a rerun with the same seed would otherwise
  // have every event acknowledged as a duplicate of the previous run's and not stored.
  id_prefix_ = "trf-" + std::to_string(options.seed) + "-" + std::to_string(start) + "-";
}

// The telemetry API answers 404 for a warehouse connection that is not an entity, however many
// deliveries it has, so the catalog goes first.
void TrafficRun::declare_entities() {
  for (const TenantTraffic& tenant : tenants_) {
    if (!keep_going() || !declare_tenant_entities(tenant)) return;
  }
}

// Returns false when no further tenant is worth trying: the token may not write entities at all.
// Any other refusal concerns this tenant (unknown to vitals, not allowed for the token) or the
// server being away, and the events that follow will report that too.
bool TrafficRun::declare_tenant_entities(const TenantTraffic& tenant) {
  int created = 0;
  int replaced = 0;
  for (const Entity& entity : tenant_entities(tenant)) {
    if (stop_requested()) return false;
    const HttpResult answer =
        client_.put_entity(tenant.tenant(), entity.kind, entity.id, entity.body.dump());
    if (answer.status == 403) {
      std::cerr << "vitals-traffic: the token may not write entities (403); no catalog is "
                   "declared, so the warehouse connection telemetry will answer 404. Use a token "
                   "with the ingest, editor or admin role. Going on with the events.\n";
      return false;
    }
    if (!answer.ok()) {
      std::cerr << "vitals-traffic: PUT entities/" << entity.kind << "/" << entity.id << " for "
                << tenant.tenant() << " failed: "
                << (answer.status == 0 ? std::string("no answer") : std::to_string(answer.status))
                << ": " << answer.body.substr(0, 2048) << "; skipping the rest of its catalog\n";
      return true;
    }
    ++(answer.status == 201 ? created : replaced);
  }
  std::cerr << "vitals-traffic: declared " << created + replaced << " entities for "
            << tenant.tenant() << " (" << created << " created, " << replaced << " replaced)\n";
  record_audiences(tenant);
  return true;
}

// A month of daily sizes and a member list per audience, so that audience trends, overlap and the
// size gauge have data.
void TrafficRun::record_audiences(const TenantTraffic& tenant) {
  constexpr std::int64_t kCustomerPool = 200'000;
  for (const Entity& entity : tenant_entities(tenant)) {
    if (entity.kind != "audience") continue;
    const auto estimate = entity.body["attributes"].value("estimated_size", std::int64_t{1000});
    const HttpResult sizes = client_.post_audience_sizes(
        tenant.tenant(), entity.id, daily_audience_sizes(estimate, 30, wall_now_ms(), rng_).dump());
    const HttpResult members = client_.put_audience_members(
        tenant.tenant(), entity.id, audience_member_list(estimate, kCustomerPool, rng_));
    for (const auto* answer : {&sizes, &members}) {
      if (answer->ok()) continue;
      std::cerr << "vitals-traffic: audience " << entity.id << " of " << tenant.tenant()
                << " refused: " << answer->status << ": " << answer->body.substr(0, 512) << "\n";
      return;
    }
  }
}

void TrafficRun::add_event(std::size_t tenant, TimeMs time) {
  const std::string id = id_prefix_ + std::to_string(next_id_++);
  body_ += tenants_[tenant].next_event(rng_, time, id).dump();
  body_ += '\n';
  if (++body_events_ >= options_.batch) flush();
}

void TrafficRun::flush() {
  if (body_events_ == 0) return;
  const HttpResult answer = client_.post_events(body_);
  if (answer.ok()) {
    stats_.events += body_events_;
    ++stats_.batches;
  }
  record_answer(answer);
  body_.clear();
  body_events_ = 0;
  // Hammering a server that is down or overloaded helps nobody; a 4xx concerns only this batch.
  if (answer.server_trouble()) back_off();
  report_progress();
}

// Waiting a second would not make a server that is already late for the deadline any faster,
// so past the deadline a failure ends the run instead of delaying it.
void TrafficRun::back_off() {
  const auto now = SteadyClock::now();
  if (deadline_ && now >= *deadline_) {
    out_of_time_ = true;
    return;
  }
  const auto until = now + milliseconds(1000);
  sleep_unless_stopped(deadline_ ? std::min(until, *deadline_) : until);
}

void TrafficRun::record_answer(const HttpResult& answer) {
  if (!answer.ok()) {
    ++stats_.errors;
    std::cerr << "vitals-traffic: POST /api/v1/events failed: "
              << (answer.status == 0 ? std::string("no answer") : std::to_string(answer.status))
              << ": " << answer.body.substr(0, 2048) << '\n';
    return;
  }
  const auto reply = nlohmann::json::parse(answer.body, nullptr, false);
  if (!reply.is_object()) return;
  stats_.accepted += reply.value("accepted", std::int64_t{0});
  stats_.duplicates += reply.value("duplicates", std::int64_t{0});
}

void TrafficRun::report_progress() {
  const auto now = SteadyClock::now();
  if (now - last_progress_ < std::chrono::seconds(10)) return;
  last_progress_ = now;
  const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  std::cerr << "vitals-traffic: [" << phase_ << " " << elapsed << "s] " << stats_.events
            << " events in " << stats_.batches << " batches (" << stats_.accepted << " accepted, "
            << stats_.duplicates << " duplicates), " << stats_.errors << " errors";
  if (stats_.skipped > 0) std::cerr << ", " << stats_.skipped << " skipped";
  std::cerr << '\n';
}

// Evenly spaced slots over the window, each jittered within its slot: uniform like real traffic
// but without clumps, and strictly before the moment the backfill began, so never in the future.
void TrafficRun::backfill() {
  const auto per_tenant = options_.backfill_rate * options_.backfill_hours;
  const std::int64_t total = std::llround(per_tenant * static_cast<double>(tenants_.size()));
  if (total <= 0) return;
  const TimeMs end = wall_now_ms();
  const TimeMs span = std::llround(options_.backfill_hours * 3'600'000.0);
  std::cerr << "vitals-traffic: backfilling " << total << " events over the past "
            << options_.backfill_hours << " h\n";
  for (std::int64_t i = 0; i < total && keep_going(); ++i) {
    const auto offset = static_cast<TimeMs>((static_cast<double>(i) + rng_.uniform()) *
                                            static_cast<double>(span) / static_cast<double>(total));
    add_event(static_cast<std::size_t>(i) % tenants_.size(),
              std::min(end - span + offset, end - 1));
  }
  flush();
}

// Sends the events scheduled in [scheduled, due) in batches and returns the new position.
// Event k is stamped with its scheduled time; the clamp only matters if the wall clock steps
// backwards.
std::int64_t TrafficRun::send_due_events(std::int64_t scheduled, std::int64_t due,
                                         TimeMs live_start) {
  for (; scheduled < due && keep_going(); ++scheduled) {
    const TimeMs offset = std::llround(static_cast<double>(scheduled) * 1000.0 / options_.rate);
    add_event(static_cast<std::size_t>(scheduled) % tenants_.size(),
              std::min(live_start + offset, wall_now_ms()));
  }
  flush();
  return scheduled;
}

// After an outage the schedule would have a long tail of stale events to send in one burst;
// keeping only the newest batch lets live data resume at once.
std::int64_t TrafficRun::skip_backlog(std::int64_t scheduled, std::int64_t due) {
  const auto max_backlog = std::max<std::int64_t>(options_.batch, std::llround(options_.rate * 30));
  if (due - scheduled <= max_backlog) return scheduled;
  stats_.skipped += due - options_.batch - scheduled;
  return due - options_.batch;
}

// Ticks sit on a fixed grid from the start, so time spent sending or backing off shortens the
// next wait instead of adding to it.
void TrafficRun::sleep_until_next_tick(SteadyClock::time_point start,
                                       SteadyClock::duration period) const {
  const auto ticks_done = (SteadyClock::now() - start) / period;
  const auto next = start + (ticks_done + 1) * period;
  sleep_unless_stopped(deadline_ ? std::min(next, *deadline_) : next);
}

void TrafficRun::live() {
  if (!keep_going()) return;
  phase_ = "live";
  const auto start = SteadyClock::now();
  const TimeMs wall_start = wall_now_ms();
  if (options_.duration_s > 0) {
    deadline_ = start + std::chrono::duration_cast<SteadyClock::duration>(
                            std::chrono::duration<double>(options_.duration_s));
  }
  // Wake often enough that a batch fills up at most once per wake, and at least every second so
  // that live data stays fresh at low rates.
  const auto period = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(std::min(1.0, options_.batch / options_.rate)));
  std::int64_t scheduled = 0;
  while (keep_going()) {
    const auto now = SteadyClock::now();
    const bool finished = deadline_ && now >= *deadline_;
    const std::chrono::duration<double> elapsed = (finished ? *deadline_ : now) - start;
    const auto due = static_cast<std::int64_t>(std::floor(elapsed.count() * options_.rate));
    scheduled = send_due_events(skip_backlog(scheduled, due), due, wall_start);
    if (finished) break;
    sleep_until_next_tick(start, period);
  }
}

std::string TrafficRun::summary() const {
  return "sent " + std::to_string(stats_.events) + " events in " + std::to_string(stats_.batches) +
         " batches, " + std::to_string(stats_.errors) + " errors";
}

// libcurl wants one global initialisation before any handle exists and a matching cleanup.
struct CurlGlobal {
  CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  ~CurlGlobal() { curl_global_cleanup(); }
};

int run(const Options& options) {
  install_signal_handlers();
  const CurlGlobal curl;
  IngestClient client(options.url, options.token);
  if (curl.code != CURLE_OK || !client.valid()) {
    std::cerr << "vitals-traffic: could not initialise libcurl\n";
    return 1;
  }
  TrafficRun traffic(options, client);
  traffic.declare_entities();
  traffic.backfill();
  traffic.live();
  std::cout << traffic.summary() << std::endl;
  return traffic.delivered_nothing() ? 1 : 0;
}

}  // namespace
}  // namespace vitals::traffic

int main(int argc, char** argv) {
  using namespace vitals::traffic;
  const ParseResult parsed = parse_options(argc, argv);
  const std::string program = argc > 0 ? argv[0] : "vitals-traffic";
  switch (parsed.outcome) {
    case ParseOutcome::kHelp:
      std::cout << usage_text(program);
      return 0;
    case ParseOutcome::kError:
      std::cerr << "vitals-traffic: " << parsed.error << "\n\n" << usage_text(program);
      return 2;
    case ParseOutcome::kRun:
      break;
  }
  if (!parsed.warning.empty()) std::cerr << "vitals-traffic: " << parsed.warning << '\n';
  return run(parsed.options);
}
