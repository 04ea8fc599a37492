// Fuzzes the configuration loader: the text of `vitals serve --config FILE`, as start-up and a
// reload read it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto load = vitals::parse_config(text, "fuzz.toml");
  // Exactly one of a configuration and its problems, never both, never neither.
  FUZZ_CHECK(load.config.has_value() == load.problems.empty());
  if (load.config) {
    FUZZ_CHECK(!load.config->tenants.empty());
    for (const auto& tenant : load.config->tenants) {
      FUZZ_CHECK(vitals::is_valid_tenant_slug(tenant.slug));
    }
  }
  return 0;
}
