#include "sources/file_tailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace vitals::sources {
namespace {

std::optional<FilePosition> identity_of(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return FilePosition{st.st_dev, st.st_ino, 0};
}

std::optional<FilePosition> identity_at(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FilePosition{st.st_dev, st.st_ino, 0};
}

off_t size_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? st.st_size : 0;
}

// The file in `folder` that has `wanted`'s identity (a rotated-away file), or "".
std::string find_by_identity(const std::filesystem::path& folder, const FilePosition& wanted) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const auto id = identity_at(entry.path().string());
    if (id && id->same_file(wanted)) return entry.path().string();
  }
  return "";
}

}  // namespace

std::string FilePosition::encode() const {
  return nlohmann::json{{"device", static_cast<uint64_t>(device)},
                        {"inode", static_cast<uint64_t>(inode)},
                        {"offset", static_cast<int64_t>(offset)}}
      .dump();
}

std::optional<FilePosition> FilePosition::decode(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json.contains("inode")) return std::nullopt;
  return FilePosition{static_cast<dev_t>(json.value("device", uint64_t{0})),
                      static_cast<ino_t>(json.value("inode", uint64_t{0})),
                      static_cast<off_t>(json.value("offset", int64_t{0}))};
}

FileTailer::FileTailer(const FileSourceConfig& config, RecordSink& sink,
                       const std::optional<std::string>& saved_position)
    : config_(config), sink_(sink) {
  if (saved_position) saved_ = FilePosition::decode(*saved_position);
}

FileTailer::~FileTailer() {
  close_file();
}

void FileTailer::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void FileTailer::poll(PollReport& report) {
  ++report.fetches;
  if (fd_ < 0 && !open_current(report)) return;
  if (size_of(fd_) < position_.offset) {
    spdlog::info("source file {} was truncated; reading it again from the start", config_.path);
    position_.offset = 0;
    skipping_ = false;
  }
  // Looked at before draining, so lines written to the old file up to the rename are all read.
  const auto at_path = identity_at(config_.path);
  const bool rotated = at_path && !at_path->same_file(position_);
  drain(report, rotated);
  if (!rotated) return;
  close_file();
  if (open_current(report)) drain(report, false);
}

// Opens the file at the path and decides where to start: at the saved offset when it is the
// saved file, else after finishing a rotated-away saved file, at the start.
bool FileTailer::open_current(PollReport& report) {
  const int fd = ::open(config_.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;  // not written yet, or between a rename and a new file
    throw SourceError("cannot open " + config_.path + ": " + std::strerror(errno));
  }
  auto id = identity_of(fd);
  if (!id) {
    ::close(fd);
    throw SourceError("cannot stat " + config_.path);
  }
  FilePosition start = *id;
  if (saved_ && saved_->same_file(*id)) start.offset = saved_->offset;
  if (saved_ && !saved_->same_file(*id)) {
    // From here on position_ tracks the old file, so a failure half way resumes it, not the
    // saved offset again.
    const FilePosition old = *saved_;
    saved_.reset();
    try {
      resume_rotated(old, report);
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  saved_.reset();
  switch_to(fd, start, report);
  return true;
}

// After a restart the path may name a new file while the saved one, renamed, still holds lines
// not read yet: finish it first.
void FileTailer::resume_rotated(const FilePosition& old, PollReport& report) {
  // A path without a folder ("events.ndjson", from a configuration named without one) is in
  // the working directory; an empty folder lists nothing.
  const std::filesystem::path folder = std::filesystem::path(config_.path).parent_path();
  const std::string old_path = find_by_identity(folder.empty() ? "." : folder, old);
  if (old_path.empty()) {
    spdlog::warn("source file {}: the file read before the restart is gone; starting the new one",
                 config_.path);
    return;
  }
  const int fd = ::open(old_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  fd_ = fd;
  position_ = old;
  drain(report, true);
  close_file();
}

void FileTailer::switch_to(int fd, const FilePosition& position, PollReport& report) {
  const bool moved = !position.same_file(position_) || position.offset != position_.offset;
  fd_ = fd;
  position_ = position;
  skipping_ = false;
  if (moved) report.add(sink_.deliver("", position_.encode()));
}

void FileTailer::drain(PollReport& report, bool finished) {
  std::string buffer(config_.max_line_bytes, '\0');
  while (true) {
    const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), position_.offset);
    if (n < 0) {
      const int error = errno;
      // The handle goes, so that the next poll opens the path again: at this offset when it is
      // still this file, else finishing this one by its identity first. Kept, a handle that
      // cannot be read (a directory once at the path) failed every poll after it.
      saved_ = position_;
      close_file();
      throw SourceError("cannot read " + config_.path + ": " + std::strerror(error));
    }
    if (n == 0) return;
    const bool at_end = static_cast<size_t>(n) < buffer.size();
    const size_t used = deliver_chunk(std::string_view(buffer.data(), static_cast<size_t>(n)),
                                      finished && at_end, report);
    if (used == 0) return;  // only a line still being written is left
  }
}

// Delivers the whole lines at the start of `chunk`; returns the bytes consumed.
size_t FileTailer::deliver_chunk(std::string_view chunk, bool finished, PollReport& report) {
  if (skipping_) {
    // The rest of an oversized line, dropped up to its newline.
    const size_t newline = chunk.find('\n');
    skipping_ = newline == std::string_view::npos;
    return skip(skipping_ ? chunk.size() : newline + 1, report);
  }
  const size_t last_newline = chunk.rfind('\n');
  const size_t end = finished                                 ? chunk.size()
                     : last_newline == std::string_view::npos ? 0
                                                              : last_newline + 1;
  if (end > 0) {
    FilePosition after = position_;
    after.offset += static_cast<off_t>(end);
    report.add(sink_.deliver(chunk.substr(0, end), after.encode()));
    position_ = after;
    return end;
  }
  if (chunk.size() < config_.max_line_bytes) return 0;  // a line still being written
  spdlog::warn("source file {}: a line longer than {} bytes is skipped", config_.path,
               config_.max_line_bytes);
  ++report.records.rejected;
  skipping_ = true;
  return skip(chunk.size(), report);
}

size_t FileTailer::skip(size_t bytes, PollReport& report) {
  position_.offset += static_cast<off_t>(bytes);
  report.add(sink_.deliver("", position_.encode()));
  return bytes;
}

}  // namespace vitals::sources
