#include "sources/file_tailer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/recording_sink.h"

namespace vitals::sources {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

class FileTailerTest : public ::testing::Test {
 protected:
  FileTailerTest()
      : dir_(fs::temp_directory_path() /
             ("vitals-tailer-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_.path = (dir_ / "events.ndjson").string();
  }
  ~FileTailerTest() override { fs::remove_all(dir_); }

  void append(const std::string& text, const fs::path& path = {}) {
    std::ofstream out(path.empty() ? fs::path(config_.path) : path, std::ios::app);
    out << text;
  }

  void poll(FileTailer& tailer) {
    PollReport report;
    tailer.poll(report);
    rejected_ += report.records.rejected;
  }

  // "a" is read and its position saved; then, while vitals is down, "b" is written, the file
  // is rotated away, and the new file gets "c".
  void rotate_while_down() {
    append("a\n");
    {
      FileTailer tailer(config_, sink_, std::nullopt);
      poll(tailer);
    }
    append("b\n");
    fs::rename(config_.path, dir_ / "events.ndjson.2026-02-17");
    append("c\n");
  }

  fs::path dir_;
  FileSourceConfig config_;
  RecordingSink sink_;
  size_t rejected_ = 0;
};

TEST_F(FileTailerTest, ReadsWholeLinesOnlyAndWaitsForAnUnfinishedOne) {
  FileTailer tailer(config_, sink_, std::nullopt);
  poll(tailer);  // no file yet: nothing, no error
  EXPECT_TRUE(sink_.lines.empty());
  append("{\"n\":1}\n\n{\"n\":2}\n{\"n\":");
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
  append("3}\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines.back(), "{\"n\":3}");
  EXPECT_EQ(sink_.lines.size(), 3u);
}

TEST_F(FileTailerTest, FinishesARotatedFileBeforeTheNewOne) {
  FileTailer tailer(config_, sink_, std::nullopt);
  append("a\n");
  poll(tailer);
  append("b\nc-without-newline");
  fs::rename(config_.path, dir_ / "events.ndjson.1");
  append("d\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"a", "b", "c-without-newline", "d"}));
  append("e\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines.back(), "e");
  EXPECT_EQ(sink_.lines.size(), 5u);
}

TEST_F(FileTailerTest, ReadsATruncatedFileAgainFromItsStart) {
  FileTailer tailer(config_, sink_, std::nullopt);
  append("first line\nsecond line\n");
  poll(tailer);
  fs::resize_file(config_.path, 0);
  append("x\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"first line", "second line", "x"}));
}

TEST_F(FileTailerTest, ResumesFromTheSavedOffsetAfterARestart) {
  append("a\nb\n");
  {
    FileTailer tailer(config_, sink_, std::nullopt);
    poll(tailer);
  }
  append("c\n");
  RecordingSink after;
  FileTailer restarted(config_, after, sink_.position);
  poll(restarted);
  EXPECT_EQ(after.lines, (std::vector<std::string>{"c"}));
}

TEST_F(FileTailerTest, AfterARestartFindsTheRotatedFileByItsIdentity) {
  rotate_while_down();
  RecordingSink after;
  FileTailer restarted(config_, after, sink_.position);
  poll(restarted);
  EXPECT_EQ(after.lines, (std::vector<std::string>{"b", "c"}));
  const auto position = FilePosition::decode(after.position);
  ASSERT_TRUE(position);
  EXPECT_EQ(position->offset, 2);
}

// `vitals serve --config vitals.toml` from the configuration's folder makes a relative source
// path one without a folder: the rotated file is looked for in the working directory.
TEST_F(FileTailerTest, AfterARestartFindsTheRotatedFileOfAPathWithoutAFolder) {
  const fs::path before = fs::current_path();
  fs::current_path(dir_);
  config_.path = "events.ndjson";
  rotate_while_down();
  RecordingSink after;
  FileTailer restarted(config_, after, sink_.position);
  poll(restarted);
  fs::current_path(before);
  EXPECT_EQ(after.lines, (std::vector<std::string>{"b", "c"}));
}

TEST_F(FileTailerTest, APathThatWasADirectoryForAWhileIsReadAgainOnceItIsAFile) {
  FileTailer tailer(config_, sink_, std::nullopt);
  append("a\n");
  poll(tailer);
  fs::remove(config_.path);
  fs::create_directory(config_.path);
  PollReport report;
  EXPECT_THROW(tailer.poll(report), SourceError);
  EXPECT_THROW(tailer.poll(report), SourceError);
  fs::remove(config_.path);
  append("b\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"a", "b"}));
}

TEST_F(FileTailerTest, AStoreFailureWhileFinishingARotatedFileRepeatsNothing) {
  rotate_while_down();
  RecordingSink after;
  FileTailer restarted(config_, after, sink_.position);
  after.fail_next = true;  // the old file's rest cannot be stored the first time
  PollReport report;
  EXPECT_THROW(restarted.poll(report), std::runtime_error);
  poll(restarted);
  poll(restarted);
  EXPECT_EQ(after.lines, (std::vector<std::string>{"b", "c"}));
}

TEST_F(FileTailerTest, SkipsALineLongerThanTheLimitAndCountsIt) {
  config_.max_line_bytes = 1024;
  FileTailer tailer(config_, sink_, std::nullopt);
  append("ok1\n" + std::string(3000, 'x') + "\nok2\n");
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"ok1", "ok2"}));
  EXPECT_EQ(rejected_, 1u);
}

TEST_F(FileTailerTest, AStoreFailureKeepsTheOffsetSoTheLinesComeAgain) {
  FileTailer tailer(config_, sink_, std::nullopt);
  append("a\n");
  poll(tailer);
  append("b\n");
  sink_.fail_next = true;
  PollReport report;
  EXPECT_THROW(tailer.poll(report), std::runtime_error);
  poll(tailer);
  EXPECT_EQ(sink_.lines, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace vitals::sources
