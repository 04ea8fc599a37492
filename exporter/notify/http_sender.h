#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"

namespace vitals::notify {

struct HttpPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  TimeMs timeout = 10 * kMsPerSecond;
};

struct HttpOutcome {
  int status = 0;     // 0 when no answer came (refused, timed out, bad URL)
  std::string error;  // why there was no answer, or the start of a non-2xx answer's body
};

// Sends one POST and waits for the answer. Implementations must be safe to call from one thread
// at a time; the delivery loop is that one thread.
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  virtual HttpOutcome post(const HttpPost& request) = 0;
};

struct HttpGet {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  TimeMs timeout = 10 * kMsPerSecond;
  size_t max_body_bytes = 8 * 1024 * 1024;
};

struct HttpPage {
  int status = 0;     // 0 when no whole answer came (refused, timed out, too large, bad URL)
  std::string body;   // the whole body of a 2xx answer; the start of any other
  std::string error;  // why there was no answer
};

// Fetches one page and waits for it (scrape sources). One thread at a time, as HttpSender.
class HttpGetter {
 public:
  virtual ~HttpGetter() = default;
  virtual HttpPage get(const HttpGet& request) = 0;
};

}  // namespace vitals::notify
