#include "api/request_body.h"

#include "core/gzip.h"
#include "http/http_server.h"

namespace vitals {

std::optional<BodyFormat> body_format(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string media(content_type.substr(0, semicolon));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media == "application/x-ndjson" || media == "application/ndjson") return BodyFormat::kNdjson;
  if (media == "application/json") return BodyFormat::kJson;
  return std::nullopt;
}

// Undoes Content-Encoding; on failure fills `error` with the answer to send.
bool decode_body(const Request& request, size_t limit, std::string& body,
                 std::optional<Response>& error) {
  const std::string_view encoding = request.header("content-encoding");
  if (encoding.empty() || encoding == "identity") {
    body = request.body;
    return true;
  }
  if (encoding != "gzip" && encoding != "x-gzip") {
    error = Response::json(
        415, error_body("unsupported_encoding", "Content-Encoding must be gzip or identity"));
    return false;
  }
  switch (gunzip(request.body, limit, body)) {
    case InflateResult::kOk:
      return true;
    case InflateResult::kTooLarge:
      error = Response::json(
          413, error_body("body_too_large", "the decompressed body exceeds server.max_body_bytes"));
      return false;
    case InflateResult::kCorrupt:
      error = Response::json(400, error_body("bad_gzip", "the gzip body could not be decoded"));
      return false;
  }
  return false;
}

Response unsupported_media_type() {
  return Response::json(415, error_body("unsupported_media_type",
                                        "Content-Type must be application/x-ndjson or "
                                        "application/json"));
}

}  // namespace vitals
