#include "http/read_watchdog.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace vitals {
namespace {

struct Endpoint {
  std::string ip;
  int port = -1;
};

Endpoint endpoint_of(const sockaddr_storage& address) {
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

// The descriptor of the TCP connection local_port <-> peer, or -1. Only run when a deadline
// passes, so reading the descriptor table is cheap enough.
int find_connection(const std::string& peer_ip, int peer_port, int local_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (const dirent* entry = readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(dir)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
    const Endpoint l = endpoint_of(local), p = endpoint_of(peer);
    if (l.port == local_port && p.port == peer_port && p.ip == peer_ip) {
      found = fd;
      break;
    }
  }
  closedir(dir);
  return found;
}

}  // namespace

ReadWatchdog::ReadWatchdog() : thread_([this] { run(); }) {}

ReadWatchdog::~ReadWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t ReadWatchdog::watch(std::string peer_ip, int peer_port, int local_port,
                                  TimePoint deadline) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  watches_.emplace(id, Watch{std::move(peer_ip), peer_port, local_port, deadline});
  wake_.notify_all();
  return id;
}

bool ReadWatchdog::release(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = watches_.find(id);
  if (it == watches_.end()) return false;
  const bool fired = it->second.fired;
  watches_.erase(it);
  return fired;
}

// Under the mutex, so the connection is still inside its body read (release() has not run) and
// the descriptor found is still that connection's.
void ReadWatchdog::fire(Watch& watch) {
  watch.fired = true;
  const int fd = find_connection(watch.peer_ip, watch.peer_port, watch.local_port);
  if (fd >= 0) shutdown(fd, SHUT_RD);
}

void ReadWatchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    auto next = TimePoint::max();
    const auto now = std::chrono::steady_clock::now();
    for (auto& [id, watch] : watches_) {
      if (watch.fired) continue;
      if (watch.deadline <= now) {
        fire(watch);
      } else {
        next = std::min(next, watch.deadline);
      }
    }
    if (next == TimePoint::max()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, next);
    }
  }
}

}  // namespace vitals
