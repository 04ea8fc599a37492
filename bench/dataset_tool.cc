// vitals-dataset: writes the data set of DESIGN.md's goals (bench/dataset.h) as text, so the
// same events can be loaded into vitals (NDJSON over HTTP) and into PostgreSQL and SQLite (CSV).
//
//   vitals-dataset --events N --end YYYY-MM-DD --format ndjson|csv [--keys K]
//
// Times are spread evenly over the 30 days before --end (midnight UTC). --keys (200 unless
// given) sets how many integration keys there are, and with them how many series: the memory
// goal names 100,000 series on /metrics, which about 56 keys make. The CSV has a header and
// the columns tenant,type,key,mode,status,time_ms,latency_ms,error_category; empty fields are
// NULLs.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/time_format.h"
#include "dataset.h"

namespace {

using vitals::Event;
using vitals::StoredEvent;

void append_csv(const Event& e, std::string& out) {
  out += e.tenant_id + ',' + e.type + ',' + e.key + ',' + e.mode + ',' +
         std::string(vitals::status_name(e.status)) + ',' + std::to_string(e.time) + ',';
  if (e.latency_ms) out += std::to_string(*e.latency_ms);
  out += ',' + e.error_category + '\n';
}

}  // namespace

int main(int argc, char** argv) {
  vitals::bench::DatasetShape shape;
  std::string end_date;
  std::string format = "ndjson";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--events") shape.events = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--end") end_date = argv[i + 1];
    if (flag == "--format") format = argv[i + 1];
    if (flag == "--keys") shape.keys = std::atoi(argv[i + 1]);
  }
  const auto end = vitals::parse_date(end_date);
  if (!end || (format != "ndjson" && format != "csv") || shape.events == 0 || shape.keys <= 0) {
    std::fprintf(stderr, "usage: %s --events N --end YYYY-MM-DD --format ndjson|csv [--keys K]\n",
                 argv[0]);
    return 2;
  }
  const bool csv = format == "csv";
  if (csv) std::fputs("tenant,type,key,mode,status,time_ms,latency_ms,error_category\n", stdout);
  std::string text;
  vitals::bench::generate_dataset(shape, *end, 10000, [&](std::vector<StoredEvent>& batch) {
    text.clear();
    for (const StoredEvent& s : batch)
      (csv ? append_csv : vitals::bench::append_ndjson)(s.event, text);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
  return std::ferror(stdout) ? 1 : 0;
}
