#include "sources/http_source.h"

#include <algorithm>
#include <cctype>

#include "config/config.h"
#include "core/bounded_json.h"
#include "sources/field_mapping.h"

namespace vitals::sources {
namespace {

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A cursor may come as a string or a number; null, empty and anything else mean "no next".
std::optional<std::string> cursor_text(const nlohmann::json* value) {
  if (!value) return std::nullopt;
  if (value->is_string() && !value->get<std::string>().empty()) return value->get<std::string>();
  if (value->is_number_integer()) return value->dump();
  return std::nullopt;
}

}  // namespace

std::string PagePosition::encode() const {
  return nlohmann::json{{"url", url}, {"skip", skip}, {"base", base}, {"passed", passed}}.dump();
}

std::optional<PagePosition> PagePosition::decode(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json.value("url", nlohmann::json()).is_string()) return std::nullopt;
  PagePosition p;
  p.url = json.value("url", "");
  p.skip = json.value("skip", size_t{0});
  p.base = json.value("base", "");
  // Absent from positions saved before it was kept; anything but strings is dropped.
  const auto passed = json.value("passed", nlohmann::json::array());
  for (const auto& page : passed.is_array() ? passed : nlohmann::json::array()) {
    if (page.is_string() && p.passed.size() < kPassedPages) p.passed.push_back(page);
  }
  return p;
}

std::string with_query_parameter(const std::string& url, const std::string& name,
                                 const std::string& value) {
  const char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + percent_encode(name) + "=" + percent_encode(value);
}

std::optional<std::string> resolve_link(const std::string& page_url, const std::string& link) {
  if (is_http_url(link)) return link;
  if (link.starts_with("?")) return page_url.substr(0, page_url.find('?')) + link;
  if (!link.starts_with("/") || link.starts_with("//")) return std::nullopt;
  const size_t host = page_url.find("//") + 2;
  return page_url.substr(0, page_url.find('/', host)) + link;
}

HttpSource::HttpSource(const HttpSourceConfig& config, TimeMs timeout, notify::HttpGetter& getter,
                       RecordSink& sink, const std::optional<std::string>& saved_position,
                       std::string tenant)
    : config_(config), timeout_(timeout), getter_(getter), sink_(sink), tenant_(std::move(tenant)) {
  auto saved = saved_position ? PagePosition::decode(*saved_position) : std::nullopt;
  position_ =
      saved && saved->base == config_.url ? *saved : PagePosition{config_.url, 0, config_.url, {}};
}

void HttpSource::poll(PollReport& report) {
  for (int page = 0; page < config_.max_pages && !stop_requested(); ++page) {
    if (!read_page(report)) return;
  }
}

nlohmann::json HttpSource::fetch(PollReport& report) const {
  ++report.fetches;
  const notify::HttpPage page =
      getter_.get({position_.url, config_.headers, timeout_, config_.max_body_bytes});
  if (page.status == 0) throw SourceError("GET " + position_.url + ": " + page.error);
  if (page.status < 200 || page.status >= 300) {
    throw SourceError("GET " + position_.url + ": HTTP " + std::to_string(page.status) + " " +
                      page.body.substr(0, 200));
  }
  nlohmann::json answer;
  switch (parse_bounded_json(page.body, answer)) {
    case JsonParse::kOk:
      break;
    case JsonParse::kTooDeep:
      throw SourceError("GET " + position_.url + ": the answer " + too_deep_text());
    case JsonParse::kInvalid:
      throw SourceError("GET " + position_.url + ": the answer is not JSON");
  }
  return answer;
}

std::optional<std::string> HttpSource::next_page(const nlohmann::json& answer) const {
  if (!config_.next_url.empty()) {
    const auto link = cursor_text(find_path(answer, config_.next_url));
    if (!link) return std::nullopt;
    auto url = resolve_link(position_.url, *link);
    if (!url) throw SourceError("the next page link '" + *link + "' is not a URL");
    return url;
  }
  if (!config_.cursor.empty()) {
    const auto cursor = cursor_text(find_path(answer, config_.cursor));
    if (cursor) return with_query_parameter(config_.url, config_.cursor_param, *cursor);
  }
  return std::nullopt;
}

bool HttpSource::read_page(PollReport& report) {
  const nlohmann::json answer = fetch(report);
  const nlohmann::json* records = find_path(answer, config_.records);
  if (!records || !records->is_array()) {
    throw SourceError("GET " + position_.url + ": no record array at '" + config_.records + "'");
  }
  const size_t skip = std::min(position_.skip, records->size());
  std::string ndjson;
  for (size_t i = skip; i < records->size(); ++i) {
    ndjson += map_record(config_.mapping, (*records)[i], tenant_).dump() + "\n";
  }
  const auto next = next_page(answer);
  const bool moves_on = next && *next != position_.url &&
                        std::ranges::find(position_.passed, *next) == position_.passed.end();
  PagePosition after{position_.url, std::max(skip, records->size()), config_.url, position_.passed};
  if (moves_on) {
    after.passed.push_back(after.url);
    if (after.passed.size() > PagePosition::kPassedPages) after.passed.erase(after.passed.begin());
    after.url = *next;
    after.skip = 0;
  }
  // A quiet re-read of the last page changes nothing: no transaction (and no fsync) for it.
  const std::string encoded = after.encode();
  if (!ndjson.empty() || encoded != position_.encode()) report.add(sink_.deliver(ndjson, encoded));
  position_ = std::move(after);
  // An empty page that still names a next one would otherwise be followed without end.
  return moves_on && !records->empty();
}

}  // namespace vitals::sources
