#include "rollup/rollup_snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace vitals {
namespace {

constexpr std::string_view kMagic = "vitals rollup snapshot";
// Bumped whenever the layout of the file or of the rollup tables changes; an older file is then
// ignored and the rollups are rebuilt from the store.
constexpr std::uint64_t kFormatVersion = 1;

// A file descriptor closed on every path.
class File {
 public:
  File(const std::string& path, int flags) : fd_(::open(path.c_str(), flags | O_CLOEXEC, 0644)) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return fd_; }
  bool open() const { return fd_ >= 0; }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void save_rollup_snapshot(const RollupEngine& rollups, const std::string& path,
                          std::string_view store_fingerprint) {
  const std::string temporary = path + ".tmp";
  {
    File file(temporary, O_WRONLY | O_CREAT | O_TRUNC);
    if (!file.open()) fail("cannot create", temporary);
    BinaryWriter out([&](std::string_view data) { write_all(file.fd(), data, temporary); });
    out.str(kMagic);
    out.u64(kFormatVersion);
    out.str(store_fingerprint);
    rollups.write(out);
    out.checksum();
    if (::fsync(file.fd()) != 0) fail("cannot sync", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename", temporary);
}

SnapshotLoad load_rollup_snapshot(
    RollupEngine& rollups, const std::string& path,
    const std::function<bool(std::int64_t applied_seq, const std::string& fingerprint)>& accept) {
  File file(path, O_RDONLY);
  if (!file.open()) return {};
  BinaryReader in([&](char* data, size_t size) -> size_t {
    for (;;) {
      const ssize_t n = ::read(file.fd(), data, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) throw BinaryFormatError(std::string("cannot read: ") + strerror(errno));
    }
  });
  try {
    if (in.str(kMagic.size()) != kMagic) return {false, 0, "not a rollup snapshot"};
    if (in.u64() != kFormatVersion) return {false, 0, "written by another version of vitals"};
    const std::string fingerprint = in.str(1024);
    RollupEngine::State state = rollups.read(in);
    in.expect_checksum();
    if (!accept(state.applied_seq, fingerprint)) {
      return {false, state.applied_seq, "it does not match the event store"};
    }
    const std::int64_t seq = state.applied_seq;
    rollups.adopt(std::move(state));
    return {true, seq, ""};
  } catch (const BinaryFormatError& e) {
    return {false, 0, std::string("it is damaged: ") + e.what()};
  }
}

}  // namespace vitals
