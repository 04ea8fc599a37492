#pragma once

#include <string>

#include <curl/curl.h>

namespace vitals::traffic {

struct HttpResult {
  long status = 0;   // HTTP status; 0 when no answer came (connection error, timeout)
  std::string body;  // the answer's body, or the transport error when status is 0
  bool ok() const { return status >= 200 && status < 300; }
  // Worth waiting before the next request: the server is struggling or unreachable. A 4xx is
  // about this request only, so the next one may go out at once.
  bool server_trouble() const { return status == 0 || status >= 500; }
};

// Writes to vitals over a single libcurl handle, which keeps the connection alive between
// requests: NDJSON event batches to {base_url}/api/v1/events and catalog entities to
// {base_url}/api/v1/tenants/{tenant}/entities/{kind}/{id}. curl_global_init must have been
// called.
class IngestClient {
 public:
  IngestClient(const std::string& base_url, const std::string& token);
  ~IngestClient();
  IngestClient(const IngestClient&) = delete;
  IngestClient& operator=(const IngestClient&) = delete;

  bool valid() const { return curl_ != nullptr; }
  HttpResult post_events(const std::string& ndjson);
  // tenant, kind and id go into the path as they are, so they must need no escaping.
  HttpResult put_entity(const std::string& tenant, const std::string& kind, const std::string& id,
                        const std::string& json);
  // POST {base_url}/api/v1/tenants/{tenant}/audiences/{audience}/sizes
  HttpResult post_audience_sizes(const std::string& tenant, const std::string& audience,
                                 const std::string& json);
  // PUT {base_url}/api/v1/tenants/{tenant}/audiences/{audience}/members
  HttpResult put_audience_members(const std::string& tenant, const std::string& audience,
                                  const std::string& ndjson);

 private:
  HttpResult send(const char* method, const std::string& url, curl_slist* headers,
                  const std::string& body);

  CURL* curl_ = nullptr;
  curl_slist* ndjson_headers_ = nullptr;
  curl_slist* json_headers_ = nullptr;
  std::string base_url_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace vitals::traffic
