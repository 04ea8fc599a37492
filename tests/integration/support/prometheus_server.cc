#include "support/prometheus_server.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "support/loopback_server.h"

namespace vitals::testing {

namespace {

// Milliseconds are always a valid Prometheus duration, whatever interval a test picks.
std::string prometheus_duration(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + "ms";
}

std::string prometheus_config(const std::string& target, std::chrono::milliseconds interval) {
  // Prometheus rejects a scrape timeout longer than the interval.
  const auto timeout = std::max(std::chrono::milliseconds(1), interval * 3 / 4);
  std::ostringstream yaml;
  yaml << "global:\n"
       << "  scrape_interval: " << prometheus_duration(interval) << "\n"
       << "  scrape_timeout: " << prometheus_duration(timeout) << "\n"
       << "  evaluation_interval: " << prometheus_duration(interval) << "\n"
       << "scrape_configs:\n"
       << "  - job_name: vitals\n"
       << "    static_configs:\n"
       << "      - targets: ['" << target << "']\n";
  return yaml.str();
}

}  // namespace

PrometheusServer::PrometheusServer(std::string target, std::chrono::milliseconds scrape_interval) {
  if (scrape_interval <= std::chrono::milliseconds(0)) {
    throw std::invalid_argument("PrometheusServer: scrape interval must be positive");
  }
  const auto config = dir_.write_file("prometheus.yml", prometheus_config(target, scrape_interval));
  const auto data = dir_.path() / "data";
  const auto log = dir_.path() / "prometheus.log";
  port_ = start_loopback_server(
      process_,
      [&](int port) {
        return LaunchSpec{.argv = {"/usr/bin/prometheus", "--config.file=" + config.string(),
                                   "--storage.tsdb.path=" + data.string(),
                                   "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                          .log_path = log};
      },
      "/-/ready");
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
}

PrometheusServer::~PrometheusServer() {
  stop();
}

nlohmann::json PrometheusServer::query(std::string_view expr) {
  const HttpResponse response =
      client_.get(base_url_ + "/api/v1/query?query=" + HttpClient::url_encode(expr));
  try {
    return response.json();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("Prometheus query '" + std::string(expr) + "' got no JSON: status " +
                             std::to_string(response.status) + " " + response.error + " " +
                             response.body);
  }
}

void PrometheusServer::stop() {
  process_.terminate(std::chrono::seconds(10));
}

}  // namespace vitals::testing
