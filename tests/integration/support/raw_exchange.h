#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vitals::testing {

// Sends `request` byte for byte to 127.0.0.1:port over a fresh TCP connection and returns
// whatever comes back until the server closes the connection or `timeout` passes. For requests
// a well-behaved HTTP client refuses to produce: malformed request lines, lying Content-Length,
// truncated bodies. Ask for "Connection: close" unless the test wants to wait out the timeout.
// Throws std::system_error if the connection cannot be made.
std::string raw_exchange(int port, std::string_view request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace vitals::testing
