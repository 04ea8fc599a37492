#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "support/process.h"

namespace vitals::testing {

// Starts a server on a loopback port of our choosing and waits until GET <ready_path> answers
// 200. `spec_for_port` builds the command line for a given port. Ports are picked free but can
// be taken by someone else before the server binds them, so a server that exits before getting
// ready is retried on a new port a few times. Returns the port; throws std::runtime_error with
// the server's log if it never became ready.
int start_loopback_server(ChildProcess& process,
                          const std::function<LaunchSpec(int port)>& spec_for_port,
                          const std::string& ready_path,
                          std::chrono::milliseconds ready_timeout = std::chrono::seconds(30));

}  // namespace vitals::testing
