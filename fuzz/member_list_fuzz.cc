// Fuzzes the audience member-list parser (SPEC §3.4): the first byte picks NDJSON or a JSON
// array, the rest is the body of PUT/POST/DELETE .../members.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audience/member_list.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto format = (data[0] & 1) ? vitals::BodyFormat::kJson : vitals::BodyFormat::kNdjson;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto list = vitals::parse_member_list(body, format);
  FUZZ_CHECK(list.problem_count >= list.problems.size());
  if (list.problem_count > 0) return 0;
  for (const auto& member : list.members) {
    FUZZ_CHECK(!member.empty() && member.size() <= vitals::kMaxMemberIdBytes);
    for (unsigned char c : member) FUZZ_CHECK(c >= 0x20 && c != 0x7f);
  }
  return 0;
}
