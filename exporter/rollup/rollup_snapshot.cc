#include "rollup/rollup_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace vitals {
namespace {

constexpr std::string_view kMagic = "vitals rollup snapshot";
// Bumped whenever the layout of the file or of the rollup tables changes; an older file is then
// ignored and the rollups are rebuilt from the store.
constexpr std::uint64_t kFormatVersion = 3;
// The file ends with the directory's offset (8 bytes, little-endian) and this; a file cut short
// lacks it.
constexpr std::string_view kEndMagic = "end of vitals rollup snapshot";
constexpr size_t kTrailerSize = sizeof(std::uint64_t) + kEndMagic.size();
constexpr size_t kMaxParts = 1 << 16;

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

// Reads [from, to) of the file, from any thread: each reader has its own offset.
BinaryReader::Source range_of(int fd, std::uint64_t from, std::uint64_t to) {
  return [fd, at = from, to](char* data, size_t size) mutable -> size_t {
    size = static_cast<size_t>(std::min<std::uint64_t>(size, to - at));
    while (size > 0) {
      const ssize_t n = ::pread(fd, data, size, static_cast<off_t>(at));
      if (n >= 0) {
        at += static_cast<std::uint64_t>(n);
        return static_cast<size_t>(n);
      }
      if (errno != EINTR) throw BinaryFormatError(std::string("cannot read: ") + strerror(errno));
    }
    return 0;
  };
}

// Where each part of the rollups is in the file.
struct Directory {
  RollupEngine::SnapshotLayout layout;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // [from, to) of each part
};

Directory read_directory(int fd, std::uint64_t file_size) {
  if (file_size < kTrailerSize) throw BinaryFormatError("the file ends early");
  std::string trailer(kTrailerSize, '\0');
  auto source = range_of(fd, file_size - kTrailerSize, file_size);
  for (size_t got = 0; got < kTrailerSize;) {
    const size_t n = source(trailer.data() + got, kTrailerSize - got);
    if (n == 0) throw BinaryFormatError("the file ends early");
    got += n;
  }
  if (std::string_view(trailer).substr(sizeof(std::uint64_t)) != kEndMagic) {
    throw BinaryFormatError("the file ends early");
  }
  std::uint64_t offset;
  std::memcpy(&offset, trailer.data(), sizeof offset);
  if (offset > file_size - kTrailerSize) throw BinaryFormatError("the directory is out of place");

  BinaryReader in(range_of(fd, offset, file_size - kTrailerSize));
  Directory d;
  d.layout.minute_floor = in.i64();
  d.layout.applied_seq = in.i64();
  const size_t parts = in.count(kMaxParts);
  for (size_t i = 0; i < parts; ++i) {
    RollupEngine::SnapshotPart part;
    part.table = in.count(kMaxParts);
    part.part = in.count(kMaxParts);
    part.parts = in.count(kMaxParts);
    const std::uint64_t from = in.u64();
    const std::uint64_t to = in.u64();
    if (from > to || to > offset) throw BinaryFormatError("a part is out of place");
    d.layout.parts.push_back(part);
    d.ranges.emplace_back(from, to);
  }
  in.expect_checksum();
  return d;
}

// Reads every part on as many threads as there are cores: most of a start's time is building
// millions of bucket arrays, which parallelises.
std::vector<RollupTable> read_parts(const RollupEngine& rollups, int fd, const Directory& d) {
  const size_t count = d.layout.parts.size();
  std::vector<std::optional<RollupTable>> parts(count);
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    for (size_t i = next++; i < count; i = next++) {
      try {
        BinaryReader in(range_of(fd, d.ranges[i].first, d.ranges[i].second));
        parts[i] = rollups.read_part(in, d.layout.parts[i]);
        in.expect_checksum();
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  {
    std::vector<std::jthread> workers;
    for (size_t t = 1; t < std::min(threads, count); ++t) workers.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
  std::vector<RollupTable> tables;
  tables.reserve(count);
  for (auto& part : parts) tables.push_back(std::move(*part));
  return tables;
}

}  // namespace

void save_rollup_snapshot(const RollupEngine& rollups, const std::string& path,
                          std::string_view store_fingerprint, size_t buckets_per_part) {
  const std::string temporary = path + ".tmp";
  {
    File file(temporary, O_WRONLY | O_CREAT | O_TRUNC);
    if (!file.open()) fail("cannot create", temporary);
    std::uint64_t written = 0;
    const BinaryWriter::Sink sink = [&](std::string_view data) {
      write_all(file.fd(), data, temporary);
      written += data.size();
    };
    // Each section has a checksum of its own, so that parts can be checked apart.
    auto section = [&](const std::function<void(BinaryWriter&)>& body) {
      BinaryWriter out(sink);
      body(out);
      out.checksum();
    };
    section([&](BinaryWriter& out) {
      out.str(kMagic);
      out.u64(kFormatVersion);
      out.str(store_fingerprint);
    });
    const RollupEngine::SnapshotLayout layout = rollups.snapshot_layout(buckets_per_part);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& part : layout.parts) {
      const std::uint64_t from = written;
      section([&](BinaryWriter& out) { rollups.write_part(out, part); });
      ranges.emplace_back(from, written);
    }
    const std::uint64_t directory = written;
    section([&](BinaryWriter& out) {
      out.i64(layout.minute_floor);
      out.i64(layout.applied_seq);
      out.u64(layout.parts.size());
      for (size_t i = 0; i < layout.parts.size(); ++i) {
        for (std::uint64_t n :
             {std::uint64_t{layout.parts[i].table}, std::uint64_t{layout.parts[i].part},
              std::uint64_t{layout.parts[i].parts}, ranges[i].first, ranges[i].second}) {
          out.u64(n);
        }
      }
    });
    std::string trailer(sizeof directory, '\0');
    std::memcpy(trailer.data(), &directory, sizeof directory);
    write_all(file.fd(), trailer + std::string(kEndMagic), temporary);
    if (::fsync(file.fd()) != 0) fail("cannot sync", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename", temporary);
}

SnapshotLoad load_rollup_snapshot(
    RollupEngine& rollups, const std::string& path,
    const std::function<bool(std::int64_t applied_seq, const std::string& fingerprint)>& accept) {
  File file(path, O_RDONLY);
  if (!file.open()) return {};
  try {
    struct stat st {};
    if (::fstat(file.fd(), &st) != 0) throw BinaryFormatError("cannot stat the file");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    BinaryReader header(range_of(file.fd(), 0, size));
    if (header.str(kMagic.size()) != kMagic) return {false, 0, "not a rollup snapshot"};
    if (header.u64() != kFormatVersion) return {false, 0, "written by another version of vitals"};
    const std::string fingerprint = header.str(1024);
    header.expect_checksum();
    const Directory directory = read_directory(file.fd(), size);
    rollups.check_layout(directory.layout);
    const std::int64_t seq = directory.layout.applied_seq;
    if (!accept(seq, fingerprint)) return {false, seq, "it does not match the event store"};
    rollups.adopt(rollups.assemble(directory.layout, read_parts(rollups, file.fd(), directory)));
    return {true, seq, ""};
  } catch (const BinaryFormatError& e) {
    return {false, 0, std::string("it is damaged: ") + e.what()};
  }
}

}  // namespace vitals
