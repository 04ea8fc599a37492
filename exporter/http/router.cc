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
  routes_.push_back(std::move(route));
}

bool Router::matches(const Route& route, const std::vector<std::string_view>& path,
                     std::map<std::string, std::string>* params) {
  if (route.segments.size() != path.size()) return false;
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
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

namespace {

size_t literal_segments(const std::vector<std::string>& segments) {
  return static_cast<size_t>(std::ranges::count_if(
      segments, [](const std::string& s) { return !(s.size() > 2 && s.front() == '{'); }));
}

}  // namespace

// Of the routes whose pattern fits the path, only those with the most literal segments count:
// POST /alerts/read-all shadows GET /alerts/{id} for that path, whichever was added first, so a
// GET there is a 405 naming POST rather than a lookup of an alert called "read-all".
Router::Match Router::match(Request& request) const {
  const auto path = split_path(request.path);
  size_t most_literal = 0;
  bool any = false;
  for (const Route& route : routes_) {
    if (!matches(route, path, nullptr)) continue;
    most_literal = std::max(most_literal, literal_segments(route.segments));
    any = true;
  }
  Match result;
  for (const Route& route : routes_) {
    if (!any || literal_segments(route.segments) != most_literal) continue;
    if (!matches(route, path, nullptr)) continue;
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
