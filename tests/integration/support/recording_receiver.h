#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace vitals::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;
  std::chrono::steady_clock::time_point at;

  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// A webhook endpoint in the test process, on a loopback port: it records every request and
// answers with scripted statuses (200 once the script runs out), or as a responder says (a fake
// service that scrape sources read). Constructed with a port it does
// not listen until start(), so a test can point vitals at a receiver that is down and bring it
// up later. Every answer closes the connection.
class RecordingReceiver {
 public:
  RecordingReceiver();                   // listening at once, on a free port
  explicit RecordingReceiver(int port);  // not listening until start()
  ~RecordingReceiver();
  RecordingReceiver(const RecordingReceiver&) = delete;
  RecordingReceiver& operator=(const RecordingReceiver&) = delete;

  void start();
  void stop();
  int port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  // The next requests are answered with these statuses, in order.
  void script(std::vector<int> statuses);

  struct Answer {
    int status = 200;
    std::string body;
  };
  using Responder = std::function<Answer(const ReceivedRequest&)>;
  // Answers every request not covered by a script with what `responder` returns.
  void respond_with(Responder responder);
  std::vector<ReceivedRequest> requests() const;

 private:
  void serve();
  void handle(int connection);

  int port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::deque<int> script_;
  Responder responder_;
  std::vector<ReceivedRequest> requests_;
};

// A first base class for a fixture whose vitals' configuration names the receiver's URL: base
// classes are built before members, so the receiver exists when the vitals member is made.
struct WithReceiver {
  RecordingReceiver receiver_;
};

}  // namespace vitals::testing
