#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace vitals::testing {

// A real, single-node Alertmanager (Debian's /usr/bin/prometheus-alertmanager) on a loopback
// port. Every alert goes to a receiver with no integrations, so alerts are held and visible
// through the API but never notified anywhere. The constructor returns once /-/ready answers
// 200 (or throws with the log); the destructor stops it.
class AlertmanagerServer {
 public:
  AlertmanagerServer();
  ~AlertmanagerServer();
  AlertmanagerServer(const AlertmanagerServer&) = delete;
  AlertmanagerServer& operator=(const AlertmanagerServer&) = delete;

  // "http://127.0.0.1:<port>", no trailing slash.
  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }

  // GET /api/v2/alerts: the JSON array of alerts it currently holds. Throws
  // std::runtime_error on anything but a 200 with JSON.
  nlohmann::json alerts();

  // SIGTERM and wait for a clean shutdown; safe to call twice.
  void stop();

  std::string read_log() const { return process_.read_log(); }

 private:
  TempDir dir_;
  ChildProcess process_;
  HttpClient client_;
  int port_ = 0;
  std::string base_url_;
};

}  // namespace vitals::testing
