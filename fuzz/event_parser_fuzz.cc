// Fuzzes the ingest parser (SPEC §3.1) as POST /api/v1/events drives it: the first byte picks the
// body's format and whether it is gzip-compressed, the rest is the body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/gzip.h"
#include "fuzz_check.h"
#include "ingest/event_parser.h"

namespace {

constexpr vitals::TimeMs kNow = 1771322400000;  // 2026-02-17T10:00:00Z
constexpr size_t kMaxInflated = 1 << 20;

vitals::EventParserOptions options() {
  vitals::EventParserOptions o;
  o.now = kNow;
  o.retention = 35 * vitals::kMsPerDay;
  o.resolve_tenant = [](std::string_view t) -> std::string {
    if (t == "acme" || t == "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df") return "id-acme";
    return "";
  };
  return o;
}

void check(const vitals::ParsedBatch& batch, const vitals::EventParserOptions& o) {
  FUZZ_CHECK(batch.errors.size() <= o.max_errors);
  FUZZ_CHECK(batch.error_count >= batch.errors.size());
  FUZZ_CHECK(batch.events.size() <= batch.lines);
  // NDJSON errors name physical lines (blank ones included), so only the lower bound is general.
  for (const auto& error : batch.errors) FUZZ_CHECK(error.line >= 1);
  if (batch.error_count > 0) return;
  for (const auto& event : batch.events) {
    FUZZ_CHECK(event.tenant_id == "id-acme");
    FUZZ_CHECK(vitals::is_valid_type_name(event.type));
    FUZZ_CHECK(vitals::is_valid_integration_key(event.key));
    FUZZ_CHECK(event.time <= o.now + o.max_future && event.time >= o.now - o.retention);
    FUZZ_CHECK(event.error_message.size() <= 2048);
    FUZZ_CHECK(!event.latency_ms || (*event.latency_ms >= 0 && *event.latency_ms <= 1e9));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto format = (data[0] & 1) ? vitals::BodyFormat::kJson : vitals::BodyFormat::kNdjson;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string inflated;
  if (data[0] & 2) {
    if (vitals::gunzip(body, kMaxInflated, inflated) != vitals::InflateResult::kOk) return 0;
    body = inflated;
  }
  const auto o = options();
  check(vitals::parse_event_batch(body, format, o), o);
  return 0;
}
