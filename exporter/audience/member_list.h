#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/event_parser.h"

namespace vitals {

inline constexpr size_t kMaxMemberIdBytes = 256;

struct MemberListProblem {
  size_t position = 0;  // 1-based line (NDJSON) or array index (JSON)
  std::string message;
};

struct MemberList {
  std::vector<std::string> members;
  std::vector<MemberListProblem> problems;  // the first few
  size_t problem_count = 0;
};

// Parses an audience member list (SPEC §3.4): NDJSON with one JSON string per line, or one JSON
// array of strings. A member id is 1–256 bytes of UTF-8 without control characters. Every entry
// is checked so that a sender sees its mistakes together; the list is usable only when
// problem_count is 0.
MemberList parse_member_list(std::string_view body, BodyFormat format);

}  // namespace vitals
