#include "http/own_sockets.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace vitals {
namespace {

SocketEndpoint endpoint_of(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    return {text, ntohs(v4.sin_port)};
  }
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    return {text, ntohs(v6.sin6_port)};
  }
  return {};
}

bool describe(int fd, OwnSocket& socket) {
  sockaddr_storage local{}, peer{};
  socklen_t local_size = sizeof local, peer_size = sizeof peer;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) return false;
  socket.fd = fd;
  socket.local = endpoint_of(local);
  if (socket.local.port < 0) return false;  // not TCP/IP
  int listening = 0;
  socklen_t flag_size = sizeof listening;
  socket.listening =
      getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &flag_size) == 0 && listening != 0;
  socket.peer = getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) == 0
                    ? endpoint_of(peer)
                    : SocketEndpoint{};
  return true;
}

}  // namespace

void for_each_own_socket(const std::function<bool(const OwnSocket&)>& visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return;
  while (const dirent* entry = readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(dir)) continue;
    OwnSocket socket;
    if (describe(fd, socket) && !visit(socket)) break;
  }
  closedir(dir);
}

}  // namespace vitals
