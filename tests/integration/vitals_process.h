#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace vitals::testing {

// A real `vitals serve` on a free loopback port with its own data directory. The configuration
// is examples/vitals.toml's tenants and tokens, with `extra_server_toml` in [server] and
// `extra_toml` (more tokens, say) at the end; the store
// survives stop()/start(), so restarts can be tested.
class VitalsProcess {
 public:
  explicit VitalsProcess(std::string extra_server_toml = "", std::string extra_toml = "");
  ~VitalsProcess();

  void start();
  // Environment variables the next start() adds (a source's token, say).
  void set_env(std::map<std::string, std::string> env) { env_ = std::move(env); }
  // Words the next start() puts before the command (PrivateTmpfs::launch_prefix(), say); the
  // program they run must exec vitals, so that pid() stays vitals' own.
  void set_launch_prefix(std::vector<std::string> prefix) { launch_prefix_ = std::move(prefix); }
  // SIGTERM; returns the exit status. Any end of vitals but a clean one with no sanitizer
  // report in its log (a leak found at exit, say) also fails the running test, here and in the
  // destructor, so that a sanitized build cannot pass with a leaking child.
  int stop();
  // SIGKILL: the process gets no chance to flush anything.
  void kill_hard();

  std::string url(const std::string& path) const;
  std::string address() const;  // "127.0.0.1:PORT"
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  // The SQLite store, which a test may open itself once vitals is stopped.
  std::filesystem::path db_path() const { return dir_.path() / "data" / "vitals.db"; }
  const TempDir& dir() const { return dir_; }
  std::string log() const { return process_.read_log(); }

  // POSTs NDJSON to /api/v1/events with the given token.
  HttpResponse ingest(const std::string& ndjson, const std::string& token = "dev-ingest-token");
  HttpResponse get(const std::string& path, const std::string& token);
  // One series' value on /metrics now, or -1 when it is not there.
  double metric(const std::string& series);

 private:
  int stop_and_check();

  TempDir dir_;
  int port_;
  std::string config_path_;
  std::map<std::string, std::string> env_;
  std::vector<std::string> launch_prefix_;
  ChildProcess process_;
  HttpClient client_;
};

// The value of one series (name and labels as exposed) in a /metrics text, or -1.
double sample(const std::string& metrics, const std::string& series);
// How many samples of a /metrics text start with `prefix` ("family{" counts a family's series).
size_t count_samples(const std::string& metrics, const std::string& prefix);

// The tenant ids examples/vitals.toml derives from its slugs (UUIDv5, URL namespace).
inline constexpr const char* kAcmeId = "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df";
inline constexpr const char* kGlobexId = "63d183d5-b615-5fd0-9830-a4c1cbbb3aee";

}  // namespace vitals::testing
