#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/rule_files.h"
#include "app/rule_test_runner.h"
#include "config/config.h"
#include "core/free_heap.h"
#include "evaluator/prometheus_export.h"
#include "version.h"

namespace {

int usage(std::ostream& out, int code) {
  out << "usage:\n"
         "  vitals serve --config FILE     run the exporter\n"
         "  vitals check config FILE       validate a configuration file and its rules\n"
         "  vitals check rules FILE...     validate rule files\n"
         "  vitals test rules FILE         run rule unit tests\n"
         "  vitals rules export --format prometheus FILE...\n"
         "                                 print the rules as Prometheus alerting rules\n"
         "  vitals version                 print the version\n";
  return code;
}

int print_problems(const std::vector<vitals::SourceProblem>& problems) {
  for (const auto& p : problems) std::cerr << p.to_string() << "\n";
  return problems.empty() ? 0 : 1;
}

int print_problems(const vitals::ConfigLoad& load) {
  return print_problems(load.problems);
}

int check_config(const std::string& path) {
  auto load = vitals::load_config_file(path);
  if (print_problems(load) != 0) return 1;
  const auto rules = vitals::load_configured_rules(*load.config);
  if (print_problems(rules.problems) != 0) return 1;
  std::cout << path << ": OK (" << load.config->tenants.size() << " tenants, "
            << load.config->tokens.size() << " tokens, " << rules.rules.size() << " rules, "
            << load.config->sources.size() << " sources)\n";
  return 0;
}

int check_rules(const std::vector<std::string>& paths) {
  const auto load = vitals::evaluator::load_rule_files(paths);
  if (print_problems(load.problems) != 0) return 1;
  std::cout << "OK: " << load.rules.size() << " rules in " << paths.size() << " files\n";
  return 0;
}

int export_rules(const std::vector<std::string>& paths) {
  const auto load = vitals::evaluator::load_rule_files(paths);
  if (print_problems(load.problems) != 0) return 1;
  std::cout << vitals::evaluator::prometheus_rule_file(load.rules, "vitals", paths);
  return 0;
}

int serve(const std::string& path) {
  vitals::limit_heap_arenas();
  auto load = vitals::load_config_file(path);
  if (print_problems(load) != 0) return 1;
  // Signals are taken synchronously by this thread; every thread started later inherits the
  // mask, so none of them is interrupted by SIGTERM mid-write.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Over a file-size limit (RLIMIT_FSIZE) a write must fail with EFBIG, which SQLite reports as
  // a full disk (ingest answers 503), rather than kill vitals with SIGXFSZ.
  signal(SIGXFSZ, SIG_IGN);

  vitals::SystemClock clock;
  std::unique_ptr<vitals::Application> app;
  try {
    app = std::make_unique<vitals::Application>(std::move(*load.config), clock);
    app->start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    return 1;
  }
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      app->reload();  // logs what it loaded or why it refused
      continue;
    }
    spdlog::info("{}: shutting down", strsignal(sig));
    break;
  }
  app->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage(std::cerr, 2);
  if (args[0] == "version" || args[0] == "--version") {
    std::cout << "vitals " << vitals::kVitalsVersion << " (" << vitals::kVitalsRevision << ")\n";
    return 0;
  }
  if (args[0] == "serve" && args.size() == 3 && args[1] == "--config") return serve(args[2]);
  if (args[0] == "check" && args.size() == 3 && args[1] == "config") return check_config(args[2]);
  if (args[0] == "check" && args.size() >= 3 && args[1] == "rules") {
    return check_rules({args.begin() + 2, args.end()});
  }
  if (args[0] == "test" && args.size() == 3 && args[1] == "rules") {
    return vitals::run_rule_tests(args[2], std::cout, std::cerr);
  }
  if (args.size() >= 5 && args[0] == "rules" && args[1] == "export" && args[2] == "--format" &&
      args[3] == "prometheus") {
    return export_rules({args.begin() + 4, args.end()});
  }
  if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") return usage(std::cout, 0);
  return usage(std::cerr, 2);
}
