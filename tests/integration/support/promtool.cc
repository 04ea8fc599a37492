#include "support/promtool.h"

#include <chrono>
#include <stdexcept>

#include "support/process.h"
#include "support/temp_dir.h"

namespace vitals::testing {

PromtoolResult promtool_check_metrics(const std::string& exposition) {
  // Going through files instead of pipes keeps ChildProcess simple and cannot deadlock on a
  // large exposition filling a pipe buffer.
  TempDir dir;
  ChildProcess promtool;
  promtool.start(LaunchSpec{.argv = {"/usr/bin/promtool", "check", "metrics"},
                            .log_path = dir.path() / "promtool.log",
                            .stdin_path = dir.write_file("metrics.prom", exposition)});
  const auto status = promtool.wait_exit(std::chrono::seconds(30));
  if (!status) {
    promtool.kill_hard();
    throw std::runtime_error("promtool check metrics did not finish within 30 s");
  }
  return PromtoolResult{.exit_code = *status, .output = promtool.read_log()};
}

}  // namespace vitals::testing
