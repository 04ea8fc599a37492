#include "evaluator/rule_loader.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "evaluator/alert_template.h"

namespace vitals::evaluator {
namespace {

const std::vector<std::string_view> kEventDimensions = {kTypeLabel, kKeyLabel, kModeLabel,
                                                        kStatusLabel, kCategoryLabel};
const std::vector<std::string_view> kDeliveryDimensions = {kKeyLabel, kModeLabel, kCategoryLabel};
const std::vector<std::string_view> kConnectionDimensions = {kKeyLabel, kStateLabel};
const std::vector<std::string_view> kKeyDimension = {kKeyLabel};
const std::vector<std::string_view> kAudienceDimension = {kAudienceLabel};

const std::set<std::string_view> kWarehouseStates = {"active", "idle", "degraded", "error"};
const std::set<std::string_view> kStatuses = {"success", "vendor_error", "exception"};
const std::set<std::string_view> kSeverities = {"info", "success", "warning", "error", "critical"};

bool is_label_name(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_reserved_label(std::string_view name) {
  static const std::set<std::string_view> reserved = {
      "alertname",  "alertstate",   kTenantLabel, kTypeLabel,     kKeyLabel,  kModeLabel,
      kStatusLabel, kCategoryLabel, kStateLabel,  kAudienceLabel, "severity", "source"};
  return reserved.count(name) > 0 || name.substr(0, 2) == "__";
}

bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Reads one [[rules]] table into a Rule, reporting what is wrong with it.
class RuleReader {
 public:
  RuleReader(TableReader& r, Rule& rule) : r_(r), rule_(rule) {}

  void read() {
    read_name();
    read_signal();
    read_selection();
    read_condition();
    read_presentation();
    check_templates();
  }

 private:
  void read_name() {
    auto name = r_.string("name");
    if (!name) {
      if (!r_.get("name")) r_.problem_here("name", "is required");
      return;
    }
    if (!is_label_name(*name)) {
      r_.problem(*r_.get("name"), "name",
                 "must be letters, digits and _, not starting with a digit");
    }
    rule_.name = *name;
    rule_.name_line = static_cast<int>(r_.get("name")->source().begin.line);
  }

  void read_signal() {
    auto text = r_.string("signal");
    if (!text) {
      if (!r_.get("signal")) r_.problem_here("signal", "is required");
      return;
    }
    std::string_view name = *text;
    if (name.starts_with("pct_change(") && name.ends_with(")")) {
      rule_.pct_change = true;
      name = name.substr(11, name.size() - 12);
    }
    auto signal = parse_signal(name);
    if (!signal) {
      r_.problem(*r_.get("signal"), "signal",
                 "unknown signal \"" + std::string(name) + "\" (rules/README.md lists them)");
      return;
    }
    rule_.signal = *signal;
    signal_known_ = true;
    auto item = r_.string("item");
    if (item) rule_.item = *item;
    if (rule_.signal == Signal::kItems && rule_.item.empty()) {
      r_.problem_here("item", "is required by the items signal (a count kind such as \"rows\")");
    } else if (rule_.signal != Signal::kItems && item) {
      r_.problem(*r_.get("item"), "item", "only the items signal takes an item");
    }
  }

  void read_selection() {
    if (auto tenants = r_.string_list("tenants")) rule_.tenants = *tenants;
    if (auto where = r_.string_table("where")) rule_.where = *where;
    if (auto by = r_.string_list("by")) rule_.by = *by;
    if (!signal_known_) return;
    const auto& allowed = dimensions_of(rule_.signal);
    for (const auto& [name, value] : rule_.where) check_filter(allowed, name, value);
    std::set<std::string> seen;
    for (const auto& name : rule_.by) {
      if (!contains(allowed, name) || name == kStateLabel) {
        r_.problem(
            *r_.get("by"), "by",
            "cannot group " + std::string(signal_name(rule_.signal)) + " by \"" + name + "\"");
      } else if (!seen.insert(name).second) {
        r_.problem(*r_.get("by"), "by", "names \"" + name + "\" twice");
      }
    }
    if (rule_.signal == Signal::kWarehouseConnectionStatus && !rule_.where.count("state")) {
      r_.problem_here("where.state", "is required by warehouse_connection_status");
    }
  }

  void check_filter(const std::vector<std::string_view>& allowed, const std::string& name,
                    const std::string& value) {
    const toml::node& node = *r_.get("where");
    if (!contains(allowed, name)) {
      r_.problem(node, "where." + name,
                 "is not a dimension of " + std::string(signal_name(rule_.signal)));
    } else if (name == kStatusLabel && !kStatuses.count(value)) {
      r_.problem(node, "where.status", "must be success, vendor_error or exception");
    } else if (name == kStateLabel && !kWarehouseStates.count(value)) {
      r_.problem(node, "where.state", "must be active, idle, degraded or error");
    }
  }

  void read_condition() {
    if (auto window = r_.duration("window")) {
      if (*window <= 0 || *window > 400 * kMsPerDay) {
        r_.problem(*r_.get("window"), "window", "must be more than 0 and at most 400d");
      }
      rule_.window = *window;
    }
    if (auto op = r_.string("op")) {
      auto parsed = parse_comparison(*op);
      if (!parsed) r_.problem(*r_.get("op"), "op", "must be one of > >= < <= == !=");
      rule_.op = parsed.value_or(Comparison::kGreater);
    } else if (!r_.get("op")) {
      r_.problem_here("op", "is required");
    }
    if (auto threshold = r_.number("threshold")) {
      rule_.threshold = *threshold;
    } else if (!r_.get("threshold")) {
      r_.problem_here("threshold", "is required");
    }
    if (auto d = r_.duration("for")) rule_.for_duration = *d;
    if (auto d = r_.duration("keep_firing_for")) rule_.keep_firing_for = *d;
    if (auto min = r_.value<std::int64_t>("min_events", "an integer")) {
      if (*min < 0) r_.problem(*r_.get("min_events"), "min_events", "must not be negative");
      rule_.min_events = static_cast<std::uint64_t>(std::max<std::int64_t>(0, *min));
    }
  }

  void read_presentation() {
    if (auto severity = r_.string("severity")) {
      if (!kSeverities.count(*severity)) {
        r_.problem(*r_.get("severity"), "severity",
                   "must be info, success, warning, error or critical");
      }
      rule_.severity = *severity;
    }
    if (auto source = r_.string("source")) {
      if (source->empty()) r_.problem(*r_.get("source"), "source", "must not be empty");
      rule_.source = *source;
    }
    if (auto title = r_.string("title")) rule_.title = *title;
    if (rule_.title.empty()) r_.problem_here("title", "is required");
    rule_.message = r_.string("message").value_or(
        "{{signal}} is {{value}} over {{window}} (alert when {{op}} {{threshold}})");
    rule_.link = r_.string("link").value_or("");
    rule_.pinned = r_.value<bool>("pinned", "true or false").value_or(false);
    if (auto labels = r_.string_table("labels")) rule_.labels = *labels;
    if (auto annotations = r_.string_table("annotations")) rule_.annotations = *annotations;
    for (const auto& [name, value] : rule_.labels) {
      if (!is_label_name(name) || is_reserved_label(name)) {
        r_.problem(*r_.get("labels"), "labels." + name,
                   "is not a label name a rule may set (reserved or malformed)");
      }
    }
  }

  // A placeholder must name something every alert of the rule has.
  void check_templates() {
    std::set<std::string> known = {std::string(kTenantLabel), "alertname", "severity", "source"};
    known.insert(rule_.by.begin(), rule_.by.end());
    for (const auto& [name, value] : rule_.labels) known.insert(name);
    for (const auto& [name, value] : rule_.where) known.insert(name);
    // `node`: the key's value, so that a problem names the line it is on.
    auto check = [&](const toml::node* node, const std::string& key, const std::string& text) {
      for (const auto& name : template_names(text)) {
        if (name == "{{") {
          r_.problem_at(node, key, "has a {{ without its }}");
        } else if (!known.count(name) && !is_builtin_template_name(name)) {
          r_.problem_at(node, key,
                        "uses {{" + name +
                            "}}, which is neither a group label of the rule nor one of "
                            "value, threshold, window, rule, op, signal");
        }
      }
    };
    check(r_.get("title"), "title", rule_.title);
    check(r_.get("message"), "message", rule_.message);
    check(r_.get("link"), "link", rule_.link);
    const toml::node* annotations = r_.get("annotations");
    const toml::table* annotation_table = annotations ? annotations->as_table() : nullptr;
    for (const auto& [name, text] : rule_.annotations) {
      check(annotation_table ? annotation_table->get(name) : nullptr, "annotations." + name, text);
    }
  }

  TableReader& r_;
  Rule& rule_;
  bool signal_known_ = false;
};

}  // namespace

const std::vector<std::string_view>& dimensions_of(Signal signal) {
  switch (signal) {
    case Signal::kFailedDeliveries:
      return kDeliveryDimensions;
    case Signal::kDlqDepth:
    case Signal::kFailingSyncs:
      return kKeyDimension;
    case Signal::kWarehouseConnectionStatus:
      return kConnectionDimensions;
    case Signal::kAudienceSizeChangePct:
      return kAudienceDimension;
    default:
      return kEventDimensions;
  }
}

RuleLoad parse_rules(std::string_view text, const std::string& file) {
  RuleLoad load;
  const auto parsed = parse_toml(text, file, load.problems);
  if (!parsed) return load;
  const toml::table& doc = *parsed;
  TableReader root(doc, "", file, load.problems);
  const toml::node* rules = root.get("rules");
  const toml::array* list = rules ? rules->as_array() : nullptr;
  if (rules && (!list || !list->is_array_of_tables())) {
    root.problem(*rules, "rules", "must be an array of tables ([[rules]])");
    return load;
  }
  for (size_t i = 0; list && i < list->size(); ++i) {
    const toml::table& table = *list->at(i).as_table();
    TableReader r(table, "rules[" + std::to_string(i) + "]", file, load.problems);
    Rule rule;
    rule.file = file;
    rule.line = static_cast<int>(table.source().begin.line);
    rule.index = i;
    RuleReader(r, rule).read();
    load.rules.push_back(std::move(rule));
  }
  return load;
}

RuleLoad load_rule_files(const std::vector<std::string>& paths) {
  RuleLoad all;
  std::map<std::string, const Rule*> names;
  for (const auto& path : paths) {
    const auto text = read_source_file(path, all.problems);
    if (!text) continue;
    RuleLoad one = parse_rules(*text, path);
    all.problems.insert(all.problems.end(), one.problems.begin(), one.problems.end());
    for (auto& rule : one.rules) all.rules.push_back(std::move(rule));
  }
  for (const auto& rule : all.rules) {
    if (rule.name.empty()) continue;
    auto [it, fresh] = names.emplace(rule.name, &rule);
    if (!fresh) {
      all.problems.push_back({rule.file, rule.name_line,
                              "rules[" + std::to_string(rule.index) + "].name",
                              "\"" + rule.name + "\" is already the name of the rule at " +
                                  it->second->file + ":" + std::to_string(it->second->line)});
    }
  }
  return all;
}

std::vector<std::string> expand_rule_globs(const std::vector<std::string>& patterns,
                                           const std::string& base_dir) {
  std::set<std::string> paths;
  for (const auto& pattern : patterns) {
    const std::filesystem::path p(pattern);
    const std::string full =
        p.is_absolute() ? pattern : (std::filesystem::path(base_dir) / p).string();
    glob_t matches{};
    if (::glob(full.c_str(), 0, nullptr, &matches) == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) paths.insert(matches.gl_pathv[i]);
    }
    ::globfree(&matches);
  }
  return {paths.begin(), paths.end()};
}

}  // namespace vitals::evaluator
