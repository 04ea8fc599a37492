#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals {

struct Request {
  std::string method;
  std::string path;  // as sent, undecoded: the router decodes each parameter
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lower-cased
  std::string body;
  std::map<std::string, std::string> path_params;

  // The last value of a query parameter, as web frameworks commonly resolve repeats.
  std::optional<std::string> query_param(std::string_view name) const;
  std::string_view header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, std::string body);
  static Response json(int status, const char* body) { return json(status, std::string(body)); }
  // Answers may echo input (a query value, an id), so invalid UTF-8 becomes U+FFFD here rather
  // than an exception and a 500.
  static Response json(int status, const nlohmann::ordered_json& body);
  static Response no_content();
};

// Percent-decoding; `plus_is_space` for query strings. Returns nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space);
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query_string(
    std::string_view text);

}  // namespace vitals
