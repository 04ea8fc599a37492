#include "http/http_server.h"

#include <civetweb.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace vitals {
namespace {

enum class BodyRead { kOk, kTooLarge, kBroken };

BodyRead read_body(mg_connection* conn, size_t limit, std::string& body) {
  const mg_request_info* info = mg_get_request_info(conn);
  if (info->content_length > static_cast<long long>(limit)) return BodyRead::kTooLarge;
  if (info->content_length > 0) body.reserve(static_cast<size_t>(info->content_length));
  char chunk[16384];
  for (;;) {
    const int n = mg_read(conn, chunk, sizeof chunk);
    if (n < 0) return BodyRead::kBroken;
    if (n == 0) return BodyRead::kOk;
    if (body.size() + static_cast<size_t>(n) > limit) return BodyRead::kTooLarge;
    body.append(chunk, static_cast<size_t>(n));
  }
}

void send(mg_connection* conn, const Response& response) {
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
  if (!response.body.empty()) mg_write(conn, response.body.data(), response.body.size());
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
  const std::string threads = std::to_string(options_.threads);
  const std::string timeout = std::to_string(options_.request_timeout_ms);
  const char* civet_options[] = {"listening_ports", listen.c_str(), "num_threads", threads.c_str(),
                                 "request_timeout_ms", timeout.c_str(), "enable_keep_alive", "yes",
                                 "keep_alive_timeout_ms", "30000", "enable_auth_domain_check", "no",
                                 // The router decodes path parameters itself: civetweb would
                                 // decode "%2F" into a separator and cut the path at "%00".
                                 "decode_url", "no", nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::on_request;
  context_ = mg_start(&callbacks, this, civet_options);
  if (!context_) throw std::runtime_error("cannot listen on " + listen);
  mg_server_port ports[4];
  const int n = mg_get_server_ports(context_, 4, ports);
  bound_port_ = n > 0 ? ports[0].port : options_.port;
}

void HttpServer::stop() {
  if (context_) {
    mg_stop(context_);
    context_ = nullptr;
  }
}

int HttpServer::on_request(mg_connection* conn) {
  auto* self = static_cast<HttpServer*>(mg_get_request_info(conn)->user_data);
  return self->handle(conn);
}

int HttpServer::handle(mg_connection* conn) {
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
  Response response;
  auto query = parse_query_string(info->query_string ? info->query_string : "");
  Router::Match route = router_.match(request);
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
    switch (read_body(conn, options_.max_body_bytes, request.body)) {
      case BodyRead::kTooLarge:
        response = Response::json(
            413,
            error_body("body_too_large", "the body exceeds server.max_body_bytes (" +
                                             std::to_string(options_.max_body_bytes) + " bytes)"));
        response.headers.emplace_back("Connection", "close");
        break;
      case BodyRead::kBroken:
        response =
            Response::json(400, error_body("bad_body", "the request body could not be read"));
        break;
      case BodyRead::kOk:
        try {
          response = (*route.handler)(request);
        } catch (const std::exception& e) {
          // The details go to the log, not to the client: they may name files or internals.
          spdlog::error("{} {}: {}", request.method, route.name, e.what());
          response = Response::json(500, error_body("internal", "the request failed; see the log"));
        }
        break;
    }
  }
  send(conn, response);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (observer_) observer_(route.name, response.status, seconds);
  return response.status;
}

}  // namespace vitals
