#pragma once

#include <prometheus/metric_family.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vitals {

enum class ExpositionFormat { kText004, kOpenMetrics100 };

// Chooses OpenMetrics only when the scraper lists it in Accept, as Prometheus does.
ExpositionFormat negotiate_exposition(std::string_view accept_header);
std::string_view content_type_of(ExpositionFormat format);

// Writes families sample by sample in either format. The two differ in the header lines and in
// counter names: OpenMetrics names the family without its _total suffix (samples keep it), the
// text format names both with it.
class ExpositionWriter {
 public:
  using Label = std::pair<std::string_view, std::string_view>;

  ExpositionWriter(std::string& out, ExpositionFormat format) : out_(out), format_(format) {}

  // The HELP and TYPE lines of the family the next samples belong to.
  void begin_family(std::string_view name, std::string_view help, prometheus::MetricType type);

  // <family><suffix>{labels} value; counters get their _total here. Labels are written in the
  // order given.
  void sample(std::string_view suffix, std::span<const Label> labels, double value);

  // <family>_bucket{labels,le="<upper bound>"} cumulative_count
  void bucket(std::span<const Label> labels, double upper_bound, double cumulative_count);
  // The same with the bound already written as text, for families that write many.
  void bucket(std::span<const Label> labels, std::string_view upper_bound, double cumulative_count);

  // OpenMetrics' end marker; nothing in the text format.
  void end();

 private:
  void write_sample(std::string_view suffix, std::span<const Label> labels,
                    std::string_view extra_value, double value);

  std::string& out_;
  ExpositionFormat format_;
  std::string base_;
  std::string_view counter_suffix_;
};

// Families that write themselves: for the big ones, building prometheus::MetricFamily objects at
// every scrape would cost more than writing the text.
class DirectExposition {
 public:
  virtual ~DirectExposition() = default;
  virtual void write(ExpositionWriter& writer) const = 0;
};

std::string render_exposition(const std::vector<prometheus::MetricFamily>& families,
                              ExpositionFormat format,
                              const std::vector<const DirectExposition*>& direct = {});

// A number as the exposition formats write it: whole numbers as integers, others as the
// shortest text that reads back as the same double; NaN, +Inf, -Inf.
void append_number(std::string& out, double value);

}  // namespace vitals
