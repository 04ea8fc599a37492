#include "support/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace vitals::testing {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// libcurl's global state must be set up once before any handle exists and before threads
// race to do it implicitly; a function-local static gives exactly that.
void ensure_curl_global() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) throw std::runtime_error("curl_global_init failed");
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  // A new status line starts a new response (after a 100 Continue, say); only the last
  // response's headers belong to the result.
  if (line.starts_with("HTTP/")) {
    headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string value(trim(line.substr(colon + 1)));
    auto [it, inserted] = headers.try_emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  return size * count;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  list.release();
  list.reset(grown);
}

bool names_header(const HeaderList& headers, const std::string& name) {
  const std::string wanted = lower(name);
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return lower(h.first) == wanted; });
}

}  // namespace

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

std::string HttpResponse::header(std::string_view name) const {
  const auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResponse::json() const {
  return nlohmann::json::parse(body);
}

HttpClient::HttpClient() : handle_(std::make_unique<Handle>()) {
  ensure_curl_global();
  handle_->curl = curl_easy_init();
  if (handle_->curl == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

void HttpClient::set_default_header(std::string name, std::string value) {
  default_headers_.emplace_back(std::move(name), std::move(value));
}

void HttpClient::clear_default_headers() {
  default_headers_.clear();
}

void HttpClient::set_timeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
}

HttpResponse HttpClient::get(const std::string& url, const HeaderList& headers) {
  return request("GET", url, {}, headers);
}

HttpResponse HttpClient::post(const std::string& url, std::string_view body,
                              const HeaderList& headers) {
  return request("POST", url, body, headers);
}

HttpResponse HttpClient::put(const std::string& url, std::string_view body,
                             const HeaderList& headers) {
  return request("PUT", url, body, headers);
}

HttpResponse HttpClient::patch(const std::string& url, std::string_view body,
                               const HeaderList& headers) {
  return request("PATCH", url, body, headers);
}

HttpResponse HttpClient::del(const std::string& url, const HeaderList& headers) {
  return request("DELETE", url, {}, headers);
}

HttpResponse HttpClient::request(std::string_view method, const std::string& url,
                                 std::string_view body, const HeaderList& headers) {
  CURL* curl = handle_->curl;
  // Reset drops every option of the previous request but keeps the connection cache.
  curl_easy_reset(curl);

  const std::string verb(method);
  const bool has_body = !body.empty() || verb == "POST" || verb == "PUT" || verb == "PATCH";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  if (verb == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (has_body) {
    // POSTFIELDS with an explicit size is libcurl's binary-safe way to send a body; the
    // custom request line below turns it into whatever method was asked for.
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    // Never null: a null POSTFIELDS makes libcurl read the body from stdin instead.
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
  }
  // libcurl picks GET, HEAD or POST from the options above; anything else is spelled out.
  const char* implied = verb == "HEAD" ? "HEAD" : has_body ? "POST" : "GET";
  if (verb != implied) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());

  Slist header_lines;
  for (const auto& [name, value] : headers) append(header_lines, name + ": " + value);
  for (const auto& [name, value] : default_headers_) {
    if (!names_header(headers, name)) append(header_lines, name + ": " + value);
  }
  // "Name:" with no value tells libcurl not to send a header it would otherwise add.
  if (has_body && !names_header(headers, "Content-Type") &&
      !names_header(default_headers_, "Content-Type")) {
    append(header_lines, "Content-Type:");
  }
  if (!names_header(headers, "Expect")) append(header_lines, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_lines.get());

  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode rc = curl_easy_perform(curl);
  // The buffer dies with this frame; libcurl may still report into it while closing connections.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (rc != CURLE_OK) {
    response.status = 0;
    response.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string HttpClient::url_encode(std::string_view value) {
  ensure_curl_global();
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  if (escaped == nullptr) throw std::bad_alloc();
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

}  // namespace vitals::testing
