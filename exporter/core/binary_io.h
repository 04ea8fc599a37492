#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vitals {

// Signed numbers as unsigned ones with small magnitudes small: 0, -1, 1, -2 → 0, 1, 2, 3.
constexpr std::uint64_t zigzag_encode(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ (value < 0 ? ~std::uint64_t{0} : 0);
}
constexpr std::int64_t zigzag_decode(std::uint64_t z) {
  return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

// A compact binary encoding for files vitals writes for itself (the rollup snapshot): unsigned
// integers as LEB128 varints, signed ones zigzagged first, doubles as their 8 bytes, strings
// length-prefixed. Most numbers in a rollup are small (counts, offsets within a bucket), so
// varints roughly halve the file, and a file is read back at start-up where every second counts.
//
// Both ends keep a CRC-32 of every byte passed, so a reader can tell a damaged or truncated file
// from a good one before trusting what it decoded.
class BinaryWriter {
 public:
  using Sink = std::function<void(std::string_view)>;
  explicit BinaryWriter(Sink sink);

  // Inline: a snapshot writes hundreds of millions of these.
  void u64(std::uint64_t value) {
    if (buffer_.size() - used_ < kMaxVarintBytes) flush();
    char* out = buffer_.data() + used_;
    while (value >= 0x80) {
      *out++ = static_cast<char>(value | 0x80);
      value >>= 7;
    }
    *out++ = static_cast<char>(value);
    used_ = static_cast<size_t>(out - buffer_.data());
  }
  void i64(std::int64_t value) { u64(zigzag_encode(value)); }
  void f64(double value);
  void str(std::string_view value);
  // Appends the CRC of everything written so far (not itself covered).
  void checksum();
  // Passes what is buffered to the sink.
  void flush();

 private:
  static constexpr size_t kMaxVarintBytes = 10;
  void bytes(const void* data, size_t size);

  Sink sink_;
  std::string buffer_;  // its whole size is usable; used_ bytes of it are written
  size_t used_ = 0;
  std::uint32_t crc_;
};

struct BinaryFormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class BinaryReader {
 public:
  // Fills up to `size` bytes; returns how many, 0 at the end of the input.
  using Source = std::function<size_t(char* data, size_t size)>;
  explicit BinaryReader(Source source);

  // Each throws BinaryFormatError when the input ends early or holds no valid value.
  std::uint64_t u64() {
    // Inline while a whole varint is surely in the buffer: the usual case by far.
    if (buffer_.size() - position_ < 10) return u64_at_the_edge();
    const char* in = buffer_.data() + position_;
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto b = static_cast<unsigned char>(*in++);
      value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        position_ = static_cast<size_t>(in - buffer_.data());
        return value;
      }
    }
    throw BinaryFormatError("a number runs past 64 bits");
  }
  std::int64_t i64() { return zigzag_decode(u64()); }
  double f64();
  std::string str(size_t max_size);
  // A count of things to follow, refused beyond `max` so a damaged length cannot exhaust memory.
  size_t count(size_t max);
  // Reads a CRC written by BinaryWriter::checksum and throws unless it matches the bytes read.
  void expect_checksum();

 private:
  std::uint64_t u64_at_the_edge();
  unsigned char byte();
  void bytes(void* data, size_t size);
  void refill();

  Source source_;
  std::string buffer_;
  size_t position_ = 0;
  std::uint32_t crc_;
  size_t crc_from_ = 0;  // bytes of buffer_ before this are already in crc_
};

}  // namespace vitals
