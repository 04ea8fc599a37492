#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace vitals::testing {

// A private directory under $TMPDIR (or /tmp) that is removed with everything in it when the
// object goes away, so tests never see each other's files or leave state behind.
class TempDir {
 public:
  TempDir();
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` byte for byte to `name` (relative; parent folders are created) and
  // returns the full path.
  std::filesystem::path write_file(std::string_view name, std::string_view content) const;

 private:
  void remove() noexcept;

  std::filesystem::path path_;
};

}  // namespace vitals::testing
