#pragma once

#include <cstddef>

#include <toml++/toml.h>

#include "config/config.h"
#include "core/toml_reader.h"

namespace vitals::sources {

// Reads one [[sources]] entry into config.sources, reporting every problem with its place.
// Called after the tenants are read: a source must name a configured tenant.
void read_source(const toml::table& table, size_t index, Config& config, TableReader& root);

// Replaces each ${env:NAME} in `text` with that environment variable; nullopt and `missing` set
// to the first variable that is not set.
std::optional<std::string> expand_env(std::string_view text, std::string& missing);

}  // namespace vitals::sources
