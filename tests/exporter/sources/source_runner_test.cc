#include "sources/source_runner.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <deque>
#include <functional>
#include <map>

namespace vitals::sources {
namespace {

// Plays one scripted poll per call: a report to give, then maybe a failure.
class ScriptedSource final : public Source {
 public:
  struct Step {
    PollReport report;
    bool fail = false;
  };
  void poll(PollReport& report) override {
    Step step = steps.front();
    steps.pop_front();
    report = step.report;
    if (step.fail) throw SourceError("scripted failure");
  }
  std::deque<Step> steps;
};

double value(prometheus::Registry& registry, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& l : metric.label) have[l.name] = l.value;
      if (have != labels) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
  }
  return -1;
}

PollReport delivered(size_t stored, size_t rejected, std::optional<TimeMs> newest) {
  PollReport r;
  r.fetches = 1;
  r.records.stored = stored;
  r.records.rejected = rejected;
  r.records.newest = newest;
  return r;
}

class SourceRunnerTest : public ::testing::Test {
 protected:
  SourceRunnerTest() : clock_(1'771'322'400'000), metrics_(registry_) {
    auto source = std::make_unique<ScriptedSource>();
    source_ = source.get();
    runner_ = std::make_unique<SourceRunner>(
        "crm", std::move(source),
        SourceRunner::Timing{30 * kMsPerSecond, {kMsPerSecond, 8 * kMsPerSecond}}, metrics_, clock_,
        [] { return 0.999; });
  }

  double metric(const std::string& name, std::map<std::string, std::string> labels = {}) {
    labels["source"] = "crm";
    return value(registry_, name, labels);
  }

  ManualClock clock_;
  prometheus::Registry registry_;
  SourceMetrics metrics_;
  ScriptedSource* source_;
  std::unique_ptr<SourceRunner> runner_;
};

TEST_F(SourceRunnerTest, DeclaresEverySeriesBeforeTheFirstPoll) {
  EXPECT_EQ(metric("vitals_source_up"), 0);
  EXPECT_EQ(metric("vitals_source_fetches_total"), 0);
  EXPECT_EQ(metric("vitals_source_failures_total"), 0);
  EXPECT_EQ(metric("vitals_source_records_total", {{"result", "rejected"}}), 0);
}

TEST_F(SourceRunnerTest, CountsAGoodPollAndRestsTheInterval) {
  source_->steps.push_back({delivered(3, 1, clock_.now_ms() - 90 * kMsPerSecond)});
  EXPECT_EQ(runner_->run_once(), 30 * kMsPerSecond);
  EXPECT_EQ(metric("vitals_source_up"), 1);
  EXPECT_EQ(metric("vitals_source_fetches_total"), 1);
  EXPECT_EQ(metric("vitals_source_records_total", {{"result", "stored"}}), 3);
  EXPECT_EQ(metric("vitals_source_records_total", {{"result", "rejected"}}), 1);
  EXPECT_EQ(metric("vitals_source_lag_seconds"), 90);
  EXPECT_EQ(metric("vitals_source_last_success_timestamp_seconds"), 1'771'322'400);
  // A quiet poll: the lag grows with the clock.
  clock_.advance(30 * kMsPerSecond);
  source_->steps.push_back({delivered(0, 0, std::nullopt)});
  runner_->run_once();
  EXPECT_EQ(metric("vitals_source_lag_seconds"), 120);
}

TEST_F(SourceRunnerTest, BacksOffAfterFailuresInARowAndRecovers) {
  for (int i = 0; i < 5; ++i) source_->steps.push_back({delivered(0, 0, std::nullopt), true});
  source_->steps.push_back({delivered(1, 0, std::nullopt)});
  std::vector<TimeMs> rests;
  for (int i = 0; i < 5; ++i) rests.push_back(runner_->run_once());
  // Jitter of 0.999 waits nearly the full delay: 1s, 2s, 4s, 8s, then the 8s cap.
  EXPECT_NEAR(rests[0], 1000, 1);
  EXPECT_NEAR(rests[1], 2000, 2);
  EXPECT_NEAR(rests[2], 4000, 4);
  EXPECT_NEAR(rests[3], 8000, 8);
  EXPECT_NEAR(rests[4], 8000, 8);
  EXPECT_EQ(metric("vitals_source_failures_total"), 5);
  EXPECT_EQ(metric("vitals_source_up"), 0);
  EXPECT_EQ(runner_->failures_in_a_row(), 5);
  EXPECT_EQ(runner_->run_once(), 30 * kMsPerSecond);
  EXPECT_EQ(runner_->failures_in_a_row(), 0);
  EXPECT_EQ(metric("vitals_source_up"), 1);
}

TEST_F(SourceRunnerTest, CountsWhatAFailedPollDeliveredBeforeFailing) {
  source_->steps.push_back({delivered(2, 0, std::nullopt), true});
  runner_->run_once();
  EXPECT_EQ(metric("vitals_source_records_total", {{"result", "stored"}}), 2);
  EXPECT_EQ(metric("vitals_source_failures_total"), 1);
}

}  // namespace
}  // namespace vitals::sources
