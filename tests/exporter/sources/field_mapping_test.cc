#include "sources/field_mapping.h"

#include <gtest/gtest.h>

namespace vitals::sources {
namespace {

FieldSpec path(std::string p) {
  FieldSpec spec;
  spec.path = std::move(p);
  return spec;
}

FieldSpec constant(nlohmann::json value) {
  FieldSpec spec;
  spec.constant = std::move(value);
  return spec;
}

TEST(FieldMapping, FindsDottedPathsThroughObjectsAndArrays) {
  const auto doc = nlohmann::json::parse(R"({"a": {"b": [10, {"c": "deep"}]}})");
  EXPECT_EQ(*find_path(doc, "a.b.0"), 10);
  EXPECT_EQ(*find_path(doc, "a.b.1.c"), "deep");
  EXPECT_EQ(find_path(doc, "a.b.2"), nullptr);
  EXPECT_EQ(find_path(doc, "a.x"), nullptr);
  EXPECT_EQ(find_path(doc, "a.b.c"), nullptr);
  EXPECT_EQ(*find_path(doc, ""), doc);
}

TEST(FieldMapping, MapsARecordWithPathsConstantsValueMapsAndScale) {
  FieldMapping m;
  m.fields["type"] = constant("sync_run");
  m.fields["key"] = path("sync.id");
  FieldSpec status = path("state");
  status.value_map = {{"completed", "success"}, {"failed", "exception"}};
  m.fields["status"] = status;
  FieldSpec latency = path("duration_s");
  latency.scale = 1000;
  m.fields["latency_ms"] = latency;
  m.fields["time"] = path("finished_at");
  m.fields["error_category"] = path("failure.code");
  m.fields["error_message"] = path("failure.text");
  m.fields["id"] = path("run_id");
  m.counts["rows"] = path("rows");
  const auto record = nlohmann::json::parse(R"({
    "sync": {"id": "s-1"}, "state": "failed", "duration_s": 1.5, "finished_at": 1771322400,
    "failure": {"code": "timeout", "text": "took too long"}, "run_id": 42, "rows": 7})");
  const auto event = map_record(m, record, "acme");
  EXPECT_EQ(event["tenant"], "acme");
  EXPECT_EQ(event["type"], "sync_run");
  EXPECT_EQ(event["key"], "s-1");
  EXPECT_EQ(event["status"], "exception");
  EXPECT_EQ(event["latency_ms"], 1500);
  EXPECT_TRUE(event["latency_ms"].is_number_integer()) << "a whole result stays an integer";
  EXPECT_EQ(event["time"], "2026-02-17T10:00:00Z") << "numbers are Unix seconds";
  EXPECT_EQ(event["error"]["category"], "timeout");
  EXPECT_EQ(event["error"]["message"], "took too long");
  EXPECT_EQ(event["id"], 42) << "left for the parser to judge";
  EXPECT_EQ(event["counts"]["rows"], 7);
}

TEST(FieldMapping, LeavesOutWhatTheRecordLacksAndPassesUnmappedValuesThrough) {
  FieldMapping m;
  m.fields["type"] = constant("webhook");
  FieldSpec status = path("state");
  status.value_map = {{"completed", "success"}};
  m.fields["status"] = status;
  m.fields["key"] = path("missing.path");
  m.counts["rows"] = path("missing");
  const auto event = map_record(m, nlohmann::json::parse(R"({"state": "vendor_error"})"), "acme");
  EXPECT_EQ(event["status"], "vendor_error");
  EXPECT_FALSE(event.contains("key"));
  EXPECT_FALSE(event.contains("counts"));
  EXPECT_FALSE(event.contains("error"));
}

TEST(FieldMapping, KeepsATenantTheMappingNames) {
  FieldMapping m;
  m.fields["tenant"] = path("org");
  const auto event = map_record(m, nlohmann::json::parse(R"({"org": "globex"})"), "acme");
  EXPECT_EQ(event["tenant"], "globex") << "the sink rejects it: not the source's tenant";
}

}  // namespace
}  // namespace vitals::sources
