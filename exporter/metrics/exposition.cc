#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

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

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Whole numbers (counts) as integers, others as the shortest text that reads back as the
    // same double: "100000" rather than "1e+05", "0.1" rather than "0.10000000000000001".
    char buf[32];
    const bool whole = v == std::trunc(v) && std::fabs(v) < 9.007199254740992e15;
    const auto end = whole ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v)).ptr
                           : std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end);
  }
}

void append_sample(std::string& out, const std::string& name, std::string_view suffix,
                   const std::vector<ClientMetric::Label>& labels, std::string_view extra_name,
                   double extra_value, double value) {
  out += name;
  out += suffix;
  const bool has_extra = !extra_name.empty();
  if (!labels.empty() || has_extra) {
    out += '{';
    bool first = true;
    for (const auto& l : labels) {
      if (!first) out += ',';
      first = false;
      out += l.name;
      out += "=\"";
      append_escaped(out, l.value, true);
      out += '"';
    }
    if (has_extra) {
      if (!first) out += ',';
      out += extra_name;
      out += "=\"";
      append_number(out, extra_value);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_number(out, value);
  out += '\n';
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

// One family in either format. They differ in the header lines and in how counters are named:
// OpenMetrics names the family without its _total suffix (samples keep it), the text format
// names both with it.
void append_family(std::string& out, const MetricFamily& f, ExpositionFormat format) {
  const bool open_metrics = format == ExpositionFormat::kOpenMetrics100;
  std::string base = f.name;
  std::string_view counter_suffix;
  if (open_metrics && f.type == MetricType::Counter && base.size() > 6 &&
      base.compare(base.size() - 6, 6, "_total") == 0) {
    base.resize(base.size() - 6);
    counter_suffix = "_total";
  }
  const std::string type_line =
      "# TYPE " + base + " " + std::string(type_name(f.type, format)) + "\n";
  if (open_metrics) out += type_line;
  out += "# HELP " + base + " ";
  append_escaped(out, f.help, false);
  out += '\n';
  if (!open_metrics) out += type_line;
  for (const auto& m : f.metric) {
    switch (f.type) {
      case MetricType::Counter:
        append_sample(out, base, counter_suffix, m.label, "", 0, m.counter.value);
        break;
      case MetricType::Gauge:
        append_sample(out, base, "", m.label, "", 0, m.gauge.value);
        break;
      case MetricType::Untyped:
        append_sample(out, base, "", m.label, "", 0, m.untyped.value);
        break;
      case MetricType::Summary:
        for (const auto& q : m.summary.quantile) {
          append_sample(out, base, "", m.label, "quantile", q.quantile, q.value);
        }
        append_sample(out, base, "_sum", m.label, "", 0, m.summary.sample_sum);
        append_sample(out, base, "_count", m.label, "", 0, double(m.summary.sample_count));
        break;
      case MetricType::Histogram:
        for (const auto& b : m.histogram.bucket) {
          append_sample(out, base, "_bucket", m.label, "le", b.upper_bound,
                        double(b.cumulative_count));
        }
        append_sample(out, base, "_sum", m.label, "", 0, m.histogram.sample_sum);
        append_sample(out, base, "_count", m.label, "", 0, double(m.histogram.sample_count));
        break;
    }
  }
}

}  // namespace

ExpositionFormat negotiate_exposition(std::string_view accept) {
  return accept.find("application/openmetrics-text") != std::string_view::npos
             ? ExpositionFormat::kOpenMetrics100
             : ExpositionFormat::kText004;
}

std::string_view content_type_of(ExpositionFormat format) {
  return format == ExpositionFormat::kOpenMetrics100
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

std::string render_exposition(const std::vector<MetricFamily>& families, ExpositionFormat format) {
  std::string out;
  for (const auto& f : families) append_family(out, f, format);
  if (format == ExpositionFormat::kOpenMetrics100) out += "# EOF\n";
  return out;
}

}  // namespace vitals
