#include "notify/route.h"

#include <algorithm>

namespace vitals::notify {
namespace {

bool admits(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string label(const evaluator::Announcement& a, const std::string& name) {
  const auto it = a.labels.find(name);
  return it == a.labels.end() ? std::string() : it->second;
}

}  // namespace

bool Route::matches(const evaluator::Announcement& a) const {
  return admits(tenants, label(a, "tenant")) && admits(severities, label(a, "severity")) &&
         admits(sources, a.source);
}

}  // namespace vitals::notify
