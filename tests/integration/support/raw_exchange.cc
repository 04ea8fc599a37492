#include "support/raw_exchange.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace vitals::testing {

namespace {

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// A connected TCP socket to 127.0.0.1:port.
void connect_loopback(const Socket& sock, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(sock.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    throw std::system_error(errno, std::generic_category(),
                            "connect 127.0.0.1:" + std::to_string(port));
  }
}

// MSG_NOSIGNAL: a server that hangs up mid-request is an outcome to report, not a SIGPIPE.
size_t send_all(const Socket& sock, std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(sock.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  return sent;
}

enum class Read { kData, kClosed, kTimedOut };

// Waits until `deadline` for bytes (appended to `reply`) or the end of the connection.
Read read_some(const Socket& sock, std::chrono::steady_clock::time_point deadline,
               std::string& reply) {
  char buffer[8192];
  while (true) {
    pollfd pfd{.fd = sock.fd(), .events = POLLIN, .revents = 0};
    const int ready = ::poll(&pfd, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return Read::kTimedOut;
    const ssize_t n = ::recv(sock.fd(), buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Read::kClosed;
    reply.append(buffer, static_cast<size_t>(n));
    return Read::kData;
  }
}

}  // namespace

std::string raw_exchange(int port, std::string_view request, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Socket sock;
  connect_loopback(sock, port);
  send_all(sock, request);
  std::string reply;
  while (read_some(sock, deadline, reply) == Read::kData) {
  }
  return reply;
}

TrickleResult trickle_exchange(int port, std::string_view head, std::string_view drip,
                               std::chrono::milliseconds interval,
                               std::chrono::milliseconds timeout) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + timeout;
  Socket sock;
  connect_loopback(sock, port);
  TrickleResult result;
  Read last = send_all(sock, head) == head.size() ? Read::kTimedOut : Read::kClosed;
  while (last == Read::kTimedOut && result.dripped < drip.size()) {
    last = read_some(sock, std::min(deadline, std::chrono::steady_clock::now() + interval),
                     result.reply);
    if (last != Read::kTimedOut || std::chrono::steady_clock::now() >= deadline) break;
    if (send_all(sock, drip.substr(result.dripped, 1)) != 1) break;
    ++result.dripped;
  }
  while (last != Read::kClosed && (last = read_some(sock, deadline, result.reply)) == Read::kData) {
  }
  if (last == Read::kClosed) {
    result.closed = true;
    result.closed_after =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  return result;
}

IdleConnection::IdleConnection(int port) {
  Socket sock;
  connect_loopback(sock, port);
  fd_ = ::dup(sock.fd());  // the Socket closes its own descriptor when it goes
}

IdleConnection::~IdleConnection() {
  ::close(fd_);
}

}  // namespace vitals::testing
