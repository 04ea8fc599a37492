#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "ingest/event_parser.h"

namespace vitals {

// NDJSON or JSON from a Content-Type header (parameters such as charset are ignored).
std::optional<BodyFormat> body_format(std::string_view content_type);

// The 415 for a Content-Type that body_format does not know.
Response unsupported_media_type();

// Undoes Content-Encoding (identity or gzip, inflated to at most `limit` bytes). On failure fills
// `error` with the answer to send (400, 413 or 415) and returns false.
bool decode_body(const Request& request, size_t limit, std::string& body,
                 std::optional<Response>& error);

}  // namespace vitals
