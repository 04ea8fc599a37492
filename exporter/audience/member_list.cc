#include "audience/member_list.h"

#include <simdjson.h>

#include "core/ndjson_lines.h"

namespace vitals {
namespace {

constexpr size_t kReportedProblems = 10;

void report(MemberList& list, size_t position, std::string message) {
  if (list.problems.size() < kReportedProblems) {
    list.problems.push_back({position, std::move(message)});
  }
  ++list.problem_count;
}

bool has_control_character(std::string_view id) {
  for (char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

void read_member(simdjson::dom::element value, size_t position, MemberList& list) {
  std::string_view id;
  if (value.get_string().get(id) != simdjson::SUCCESS) {
    report(list, position, "a member id must be a JSON string");
  } else if (id.empty() || id.size() > kMaxMemberIdBytes) {
    report(list, position, "a member id must be 1 to 256 bytes");
  } else if (has_control_character(id)) {
    report(list, position, "a member id must not contain control characters");
  } else {
    list.members.emplace_back(id);
  }
}

void parse_ndjson(std::string_view body, MemberList& list) {
  simdjson::dom::parser parser;
  for_each_ndjson_line(body, [&](std::string_view line, size_t line_number) {
    simdjson::dom::element value;
    if (auto code = parser.parse(line.data(), line.size(), true).get(value)) {
      report(list, line_number, std::string("invalid JSON: ") + simdjson::error_message(code));
      return;
    }
    read_member(value, line_number, list);
  });
}

void parse_array(std::string_view body, MemberList& list) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto code = parser.parse(body.data(), body.size(), true).get(doc)) {
    report(list, 1, std::string("invalid JSON: ") + simdjson::error_message(code));
    return;
  }
  simdjson::dom::array array;
  if (doc.get_array().get(array) != simdjson::SUCCESS) {
    report(list, 1, "the body must be a JSON array of member ids");
    return;
  }
  list.members.reserve(array.size());
  size_t index = 0;
  for (simdjson::dom::element value : array) read_member(value, ++index, list);
}

}  // namespace

MemberList parse_member_list(std::string_view body, BodyFormat format) {
  MemberList list;
  if (format == BodyFormat::kNdjson) {
    parse_ndjson(body, list);
  } else {
    parse_array(body, list);
  }
  return list;
}

}  // namespace vitals
