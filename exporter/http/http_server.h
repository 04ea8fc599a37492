#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/read_watchdog.h"
#include "http/router.h"

struct mg_context;
struct mg_connection;

namespace vitals {

// The [server] keys of the configuration (config/config.h says what each bounds).
struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 9470;
  int threads = 16;
  int connection_queue = 20;
  int listen_backlog = 200;
  size_t max_body_bytes = 16 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  std::int64_t request_timeout_ms = 30000;
  std::int64_t keep_alive_timeout_ms = 30000;
};

// Called after every request with the route name, status and seconds taken.
using RequestObserver = std::function<void(std::string_view route, int status, double seconds)>;

// civetweb underneath; everything above it sees only Request and Response. Bodies are read in
// full (up to max_body_bytes, else 413; within request_timeout, else 408) before a handler runs,
// so handlers never block on a slow client while holding anything.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, const Router& router, RequestObserver observer);
  ~HttpServer();

  // Throws std::runtime_error when the port cannot be bound.
  void start();
  // Answers every new request 503 (Retry-After), lets the requests in flight finish and send
  // their answers (at most request_timeout_ms), then stops accepting.
  void stop();
  int port() const { return bound_port_; }

 private:
  static int on_request(mg_connection* conn);
  // Requests that civetweb refuses before they reach on_request (a malformed request line or
  // header, an unknown method, a bad Content-Length) get the same JSON error body as the rest.
  static int on_civetweb_error(mg_connection* conn, int status, const char* message);
  int handle(mg_connection* conn);
  Response answer(mg_connection* conn, Request& request, const Router::Match& route);
  void wait_for_requests_in_flight() const;
  void wake_civetweb_threads() const;
  // The body, or the answer that replaces the handler's when it cannot be read.
  std::optional<Response> read_body(mg_connection* conn, std::string& body);

  HttpServerOptions options_;
  const Router& router_;
  RequestObserver observer_;
  std::unique_ptr<ReadWatchdog> watchdog_;
  mg_context* context_ = nullptr;
  int bound_port_ = 0;
  // civetweb drops what a handler writes once mg_stop() has begun, so stop() drains first: a
  // batch committed while stopping must still get its 200.
  std::atomic<bool> draining_{false};
  std::atomic<int> in_flight_{0};
};

std::string error_body(std::string_view code, std::string_view message);

}  // namespace vitals
