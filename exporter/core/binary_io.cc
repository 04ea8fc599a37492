#include "core/binary_io.h"

#include <zlib.h>

#include <bit>
#include <cstring>

namespace vitals {
namespace {

static_assert(std::endian::native == std::endian::little, "snapshots are written little-endian");

constexpr size_t kBufferSize = 1 << 20;

std::uint32_t crc_update(std::uint32_t crc, const char* data, size_t size) {
  while (size > 0) {
    const auto chunk = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(data), chunk));
    data += chunk;
    size -= chunk;
  }
  return crc;
}

}  // namespace

BinaryWriter::BinaryWriter(Sink sink)
    : sink_(std::move(sink)),
      buffer_(kBufferSize, '\0'),
      crc_(static_cast<std::uint32_t>(crc32(0, nullptr, 0))) {}

void BinaryWriter::bytes(const void* data, size_t size) {
  const auto* in = static_cast<const char*>(data);
  while (size > 0) {
    if (used_ == buffer_.size()) flush();
    const size_t n = std::min(size, buffer_.size() - used_);
    std::memcpy(buffer_.data() + used_, in, n);
    used_ += n;
    in += n;
    size -= n;
  }
}

void BinaryWriter::flush() {
  if (used_ == 0) return;
  const std::string_view written(buffer_.data(), used_);
  crc_ = crc_update(crc_, written.data(), written.size());
  sink_(written);
  used_ = 0;
}

void BinaryWriter::f64(double value) {
  bytes(&value, sizeof value);
}

void BinaryWriter::str(std::string_view value) {
  u64(value.size());
  bytes(value.data(), value.size());
}

void BinaryWriter::checksum() {
  flush();
  const std::uint32_t crc = crc_;
  bytes(&crc, sizeof crc);
  flush();
}

BinaryReader::BinaryReader(Source source)
    : source_(std::move(source)), crc_(static_cast<std::uint32_t>(crc32(0, nullptr, 0))) {}

void BinaryReader::refill() {
  crc_ = crc_update(crc_, buffer_.data() + crc_from_, position_ - crc_from_);
  buffer_.erase(0, position_);
  position_ = 0;
  const size_t kept = buffer_.size();
  buffer_.resize(kept + kBufferSize);
  const size_t got = source_(buffer_.data() + kept, kBufferSize);
  buffer_.resize(kept + got);
  crc_from_ = 0;
  if (got == 0) throw BinaryFormatError("the file ends early");
}

unsigned char BinaryReader::byte() {
  if (position_ == buffer_.size()) refill();
  return static_cast<unsigned char>(buffer_[position_++]);
}

void BinaryReader::bytes(void* data, size_t size) {
  auto* out = static_cast<char*>(data);
  while (size > 0) {
    if (position_ == buffer_.size()) refill();
    const size_t n = std::min(size, buffer_.size() - position_);
    std::memcpy(out, buffer_.data() + position_, n);
    position_ += n;
    out += n;
    size -= n;
  }
}

std::uint64_t BinaryReader::u64_at_the_edge() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    const unsigned char b = byte();
    value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return value;
  }
  throw BinaryFormatError("a number runs past 64 bits");
}

double BinaryReader::f64() {
  double value;
  bytes(&value, sizeof value);
  return value;
}

size_t BinaryReader::count(size_t max) {
  const std::uint64_t n = u64();
  if (n > max) throw BinaryFormatError("a length of " + std::to_string(n) + " is out of range");
  return static_cast<size_t>(n);
}

std::string BinaryReader::str(size_t max_size) {
  std::string value(count(max_size), '\0');
  bytes(value.data(), value.size());
  return value;
}

void BinaryReader::expect_checksum() {
  const std::uint32_t expected =
      crc_update(crc_, buffer_.data() + crc_from_, position_ - crc_from_);
  crc_ = expected;
  crc_from_ = position_;
  std::uint32_t stored;
  bytes(&stored, sizeof stored);
  if (stored != expected) throw BinaryFormatError("the checksum does not match the contents");
  crc_ = crc_update(crc_, buffer_.data() + crc_from_, position_ - crc_from_);
  crc_from_ = position_;
}

}  // namespace vitals
