#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "sources/source_config.h"

namespace vitals::sources {

// The value at a dotted path ("run.stats.rows"; numeric segments index arrays), or nullptr when
// any step is missing. An empty path is the value itself.
const nlohmann::json* find_path(const nlohmann::json& value, std::string_view path);

// Turns one scraped record into an event in the ingest format, without judging it: fields the
// record lacks are left out, and the event parser then rejects or defaults them exactly as it
// does for pushed events, so there is one set of rules. `tenant` is filled with the source's
// tenant when the mapping does not name one. A numeric `time` is read as Unix seconds.
nlohmann::json map_record(const FieldMapping& mapping, const nlohmann::json& record,
                          std::string_view tenant);

}  // namespace vitals::sources
