#include "notify/curl_sender.h"

#include <curl/curl.h>

#include <stdexcept>

namespace vitals::notify {

// Where an answer's body goes: all of it up to `limit`; past it the transfer is cut when
// `cut_when_full`, else the rest is dropped (a failure's body is only for a log line).
struct CurlSender::Answer {
  std::string body;
  size_t limit = 0;
  bool cut_when_full = false;
  bool too_large = false;
};

namespace {

// Enough of an error answer to say why in a log line, never a whole page.
constexpr size_t kKeptAnswerBytes = 512;

size_t keep(char* data, size_t size, size_t count, void* target) {
  auto* answer = static_cast<CurlSender::Answer*>(target);
  const size_t bytes = size * count;
  if (answer->body.size() + bytes > answer->limit && answer->cut_when_full) {
    answer->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  if (answer->body.size() < answer->limit) {
    answer->body.append(data, std::min(bytes, answer->limit - answer->body.size()));
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

int CurlSender::perform(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& extra_headers,
                        TimeMs timeout, Answer& answer, std::string& error) {
  CURL* curl = static_cast<CURL*>(handle_);
  HeaderList headers;
  headers.add("Expect:");  // no 100-continue round trip for bodies over 1 KiB
  for (const auto& [name, value] : extra_headers) headers.add(name + ": " + value);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "vitals");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    error =
        answer.too_large ? "the answer is larger than max_body_bytes" : curl_easy_strerror(code);
    return 0;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return static_cast<int>(status);
}

HttpOutcome CurlSender::post(const HttpPost& request) {
  CURL* curl = static_cast<CURL*>(handle_);
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  auto headers = request.headers;
  headers.insert(headers.begin(), {"Content-Type", "application/json"});
  Answer answer{{}, kKeptAnswerBytes, false, false};
  HttpOutcome outcome;
  outcome.status = perform(request.url, headers, request.timeout, answer, outcome.error);
  if (outcome.status != 0 && (outcome.status < 200 || outcome.status >= 300)) {
    outcome.error = answer.body;
  }
  return outcome;
}

HttpPage CurlSender::get(const HttpGet& request) {
  CURL* curl = static_cast<CURL*>(handle_);
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  auto headers = request.headers;
  headers.insert(headers.begin(), {"Accept", "application/json"});
  Answer answer{{}, request.max_body_bytes, true, false};
  HttpPage page;
  page.status = perform(request.url, headers, request.timeout, answer, page.error);
  page.body = std::move(answer.body);
  if (page.status < 200 || page.status >= 300)
    page.body.resize(std::min(page.body.size(), kKeptAnswerBytes));
  return page;
}

}  // namespace vitals::notify
