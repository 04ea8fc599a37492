// One million distinct integration keys sent in (issue 10, bounded resources): the tenant's
// rollups take limits.max_series_per_tenant of them and refuse the rest whole-batch with a 400
// that names the limit, so resident memory stays under the bound that limit sets
// (docs/reliability-limits.md); /metrics holds no more than limits.max_series_per_family of
// the accepted ones plus the overflow series, every refusal is counted exactly, a full tenant
// still takes events for the series it holds, another tenant is untouched, and a scrape stays
// fast.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "vitals_process.h"

namespace vitals::testing {
namespace {

#ifdef VITALS_SANITIZED
// ASan/UBSan ingest several times slower; the bounds below are for the regular build.
constexpr int kKeys = 200'000;
constexpr double kScrapeBoundSeconds = 10;  // measured 2.5 s under clang ASan
#else
constexpr int kKeys = 1'000'000;
constexpr double kScrapeBoundSeconds = 2;
#endif
constexpr int kBatch = 10'000;
constexpr int kSeriesPerTenant = kKeys / 4;             // limits.max_series_per_tenant
constexpr int kSeriesPerFamily = kSeriesPerTenant / 2;  // limits.max_series_per_family
// What docs/reliability-limits.md gives as the resident cost of one rollup series holding a few
// buckets, in bytes (measured about 2,900), and what vitals holds before any event, in MiB.
constexpr double kBytesPerSeries = 4096;
constexpr double kBaseMiB = 64;

std::string batch_of_keys(int first, int count) {
  std::string body;
  body.reserve(size_t(count) * 80);
  for (int k = first; k < first + count; ++k) {
    body += R"({"tenant":"acme","type":"sync_run","key":"k-)";
    body += std::to_string(k);
    body += R"(","status":"success"})";
    body += '\n';
  }
  return body;
}

double mib(double bytes) {
  return bytes / (1024.0 * 1024.0);
}

std::string limits_toml() {
  return "[limits]\nmax_series_per_tenant = " + std::to_string(kSeriesPerTenant) +
         "\nmax_series_per_family = " + std::to_string(kSeriesPerFamily) + "\n";
}

TEST(MillionKeys, TheSeriesLimitBoundsMemoryAndTheRestIsRefusedAndCounted) {
  VitalsProcess vitals("", limits_toml());
  vitals.start();
  const auto started = std::chrono::steady_clock::now();
  int refused_batches = 0;
  for (int first = 0; first < kKeys; first += kBatch) {
    const auto r = vitals.ingest(batch_of_keys(first, kBatch));
    if (first < kSeriesPerTenant) {
      ASSERT_EQ(r.status, 200) << r.body;
      continue;
    }
    ASSERT_EQ(r.status, 400) << "keys " << first << "...: " << r.body;
    ++refused_batches;
    if (first == kSeriesPerTenant) {  // the first refusal, read closely
      const auto body = r.json();
      EXPECT_EQ(body["error"], "invalid_events");
      EXPECT_EQ(body["errors"].size(), 100u) << "at most 100 listed";
      EXPECT_EQ(body["errors"][0]["line"], 1);
      EXPECT_EQ(body["errors"][0]["field"], "key");
      EXPECT_NE(body["errors"][0]["message"].get<std::string>().find(
                    "limits.max_series_per_tenant (" + std::to_string(kSeriesPerTenant)),
                std::string::npos)
          << r.body;
    }
  }
  const double ingest_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(refused_batches, (kKeys - kSeriesPerTenant) / kBatch);

  // A full tenant still takes events for the series it holds, and another tenant its own.
  EXPECT_EQ(vitals.ingest(batch_of_keys(0, 1)).status, 200);
  EXPECT_EQ(vitals
                .ingest(R"({"tenant":"globex","type":"sync_run","key":"new","status":"success"})"
                        "\n")
                .status,
            200);

  HttpClient client;
  client.set_timeout(std::chrono::seconds(30));
  const auto scrape_started = std::chrono::steady_clock::now();
  const HttpResponse scrape = client.get(vitals.url("/metrics"));
  const double scrape_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - scrape_started).count();
  ASSERT_EQ(scrape.status, 200);
  const double rss_after = sample(scrape.body, "process_resident_memory_bytes");
  const double bound_mib = kBaseMiB + mib(kSeriesPerTenant * kBytesPerSeries);

  std::printf(
      "%d keys sent, %d taken: ingest %.1f s; RSS %.0f MiB (bound %.0f MiB, %.0f bytes per "
      "series taken); /metrics %.0f ms, %.1f MiB\n",
      kKeys, kSeriesPerTenant, ingest_seconds, mib(rss_after), bound_mib,
      rss_after / kSeriesPerTenant, scrape_seconds * 1000, mib(double(scrape.body.size())));
  RecordProperty("rss_after_mib", std::to_string(mib(rss_after)));
  RecordProperty("scrape_ms", std::to_string(scrape_seconds * 1000));

  EXPECT_EQ(sample(scrape.body, "vitals_ingest_events_past_series_limit_total"),
            kKeys - kSeriesPerTenant);
  // The family holds its limit's worth of the taken keys plus an overflow series for each
  // tenant and type past it (acme's, and globex's one new key), and says so.
  EXPECT_EQ(count_samples(scrape.body, "vitals_integration_events_total{"),
            size_t(kSeriesPerFamily) + 2);
  EXPECT_EQ(
      sample(scrape.body, R"(vitals_integration_events_total{integration_key="__overflow__",)"
                          R"(integration_type="sync_run",mode="__overflow__",status="success",)"
                          R"(tenant="acme"})"),
      kSeriesPerTenant - kSeriesPerFamily);
  EXPECT_EQ(
      sample(scrape.body,
             R"(vitals_metrics_series_dropped_total{family="vitals_integration_events_total"})"),
      kSeriesPerTenant - kSeriesPerFamily + 1);
  EXPECT_LT(scrape_seconds, kScrapeBoundSeconds);
#ifndef VITALS_SANITIZED
  // ASan's shadow memory and quarantine make resident memory meaningless there.
  EXPECT_LT(mib(rss_after), bound_mib);
#endif
  const auto health = vitals.get("/spaces/acme/integration-health", "dev-viewer-token");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["total_events"], kSeriesPerTenant + 1);
}

}  // namespace
}  // namespace vitals::testing
