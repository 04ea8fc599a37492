#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace vitals {

using Handler = std::function<Response(Request&)>;

// Maps "METHOD /path/{param}/..." to handlers. Each route has a short name that labels its
// request metrics, so that metrics never carry raw (unbounded) paths.
class Router {
 public:
  void add(std::string method, std::string pattern, std::string name, Handler handler);

  struct Match {
    const Handler* handler = nullptr;
    std::string name;                // route name, or "not_found" / "method_not_allowed"
    std::vector<std::string> allow;  // methods of the path when the method did not match
  };
  // Fills request.path_params, percent-decoded, on success. request.path is matched as sent:
  // literal segments compare undecoded, and a parameter with a bad escape matches nothing.
  Match match(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" segments capture
    std::string name;
    Handler handler;
    size_t literal_segments = 0;  // how specific the pattern is, counted once when added
  };
  static bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
  }
  static bool matches(const Route& route, const std::vector<std::string_view>& path,
                      std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace vitals
