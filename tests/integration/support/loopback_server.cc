#include "support/loopback_server.h"

#include <stdexcept>

#include "support/http_client.h"
#include "support/ports.h"
#include "support/wait.h"

namespace vitals::testing {

int start_loopback_server(ChildProcess& process,
                          const std::function<LaunchSpec(int port)>& spec_for_port,
                          const std::string& ready_path, std::chrono::milliseconds ready_timeout) {
  constexpr int kAttempts = 3;
  HttpClient client;
  client.set_timeout(std::chrono::seconds(2));
  std::string program;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    const int port = free_loopback_port();
    const LaunchSpec spec = spec_for_port(port);
    program = spec.argv.empty() ? std::string() : spec.argv.front();
    process.start(spec);

    const std::string url = "http://127.0.0.1:" + std::to_string(port) + ready_path;
    bool exited = false;
    const bool ready = wait_until(
        [&] {
          if (!process.running()) {
            exited = true;
            return true;
          }
          return client.get(url).status == 200;
        },
        ready_timeout, std::chrono::milliseconds(100));
    if (ready && !exited) return port;
    if (!exited) break;  // alive but never ready: another port will not help
  }
  process.terminate(std::chrono::seconds(5));
  throw std::runtime_error(program + " did not become ready on " + ready_path + "; log:\n" +
                           process.read_log());
}

}  // namespace vitals::testing
