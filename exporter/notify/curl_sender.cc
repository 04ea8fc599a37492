#include "notify/curl_sender.h"

#include <curl/curl.h>

#include <stdexcept>

namespace vitals::notify {
namespace {

// Enough of an error answer to say why in a log line, never a whole page.
constexpr size_t kKeptAnswerBytes = 512;

size_t keep_some(char* data, size_t size, size_t count, void* target) {
  auto* answer = static_cast<std::string*>(target);
  const size_t bytes = size * count;
  if (answer->size() < kKeptAnswerBytes) {
    answer->append(data, std::min(bytes, kKeptAnswerBytes - answer->size()));
  }
  return bytes;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

CurlSender::CurlSender() : handle_(nullptr) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) throw std::runtime_error("libcurl could not be initialised");
  handle_ = curl_easy_init();
  if (!handle_) throw std::runtime_error("libcurl could not make a handle");
}

CurlSender::~CurlSender() {
  curl_easy_cleanup(static_cast<CURL*>(handle_));
}

HttpOutcome CurlSender::post(const HttpPost& request) {
  CURL* curl = static_cast<CURL*>(handle_);
  curl_easy_reset(curl);
  HeaderList headers;
  headers.add("Content-Type: application/json");
  headers.add("Expect:");  // no 100-continue round trip for bodies over 1 KiB
  for (const auto& [name, value] : request.headers) headers.add(name + ": " + value);
  std::string answer;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "vitals");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_some);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) return {0, curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  HttpOutcome outcome{static_cast<int>(status), {}};
  if (status < 200 || status >= 300) outcome.error = answer;
  return outcome;
}

}  // namespace vitals::notify
