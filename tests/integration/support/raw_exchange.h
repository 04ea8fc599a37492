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

// What a slow client saw: the bytes the server sent, and when the server closed the connection.
struct TrickleResult {
  std::string reply;
  bool closed = false;       // the server closed (or reset) the connection before `timeout`
  double closed_after = -1;  // seconds from connecting to the close, when closed
  size_t dripped = 0;        // bytes of `drip` sent before the server answered or hung up
};

// A slowloris client: sends `head` at once, then `drip` one byte every `interval` until it is
// all sent or the server answers or hangs up, then reads until the server closes or `timeout`
// passes (counted from connecting).
TrickleResult trickle_exchange(int port, std::string_view head, std::string_view drip,
                               std::chrono::milliseconds interval,
                               std::chrono::milliseconds timeout);

// A connection that sends nothing until it is destroyed, to occupy one of the server's threads.
class IdleConnection {
 public:
  explicit IdleConnection(int port);
  ~IdleConnection();
  IdleConnection(const IdleConnection&) = delete;
  IdleConnection& operator=(const IdleConnection&) = delete;

 private:
  int fd_;
};

}  // namespace vitals::testing
