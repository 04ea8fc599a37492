#include "support/alertmanager_server.h"

#include <stdexcept>

#include "support/loopback_server.h"

namespace vitals::testing {

namespace {

// group_wait is short so alerts show up as grouped within a test's patience.
constexpr const char* kConfig =
    "route:\n"
    "  receiver: 'null'\n"
    "  group_wait: 1s\n"
    "receivers:\n"
    "  - name: 'null'\n";

}  // namespace

AlertmanagerServer::AlertmanagerServer() {
  const auto config = dir_.write_file("alertmanager.yml", kConfig);
  const auto storage = dir_.path() / "data";
  const auto log = dir_.path() / "alertmanager.log";
  port_ = start_loopback_server(
      process_,
      [&](int port) {
        return LaunchSpec{
            .argv = {"/usr/bin/prometheus-alertmanager", "--config.file=" + config.string(),
                     "--storage.path=" + storage.string(),
                     "--web.listen-address=127.0.0.1:" + std::to_string(port),
                     // Empty disables clustering: no gossip port to collide on, no peers to wait
                     // for before serving.
                     "--cluster.listen-address="},
            .log_path = log};
      },
      "/-/ready");
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
}

AlertmanagerServer::~AlertmanagerServer() {
  stop();
}

nlohmann::json AlertmanagerServer::alerts() {
  const HttpResponse response = client_.get(base_url_ + "/api/v2/alerts");
  if (response.status != 200) {
    throw std::runtime_error("Alertmanager /api/v2/alerts answered " +
                             std::to_string(response.status) + " " + response.error + " " +
                             response.body);
  }
  return response.json();
}

void AlertmanagerServer::stop() {
  process_.terminate(std::chrono::seconds(10));
}

}  // namespace vitals::testing
