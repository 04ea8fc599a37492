#pragma once

#include "notify/http_sender.h"

namespace vitals::notify {

// HttpSender and HttpGetter over libcurl. Only http and https; redirects are not followed (a
// receiver or source that moved is a configuration problem to see in the failure count, not
// something to chase).
class CurlSender final : public HttpSender, public HttpGetter {
 public:
  CurlSender();
  ~CurlSender() override;
  CurlSender(const CurlSender&) = delete;
  CurlSender& operator=(const CurlSender&) = delete;

  HttpOutcome post(const HttpPost& request) override;
  HttpPage get(const HttpGet& request) override;

  struct Answer;  // where libcurl writes a body (defined in the .cc)

 private:
  // Sets what every request shares on the handle and performs it.
  int perform(const std::string& url,
              const std::vector<std::pair<std::string, std::string>>& headers, TimeMs timeout,
              Answer& answer, std::string& error);

  void* handle_;  // CURL*, reused so connections to a receiver are kept alive between posts
};

}  // namespace vitals::notify
