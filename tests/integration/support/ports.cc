#include "support/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

namespace vitals::testing {

namespace {

// Below Linux's default ephemeral range (32768-60999), so the port a test is handed cannot be
// taken in the meantime by some process's outgoing connection, only by a server that asks for
// the same port by number; tests running side by side each pick at random.
constexpr int kFirstPort = 20000;
constexpr int kPortCount = 12000;

bool bindable(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  // Never listened or connected, so closing leaves no TIME_WAIT state behind to block reuse.
  ::close(fd);
  return ok;
}

}  // namespace

int free_loopback_port() {
  thread_local std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(kFirstPort, kFirstPort + kPortCount - 1);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = pick(random);
    if (bindable(port)) return port;
  }
  throw std::runtime_error("no free port on 127.0.0.1 between 20000 and 31999");
}

}  // namespace vitals::testing
