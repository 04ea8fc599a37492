#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "notify/http_sender.h"
#include "sources/record_sink.h"
#include "sources/source.h"
#include "sources/source_config.h"

namespace vitals::sources {

// Where an HTTP source goes on: the URL of the page to read next (the cursor already in it),
// how many records at the start of that page were already taken (the last page is read again
// until the service gives a next one, and may have grown meanwhile), and the configured URL the
// position started from (a changed `url` starts over from it).
struct PagePosition {
  std::string url;
  size_t skip = 0;
  std::string base;
  // The pages read before `url`, newest last, at most kPassedPages: a next link back into them
  // is a cycle (A names B, B names A), whose pages would otherwise be read, and their records
  // stored, again at every poll.
  std::vector<std::string> passed;
  static constexpr size_t kPassedPages = 16;

  std::string encode() const;
  static std::optional<PagePosition> decode(const std::string& text);
};

// Follows an HTTP API page by page: GET, map each record to an event, deliver the page's events
// with the position after them, and go on while the answer names a next page.
class HttpSource final : public Source {
 public:
  HttpSource(const HttpSourceConfig& config, TimeMs timeout, notify::HttpGetter& getter,
             RecordSink& sink, const std::optional<std::string>& saved_position,
             std::string tenant);

  void poll(PollReport& report) override;
  const PagePosition& position() const { return position_; }

 private:
  // Reads one page; returns whether there is another to read now.
  bool read_page(PollReport& report);
  nlohmann::json fetch(PollReport& report) const;
  std::optional<std::string> next_page(const nlohmann::json& answer) const;

  HttpSourceConfig config_;
  TimeMs timeout_;
  notify::HttpGetter& getter_;
  RecordSink& sink_;
  std::string tenant_;
  PagePosition position_;
};

// `url` with `name=value` added to its query, the value percent-encoded.
std::string with_query_parameter(const std::string& url, const std::string& name,
                                 const std::string& value);

// A next-page link as services give it (absolute, "/path?query" or "?query"), made absolute
// against the page it came from; nullopt when it is none of those.
std::optional<std::string> resolve_link(const std::string& page_url, const std::string& link);

}  // namespace vitals::sources
