#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace vitals::testing {

namespace {

// Owns a file descriptor for the short stretch of start() where errors may throw.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

int open_or_throw(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
  return fd;
}

// Resolved in the parent because after fork() in a threaded process the child may only call
// async-signal-safe functions, which rules out walking $PATH with allocations.
std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::istringstream dirs(path_env != nullptr ? path_env : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::system_error(ENOENT, std::generic_category(), "program not found in PATH: " + name);
}

std::vector<std::string> build_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view var(*entry);
    const std::string name(var.substr(0, var.find('=')));
    if (!extra.contains(name)) env.emplace_back(var);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

ChildProcess::Status decode_wait_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return -WTERMSIG(raw);
  return raw;
}

// Makes `fd` the child's descriptor `target` and keeps it open across exec.
void install_fd(int fd, int target) {
  if (fd == target) {
    ::fcntl(fd, F_SETFD, 0);
  } else {
    ::dup2(fd, target);
  }
}

// Runs in the forked child: async-signal-safe calls only, never returns.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp,
                             int stdin_fd, int log_fd, int error_fd, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before prctl took effect; then nobody would ever kill us.
  if (::getppid() != parent) ::_exit(127);

  // Servers expect default signal handling; the test runner's mask and ignored signals
  // (e.g. SIGPIPE) would otherwise leak through exec.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);

  install_fd(stdin_fd, STDIN_FILENO);
  install_fd(log_fd, STDOUT_FILENO);
  install_fd(log_fd, STDERR_FILENO);
  // Descriptors the test opened without O_CLOEXEC (listening sockets, files) must not be
  // inherited, or a server under test could keep a port or file alive after the test closed it.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);

  ::execve(program, argv, envp);
  const int err = errno;
  [[maybe_unused]] ssize_t ignored = ::write(error_fd, &err, sizeof(err));
  ::_exit(127);
}

}  // namespace

ChildProcess::~ChildProcess() {
  release();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(std::exchange(other.status_, std::nullopt)),
      log_path_(std::move(other.log_path_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
    log_path_ = std::move(other.log_path_);
  }
  return *this;
}

void ChildProcess::start(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env,
                         const std::filesystem::path& log_path) {
  start(LaunchSpec{.argv = argv, .extra_env = extra_env, .log_path = log_path});
}

void ChildProcess::start(const LaunchSpec& spec) {
  if (pid_ > 0 && !status_) throw std::logic_error("ChildProcess already owns a live child");
  if (spec.argv.empty()) throw std::invalid_argument("ChildProcess::start: empty argv");

  // Everything the child needs is prepared here, before fork().
  const std::string program = resolve_program(spec.argv.front());
  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = build_environment(spec.extra_env);
  std::vector<char*> c_args = c_strings(args);
  std::vector<char*> c_env = c_strings(env);
  Fd stdin_fd(open_or_throw(spec.stdin_path, O_RDONLY));
  Fd log_fd(open_or_throw(spec.log_path, O_WRONLY | O_CREAT | O_APPEND));

  // execve() failures are reported through a close-on-exec pipe: a successful exec closes it
  // with nothing written, so the parent can tell "started" from "could not start".
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  Fd error_read(pipe_fds[0]);
  Fd error_write(pipe_fds[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    exec_child(program.c_str(), c_args.data(), c_env.data(), stdin_fd.get(), log_fd.get(),
               error_write.get(), parent);
  }

  error_write.reset();
  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(error_read.get(), &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);

  pid_ = pid;
  status_.reset();
  log_path_ = spec.log_path;
  if (n > 0) {
    reap_blocking();
    pid_ = -1;
    throw std::system_error(exec_errno, std::generic_category(), "execve " + program);
  }
}

bool ChildProcess::running() {
  return pid_ > 0 && !status_ && !try_reap();
}

ChildProcess::Status ChildProcess::terminate(std::chrono::milliseconds timeout) {
  if (!running()) return status_.value_or(0);
  ::kill(pid_, SIGTERM);
  if (auto status = wait_exit(timeout)) return *status;
  return kill_hard();
}

ChildProcess::Status ChildProcess::kill_hard() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    reap_blocking();
  }
  return status_.value_or(0);
}

std::optional<ChildProcess::Status> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Short polls: children usually exit within milliseconds of a signal, and a few wake-ups
  // are cheaper than the machinery (pidfd, SIGCHLD handlers) to wait precisely.
  while (!status_ && !try_reap() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

std::string ChildProcess::read_log() const {
  if (log_path_.empty()) return {};
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool ChildProcess::try_reap() {
  if (status_) return true;
  int raw = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &raw, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    status_ = decode_wait_status(raw);
    return true;
  }
  if (r < 0 && errno == ECHILD) {
    // Someone else reaped it; the PID may already belong to a stranger, so never signal it.
    status_ = kStatusUnknown;
    return true;
  }
  return false;
}

void ChildProcess::reap_blocking() {
  int raw = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &raw, 0);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    status_ = decode_wait_status(raw);
  } else {
    status_ = kStatusUnknown;
  }
}

void ChildProcess::release() noexcept {
  if (running()) kill_hard();
  pid_ = -1;
  status_.reset();
}

}  // namespace vitals::testing
