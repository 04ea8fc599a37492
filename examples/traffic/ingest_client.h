#pragma once

#include <string>

#include <curl/curl.h>

namespace vitals::traffic {

struct PostResult {
  long status = 0;   // HTTP status; 0 when no answer came (connection error, timeout)
  std::string body;  // the answer's body, or the transport error when status is 0
  bool ok() const { return status >= 200 && status < 300; }
  // Worth waiting before the next request: the server is struggling or unreachable. A 4xx is
  // about this request only, so the next one may go out at once.
  bool server_trouble() const { return status == 0 || status >= 500; }
};

// Posts NDJSON batches to {base_url}/api/v1/events over a single libcurl handle, which keeps the
// connection alive between requests. curl_global_init must have been called.
class IngestClient {
 public:
  IngestClient(const std::string& base_url, const std::string& token);
  ~IngestClient();
  IngestClient(const IngestClient&) = delete;
  IngestClient& operator=(const IngestClient&) = delete;

  bool valid() const { return curl_ != nullptr; }
  PostResult post_events(const std::string& ndjson);

 private:
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string endpoint_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace vitals::traffic
