#include "metrics/exposition.h"

#include <atomic>
#include <charconv>
#include <cmath>

#include "core/header_quality.h"

namespace vitals {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

void append_escaped(std::string& out, std::string_view value, bool quote) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

std::string_view type_name(MetricType type, ExpositionFormat format) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      return format == ExpositionFormat::kOpenMetrics100 ? "unknown" : "untyped";
  }
  return "untyped";
}

void append_family(ExpositionWriter& w, const MetricFamily& f) {
  w.begin_family(f.name, f.help, f.type);
  std::vector<ExpositionWriter::Label> labels;
  for (const auto& m : f.metric) {
    labels.clear();
    for (const auto& l : m.label) labels.emplace_back(l.name, l.value);
    switch (f.type) {
      case MetricType::Counter:
        w.sample("", labels, m.counter.value);
        break;
      case MetricType::Gauge:
        w.sample("", labels, m.gauge.value);
        break;
      case MetricType::Untyped:
        w.sample("", labels, m.untyped.value);
        break;
      case MetricType::Summary: {
        std::string quantile;
        for (const auto& q : m.summary.quantile) {
          quantile.clear();
          append_number(quantile, q.quantile);
          labels.emplace_back("quantile", quantile);
          w.sample("", labels, q.value);
          labels.pop_back();
        }
        w.sample("_sum", labels, m.summary.sample_sum);
        w.sample("_count", labels, double(m.summary.sample_count));
        break;
      }
      case MetricType::Histogram:
        for (const auto& b : m.histogram.bucket) {
          w.bucket(labels, b.upper_bound, double(b.cumulative_count));
        }
        w.sample("_sum", labels, m.histogram.sample_sum);
        w.sample("_count", labels, double(m.histogram.sample_count));
        break;
    }
  }
}

}  // namespace

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // The shortest text that reads back as v, in positional notation down to 0.0001 as
    // Prometheus's own clients write it: "100000" rather than "1e+05", "0.0005" rather than
    // "5e-04". It matters for bucket bounds: Prometheus keeps an le label's text as sent, so
    // le="0.0005" in a selector finds only a bucket written that way.
    constexpr double kExactIntegers = 9.007199254740992e15;  // 2^53
    char buf[32];
    const double magnitude = std::fabs(v);
    const auto end = v == std::trunc(v) && magnitude < kExactIntegers
                         ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v)).ptr
                     : magnitude >= 1e-4 && magnitude < kExactIntegers
                         ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr
                         : std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end);
  }
}

void ExpositionWriter::begin_family(std::string_view name, std::string_view help, MetricType type) {
  const bool open_metrics = format_ == ExpositionFormat::kOpenMetrics100;
  base_ = name;
  counter_suffix_ = {};
  if (open_metrics && type == MetricType::Counter && base_.ends_with("_total")) {
    base_.resize(base_.size() - 6);
    counter_suffix_ = "_total";
  }
  const auto type_line = [&] {
    out_ += "# TYPE ";
    out_ += base_;
    out_ += ' ';
    out_ += type_name(type, format_);
    out_ += '\n';
  };
  if (open_metrics) type_line();
  out_ += "# HELP ";
  out_ += base_;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += '\n';
  if (!open_metrics) type_line();
}

void ExpositionWriter::sample(std::string_view suffix, std::span<const Label> labels,
                              double value) {
  write_sample(suffix.empty() ? counter_suffix_ : suffix, labels, {}, value);
}

void ExpositionWriter::bucket(std::span<const Label> labels, double upper_bound,
                              double cumulative_count) {
  std::string le;
  append_number(le, upper_bound);
  bucket(labels, le, cumulative_count);
}

void ExpositionWriter::bucket(std::span<const Label> labels, std::string_view upper_bound,
                              double cumulative_count) {
  write_sample("_bucket", labels, upper_bound, cumulative_count);
}

void ExpositionWriter::write_sample(std::string_view suffix, std::span<const Label> labels,
                                    std::string_view le, double value) {
  out_ += base_;
  out_ += suffix;
  if (!labels.empty() || !le.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [name, text] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += name;
      out_ += "=\"";
      append_escaped(out_, text, true);
      out_ += '"';
    }
    if (!le.empty()) {
      if (!first) out_ += ',';
      out_ += "le=\"";
      out_ += le;
      // OpenMetrics writes a whole bound as a float ("1.0"), as Prometheus's Go client does in
      // that format; the text format as an integer ("1"), as it does there.
      if (format_ == ExpositionFormat::kOpenMetrics100 &&
          le.find_first_not_of("-0123456789") == std::string_view::npos) {
        out_ += ".0";
      }
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  append_number(out_, value);
  out_ += '\n';
}

void ExpositionWriter::end() {
  if (format_ == ExpositionFormat::kOpenMetrics100) out_ += "# EOF\n";
}

// OpenMetrics when the scraper ranks it at least as high as the text format (Prometheus lists
// it first, the text format at q=0.5); the text format otherwise, and when it refuses both.
ExpositionFormat negotiate_exposition(std::string_view accept) {
  const double openmetrics = header_quality(accept, {"application/openmetrics-text"});
  const double text = header_quality(accept, {"text/plain", "text/*", "*/*"});
  return openmetrics > 0 && openmetrics >= text ? ExpositionFormat::kOpenMetrics100
                                                : ExpositionFormat::kText004;
}

std::string_view content_type_of(ExpositionFormat format) {
  return format == ExpositionFormat::kOpenMetrics100
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

std::string render_exposition(const std::vector<MetricFamily>& families, ExpositionFormat format,
                              const std::vector<const DirectExposition*>& direct) {
  // Reserve what the last scrape needed: growing a string of tens of MiB copies it many times.
  static std::atomic<size_t> last_size{0};
  std::string out;
  out.reserve(last_size.load() + last_size.load() / 8);
  ExpositionWriter writer(out, format);
  for (const auto& f : families) append_family(writer, f);
  for (const auto* d : direct) d->write(writer);
  writer.end();
  last_size.store(out.size());
  return out;
}

}  // namespace vitals
