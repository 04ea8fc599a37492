#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "sources/record_sink.h"
#include "sources/source.h"
#include "sources/source_config.h"

namespace vitals::sources {

// Which file a tailer reads and how far: the file's identity (device and inode, which a rename
// keeps) and the offset just past the last whole line delivered.
struct FilePosition {
  dev_t device = 0;
  ino_t inode = 0;
  off_t offset = 0;

  bool same_file(const FilePosition& other) const {
    return device == other.device && inode == other.inode;
  }
  std::string encode() const;
  static std::optional<FilePosition> decode(const std::string& text);
};

// Tails an NDJSON file of events in the ingest format. Whole lines only: a line still being
// written waits for its newline. Survives
//   - rotation by rename: the renamed file (kept open, or found again by its identity in the same
//     folder after a restart) is read to its end before the new file is read from its start;
//   - truncation in place: the file is read again from its start.
class FileTailer final : public Source {
 public:
  FileTailer(const FileSourceConfig& config, RecordSink& sink,
             const std::optional<std::string>& saved_position);
  ~FileTailer() override;
  FileTailer(const FileTailer&) = delete;
  FileTailer& operator=(const FileTailer&) = delete;

  void poll(PollReport& report) override;
  const FilePosition& position() const { return position_; }

 private:
  bool open_current(PollReport& report);
  void resume_rotated(const FilePosition& old, PollReport& report);
  // Delivers every whole line from the offset on; `finished` when nothing more will be written
  // to this file (it was rotated away), so a last line without a newline counts too.
  void drain(PollReport& report, bool finished);
  size_t deliver_chunk(std::string_view chunk, bool finished, PollReport& report);
  size_t skip(size_t bytes, PollReport& report);
  void switch_to(int fd, const FilePosition& position, PollReport& report);
  void close_file();

  FileSourceConfig config_;
  RecordSink& sink_;
  std::optional<FilePosition> saved_;
  FilePosition position_;
  int fd_ = -1;
  bool skipping_ = false;  // inside a line longer than max_line_bytes
};

}  // namespace vitals::sources
