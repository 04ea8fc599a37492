#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/process.h"

namespace vitals::testing {

// A size-limited file system that only the test's own processes see: a tmpfs mounted at
// `mount_point` inside a private mount namespace, held open by a sleeping child of the test.
// Programs started through launch_prefix() run in that namespace and see the tmpfs; everything
// else on the machine (the test itself included) sees the plain directory beneath it.
//
// It lets a test fill a real file system (ENOSPC from the kernel, not a simulated error) and
// give space back by remounting it bigger, without touching any mount the machine has. It needs
// the privilege to create a mount namespace (root, or a user namespace); available() tells.
class PrivateTmpfs {
 public:
  PrivateTmpfs(std::filesystem::path mount_point, std::uint64_t size_bytes);
  ~PrivateTmpfs();

  PrivateTmpfs(const PrivateTmpfs&) = delete;
  PrivateTmpfs& operator=(const PrivateTmpfs&) = delete;

  // Whether this machine lets the test create a mount namespace with a tmpfs in it.
  static bool available();

  // Put before a program's argv to run it inside the namespace (with the same PID: nsenter
  // execs the program rather than forking it).
  std::vector<std::string> launch_prefix() const;

  // Changes the file system's size; smaller than what it holds is refused by the kernel.
  void resize(std::uint64_t size_bytes);
  // Remounts read-only or read-write. A file system with a file open for writing cannot be
  // made read-only (EBUSY), which is why only a stopped program's store can be.
  void set_read_only(bool read_only);

  // How a path under the mount point is reached from outside the namespace.
  std::filesystem::path outside_path(const std::filesystem::path& inside) const;

 private:
  void remount(const std::string& options);

  std::filesystem::path mount_point_;
  ChildProcess holder_;
};

}  // namespace vitals::testing
