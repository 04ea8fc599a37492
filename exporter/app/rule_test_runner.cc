#include "app/rule_test_runner.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "alerting/exporter_signal_source.h"
#include "core/crypto.h"
#include "core/toml_reader.h"
#include "evaluator/memory_state_store.h"
#include "evaluator/rule_loader.h"
#include "evaluator/rule_manager.h"

namespace vitals {
namespace {

using evaluator::Labels;

struct TestEvent {
  Event event;
  TimeMs every = 0;
  TimeMs until = 0;
};

struct AudienceSize {
  std::string tenant_id;
  std::string audience;
  TimeMs at = 0;
  std::int64_t size = 0;
};

struct Expectation {
  TimeMs at = 0;
  std::vector<Labels> firing;
  std::optional<std::vector<Labels>> pending;
};

struct RuleTest {
  std::string name;
  std::vector<TestEvent> events;
  std::vector<Entity> entities;
  std::vector<AudienceSize> sizes;
  std::vector<Expectation> expectations;
};

struct TestFile {
  std::vector<std::string> rule_files;
  TimeMs interval = kMsPerMinute;
  TimeMs start = 0;
  std::vector<TenantConfig> tenants;
  std::vector<RuleTest> tests;
};

// Reads the test file, reporting problems like the configuration does.
class TestFileReader {
 public:
  TestFileReader(const std::string& path, std::vector<SourceProblem>& problems)
      : path_(path), problems_(problems) {}

  TestFile read(const toml::table& doc) {
    TestFile file;
    TableReader root(doc, "", path_, problems_);
    const auto base = std::filesystem::path(path_).parent_path();
    for (const auto& f : root.string_list("rule_files").value_or(std::vector<std::string>{})) {
      file.rule_files.push_back(std::filesystem::path(f).is_absolute() ? f : (base / f).string());
    }
    if (file.rule_files.empty()) root.problem_here("rule_files", "must name at least one file");
    file.interval = root.duration("evaluation_interval").value_or(kMsPerMinute);
    if (file.interval <= 0) root.problem_here("evaluation_interval", "must be more than 0");
    file.start = parse_rfc3339(root.string("start").value_or("2026-01-05T00:00:00Z")).value_or(0);
    for (const auto& slug :
         root.string_list("tenants").value_or(std::vector<std::string>{"acme"})) {
      file.tenants.push_back({slug, slug, uuid_v5_url(slug)});
    }
    for_each_table(root, "tests",
                   [&](TableReader& r, size_t) { file.tests.push_back(test(r, file)); });
    return file;
  }

 private:
  template <typename Visit>
  void for_each_table(TableReader& parent, const char* key, Visit&& visit) {
    const toml::node* node = parent.get(key);
    if (!node) return;
    const toml::array* list = node->as_array();
    if (!list || !list->is_array_of_tables()) {
      parent.problem(*node, key, "must be an array of tables ([[" + std::string(key) + "]])");
      return;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      TableReader r(*list->at(i).as_table(), parent.qualified(key) + "[" + std::to_string(i) + "]",
                    path_, problems_);
      visit(r, i);
    }
  }

  const std::string& tenant_id(TableReader& r, const TestFile& file) {
    const auto slug = r.string("tenant");
    for (const auto& t : file.tenants) {
      if (!slug || t.slug == *slug) return t.id;
    }
    r.problem_here("tenant", "is not one of the file's tenants");
    return file.tenants.front().id;
  }

  TimeMs at(TableReader& r, const TestFile& file, const char* key = "at") {
    return file.start + r.duration(key).value_or(0);
  }

  RuleTest test(TableReader& r, const TestFile& file) {
    RuleTest t;
    t.name = r.string("name").value_or("unnamed");
    for_each_table(r, "events",
                   [&](TableReader& e, size_t) { t.events.push_back(event(e, file)); });
    for_each_table(r, "entities", [&](TableReader& e, size_t) {
      const std::string id = e.string("id").value_or("");
      if (id.empty()) e.problem_here("id", "is required");
      t.entities.push_back({tenant_id(e, file), e.string("kind").value_or(""), id,
                            e.string("name").value_or(id), e.string("status").value_or("active"),
                            e.string("attributes").value_or("{}"), 0, 0});
    });
    for_each_table(r, "audience_sizes", [&](TableReader& e, size_t) {
      t.sizes.push_back({tenant_id(e, file), e.string("audience").value_or(""), at(e, file),
                         e.value<std::int64_t>("size", "an integer").value_or(0)});
    });
    for_each_table(r, "expect", [&](TableReader& e, size_t) {
      Expectation x;
      x.at = at(e, file);
      if ((x.at - file.start) % file.interval != 0) {
        e.problem_here("at", "must be a multiple of evaluation_interval");
      }
      x.firing = label_sets(e, "firing").value_or(std::vector<Labels>{});
      x.pending = label_sets(e, "pending");
      t.expectations.push_back(std::move(x));
    });
    return t;
  }

  TestEvent event(TableReader& r, const TestFile& file) {
    TestEvent t;
    Event& e = t.event;
    e.tenant_id = tenant_id(r, file);
    e.type = r.string("type").value_or("sync_run");
    e.key = r.string("key").value_or("default");
    e.mode = r.string("mode").value_or("default");
    const auto status = parse_status(r.string("status").value_or("success"));
    if (!status) r.problem_here("status", "must be success, vendor_error or exception");
    e.status = status.value_or(EventStatus::kSuccess);
    e.error_category = r.string("error_category").value_or(is_failure(e.status) ? "unknown" : "");
    e.latency_ms = r.number("latency_ms");
    e.time = at(r, file);
    e.counts = counts(r);
    t.every = r.duration("every").value_or(0);
    t.until = r.get("until") ? at(r, file, "until") : e.time + 1;
    return t;
  }

  // counts = { rows = 10, evaluations = 3 }
  ItemCounts counts(TableReader& r) {
    ItemCounts out;
    const toml::node* node = r.get("counts");
    const toml::table* table = node ? node->as_table() : nullptr;
    if (node && !table) r.problem(*node, "counts", "must be a table of integers");
    for (auto it = table ? table->begin() : toml::table::const_iterator{};
         table && it != table->end(); ++it) {
      const auto n = it->second.value<std::int64_t>();
      if (!n) r.problem(it->second, "counts." + std::string(it->first.str()), "must be an integer");
      out.emplace_back(std::string(it->first.str()), n.value_or(0));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::optional<std::vector<Labels>> label_sets(TableReader& r, const char* key) {
    const toml::node* node = r.get(key);
    if (!node) return std::nullopt;
    std::vector<Labels> out;
    const toml::array* list = node->as_array();
    for (size_t i = 0; list && i < list->size(); ++i) {
      Labels labels;
      if (const toml::table* t = list->at(i).as_table()) {
        for (auto&& [name, value] : *t)
          labels[std::string(name.str())] = value.value_or(std::string());
      }
      out.push_back(std::move(labels));
    }
    if (!list) r.problem(*node, key, "must be an array of label tables");
    return out;
  }

  std::string path_;
  std::vector<SourceProblem>& problems_;
};

// The tests look at alert state, not at what would be announced.
class DiscardingSink : public evaluator::AlertSink {
 public:
  void announce(const std::vector<evaluator::Announcement>&) override {}
};

bool matches(const Labels& expected, const Labels& actual) {
  for (const auto& [name, value] : expected) {
    auto it = actual.find(name);
    if (it == actual.end() || it->second != value) return false;
  }
  return true;
}

std::string describe(const std::vector<Labels>& sets) {
  std::string out = "[";
  for (const auto& labels : sets) {
    out += out.size() > 1 ? ", {" : "{";
    bool first = true;
    for (const auto& [name, value] : labels) {
      out += (first ? "" : ", ") + name + "=\"" + value + "\"";
      first = false;
    }
    out += "}";
  }
  return out + "]";
}

// Each expected label set must match a distinct alert, and no alert may be left over.
bool same_alerts(const std::vector<Labels>& expected, std::vector<Labels> actual) {
  if (expected.size() != actual.size()) return false;
  for (const auto& want : expected) {
    auto it = std::find_if(actual.begin(), actual.end(),
                           [&](const Labels& a) { return matches(want, a); });
    if (it == actual.end()) return false;
    actual.erase(it);
  }
  return true;
}

// A scratch copy of vitals' data layer for one test.
class Scratch {
 public:
  Scratch(const TestFile& file, TimeMs now)
      : dir_(std::filesystem::temp_directory_path() /
             ("vitals-rule-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))),
        tenants_(file.tenants) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "vitals.db").string();
    store_ = std::make_unique<EventStore>(db);
    rollups_ = std::make_unique<RollupEngine>(
        RollupOptions{400 * kMsPerDay, 8 * kMsPerDay},
        [this](const RawScan& s, const std::function<void(const Event&)>& visit) {
          store_->scan({s.tenant_id, s.from, s.to, s.max_seq}, visit);
        },
        now - 400 * kMsPerDay);
    entities_ = std::make_unique<EntityStore>(db);
    audiences_ = std::make_unique<AudienceStore>(db);
    warehouse_ = std::make_unique<WarehouseTelemetry>(*rollups_, *store_, WarehouseThresholds{},
                                                      400 * kMsPerDay);
    source_ = std::make_unique<ExporterSignalSource>(tenants_, *rollups_, *entities_, *audiences_,
                                                     *warehouse_);
  }
  ~Scratch() {
    source_.reset();
    warehouse_.reset();
    audiences_.reset();
    entities_.reset();
    rollups_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void load(const RuleTest& test) {
    std::vector<Event> events;
    for (const auto& e : test.events) {
      for (TimeMs t = e.event.time; t < e.until; t += std::max<TimeMs>(e.every, 1)) {
        events.push_back(e.event);
        events.back().time = t;
        if (e.every == 0) break;
      }
    }
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return a.time < b.time; });
    if (!events.empty()) {
      store_->append(events, [&](const std::vector<StoredEventRef>& s) { rollups_->apply(s); });
    }
    for (const auto& entity : test.entities) entities_->put(entity, 0);
    for (const auto& s : test.sizes) {
      audiences_->add_sizes(s.tenant_id, s.audience, {{s.at, s.size}});
    }
  }

  const evaluator::SignalSource& source() const { return *source_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  TenantDirectory tenants_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<RollupEngine> rollups_;
  std::unique_ptr<EntityStore> entities_;
  std::unique_ptr<AudienceStore> audiences_;
  std::unique_ptr<WarehouseTelemetry> warehouse_;
  std::unique_ptr<ExporterSignalSource> source_;
};

std::vector<Labels> alerts_in(const evaluator::RuleManager& manager, evaluator::AlertState state) {
  std::vector<Labels> out;
  for (const auto& a : manager.active_alerts()) {
    if (a.state == state) out.push_back(a.labels);
  }
  return out;
}

// Runs one test; returns the failure, or an empty string.
std::string run_test(const TestFile& file, const std::vector<evaluator::Rule>& rules,
                     const RuleTest& test) {
  TimeMs last = file.start;
  for (const auto& x : test.expectations) last = std::max(last, x.at);
  Scratch scratch(file, last);
  scratch.load(test);
  DiscardingSink sink;
  evaluator::MemoryAlertStateStore state;
  evaluator::RuleManager manager(scratch.source(), sink, state);
  manager.set_rules(rules, file.start);
  for (TimeMs now = file.start; now <= last; now += file.interval) {
    manager.evaluate(now);
    for (const auto& x : test.expectations) {
      if (x.at != now) continue;
      const std::string when = "at +" + std::to_string((now - file.start) / 1000) + "s";
      const auto firing = alerts_in(manager, evaluator::AlertState::kFiring);
      if (!same_alerts(x.firing, firing)) {
        return when + ": expected firing " + describe(x.firing) + ", got " + describe(firing);
      }
      const auto pending = alerts_in(manager, evaluator::AlertState::kPending);
      if (x.pending && !same_alerts(*x.pending, pending)) {
        return when + ": expected pending " + describe(*x.pending) + ", got " + describe(pending);
      }
    }
  }
  return {};
}

}  // namespace

int run_rule_tests(const std::string& path, std::ostream& out, std::ostream& err) {
  std::vector<SourceProblem> problems;
  TestFile file;
  const auto text = read_source_file(path, problems);
  const auto doc = text ? parse_toml(*text, path, problems) : std::nullopt;
  if (doc) file = TestFileReader(path, problems).read(*doc);
  const auto rules =
      problems.empty() ? evaluator::load_rule_files(file.rule_files) : evaluator::RuleLoad{};
  problems.insert(problems.end(), rules.problems.begin(), rules.problems.end());
  for (const auto& p : problems) err << p.to_string() << "\n";
  if (!problems.empty()) return 2;
  int failed = 0;
  for (const auto& test : file.tests) {
    std::string failure;
    try {
      failure = run_test(file, rules.rules, test);
    } catch (const std::exception& e) {
      failure = std::string("could not run: ") + e.what();
    }
    out << (failure.empty() ? "PASS  " : "FAIL  ") << test.name
        << (failure.empty() ? "" : ": " + failure) << "\n";
    failed += failure.empty() ? 0 : 1;
  }
  out << file.tests.size() - failed << " of " << file.tests.size() << " rule tests passed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace vitals
