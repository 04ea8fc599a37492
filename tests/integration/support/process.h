#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vitals::testing {

// How to launch a child. Only argv and log_path are usually needed. Every member has a default
// initializer so designated initializers may skip any of them without tripping
// -Wmissing-field-initializers.
struct LaunchSpec {
  // argv[0] is the program: an absolute path, or a bare name looked up in $PATH.
  std::vector<std::string> argv{};
  // Added to (or overriding) the test process's own environment.
  std::map<std::string, std::string> extra_env{};
  // Receives both stdout and stderr. Appended to, so a restarted server keeps its history.
  std::filesystem::path log_path{};
  std::filesystem::path stdin_path = "/dev/null";
};

// One child process started by the test and owned by it.
//
// Safety against signalling a stranger: the PID is only ever reaped by this object, and an
// unreaped PID cannot be reused by the kernel, so every kill() targets the process we started
// (or its zombie). This holds as long as nothing else in the test process reaps children
// (no waitpid(-1, ...), no SIGCHLD set to SIG_IGN).
//
// The child is killed by the kernel if the thread that started it exits (PR_SET_PDEATHSIG),
// so a crashed or killed test run does not leave servers holding ports. Start children from a
// thread that outlives them, e.g. the test's main thread.
class ChildProcess {
 public:
  // Exit status as returned by terminate()/kill_hard()/wait_exit(): the exit code (0..255),
  // or minus the signal number if a signal ended the process (-15 for SIGTERM).
  using Status = int;
  // Reported when the child was reaped behind our back, so its real status is lost.
  static constexpr Status kStatusUnknown = -1000;

  ChildProcess() = default;
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  // Throws std::system_error if the program cannot be executed, std::logic_error if this
  // object already owns a live child.
  void start(const LaunchSpec& spec);
  void start(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& extra_env,
             const std::filesystem::path& log_path);

  // -1 before start().
  pid_t pid() const { return pid_; }

  // False before start() and once the child has exited (the exit is recorded here).
  bool running();

  // SIGTERM, then up to `timeout` for a clean exit, then SIGKILL.
  Status terminate(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // SIGKILL and reap.
  Status kill_hard();

  // Waits up to `timeout` for the child to exit on its own; nullopt if it is still running.
  std::optional<Status> wait_exit(std::chrono::milliseconds timeout);

  // Status of an already reaped child.
  std::optional<Status> exit_status() const { return status_; }

  // Everything the child wrote so far, for failure messages.
  std::string read_log() const;
  const std::filesystem::path& log_path() const { return log_path_; }

 private:
  bool try_reap();
  void reap_blocking();
  void release() noexcept;

  pid_t pid_ = -1;
  std::optional<Status> status_;
  std::filesystem::path log_path_;
};

}  // namespace vitals::testing
