#pragma once

#include <string>
#include <vector>

#include "evaluator/alert.h"

namespace vitals::notify {

// Which announcements a receiver gets. Every list that is not empty must contain the
// announcement's value; empty lists match everything. A resolution is routed by the severity it
// fired with, so a receiver that got the firing alert also gets its resolution.
struct Route {
  std::vector<std::string> tenants;  // slugs
  std::vector<std::string> severities;
  std::vector<std::string> sources;

  bool matches(const evaluator::Announcement& announcement) const;
};

}  // namespace vitals::notify
