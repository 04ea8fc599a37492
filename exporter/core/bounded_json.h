#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace vitals {

// Untrusted JSON may nest at most this deep. nlohmann's parser copes with any depth, but writing
// a value out again (dump(), to store it or to measure it) recurses once per level, so a body of
// 100,000 '[' would overflow the stack; no document vitals reads needs more than a few levels.
inline constexpr int kMaxJsonDepth = 64;

enum class JsonParse { kOk, kInvalid, kTooDeep };

// Parses `text` into `out` (nlohmann::json or ordered_json). Values nested deeper than
// kMaxJsonDepth are dropped as they are read, so the deep tree is never built, and the answer is
// kTooDeep; `out` is usable only on kOk.
template <class Json>
JsonParse parse_bounded_json(std::string_view text, Json& out) {
  bool too_deep = false;
  using Event = typename Json::parse_event_t;
  // `depth` counts from 0 at the outermost value; only objects and arrays open a level.
  const auto guard = [&too_deep](int depth, Event event, Json&) {
    const bool opens = event == Event::object_start || event == Event::array_start;
    if (!opens || depth < kMaxJsonDepth) return true;
    too_deep = true;
    return false;
  };
  out = Json::parse(text, guard, false);
  if (out.is_discarded()) return JsonParse::kInvalid;
  return too_deep ? JsonParse::kTooDeep : JsonParse::kOk;
}

// "nests deeper than 64 levels", for messages.
inline std::string too_deep_text() {
  return "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
}

}  // namespace vitals
