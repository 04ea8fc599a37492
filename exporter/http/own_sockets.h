#pragma once

#include <functional>
#include <string>

namespace vitals {

// One end of a TCP socket as getsockname/getpeername tell it.
struct SocketEndpoint {
  std::string ip;
  int port = -1;
};

// A socket among this process' descriptors: its local end, its peer (port -1 when it has none,
// as a listening socket) and whether it is listening.
struct OwnSocket {
  int fd = -1;
  SocketEndpoint local;
  SocketEndpoint peer;
  bool listening = false;
};

// Calls `visit` for every TCP socket the process holds, until it returns false.
//
// civetweb hands out no descriptors, yet two things need them: cutting off one slow body
// (ReadWatchdog) and waking civetweb's threads at stop (HttpServer::stop). Reading
// /proc/self/fd costs a few microseconds per descriptor, so it is only done at those moments.
void for_each_own_socket(const std::function<bool(const OwnSocket&)>& visit);

}  // namespace vitals
