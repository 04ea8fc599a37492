#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notify/http_sender.h"
#include "notify/notification.h"
#include "notify/route.h"

namespace vitals::notify {

// Something notifications are delivered to: it knows which announcements it takes and how to
// turn a batch of them into one HTTP request. Sending, retrying and ordering are the
// dispatcher's.
class Receiver {
 public:
  Receiver(std::string name, std::string url, Route route, TimeMs timeout)
      : name_(std::move(name)), url_(std::move(url)), route_(std::move(route)), timeout_(timeout) {}
  virtual ~Receiver() = default;

  const std::string& name() const { return name_; }  // unique among receivers
  const Route& route() const { return route_; }
  virtual std::string_view notifier() const = 0;  // the kind, for metrics and logs

  // How many notifications one request may carry.
  virtual size_t batch_limit() const = 0;

  // How often live alerts are sent again; 0 for never.
  virtual TimeMs resend_interval() const { return 0; }

  virtual HttpPost request(const std::vector<Notification>& batch, TimeMs now) const = 0;

 protected:
  HttpPost post_to_url(std::string body) const { return {url_, {}, std::move(body), timeout_}; }

 private:
  std::string name_;
  std::string url_;
  Route route_;
  TimeMs timeout_;
};

}  // namespace vitals::notify
