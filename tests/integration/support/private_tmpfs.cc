#include "support/private_tmpfs.h"

#include <sys/stat.h>

#include <stdexcept>

#include "support/temp_dir.h"
#include "support/wait.h"

namespace vitals::testing {
namespace {

// Runs a short command to its end; throws with what it printed unless it exits 0.
void run_or_throw(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  ChildProcess child;
  child.start(argv, {}, log);
  const auto status = child.wait_exit(std::chrono::seconds(30));
  if (status != 0) {
    std::string command;
    for (const auto& word : argv) command += word + " ";
    throw std::runtime_error("`" + command + "` failed:\n" + child.read_log());
  }
}

dev_t device_of(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_dev : 0;
}

}  // namespace

PrivateTmpfs::PrivateTmpfs(std::filesystem::path mount_point, std::uint64_t size_bytes)
    : mount_point_(std::move(mount_point)) {
  std::filesystem::create_directories(mount_point_);
  const std::string script = "mount -t tmpfs -o size=" + std::to_string(size_bytes) +
                             ",mode=0700 vitals-test \"$1\" && exec sleep 86400";
  holder_.start({"unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                 mount_point_.string()},
                {}, mount_point_.parent_path() / "private-tmpfs.log");
  // Mounted once the directory seen through the holder is on another device than ours.
  const dev_t plain = device_of(mount_point_);
  const bool mounted = wait_until(
      [&] {
        if (!holder_.running()) return false;
        const dev_t inside = device_of(outside_path(mount_point_));
        return inside != 0 && inside != plain;
      },
      std::chrono::seconds(10));
  if (!mounted) {
    throw std::runtime_error("no private tmpfs at " + mount_point_.string() + ":\n" +
                             holder_.read_log());
  }
}

PrivateTmpfs::~PrivateTmpfs() {
  // The namespace, and the tmpfs with it, goes with its last process.
  if (holder_.running()) holder_.kill_hard();
}

bool PrivateTmpfs::available() {
  try {
    TempDir dir;
    PrivateTmpfs probe(dir.path() / "mnt", 1 << 20);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> PrivateTmpfs::launch_prefix() const {
  return {"nsenter", "--target", std::to_string(holder_.pid()), "--mount", "--"};
}

void PrivateTmpfs::resize(std::uint64_t size_bytes) {
  remount("remount,size=" + std::to_string(size_bytes));
}

void PrivateTmpfs::set_read_only(bool read_only) {
  remount(read_only ? "remount,ro" : "remount,rw");
}

void PrivateTmpfs::remount(const std::string& options) {
  std::vector<std::string> argv = launch_prefix();
  for (const char* word : {"mount", "-o"}) argv.emplace_back(word);
  argv.push_back(options);
  argv.push_back(mount_point_.string());
  run_or_throw(argv, mount_point_.parent_path() / "private-tmpfs.log");
}

std::filesystem::path PrivateTmpfs::outside_path(const std::filesystem::path& inside) const {
  return std::filesystem::path("/proc") / std::to_string(holder_.pid()) / "root" /
         inside.relative_path();
}

}  // namespace vitals::testing
