#include "notify/route.h"

#include <algorithm>

namespace vitals::notify {
namespace {

bool admits(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

bool Route::matches(const evaluator::Announcement& a) const {
  return admits(tenants, evaluator::label_of(a, "tenant")) &&
         admits(severities, evaluator::label_of(a, "severity")) && admits(sources, a.source);
}

}  // namespace vitals::notify
