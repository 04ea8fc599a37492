#include "ingest_client.h"

namespace vitals::traffic {
namespace {

size_t append_to_string(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

}  // namespace

IngestClient::IngestClient(const std::string& base_url, const std::string& token)
    : curl_(curl_easy_init()), endpoint_(base_url + "/api/v1/events") {
  if (curl_ == nullptr) return;
  headers_ = curl_slist_append(headers_, "Content-Type: application/x-ndjson");
  headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
  // Without this curl sends "Expect: 100-continue" for bodies over 1 KiB and may stall a second
  // waiting for a 100 that simple servers never send.
  headers_ = curl_slist_append(headers_, "Expect:");
  curl_easy_setopt(curl_, CURLOPT_URL, endpoint_.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "vitals-traffic/1");
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 5000L);
  // Timeouts by SIGALRM would fight with our own signal handling.
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_to_string);
}

IngestClient::~IngestClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

PostResult IngestClient::post_events(const std::string& ndjson) {
  PostResult result;
  error_buffer_[0] = '\0';
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, ndjson.data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(ndjson.size()));
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
