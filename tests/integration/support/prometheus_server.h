#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "support/process.h"
#include "support/promtool.h"  // the other Prometheus tool tests reach for alongside this one
#include "support/temp_dir.h"

namespace vitals::testing {

// A real Prometheus (/usr/bin/prometheus) on a loopback port, scraping one target as job
// "vitals", with its config and TSDB in a private temporary directory. The constructor returns
// once /-/ready answers 200 (or throws with Prometheus's log); the destructor stops it.
class PrometheusServer {
 public:
  // `target` is "host:port", e.g. "127.0.0.1:9100". The scrape timeout is 3/4 of the interval,
  // which also serves as the rule evaluation interval.
  explicit PrometheusServer(std::string target,
                            std::chrono::milliseconds scrape_interval = std::chrono::seconds(1));
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  // "http://127.0.0.1:<port>", no trailing slash.
  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }

  // Instant query via /api/v1/query. Returns Prometheus's JSON answer as is, including
  // {"status":"error",...} for a bad expression; throws std::runtime_error if no JSON came back.
  nlohmann::json query(std::string_view expr);

  // SIGTERM and wait for a clean shutdown; safe to call twice.
  void stop();

  std::string read_log() const { return process_.read_log(); }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  ChildProcess process_;
  HttpClient client_;
  int port_ = 0;
  std::string base_url_;
};

}  // namespace vitals::testing
