#include "vitals_process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/ports.h"
#include "support/wait.h"

namespace vitals::testing {
namespace {

// examples/vitals.toml without its [server], [storage] and [rules] tables, which each test sets
// itself (a test that wants rules passes its own [rules] table).
std::string example_tenants_and_tokens() {
  std::ifstream in(std::string(VITALS_SOURCE_DIR) + "/examples/vitals.toml");
  std::ostringstream out;
  std::string line;
  bool skipping = false;
  while (std::getline(in, line)) {
    if (line.rfind("[", 0) == 0) {
      skipping = line == "[server]" || line == "[storage]" || line == "[rules]";
    }
    if (!skipping) out << line << "\n";
  }
  return out.str();
}

// What AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer print when they find
// something; the sanitized build's vitals writes them to its log.
bool has_sanitizer_report(const std::string& log) {
  for (const char* marker :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: "}) {
    if (log.find(marker) != std::string::npos) return true;
  }
  return false;
}

// `vitals serve` after `argv` (a launch prefix), behind the command in $VITALS_WRAPPER if set
// (split at spaces), e.g. "valgrind --leak-check=full --error-exitcode=99" for bench/mixed_load.sh
// --valgrind.
std::vector<std::string> serve_command(std::vector<std::string> argv,
                                       const std::string& config_path) {
  std::istringstream wrapper(std::getenv("VITALS_WRAPPER") ? std::getenv("VITALS_WRAPPER") : "");
  for (std::string word; wrapper >> word;) argv.push_back(word);
  for (const char* arg : {VITALS_BINARY, "serve", "--config"}) argv.emplace_back(arg);
  argv.push_back(config_path);
  return argv;
}

}  // namespace

VitalsProcess::VitalsProcess(std::string extra_server_toml, std::string extra_toml)
    : port_(free_loopback_port()) {
  std::ostringstream config;
  config << "[server]\nlisten = \"127.0.0.1:" << port_ << "\"\n"
         << extra_server_toml << "\n"
         << "[storage]\npath = \"" << (dir_.path() / "data" / "vitals.db").string() << "\"\n"
         << example_tenants_and_tokens() << "\n"
         << extra_toml << "\n";
  config_path_ = dir_.write_file("vitals.toml", config.str()).string();
}

VitalsProcess::~VitalsProcess() {
  if (process_.running()) stop_and_check();
}

void VitalsProcess::start() {
  process_.start(serve_command(launch_prefix_, config_path_), env_, dir_.path() / "vitals.log");
  HttpClient probe;
  const bool ready =
      wait_until([&] { return !process_.running() || probe.get(url("/-/ready")).status == 200; },
                 std::chrono::seconds(60));
  if (!ready || !process_.running()) {
    throw std::runtime_error("vitals did not become ready:\n" + process_.read_log());
  }
}

int VitalsProcess::stop() {
  return stop_and_check();
}

int VitalsProcess::stop_and_check() {
  const int status = process_.terminate(std::chrono::seconds(30));
  const std::string log = process_.read_log();
  EXPECT_EQ(status, 0) << "vitals did not end cleanly on SIGTERM:\n" << log;
  EXPECT_FALSE(has_sanitizer_report(log)) << log;
  return status;
}

void VitalsProcess::kill_hard() {
  process_.kill_hard();
}

std::string VitalsProcess::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::string VitalsProcess::url(const std::string& path) const {
  return "http://" + address() + path;
}

HttpResponse VitalsProcess::ingest(const std::string& ndjson, const std::string& token) {
  return client_.post(
      url("/api/v1/events"), ndjson,
      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/x-ndjson"}});
}

double VitalsProcess::metric(const std::string& series) {
  return sample(client_.get(url("/metrics")).body, series);
}

double sample(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

size_t count_samples(const std::string& metrics, const std::string& prefix) {
  size_t n = 0;
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) n += line.starts_with(prefix);
  return n;
}

HttpResponse VitalsProcess::get(const std::string& path, const std::string& token) {
  return client_.get(url(path), {{"Authorization", "Bearer " + token}});
}

}  // namespace vitals::testing
