#include "support/recording_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "support/ports.h"

namespace vitals::testing {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Reads until the headers are complete and Content-Length bytes of body have arrived.
bool read_request(int connection, std::string& raw, size_t& header_end) {
  char buffer[8192];
  size_t wanted = std::string::npos;
  while (raw.size() < wanted) {
    pollfd p{connection, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return false;
    const ssize_t n = recv(connection, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    raw.append(buffer, static_cast<size_t>(n));
    if (wanted == std::string::npos && (header_end = raw.find("\r\n\r\n")) != std::string::npos) {
      const std::string head = lower(raw.substr(0, header_end));
      const auto at = head.find("content-length:");
      const size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 15));
      wanted = header_end + 4 + length;
    }
  }
  return true;
}

ReceivedRequest parse(const std::string& raw, size_t header_end) {
  ReceivedRequest r;
  r.at = std::chrono::steady_clock::now();
  const auto line_end = raw.find("\r\n");
  const std::string first = raw.substr(0, line_end);
  r.method = first.substr(0, first.find(' '));
  r.path = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
  size_t pos = line_end + 2;
  while (pos < header_end) {
    const auto end = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, end - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      const auto value_start = line.find_first_not_of(' ', colon + 1);
      r.headers[lower(line.substr(0, colon))] =
          value_start == std::string::npos ? "" : line.substr(value_start);
    }
    pos = end + 2;
  }
  r.body = raw.substr(header_end + 4);
  return r;
}

}  // namespace

RecordingReceiver::RecordingReceiver() : port_(free_loopback_port()) {
  start();
}

RecordingReceiver::RecordingReceiver(int port) : port_(port) {}

RecordingReceiver::~RecordingReceiver() {
  stop();
}

std::string RecordingReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void RecordingReceiver::start() {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port_));
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener_, 16) != 0) {
    close(listener_);
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port_));
  }
  stopping_ = false;
  thread_ = std::thread([this] { serve(); });
}

void RecordingReceiver::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listener_ >= 0) close(listener_);
  listener_ = -1;
}

void RecordingReceiver::script(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  script_.assign(statuses.begin(), statuses.end());
}

std::vector<ReceivedRequest> RecordingReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void RecordingReceiver::respond_with(Responder responder) {
  std::lock_guard lock(mutex_);
  responder_ = std::move(responder);
}

void RecordingReceiver::serve() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) continue;
    handle(connection);
    close(connection);
  }
}

void RecordingReceiver::handle(int connection) {
  std::string raw;
  size_t header_end = 0;
  if (!read_request(connection, raw, header_end)) return;
  ReceivedRequest request = parse(raw, header_end);
  std::string body;
  {
    std::lock_guard lock(mutex_);
    if (script_.empty() && responder_) {
      Answer answer = responder_(request);
      request.answered = answer.status;
      body = std::move(answer.body);
    } else {
      request.answered = script_.empty() ? 200 : script_.front();
      if (!script_.empty()) script_.pop_front();
      body = request.answered < 300 ? "ok" : "scripted failure";
    }
    requests_.push_back(request);
  }
  const std::string response = "HTTP/1.1 " + std::to_string(request.answered) +
                               " Scripted\r\nContent-Length: " + std::to_string(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body;
  send(connection, response.data(), response.size(), MSG_NOSIGNAL);
}

}  // namespace vitals::testing
