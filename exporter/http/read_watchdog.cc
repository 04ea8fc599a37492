#include "http/read_watchdog.h"

#include <sys/socket.h>

#include "http/own_sockets.h"

namespace vitals {
namespace {

// The descriptor of the TCP connection local_port <-> peer, or -1.
int find_connection(const std::string& peer_ip, int peer_port, int local_port) {
  int found = -1;
  for_each_own_socket([&](const OwnSocket& socket) {
    if (socket.local.port == local_port && socket.peer.port == peer_port &&
        socket.peer.ip == peer_ip) {
      found = socket.fd;
    }
    return found < 0;
  });
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
