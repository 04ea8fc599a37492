#include "http/router.h"

#include <algorithm>

namespace vitals {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

void Router::add(std::string method, std::string pattern, std::string name, Handler handler) {
  Route route{std::move(method), {}, std::move(name), std::move(handler)};
  for (auto segment : split_path(pattern)) route.segments.emplace_back(segment);
  route.literal_segments = static_cast<size_t>(
      std::ranges::count_if(route.segments, [](const std::string& s) { return !is_parameter(s); }));
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& path,
                     std::map<std::string, std::string>* params) {
  if (route.segments.size() != path.size()) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& want = route.segments[i];
    if (is_parameter(want)) {
      // Decoded only now, per segment, so that an escaped '/' or NUL stays inside its parameter
      // (where the id checks refuse it) instead of splitting or truncating the path.
      auto value = url_decode(path[i], false);
      if (!value || value->empty()) return false;
      if (params) (*params)[want.substr(1, want.size() - 2)] = std::move(*value);
    } else if (want != path[i]) {
      return false;
    }
  }
  return true;
}

// Of the routes whose pattern fits the path, only those with the most literal segments count:
// POST /alerts/read-all shadows GET /alerts/{id} for that path, whichever was added first, so a
// GET there is a 405 naming POST rather than a lookup of an alert called "read-all".
Router::Match Router::match(Request& request) const {
  const auto path = split_path(request.path);
  std::vector<const Route*> fitting;
  size_t most_literal = 0;
  for (const Route& route : routes_) {
    if (!matches(route, path, nullptr)) continue;
    fitting.push_back(&route);
    most_literal = std::max(most_literal, route.literal_segments);
  }
  Match result;
  for (const Route* candidate : fitting) {
    const Route& route = *candidate;
    if (route.literal_segments != most_literal) continue;
    // HEAD is GET without the body (RFC 9110 §9.3.2): probes and monitors send it.
    if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
      matches(route, path, &request.path_params);
      result.handler = &route.handler;
      result.name = route.name;
      return result;
    }
    const auto allow = [&](const std::string& method) {
      if (std::ranges::find(result.allow, method) == result.allow.end()) {
        result.allow.push_back(method);
      }
    };
    allow(route.method);
    if (route.method == "GET") allow("HEAD");
  }
  result.name = result.allow.empty() ? "not_found" : "method_not_allowed";
  return result;
}

}  // namespace vitals
