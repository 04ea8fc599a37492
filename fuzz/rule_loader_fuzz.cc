// Fuzzes the rule loader: the text of one rules file (rules/README.md), as `vitals check rules`
// and a reload read it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "evaluator/rule_loader.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = vitals::evaluator::parse_rules(text, "fuzz.toml");
  // A loader that reports a problem must say where; rules are usable only without problems.
  for (const auto& problem : load.problems) FUZZ_CHECK(!problem.message.empty());
  return 0;
}
