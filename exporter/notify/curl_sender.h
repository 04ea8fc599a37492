#pragma once

#include "notify/http_sender.h"

namespace vitals::notify {

// HttpSender over libcurl. Only http and https; redirects are not followed (a receiver that
// moved is a configuration problem to see in the failure count, not something to chase).
class CurlSender final : public HttpSender {
 public:
  CurlSender();
  ~CurlSender() override;
  CurlSender(const CurlSender&) = delete;
  CurlSender& operator=(const CurlSender&) = delete;

  HttpOutcome post(const HttpPost& request) override;

 private:
  void* handle_;  // CURL*, reused so connections to a receiver are kept alive between posts
};

}  // namespace vitals::notify
