#include "ingest/event_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace vitals {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// 2026-02-17T10:00:00Z.
constexpr TimeMs kParseNow = 1771322400000;
constexpr TimeMs kRetention = 35 * kMsPerDay;

EventParserOptions options() {
  EventParserOptions o;
  o.now = kParseNow;
  o.retention = kRetention;
  o.resolve_tenant = [](std::string_view t) -> std::string {
    if (t == "acme") return "id-acme";
    if (t == "globex") return "id-globex";
    return "";
  };
  return o;
}

ParsedBatch ndjson(std::string_view body) {
  return parse_event_batch(body, BodyFormat::kNdjson, options());
}

ParsedBatch json(std::string_view body) {
  return parse_event_batch(body, BodyFormat::kJson, options());
}

// A valid event with `extra` appended inside the object (start `extra` with a comma).
std::string event(std::string_view extra = "") {
  return R"({"tenant":"acme","type":"webhook","status":"success")" + std::string(extra) + "}";
}

// A failed event (status exception) with `extra` appended.
std::string failed_event(std::string_view extra = "") {
  return R"({"tenant":"acme","type":"webhook","status":"exception")" + std::string(extra) + "}";
}

// Parses one NDJSON line holding `text`.
ParsedBatch one(std::string_view text) {
  return ndjson(text);
}

std::string describe(const ParsedBatch& b) {
  std::string out;
  for (const auto& e : b.errors) {
    out += std::to_string(e.line) + " [" + e.field + "] " + e.message + "\n";
  }
  return out;
}

// Expects exactly one event in the batch, accepted, and returns a copy of it.
Event accepted(const ParsedBatch& b) {
  EXPECT_THAT(b.errors, IsEmpty()) << describe(b);
  EXPECT_EQ(b.error_count, 0u);
  EXPECT_EQ(b.events.size(), 1u);
  return b.events.empty() ? Event{} : b.events.front();
}

// Every line with an error is left out of `events`, and every other line is in it.
void expect_only_good_lines_kept(const ParsedBatch& b) {
  if (b.errors.size() != b.error_count) return;  // not every error is listed
  std::set<size_t> bad_lines;
  for (const auto& e : b.errors) bad_lines.insert(e.line);
  EXPECT_EQ(b.events.size() + bad_lines.size(), b.lines) << describe(b);
}

// Expects an error naming `field` on `line`, and that line's event left out.
void expect_error(const ParsedBatch& b, std::string_view field, size_t line = 1) {
  bool found = false;
  for (const auto& e : b.errors) {
    if (e.field == field && e.line == line) found = true;
  }
  EXPECT_TRUE(found) << "expected an error on line " << line << " for field '" << field
                     << "', got:\n"
                     << describe(b);
  EXPECT_GE(b.error_count, b.errors.size());
  expect_only_good_lines_kept(b);
}

// Expects some error on `line`, whatever the field, and that line's event left out.
void expect_line_error(const ParsedBatch& b, size_t line = 1) {
  bool found = false;
  for (const auto& e : b.errors) {
    if (e.line == line && !e.message.empty()) found = true;
  }
  EXPECT_TRUE(found) << "expected an error on line " << line << ", got:\n" << describe(b);
  expect_only_good_lines_kept(b);
}

// --- A complete event -------------------------------------------------------------------------

TEST(EventParser, ParsesTheDocumentedExample) {
  const auto b = one(R"({"tenant":"acme","type":"webhook","key":"salesforce","mode":"realtime",)"
                     R"("status":"vendor_error","time":"2026-02-17T09:58:00Z","latency_ms":183.5,)"
                     R"("error":{"category":"timeout","message":"upstream timed out after 30s"},)"
                     R"("counts":{"evaluations":1200,"custom_events":31},"id":"evt_01J"})");
  const Event e = accepted(b);
  EXPECT_EQ(e.tenant_id, "id-acme");
  EXPECT_EQ(e.type, "webhook");
  EXPECT_EQ(e.key, "salesforce");
  EXPECT_EQ(e.mode, "realtime");
  EXPECT_EQ(e.status, EventStatus::kVendorError);
  EXPECT_EQ(e.time, kParseNow - 2 * kMsPerMinute);
  ASSERT_TRUE(e.latency_ms.has_value());
  EXPECT_DOUBLE_EQ(*e.latency_ms, 183.5);
  EXPECT_EQ(e.error_category, "timeout");
  EXPECT_EQ(e.error_message, "upstream timed out after 30s");
  EXPECT_THAT(e.counts, ElementsAre(Pair("evaluations", 1200), Pair("custom_events", 31)));
  EXPECT_EQ(e.id, "evt_01J");
  EXPECT_EQ(b.lines, 1u);
}

TEST(EventParser, MinimalEventGetsDefaults) {
  const Event e = accepted(one(event()));
  EXPECT_EQ(e.key, "webhook") << "key defaults to the type";
  EXPECT_EQ(e.mode, "default");
  EXPECT_EQ(e.time, kParseNow) << "time defaults to the time of receipt";
  EXPECT_FALSE(e.latency_ms.has_value());
  EXPECT_EQ(e.error_category, "");
  EXPECT_EQ(e.error_message, "");
  EXPECT_TRUE(e.counts.empty());
  EXPECT_EQ(e.id, "");
}

TEST(EventParser, TenantIsResolvedBySlugOrAnythingTheResolverAccepts) {
  EXPECT_EQ(accepted(one(R"({"tenant":"globex","type":"t","status":"success"})")).tenant_id,
            "id-globex");
}

// --- Required fields
// ------------------------------------------------------------------------------

TEST(EventParser, TenantIsRequired) {
  expect_error(one(R"({"type":"webhook","status":"success"})"), "tenant");
}

TEST(EventParser, NullTenantCountsAsMissing) {
  expect_error(one(R"({"tenant":null,"type":"webhook","status":"success"})"), "tenant");
}

// A required field of the wrong type is one error that says so, not also "is required".
void expect_only_error(const ParsedBatch& b, std::string_view field, std::string_view message) {
  expect_error(b, field);
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_EQ(b.errors[0].message, message);
}

TEST(EventParser, TenantMustBeAString) {
  expect_only_error(one(R"({"tenant":5,"type":"webhook","status":"success"})"), "tenant",
                    "must be a string");
}

TEST(EventParser, UnknownTenantIsAnError) {
  const auto b = one(R"({"tenant":"initech","type":"webhook","status":"success"})");
  expect_error(b, "tenant");
}

TEST(EventParser, TypeIsRequired) {
  expect_only_error(one(R"({"tenant":"acme","status":"success"})"), "type", "is required");
}

TEST(EventParser, StatusIsRequired) {
  expect_only_error(one(R"({"tenant":"acme","type":"webhook"})"), "status", "is required");
}

TEST(EventParser, EveryMissingFieldIsReported) {
  const auto b = one(R"({"other":1})");
  expect_error(b, "tenant");
  expect_error(b, "type");
  expect_error(b, "status");
  EXPECT_EQ(b.error_count, 3u);
  EXPECT_EQ(b.lines, 1u);
}

// --- type, key, mode --------------------------------------------------------------------------

TEST(EventParser, TypeAcceptsItsCharacterClass) {
  const Event e = accepted(one(R"({"tenant":"acme","type":"a-b.c_9","status":"success"})"));
  EXPECT_EQ(e.type, "a-b.c_9");
  EXPECT_EQ(e.key, "a-b.c_9");
}

TEST(EventParser, TypeRejectsOtherCharacters) {
  for (const char* bad : {"Webhook", "web hook", "web/hook", "web:hook", "wébhook", ""}) {
    SCOPED_TRACE(bad);
    expect_error(
        one(R"({"tenant":"acme","type":")" + std::string(bad) + R"(","status":"success"})"),
        "type");
  }
}

TEST(EventParser, TypeIsAtMost64Characters) {
  const std::string ok(64, 't');
  EXPECT_EQ(accepted(one(R"({"tenant":"acme","type":")" + ok + R"(","status":"success"})")).type,
            ok);
  expect_error(
      one(R"({"tenant":"acme","type":")" + std::string(65, 't') + R"(","status":"success"})"),
      "type");
}

TEST(EventParser, TypeMustBeAString) {
  expect_only_error(one(R"({"tenant":"acme","type":7,"status":"success"})"), "type",
                    "must be a string");
}

TEST(EventParser, KeyAcceptsItsCharacterClass) {
  const Event e = accepted(one(event(R"(,"key":"Sales-Force_1.eu:west/2")")));
  EXPECT_EQ(e.key, "Sales-Force_1.eu:west/2");
}

TEST(EventParser, KeyRejectsOtherCharacters) {
  for (const char* bad : {"sales force", "sales@force", "a+b", "ключ", ""}) {
    SCOPED_TRACE(bad);
    expect_error(one(event(R"(,"key":")" + std::string(bad) + R"(")")), "key");
  }
}

TEST(EventParser, KeyIsAtMost128Characters) {
  const std::string ok(128, 'K');
  EXPECT_EQ(accepted(one(event(R"(,"key":")" + ok + R"(")"))).key, ok);
  expect_error(one(event(R"(,"key":")" + std::string(129, 'K') + R"(")")), "key");
}

TEST(EventParser, ModeAcceptsItsCharacterClass) {
  EXPECT_EQ(accepted(one(event(R"(,"mode":"real-time.v2_x")"))).mode, "real-time.v2_x");
}

TEST(EventParser, ModeRejectsUpperCaseAndOtherCharacters) {
  for (const char* bad : {"Realtime", "real time", "a/b", "a:b", ""}) {
    SCOPED_TRACE(bad);
    expect_error(one(event(R"(,"mode":")" + std::string(bad) + R"(")")), "mode");
  }
}

TEST(EventParser, ModeIsAtMost64Characters) {
  const std::string ok(64, 'm');
  EXPECT_EQ(accepted(one(event(R"(,"mode":")" + ok + R"(")"))).mode, ok);
  expect_error(one(event(R"(,"mode":")" + std::string(65, 'm') + R"(")")), "mode");
}

// --- status -----------------------------------------------------------------------------------

TEST(EventParser, StatusValuesAndCaseInsensitivity) {
  struct Case {
    const char* text;
    EventStatus status;
  };
  for (const Case& c :
       {Case{"success", EventStatus::kSuccess}, Case{"SUCCESS", EventStatus::kSuccess},
        Case{"vendor_error", EventStatus::kVendorError},
        Case{"Vendor_Error", EventStatus::kVendorError}, Case{"exception", EventStatus::kException},
        Case{"eXcEpTiOn", EventStatus::kException}, Case{"error", EventStatus::kException},
        Case{"ERROR", EventStatus::kException}}) {
    SCOPED_TRACE(c.text);
    const auto b =
        one(R"({"tenant":"acme","type":"webhook","status":")" + std::string(c.text) + R"("})");
    EXPECT_EQ(accepted(b).status, c.status);
  }
}

TEST(EventParser, UnknownStatusIsAnError) {
  for (const char* bad : {"ok", "failure", "", "success ", "vendor-error"}) {
    SCOPED_TRACE(bad);
    expect_error(
        one(R"({"tenant":"acme","type":"webhook","status":")" + std::string(bad) + R"("})"),
        "status");
  }
}

TEST(EventParser, StatusMustBeAString) {
  expect_only_error(one(R"({"tenant":"acme","type":"webhook","status":1})"), "status",
                    "must be a string");
}

// --- time -------------------------------------------------------------------------------------

TEST(EventParser, TimeWithZuluZone) {
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-02-17T09:00:00Z")"))).time, kParseNow - kMsPerHour);
}

TEST(EventParser, TimeWithOffsets) {
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-02-17T11:00:00+01:00")"))).time, kParseNow);
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-02-17T01:30:00-08:30")"))).time, kParseNow);
}

TEST(EventParser, TimeWithFractionalSeconds) {
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-02-17T09:59:59.250Z")"))).time, kParseNow - 750);
}

TEST(EventParser, TimeWithoutZoneIsRejected) {
  expect_error(one(event(R"(,"time":"2026-02-17T10:00:00")")), "time");
}

TEST(EventParser, TimeThatIsNotRfc3339IsRejected) {
  for (const char* bad : {"yesterday", "2026-02-17", "1771322400", "2026-02-30T10:00:00Z"}) {
    SCOPED_TRACE(bad);
    expect_error(one(event(R"(,"time":")" + std::string(bad) + R"(")")), "time");
  }
}

TEST(EventParser, TimeAsANumberIsRejected) {
  expect_error(one(event(R"(,"time":1771322400000)")), "time");
}

TEST(EventParser, TimeExactlyFiveMinutesAheadIsAccepted) {
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-02-17T10:05:00Z")"))).time,
            kParseNow + 5 * kMsPerMinute);
}

TEST(EventParser, TimeMoreThanFiveMinutesAheadIsRejected) {
  expect_error(one(event(R"(,"time":"2026-02-17T10:05:00.001Z")")), "time");
  expect_error(one(event(R"(,"time":"2026-02-18T10:00:00Z")")), "time");
}

TEST(EventParser, TimeAtTheRetentionEdgeIsAccepted) {
  // 35 days before 2026-02-17T10:00:00Z.
  EXPECT_EQ(accepted(one(event(R"(,"time":"2026-01-13T10:00:00Z")"))).time, kParseNow - kRetention);
}

TEST(EventParser, TimeOlderThanTheRetentionIsRejected) {
  expect_error(one(event(R"(,"time":"2026-01-13T09:59:59.999Z")")), "time");
  expect_error(one(event(R"(,"time":"2020-01-01T00:00:00Z")")), "time");
}

// --- latency_ms -------------------------------------------------------------------------------

TEST(EventParser, LatencyZeroIsAccepted) {
  const Event e = accepted(one(event(R"(,"latency_ms":0)")));
  ASSERT_TRUE(e.latency_ms.has_value());
  EXPECT_EQ(*e.latency_ms, 0.0);
}

TEST(EventParser, LatencyIntegerAndFraction) {
  EXPECT_DOUBLE_EQ(*accepted(one(event(R"(,"latency_ms":1500)"))).latency_ms, 1500.0);
  EXPECT_DOUBLE_EQ(*accepted(one(event(R"(,"latency_ms":0.25)"))).latency_ms, 0.25);
}

TEST(EventParser, NegativeLatencyIsRejected) {
  expect_error(one(event(R"(,"latency_ms":-1)")), "latency_ms");
  expect_error(one(event(R"(,"latency_ms":-0.5)")), "latency_ms");
}

TEST(EventParser, LatencyAsAStringIsRejected) {
  expect_error(one(event(R"(,"latency_ms":"183.5")")), "latency_ms");
  expect_error(one(event(R"(,"latency_ms":"NaN")")), "latency_ms");
}

TEST(EventParser, LatencyOfOtherTypesIsRejected) {
  expect_error(one(event(R"(,"latency_ms":true)")), "latency_ms");
  expect_error(one(event(R"(,"latency_ms":[1])")), "latency_ms");
}

TEST(EventParser, LiteralNaNIsInvalidJson) {
  expect_line_error(one(event(R"(,"latency_ms":NaN)")));
  expect_line_error(one(event(R"(,"latency_ms":Infinity)")));
}

TEST(EventParser, LatencyThatOverflowsADoubleIsALineError) {
  const auto b = ndjson(event() + "\n" + event(R"(,"latency_ms":1e400)"));
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_EQ(b.errors[0].line, 2u);
  EXPECT_EQ(b.error_count, 1u);
  EXPECT_EQ(b.events.size(), 1u) << "only the first line is good";
}

// --- error ------------------------------------------------------------------------------------

TEST(EventParser, ErrorCategoryDefaultsToUnknownOnFailures) {
  EXPECT_EQ(accepted(one(failed_event())).error_category, "unknown");
  EXPECT_EQ(accepted(one(failed_event(R"(,"error":{"message":"boom"})"))).error_category,
            "unknown");
  const Event vendor =
      accepted(one(R"({"tenant":"acme","type":"webhook","status":"vendor_error"})"));
  EXPECT_EQ(vendor.error_category, "unknown");
}

TEST(EventParser, ErrorCategoryAndMessageAreKeptOnFailures) {
  const Event e =
      accepted(one(failed_event(R"(,"error":{"category":"auth","message":"401 from vendor"})")));
  EXPECT_EQ(e.error_category, "auth");
  EXPECT_EQ(e.error_message, "401 from vendor");
}

TEST(EventParser, ErrorCategoryIsEmptyOnSuccess) {
  const Event e = accepted(one(event(R"(,"error":{"category":"timeout","message":"x"})")));
  EXPECT_EQ(e.error_category, "");
  EXPECT_EQ(e.error_message, "");
}

TEST(EventParser, ErrorMessageUpTo2048BytesIsAccepted) {
  const std::string message(2048, 'm');
  EXPECT_EQ(
      accepted(one(failed_event(R"(,"error":{"message":")" + message + R"("})"))).error_message,
      message);
}

TEST(EventParser, ErrorMessageOver2048BytesIsRejected) {
  const std::string message(2049, 'm');
  expect_error(one(failed_event(R"(,"error":{"message":")" + message + R"("})")), "error.message");
}

TEST(EventParser, ErrorMessageLimitCountsBytesNotCharacters) {
  // 1025 two-byte characters: 2050 bytes.
  std::string message;
  for (int i = 0; i < 1025; ++i) message += "\xc3\xa9";
  expect_error(one(failed_event(R"(,"error":{"message":")" + message + R"("})")), "error.message");
}

TEST(EventParser, ErrorThatIsNotAnObjectIsRejected) {
  expect_error(one(failed_event(R"(,"error":"timeout")")), "error");
}

// --- counts -----------------------------------------------------------------------------------

TEST(EventParser, CountsFromZeroTo2Pow53AreAccepted) {
  const Event e = accepted(one(event(R"(,"counts":{"a":0,"b":9007199254740992})")));
  EXPECT_THAT(e.counts, ElementsAre(Pair("a", 0), Pair("b", int64_t{1} << 53)));
}

TEST(EventParser, CountsAbove2Pow53AreRejectedSoSumsStayExact) {
  const auto b = one(event(R"(,"counts":{"b":9007199254740993})"));
  EXPECT_TRUE(b.events.empty());
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_EQ(b.errors[0].field, "counts.b");
}

TEST(EventParser, LatencyAboveABillionMillisecondsIsRejected) {
  EXPECT_EQ(accepted(one(event(R"(,"latency_ms":1e9)"))).latency_ms, 1e9);
  const auto b = one(event(R"(,"latency_ms":1.0000001e9)"));
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_EQ(b.errors[0].field, "latency_ms");
}

TEST(EventParser, NegativeCountIsRejected) {
  const auto b = one(event(R"(,"counts":{"rows":-1})"));
  EXPECT_TRUE(b.events.empty());
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_THAT(b.errors[0].field, ::testing::StartsWith("counts"));
}

TEST(EventParser, NonIntegerCountIsRejected) {
  const auto b = one(event(R"(,"counts":{"rows":1.5})"));
  EXPECT_TRUE(b.events.empty());
  ASSERT_EQ(b.errors.size(), 1u) << describe(b);
  EXPECT_THAT(b.errors[0].field, ::testing::StartsWith("counts"));
}

TEST(EventParser, CountAsAStringIsRejected) {
  const auto b = one(event(R"(,"counts":{"rows":"3"})"));
  EXPECT_TRUE(b.events.empty());
  EXPECT_EQ(b.error_count, 1u);
}

TEST(EventParser, CountAboveInt64MaxIsRejected) {
  for (const char* big : {"9223372036854775808", "18446744073709551615"}) {
    SCOPED_TRACE(big);
    const auto b = one(event(R"(,"counts":{"rows":)" + std::string(big) + "}"));
    EXPECT_TRUE(b.events.empty());
    ASSERT_EQ(b.errors.size(), 1u) << describe(b);
    EXPECT_THAT(b.errors[0].field, ::testing::StartsWith("counts"));
  }
}

TEST(EventParser, CountAboveUint64MaxIsALineError) {
  expect_line_error(one(event(R"(,"counts":{"rows":99999999999999999999999})")));
}

std::string counts_with(int kinds) {
  std::string counts = R"(,"counts":{)";
  for (int i = 0; i < kinds; ++i) {
    if (i > 0) counts += ",";
    counts += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return counts + "}";
}

TEST(EventParser, ThirtyTwoCountKindsAreAccepted) {
  const Event e = accepted(one(event(counts_with(32))));
  ASSERT_EQ(e.counts.size(), 32u);
  EXPECT_EQ(e.counts[31], std::make_pair(std::string("k31"), int64_t{31}));
}

TEST(EventParser, ThirtyThreeCountKindsAreRejected) {
  expect_error(one(event(counts_with(33))), "counts");
}

TEST(EventParser, CountsThatAreNotAnObjectAreRejected) {
  expect_error(one(event(R"(,"counts":[1,2])")), "counts");
}

// --- id ---------------------------------------------------------------------------------------

TEST(EventParser, IdOf128BytesIsAccepted) {
  const std::string id(128, 'i');
  EXPECT_EQ(accepted(one(event(R"(,"id":")" + id + R"(")"))).id, id);
}

TEST(EventParser, IdOver128BytesIsRejected) {
  expect_error(one(event(R"(,"id":")" + std::string(129, 'i') + R"(")")), "id");
}

TEST(EventParser, IdMustBeAString) {
  expect_error(one(event(R"(,"id":12345)")), "id");
}

// --- Unknown fields, encoding, shape ------------------------------------------------------------

TEST(EventParser, UnknownFieldsAreIgnored) {
  const Event e =
      accepted(one(event(R"(,"extra":{"nested":[1,2,3]},"source":"sdk","latency":"x")")));
  EXPECT_EQ(e.type, "webhook");
}

TEST(EventParser, InvalidUtf8InAStringIsALineError) {
  const auto b = ndjson(event() + "\n" + event(",\"id\":\"abc\xff\"") + "\n" + event());
  expect_line_error(b, 2);
  EXPECT_EQ(b.error_count, 1u);
}

TEST(EventParser, InvalidUtf8InAnUnknownFieldIsStillALineError) {
  expect_line_error(one(event(",\"note\":\"\xc3\x28\"")));
}

TEST(EventParser, EscapedUnicodeIsDecoded) {
  const Event e = accepted(one(failed_event(R"(,"error":{"message":"caf\u00e9"})")));
  EXPECT_EQ(e.error_message, "caf\xc3\xa9");
}

TEST(EventParser, AnEventThatIsNotAnObjectIsAnError) {
  for (const char* bad : {"[1,2]", "\"webhook\"", "42", "null", "true"}) {
    SCOPED_TRACE(bad);
    const auto b = one(bad);
    expect_line_error(b, 1);
    EXPECT_EQ(b.error_count, 1u);
  }
}

TEST(EventParser, InvalidJsonLineIsAnError) {
  expect_line_error(one(R"({"tenant":"acme",)"));
  expect_line_error(one("not json"));
}

TEST(EventParser, TwoEventsOnOneNdjsonLineIsAnError) {
  expect_line_error(one(event() + " " + event()));
  expect_line_error(one(event() + " x"));
}

// --- NDJSON framing ---------------------------------------------------------------------------

TEST(EventParser, NdjsonParsesEveryLine) {
  const auto b =
      ndjson(event() + "\n" + R"({"tenant":"globex","type":"t","status":"error"})" + "\n");
  ASSERT_THAT(b.errors, IsEmpty()) << describe(b);
  ASSERT_EQ(b.events.size(), 2u);
  EXPECT_EQ(b.events[0].tenant_id, "id-acme");
  EXPECT_EQ(b.events[1].tenant_id, "id-globex");
  EXPECT_EQ(b.events[1].status, EventStatus::kException);
  EXPECT_EQ(b.lines, 2u);
}

TEST(EventParser, NdjsonLineNumbersCountFromOne) {
  const auto b = ndjson(event() + "\n" + event() + "\n" + R"({"tenant":"acme"})" + "\n");
  expect_error(b, "type", 3);
  expect_error(b, "status", 3);
}

TEST(EventParser, NdjsonBlankLinesAreSkippedButCounted) {
  const auto b = ndjson("\n" + event() + "\n\n   \n\t\n" +
                        R"({"tenant":"nope","type":"t","status":"success"})" + "\n\n");
  expect_error(b, "tenant", 6);
  EXPECT_EQ(b.error_count, 1u);
  EXPECT_EQ(b.lines, 2u) << "blank lines are not events";
}

TEST(EventParser, NdjsonBlankLinesAloneDoNotMakeErrors) {
  const auto b = ndjson("\n" + event() + "\n\n" + event() + "\n");
  ASSERT_THAT(b.errors, IsEmpty()) << describe(b);
  EXPECT_EQ(b.events.size(), 2u);
}

TEST(EventParser, NdjsonAcceptsCrlfLineEndings) {
  const auto good = ndjson(event() + "\r\n" + event(R"(,"key":"k2")") + "\r\n");
  ASSERT_THAT(good.errors, IsEmpty()) << describe(good);
  ASSERT_EQ(good.events.size(), 2u);
  EXPECT_EQ(good.events[1].key, "k2");

  const auto bad = ndjson(event() + "\r\n\r\n" + R"({"tenant":"acme","type":"t"})" + "\r\n");
  expect_error(bad, "status", 3);
}

TEST(EventParser, NdjsonWithoutTrailingNewline) {
  const auto b = ndjson(event() + "\n" + event());
  ASSERT_THAT(b.errors, IsEmpty()) << describe(b);
  EXPECT_EQ(b.events.size(), 2u);
}

// --- JSON framing -----------------------------------------------------------------------------

TEST(EventParser, JsonArrayOfEvents) {
  const auto b = json("[" + event() + "," + event(R"(,"key":"second")") + "]");
  ASSERT_THAT(b.errors, IsEmpty()) << describe(b);
  ASSERT_EQ(b.events.size(), 2u);
  EXPECT_EQ(b.events[1].key, "second");
}

TEST(EventParser, JsonArrayErrorsAreNumberedByIndexFromOne) {
  const auto b = json("[" + event() + ",\n\n\n" + event() + "," + R"({"tenant":"acme"})" + ",7]");
  expect_error(b, "type", 3);
  expect_error(b, "status", 3);
  bool index_four = false;
  for (const auto& e : b.errors) index_four = index_four || e.line == 4;
  EXPECT_TRUE(index_four) << "the non-object at index 4 is an error:\n" << describe(b);
  for (const auto& e : b.errors) EXPECT_NE(e.line, 1u) << describe(b);
}

TEST(EventParser, JsonEventsEnvelope) {
  const auto b = json(R"({"events":[)" + event() + "," + event() + "]}");
  ASSERT_THAT(b.errors, IsEmpty()) << describe(b);
  EXPECT_EQ(b.events.size(), 2u);
}

TEST(EventParser, JsonEventsEnvelopeErrorsAreNumberedByIndex) {
  const auto b = json(R"({"events":[)" + event() + "," + event(R"(,"latency_ms":-3)") + "]}");
  expect_error(b, "latency_ms", 2);
}

TEST(EventParser, JsonEnvelopeWithoutAnEventsArrayIsAnError) {
  EXPECT_FALSE(json(R"({"events":{"a":1}})").errors.empty());
  EXPECT_FALSE(json(R"({"tenant":"acme","type":"webhook","status":"success"})").errors.empty());
  EXPECT_TRUE(json(R"({"events":{"a":1}})").events.empty());
}

TEST(EventParser, JsonScalarBodyIsAnError) {
  const auto b = json("42");
  EXPECT_TRUE(b.events.empty());
  EXPECT_FALSE(b.errors.empty());
}

TEST(EventParser, InvalidJsonBodyIsAnError) {
  const auto b = json("[" + event() + ",");
  EXPECT_TRUE(b.events.empty());
  ASSERT_FALSE(b.errors.empty());
}

// --- Empty bodies -----------------------------------------------------------------------------

TEST(EventParser, EmptyBodyIsAnError) {
  for (const auto format : {BodyFormat::kNdjson, BodyFormat::kJson}) {
    const auto b = parse_event_batch("", format, options());
    EXPECT_TRUE(b.events.empty());
    EXPECT_EQ(b.errors.size(), 1u);
    EXPECT_EQ(b.error_count, 1u);
  }
}

TEST(EventParser, BodyOfOnlyBlankLinesIsAnError) {
  const auto b = ndjson("\n\r\n  \n");
  EXPECT_TRUE(b.events.empty());
  EXPECT_EQ(b.error_count, 1u);
}

TEST(EventParser, EmptyJsonArrayIsAnError) {
  EXPECT_EQ(json("[]").error_count, 1u);
  EXPECT_EQ(json(R"({"events":[]})").error_count, 1u);
}

// --- Batches ----------------------------------------------------------------------------------

TEST(EventParser, AtMostOneHundredErrorsAreListedButAllAreCounted) {
  std::string body;
  for (int i = 0; i < 150; ++i)
    body += R"({"tenant":"acme","type":"webhook","status":"meh"})"
            "\n";
  const auto b = ndjson(body);
  EXPECT_EQ(b.errors.size(), 100u);
  EXPECT_EQ(b.error_count, 150u);
  EXPECT_EQ(b.lines, 150u);
  EXPECT_EQ(b.errors.front().line, 1u);
  EXPECT_EQ(b.errors.back().line, 100u);
  EXPECT_TRUE(b.events.empty());
}

TEST(EventParser, MaxErrorsIsConfigurable) {
  auto o = options();
  o.max_errors = 3;
  const auto b = parse_event_batch("x\ny\nz\nw\n", BodyFormat::kNdjson, o);
  EXPECT_EQ(b.errors.size(), 3u);
  EXPECT_EQ(b.error_count, 4u);
}

TEST(EventParser, MixedBatchKeepsOnlyGoodEventsAndReportsTheBadOnes) {
  const auto b = ndjson(event(R"(,"id":"one")") + "\n" + event(R"(,"latency_ms":-1)") + "\n" +
                        event(R"(,"id":"three")") + "\n" + "{oops\n");
  ASSERT_EQ(b.events.size(), 2u);
  EXPECT_EQ(b.events[0].id, "one");
  EXPECT_EQ(b.events[1].id, "three");
  EXPECT_EQ(b.error_count, 2u);
  ASSERT_EQ(b.errors.size(), 2u) << describe(b);
  EXPECT_EQ(b.errors[0].line, 2u);
  EXPECT_EQ(b.errors[1].line, 4u);
  EXPECT_EQ(b.lines, 4u);
}

TEST(EventParser, DeeplyNestedJsonIsAnErrorNotACrash) {
  const std::string deep(10000, '[');
  expect_line_error(ndjson(deep));
  expect_line_error(json(deep));
  const std::string closed = std::string(10000, '[') + std::string(10000, ']');
  expect_line_error(json(closed));
  expect_line_error(ndjson(event(R"(,"extra":)" + closed)));
}

// --- Shared character-class checks
// ----------------------------------------------------------------

TEST(EventParser, CharacterClassHelpers) {
  EXPECT_TRUE(is_valid_type_name("metadata_sync"));
  EXPECT_FALSE(is_valid_type_name("Metadata"));
  EXPECT_FALSE(is_valid_type_name(std::string(65, 'a')));
  EXPECT_TRUE(is_valid_integration_key("Snowflake:eu/1"));
  EXPECT_FALSE(is_valid_integration_key("a b"));
  EXPECT_FALSE(is_valid_integration_key(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_integration_key(""));
}

}  // namespace
}  // namespace vitals
