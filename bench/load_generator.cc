// vitals-load: drives vitals' ingest at full speed and reports what it sustained.
//
//   vitals-load --url http://127.0.0.1:9470 --token dev-ingest-token --tenants acme,globex
//               --connections 4 --batch 1000 --duration 10 [--days 30] [--seed 1]
//               [--file EVENTS.ndjson]
//
// Each connection is a thread with one keep-alive libcurl handle that POSTs NDJSON batches back
// to back until the duration is over (it always stops by itself). Events are spread over the
// tenants, 10 types, 200 keys per type, 4 modes and 8 error categories (one in ten fails), at
// times over the last --days days. With --file, the batches are the file's lines instead, each
// sent once, and the run ends when they are all sent (or at --duration). Prints one table:
// events/s, batches, errors, and batch latency percentiles.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_timing.h"

namespace {

using vitals::bench::ms_since;
using vitals::bench::percentile;
using vitals::bench::Stopwatch;

struct Options {
  std::string url = "http://127.0.0.1:9470";
  std::string token = "dev-ingest-token";
  std::vector<std::string> tenants = {"acme", "globex"};
  int connections = 4;
  int batch = 1000;
  double duration_s = 10;
  int days = 30;
  unsigned seed = 1;
  std::string file;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--url")
      o.url = value;
    else if (flag == "--token")
      o.token = value;
    else if (flag == "--tenants")
      o.tenants = split(value);
    else if (flag == "--connections")
      o.connections = std::atoi(value.c_str());
    else if (flag == "--batch")
      o.batch = std::atoi(value.c_str());
    else if (flag == "--duration")
      o.duration_s = std::atof(value.c_str());
    else if (flag == "--days")
      o.days = std::atoi(value.c_str());
    else if (flag == "--file")
      o.file = value;
    else if (flag == "--seed")
      o.seed = static_cast<unsigned>(std::atoi(value.c_str()));
    else
      return false;
  }
  return (argc % 2) == 1 && o.connections > 0 && o.batch > 0 && o.duration_s > 0 &&
         !o.tenants.empty() && o.days > 0;
}

// RFC 3339 with milliseconds, UTC.
std::string rfc3339(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return text;
}

class BatchMaker {
 public:
  BatchMaker(const Options& o, unsigned seed) : o_(o), random_(seed) {}

  std::string next() {
    static const char* kTypes[] = {"sync_run",      "loader_run", "webhook", "metadata_sync",
                                   "quality_check", "profiling",  "alert",   "reverse_etl",
                                   "cdc",           "export"};
    static const char* kModes[] = {"default", "realtime", "batch", "backfill"};
    static const char* kCategories[] = {"timeout", "auth",  "rate_limit", "schema",
                                        "network", "quota", "vendor",     "unknown"};
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::int64_t span = std::int64_t(o_.days) * 86'400'000 - 600'000;
    std::string body;
    body.reserve(size_t(o_.batch) * 220);
    for (int i = 0; i < o_.batch; ++i) {
      const auto& tenant = o_.tenants[random_() % o_.tenants.size()];
      const char* type = kTypes[random_() % 10];
      const bool failed = random_() % 10 == 0;
      body += R"({"tenant":")" + tenant + R"(","type":")" + type + R"(","key":"k)" +
              std::to_string(random_() % 200) + R"(","mode":")" + kModes[random_() % 4] +
              R"(","status":")" + (failed ? "vendor_error" : "success") + R"(","time":")" +
              rfc3339(now - std::int64_t(random_() % std::uint64_t(span))) + R"(","latency_ms":)" +
              std::to_string(20 + random_() % 5000);
      if (failed) {
        body += R"(,"error":{"category":")" + std::string(kCategories[random_() % 8]) + R"("}})";
      } else {
        body += R"(,"counts":{"rows":)" + std::to_string(random_() % 10000) + "}}";
      }
      body += "\n";
    }
    return body;
  }

 private:
  const Options& o_;
  std::mt19937_64 random_;
};

// The lines of an NDJSON file, handed out in batches to whichever connection asks next.
class FileBatches {
 public:
  FileBatches(const std::string& path, int batch) {
    std::ifstream in(path, std::ios::binary);
    text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    size_t start = 0;
    int lines = 0;
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n' && ++lines == batch) {
        batches_.emplace_back(start, i + 1);
        start = i + 1;
        lines = 0;
      }
    }
    if (start < text_.size()) batches_.emplace_back(start, text_.size());
  }

  bool empty() const { return batches_.empty(); }

  std::optional<std::string_view> next() {
    const size_t index = next_.fetch_add(1);
    if (index >= batches_.size()) return std::nullopt;
    const auto [from, to] = batches_[index];
    return std::string_view(text_).substr(from, to - from);
  }

 private:
  std::string text_;
  std::vector<std::pair<size_t, size_t>> batches_;
  std::atomic<size_t> next_{0};
};

struct Totals {
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::uint64_t events = 0;
  std::uint64_t batches = 0;
  std::uint64_t errors = 0;
  std::string first_error;
};

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

void connection(const Options& o, int index, Stopwatch::time_point deadline, FileBatches* file,
                Totals& totals) {
  BatchMaker maker(o, o.seed * 7919u + unsigned(index));
  std::string made;
  auto next_body = [&]() -> std::optional<std::string_view> {
    if (file != nullptr) return file->next();
    made = maker.next();
    return std::string_view(made);
  };
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Bearer " + o.token).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/x-ndjson");
  headers = curl_slist_append(headers, "Expect:");
  const std::string url = o.url + "/api/v1/events";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  std::vector<double> latencies;
  std::uint64_t events = 0, batches = 0, errors = 0;
  std::string first_error;
  while (Stopwatch::now() < deadline) {
    const auto next = next_body();
    if (!next) break;
    const std::string_view body = *next;
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    const auto start = Stopwatch::now();
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    latencies.push_back(ms_since(start));
    ++batches;
    if (code == CURLE_OK && status == 200) {
      events += std::uint64_t(std::count(body.begin(), body.end(), '\n'));
    } else {
      ++errors;
      if (first_error.empty()) {
        first_error =
            code != CURLE_OK ? curl_easy_strerror(code) : "HTTP " + std::to_string(status);
      }
    }
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  std::lock_guard lock(totals.mutex);
  totals.latencies_ms.insert(totals.latencies_ms.end(), latencies.begin(), latencies.end());
  totals.events += events;
  totals.batches += batches;
  totals.errors += errors;
  if (totals.first_error.empty()) totals.first_error = first_error;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--url U] [--token T] [--tenants a,b] [--connections N] [--batch N] "
                 "[--duration SECONDS] [--days N] [--seed N] [--file EVENTS.ndjson]\n",
                 argv[0]);
    return 2;
  }
  std::optional<FileBatches> file;
  if (!o.file.empty()) {
    file.emplace(o.file, o.batch);
    if (file->empty()) {
      std::fprintf(stderr, "no events in %s\n", o.file.c_str());
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Totals totals;
  const auto start = Stopwatch::now();
  const auto deadline =
      start + std::chrono::milliseconds(static_cast<long long>(o.duration_s * 1000));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i) {
    threads.emplace_back(connection, std::cref(o), i, deadline, file ? &*file : nullptr,
                         std::ref(totals));
  }
  for (auto& t : threads) t.join();
  const double seconds = ms_since(start) / 1000.0;
  std::printf(
      "| connections | batch | seconds | events stored | events/s | batches | errors | batch p50 "
      "ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %d | %d | %.1f | %llu | %.0f | %llu | %llu | %.1f | %.1f | %.1f | %.1f |\n",
              o.connections, o.batch, seconds, (unsigned long long)totals.events,
              double(totals.events) / seconds, (unsigned long long)totals.batches,
              (unsigned long long)totals.errors, percentile(totals.latencies_ms, 50),
              percentile(totals.latencies_ms, 95), percentile(totals.latencies_ms, 99),
              percentile(totals.latencies_ms, 100));
  if (!totals.first_error.empty())
    std::fprintf(stderr, "first error: %s\n", totals.first_error.c_str());
  curl_global_cleanup();
  return totals.errors == 0 ? 0 : 1;
}
