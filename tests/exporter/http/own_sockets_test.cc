#include "http/own_sockets.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vitals {
namespace {

// A loopback listener on a port the kernel picks, a client connected to it and the accepted end.
struct LoopbackPair {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  int accepted = -1;
  int port = -1;

  LoopbackPair() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
        connect(client, reinterpret_cast<sockaddr*>(&address), size) != 0) {
      return;
    }
    accepted = accept(listener, nullptr, nullptr);
    port = ntohs(address.sin_port);
  }
  ~LoopbackPair() {
    for (int fd : {listener, client, accepted}) {
      if (fd >= 0) close(fd);
    }
  }
};

TEST(OwnSockets, FindsTheListenerAndBothEndsOfAConnectionWithTheirAddresses) {
  LoopbackPair pair;
  ASSERT_GE(pair.accepted, 0);
  OwnSocket listener, client, accepted;
  for_each_own_socket([&](const OwnSocket& socket) {
    if (socket.fd == pair.listener) listener = socket;
    if (socket.fd == pair.client) client = socket;
    if (socket.fd == pair.accepted) accepted = socket;
    return true;
  });
  EXPECT_TRUE(listener.listening);
  EXPECT_EQ(listener.local.port, pair.port);
  EXPECT_EQ(listener.peer.port, -1) << "a listening socket has no peer";

  EXPECT_FALSE(accepted.listening);
  EXPECT_EQ(accepted.local.port, pair.port);
  EXPECT_EQ(accepted.local.ip, "127.0.0.1");
  EXPECT_EQ(accepted.peer.port, client.local.port);
  EXPECT_EQ(client.peer.port, pair.port);
}

TEST(OwnSockets, StopsWhenTheVisitorSaysSo) {
  LoopbackPair pair;
  ASSERT_GE(pair.accepted, 0);
  int visited = 0;
  for_each_own_socket([&](const OwnSocket&) {
    ++visited;
    return false;
  });
  EXPECT_EQ(visited, 1);
}

TEST(OwnSockets, SkipsDescriptorsThatAreNotTcpSockets) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  int unix_pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, unix_pair), 0);
  bool seen = false;
  for_each_own_socket([&](const OwnSocket& socket) {
    for (int fd : {pipe_ends[0], pipe_ends[1], unix_pair[0], unix_pair[1]}) seen |= socket.fd == fd;
    return true;
  });
  EXPECT_FALSE(seen);
  for (int fd : {pipe_ends[0], pipe_ends[1], unix_pair[0], unix_pair[1]}) close(fd);
}

}  // namespace
}  // namespace vitals
