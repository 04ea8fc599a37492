#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace vitals {

// Cuts off request bodies that have not arrived by their deadline.
//
// civetweb's request_timeout_ms bounds the header as a whole, but for a body it bounds only each
// wait for more bytes: a client trickling a byte every 100 ms keeps a worker thread (one of
// server.threads) for as long as it likes. So every body read is watched here under its
// connection's addresses; when its deadline passes, the watchdog finds that connection's socket
// among the process' descriptors and shuts its reading side, which wakes the blocked read.
// The socket stays open for the answer (408) and civetweb closes it as usual.
class ReadWatchdog {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  ReadWatchdog();
  ~ReadWatchdog();
  ReadWatchdog(const ReadWatchdog&) = delete;
  ReadWatchdog& operator=(const ReadWatchdog&) = delete;

  // Watches the connection from peer_ip:peer_port to our local_port until release().
  std::uint64_t watch(std::string peer_ip, int peer_port, int local_port, TimePoint deadline);
  // Stops watching; true when the deadline had passed and the socket was shut.
  bool release(std::uint64_t id);

 private:
  struct Watch {
    std::string peer_ip;
    int peer_port;
    int local_port;
    TimePoint deadline;
    bool fired = false;
  };

  void run();
  void fire(Watch& watch);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Watch> watches_;
  std::thread thread_;
};

}  // namespace vitals
