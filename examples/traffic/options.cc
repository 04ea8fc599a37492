#include "options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <system_error>

namespace vitals::traffic {
namespace {

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// Tenant slugs end up inside integration keys ("wh-acme-primary"), so they are held to a
// character set that the key syntax of SPEC 3.1 also accepts.
bool is_valid_tenant(std::string_view tenant) {
  if (tenant.empty() || tenant.size() > 64) return false;
  for (char c : tenant) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string set_tenants(std::string_view list, Options& options) {
  options.tenants.clear();
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    const std::string_view item = list.substr(start, comma - start);
    if (!is_valid_tenant(item)) return "--tenants: bad tenant \"" + std::string(item) + "\"";
    options.tenants.emplace_back(item);
    if (comma == std::string_view::npos) return "";
    start = comma + 1;
  }
}

std::string set_url(std::string_view url, Options& options) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return "--url must start with http:// or https://";
  }
  // The endpoint path is appended later, so a trailing slash would double up.
  while (url.ends_with('/')) url.remove_suffix(1);
  options.url = url;
  return "";
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string set_double(std::string_view text, double low, double high, std::string_view flag,
                       double& target) {
  const auto value = parse_number<double>(text);
  if (!value || !std::isfinite(*value) || *value < low || *value > high) {
    return std::string(flag) + ": expected a number in [" + format_number(low) + ", " +
           format_number(high) + "], got \"" + std::string(text) + "\"";
  }
  target = *value;
  return "";
}

using Setter = std::function<std::string(std::string_view, Options&)>;

const std::map<std::string, Setter, std::less<>>& setters() {
  static const std::map<std::string, Setter, std::less<>> table = {
      {"--url", set_url},
      {"--token",
       [](std::string_view v, Options& o) -> std::string {
         if (v.empty()) return "--token must not be empty";
         o.token = v;
         return "";
       }},
      {"--tenants", set_tenants},
      {"--rate", [](std::string_view v,
                    Options& o) { return set_double(v, 0.001, 100000, "--rate", o.rate); }},
      {"--batch",
       [](std::string_view v, Options& o) -> std::string {
         const auto value = parse_number<int>(v);
         if (!value || *value < 1 || *value > 10000) return "--batch: expected 1..10000";
         o.batch = *value;
         return "";
       }},
      {"--duration", [](std::string_view v,
                        Options& o) { return set_double(v, 0, 1e9, "--duration", o.duration_s); }},
      {"--seed",
       [](std::string_view v, Options& o) -> std::string {
         const auto value = parse_number<std::uint64_t>(v);
         if (!value) return "--seed: expected a non-negative integer";
         o.seed = *value;
         return "";
       }},
      {"--backfill-hours",
       [](std::string_view v, Options& o) {
         return set_double(v, 0, 1e6, "--backfill-hours", o.backfill_hours);
       }},
      {"--backfill-rate",
       [](std::string_view v, Options& o) {
         return set_double(v, 0, 1e6, "--backfill-rate", o.backfill_rate);
       }},
  };
  return table;
}

// Accepts both "--flag value" and "--flag=value".
std::string apply_argument(int argc, const char* const* argv, int& i, Options& options) {
  std::string_view arg = argv[i];
  std::optional<std::string_view> inline_value;
  if (const size_t eq = arg.find('='); eq != std::string_view::npos) {
    inline_value = arg.substr(eq + 1);
    arg = arg.substr(0, eq);
  }
  const auto setter = setters().find(arg);
  if (setter == setters().end()) return "unknown argument \"" + std::string(arg) + "\"";
  if (!inline_value) {
    if (i + 1 >= argc) return std::string(arg) + " needs a value";
    inline_value = argv[++i];
  }
  return setter->second(*inline_value, options);
}

}  // namespace

ParseResult parse_options(int argc, const char* const* argv) {
  ParseResult result;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      result.outcome = ParseOutcome::kHelp;
      return result;
    }
    result.error = apply_argument(argc, argv, i, result.options);
    if (!result.error.empty()) {
      result.outcome = ParseOutcome::kError;
      return result;
    }
  }
  if (result.options.backfill_hours > kMaxBackfillHours) {
    result.options.backfill_hours = kMaxBackfillHours;
    result.warning = "--backfill-hours capped at 720 (30 days)";
  }
  return result;
}

std::string usage_text(std::string_view program) {
  return "usage: " + std::string(program) +
         " [options]\n"
         "Declares each tenant's catalog entities in vitals\n"
         "(PUT {url}/api/v1/tenants/{tenant}/entities/{kind}/{id}), then sends realistic\n"
         "integration events (POST {url}/api/v1/events, NDJSON).\n"
         "\n"
         "  --url URL              vitals base URL (default http://127.0.0.1:9470)\n"
         "  --token TOKEN          bearer token with the ingest, editor or admin role\n"
         "                         (default dev-ingest-token)\n"
         "  --tenants A,B,...      tenants to send for (default acme,globex)\n"
         "  --rate N               live events per second over all tenants (default 50)\n"
         "  --batch N              most events per request, 1..10000 (default 100)\n"
         "  --duration SECONDS     length of the live phase; 0 = until SIGINT/SIGTERM (default 0)\n"
         "  --seed N               PRNG seed; the same seed gives the same events (default 1)\n"
         "  --backfill-hours H     first send history spread over the past H hours, as fast as\n"
         "                         possible, then go live; at most 720 (default 0)\n"
         "  --backfill-rate N      backfill events per hour per tenant (default 20)\n"
         "  --help                 show this text\n"
         "\n"
         "Each tenant T gets five warehouse connections, one per telemetry status:\n"
         "  wh-T-primary  active    every delivery succeeds\n"
         "  wh-T-events   degraded  about one delivery in 20 fails\n"
         "  wh-T-backlog  error     all fail since 12 h before the start; the queue grows\n"
         "  wh-T-legacy   idle      delivers only until a day ago: needs --backfill-hours > 24\n"
         "  wh-T-new      idle      declared, never delivers\n";
}

}  // namespace vitals::traffic
