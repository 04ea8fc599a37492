#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace vitals::testing {

// Request headers as name/value pairs, in order; a name may repeat (to test duplicates).
// Usage: {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}}.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  // 0 when no HTTP response arrived (connection refused, timeout); `error` says why. This lets
  // readiness polls treat "not up yet" as an ordinary answer instead of an exception.
  long status = 0;
  std::string error;
  // Exactly the bytes on the wire after de-chunking; Content-Encoding is never undone.
  std::string body;
  // Lower-cased names; repeated headers are joined with ", ".
  std::map<std::string, std::string> headers;

  // Value of a header by case-insensitive name, or "" if absent.
  std::string header(std::string_view name) const;
  // Parses the body; throws nlohmann::json::parse_error if it is not JSON.
  nlohmann::json json() const;
};

// A small HTTP/1.1 client for tests, built on one reused libcurl handle (so keep-alive
// connections are reused like a real client would). Not thread-safe: one client per thread.
//
// It sends what the test wrote and shows what the server sent: request bodies go out byte for
// byte (binary-safe, e.g. pre-gzipped) with no headers implied by libcurl (no default
// Content-Type, no "Expect: 100-continue"); responses are never decompressed and redirects are
// never followed; proxies from the environment are ignored.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sent with every request unless the request itself names the same header (e.g. a token).
  void set_default_header(std::string name, std::string value);
  void clear_default_headers();
  // Whole-request timeout; 10 s unless changed.
  void set_timeout(std::chrono::milliseconds timeout);

  HttpResponse get(const std::string& url, const HeaderList& headers = {});
  HttpResponse post(const std::string& url, std::string_view body, const HeaderList& headers = {});
  HttpResponse put(const std::string& url, std::string_view body, const HeaderList& headers = {});
  HttpResponse patch(const std::string& url, std::string_view body, const HeaderList& headers = {});
  HttpResponse del(const std::string& url, const HeaderList& headers = {});
  // Any method; "HEAD" reads no body. A non-empty body is sent with every method.
  HttpResponse request(std::string_view method, const std::string& url, std::string_view body,
                       const HeaderList& headers = {});

  // Percent-encodes a query parameter value.
  static std::string url_encode(std::string_view value);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  HeaderList default_headers_;
  std::chrono::milliseconds timeout_{std::chrono::seconds(10)};
};

}  // namespace vitals::testing
