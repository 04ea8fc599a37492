#include "http/http_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/own_sockets.h"

namespace vitals {
namespace {

enum class BodyRead { kOk, kTooLarge, kBroken };

BodyRead read_all(mg_connection* conn, size_t limit, std::string& body) {
  const mg_request_info* info = mg_get_request_info(conn);
  if (info->content_length > static_cast<long long>(limit)) return BodyRead::kTooLarge;
  if (info->content_length > 0) body.reserve(static_cast<size_t>(info->content_length));
  char chunk[16384];
  for (;;) {
    const int n = mg_read(conn, chunk, sizeof chunk);
    if (n < 0) return BodyRead::kBroken;
    if (n == 0) break;
    if (body.size() + static_cast<size_t>(n) > limit) return BodyRead::kTooLarge;
    body.append(chunk, static_cast<size_t>(n));
  }
  // A body cut short (the client stopped, or the watchdog shut the socket) is no body at all.
  const bool whole = info->content_length < 0 || body.size() == size_t(info->content_length);
  return whole ? BodyRead::kOk : BodyRead::kBroken;
}

Response closing(Response response) {
  response.headers.emplace_back("Connection", "close");
  return response;
}

// A HEAD request gets the headers GET would, Content-Length included, and no body.
void send(mg_connection* conn, const Response& response, bool with_body) {
  mg_response_header_start(conn, response.status);
  if (!response.content_type.empty()) {
    mg_response_header_add(conn, "Content-Type", response.content_type.c_str(), -1);
  }
  for (const auto& [name, value] : response.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  const std::string length = std::to_string(response.body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_send(conn);
  if (with_body && !response.body.empty()) {
    mg_write(conn, response.body.data(), response.body.size());
  }
}

Response shutting_down() {
  Response r = Response::json(503, error_body("unavailable", "vitals is shutting down"));
  r.headers.emplace_back("Retry-After", "5");
  r.headers.emplace_back("Connection", "close");
  return r;
}

}  // namespace

std::string error_body(std::string_view code, std::string_view message) {
  return nlohmann::ordered_json{{"error", code}, {"message", message}}.dump(
      -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

HttpServer::HttpServer(HttpServerOptions options, const Router& router, RequestObserver observer)
    : options_(std::move(options)), router_(router), observer_(std::move(observer)) {}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  mg_init_library(0);
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  const std::string listen =
      (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(options_.port);
  const std::pair<const char*, std::string> settings[] = {
      {"listening_ports", listen},
      {"num_threads", std::to_string(options_.threads)},
      {"connection_queue", std::to_string(options_.connection_queue)},
      {"listen_backlog", std::to_string(options_.listen_backlog)},
      {"max_request_size", std::to_string(options_.max_header_bytes)},
      {"request_timeout_ms", std::to_string(options_.request_timeout_ms)},
      {"enable_keep_alive", "yes"},
      {"keep_alive_timeout_ms", std::to_string(options_.keep_alive_timeout_ms)},
      {"enable_auth_domain_check", "no"},
      // Headers and body go out in separate writes; with Nagle the body waits for the client's
      // delayed ACK (~40 ms a response).
      {"tcp_nodelay", "1"},
      // The router decodes path parameters itself: civetweb would decode "%2F" into a separator
      // and cut the path at "%00".
      {"decode_url", "no"},
  };
  std::vector<const char*> civet_options;
  for (const auto& [name, value] : settings) {
    civet_options.push_back(name);
    civet_options.push_back(value.c_str());
  }
  civet_options.push_back(nullptr);
  watchdog_ = std::make_unique<ReadWatchdog>();
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::on_request;
  callbacks.http_error = &HttpServer::on_civetweb_error;
  context_ = mg_start(&callbacks, this, civet_options.data());
  if (!context_) throw std::runtime_error("cannot listen on " + listen);
  mg_server_port ports[4];
  const int n = mg_get_server_ports(context_, 4, ports);
  bound_port_ = n > 0 ? ports[0].port : options_.port;
}

void HttpServer::stop() {
  if (context_) {
    draining_ = true;
    wait_for_requests_in_flight();
    wake_civetweb_threads();
    mg_stop(context_);
    context_ = nullptr;
  }
  watchdog_.reset();
}

// civetweb 1.15 waits for new connections, and for the next request on a kept-alive one, in
// polls of 2 s and sees mg_stop's flag only between them, so every stop took 2 s. Shutting the
// reading side of our listening socket and of the idle connections ends those polls at once.
// Runs after the requests in flight have been answered; one that arrives now still gets its 503,
// since only reading is shut.
void HttpServer::wake_civetweb_threads() const {
  for_each_own_socket([&](const OwnSocket& socket) {
    if (socket.local.port == bound_port_ && (socket.listening || socket.peer.port >= 0)) {
      shutdown(socket.fd, SHUT_RD);
    }
    return true;
  });
}

int HttpServer::on_civetweb_error(mg_connection* conn, int status, const char* message) {
  const std::string_view code = status == 411   ? "length_required"
                                : status == 413 ? "body_too_large"
                                : status == 414 ? "uri_too_long"
                                : status < 500  ? "bad_request"
                                                : "internal";
  const std::string body = error_body(code, message && *message ? message : "malformed request");
  // The request could not be read, so neither can the next one on this connection.
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
            "Connection: close\r\n\r\n",
            status, mg_get_response_code_text(conn, status), body.size());
  mg_write(conn, body.data(), body.size());
  return 0;  // answered: civetweb sends nothing more
}

int HttpServer::on_request(mg_connection* conn) {
  auto* self = static_cast<HttpServer*>(mg_get_request_info(conn)->user_data);
  return self->handle(conn);
}

int HttpServer::handle(mg_connection* conn) {
  // Counted before draining_ is read, so stop() either waits for this request or it is refused.
  ++in_flight_;
  struct Done {
    std::atomic<int>& count;
    ~Done() { --count; }
  } done{in_flight_};
  const auto started = std::chrono::steady_clock::now();
  const mg_request_info* info = mg_get_request_info(conn);
  Request request;
  request.method = info->request_method ? info->request_method : "";
  request.path = info->local_uri_raw ? info->local_uri_raw : "/";
  for (int i = 0; i < info->num_headers; ++i) {
    std::string name = info->http_headers[i].name;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers[name] = info->http_headers[i].value;
  }
  Router::Match route = router_.match(request);
  Response response = draining_ ? shutting_down() : answer(conn, request, route);
  send(conn, response, request.method != "HEAD");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (observer_) observer_(route.name, response.status, seconds);
  return response.status;
}

Response HttpServer::answer(mg_connection* conn, Request& request, const Router::Match& route) {
  const mg_request_info* info = mg_get_request_info(conn);
  Response response;
  auto query = parse_query_string(info->query_string ? info->query_string : "");
  if (!route.handler) {
    response = route.allow.empty()
                   ? Response::json(404, error_body("not_found", "no such endpoint"))
                   : Response::json(405, error_body("method_not_allowed",
                                                    "this path does not accept " + request.method));
    if (!route.allow.empty()) {
      std::string allow;
      for (const auto& m : route.allow) allow += (allow.empty() ? "" : ", ") + m;
      response.headers.emplace_back("Allow", allow);
    }
  } else if (!query) {
    response = Response::json(400, error_body("invalid_query", "malformed percent-encoding"));
  } else {
    request.query = std::move(*query);
    if (auto refused = read_body(conn, request.body)) {
      response = std::move(*refused);
    } else {
      try {
        response = (*route.handler)(request);
      } catch (const std::exception& e) {
        // The details go to the log, not to the client: they may name files or internals.
        spdlog::error("{} {}: {}", request.method, route.name, e.what());
        response = Response::json(500, error_body("internal", "the request failed; see the log"));
      }
    }
  }
  return response;
}

void HttpServer::wait_for_requests_in_flight() const {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::optional<Response> HttpServer::read_body(mg_connection* conn, std::string& body) {
  const mg_request_info* info = mg_get_request_info(conn);
  if (info->content_length == 0) return std::nullopt;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  const auto watch =
      watchdog_->watch(info->remote_addr, info->remote_port, info->server_port, deadline);
  const BodyRead read = read_all(conn, options_.max_body_bytes, body);
  const bool late = watchdog_->release(watch) || std::chrono::steady_clock::now() >= deadline;
  switch (read) {
    case BodyRead::kOk:
      return std::nullopt;
    case BodyRead::kTooLarge:
      return closing(Response::json(
          413,
          error_body("body_too_large", "the body exceeds server.max_body_bytes (" +
                                           std::to_string(options_.max_body_bytes) + " bytes)")));
    case BodyRead::kBroken:
      break;
  }
  if (late) {
    return closing(Response::json(
        408,
        error_body("request_timeout", "the body did not arrive within server.request_timeout")));
  }
  return closing(Response::json(400, error_body("bad_body", "the request body could not be read")));
}

}  // namespace vitals
