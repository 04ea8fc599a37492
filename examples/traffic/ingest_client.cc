#include "ingest_client.h"

namespace vitals::traffic {
namespace {

size_t append_to_string(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

curl_slist* request_headers(const char* content_type, const std::string& token) {
  curl_slist* headers = curl_slist_append(nullptr, content_type);
  headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  // Without this curl sends "Expect: 100-continue" for bodies over 1 KiB and may stall a second
  // waiting for a 100 that simple servers never send.
  return curl_slist_append(headers, "Expect:");
}

}  // namespace

IngestClient::IngestClient(const std::string& base_url, const std::string& token)
    : curl_(curl_easy_init()), base_url_(base_url) {
  if (curl_ == nullptr) return;
  ndjson_headers_ = request_headers("Content-Type: application/x-ndjson", token);
  json_headers_ = request_headers("Content-Type: application/json", token);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "vitals-traffic/1");
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 5000L);
  // Timeouts by SIGALRM would fight with our own signal handling.
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_to_string);
}

IngestClient::~IngestClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
  curl_slist_free_all(ndjson_headers_);
  curl_slist_free_all(json_headers_);
}

HttpResult IngestClient::post_events(const std::string& ndjson) {
  return send(nullptr, base_url_ + "/api/v1/events", ndjson_headers_, ndjson);
}

HttpResult IngestClient::put_entity(const std::string& tenant, const std::string& kind,
                                    const std::string& id, const std::string& json) {
  const std::string url = base_url_ + "/api/v1/tenants/" + tenant + "/entities/" + kind + "/" + id;
  return send("PUT", url, json_headers_, json);
}

HttpResult IngestClient::post_audience_sizes(const std::string& tenant, const std::string& audience,
                                             const std::string& json) {
  const std::string url =
      base_url_ + "/api/v1/tenants/" + tenant + "/audiences/" + audience + "/sizes";
  return send(nullptr, url, json_headers_, json);
}

HttpResult IngestClient::put_audience_members(const std::string& tenant,
                                              const std::string& audience,
                                              const std::string& ndjson) {
  const std::string url =
      base_url_ + "/api/v1/tenants/" + tenant + "/audiences/" + audience + "/members";
  return send("PUT", url, ndjson_headers_, ndjson);
}

// A null method sends a POST. The handle is shared by both kinds of request, so every option
// that differs between them is set on each call.
HttpResult IngestClient::send(const char* method, const std::string& url, curl_slist* headers,
                              const std::string& body) {
  HttpResult result;
  error_buffer_[0] = '\0';
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
  // POSTFIELDS supplies the body; CUSTOMREQUEST only renames the method, so a PUT keeps it.
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &result.body);
  const CURLcode code = curl_easy_perform(curl_);
  if (code != CURLE_OK) {
    result.body = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
    return result;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

}  // namespace vitals::traffic
