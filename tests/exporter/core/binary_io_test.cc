#include "core/binary_io.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <memory>
#include <string>

namespace vitals {
namespace {

using namespace std::string_literals;

std::string written(const std::function<void(BinaryWriter&)>& write) {
  std::string out;
  BinaryWriter w([&](std::string_view data) { out.append(data); });
  write(w);
  w.flush();
  return out;
}

// Hands out the bytes a few at a time, so values straddle the reader's refills.
BinaryReader reader_of(const std::string& bytes, size_t piece = 3) {
  auto position = std::make_shared<size_t>(0);
  return BinaryReader([&bytes, position, piece](char* data, size_t size) {
    const size_t n = std::min({size, piece, bytes.size() - *position});
    std::memcpy(data, bytes.data() + *position, n);
    *position += n;
    return n;
  });
}

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kMaxUnsigned = std::numeric_limits<std::uint64_t>::max();

TEST(BinaryIo, NumbersAndStringsRoundTrip) {
  const std::string bytes = written([&](BinaryWriter& w) {
    for (std::uint64_t v :
         {std::uint64_t{0}, std::uint64_t{127}, std::uint64_t{128}, kMaxUnsigned}) {
      w.u64(v);
    }
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, kMin, kMax}) {
      w.i64(v);
    }
    w.f64(-0.125);
    w.str("tenant\nwith a zero \0 byte"s);
    w.checksum();
  });
  BinaryReader r = reader_of(bytes);
  EXPECT_EQ(r.u64(), 0u);
  EXPECT_EQ(r.u64(), 127u);
  EXPECT_EQ(r.u64(), 128u);
  EXPECT_EQ(r.u64(), kMaxUnsigned);
  EXPECT_EQ(r.i64(), 0);
  EXPECT_EQ(r.i64(), -1);
  EXPECT_EQ(r.i64(), 1);
  EXPECT_EQ(r.i64(), kMin);
  EXPECT_EQ(r.i64(), kMax);
  EXPECT_EQ(r.f64(), -0.125);
  EXPECT_EQ(r.str(100), "tenant\nwith a zero \0 byte"s);
  EXPECT_NO_THROW(r.expect_checksum());
}

TEST(BinaryIo, SmallNumbersTakeOneByte) {
  EXPECT_EQ(written([](BinaryWriter& w) { w.u64(5); }).size(), 1u);
  EXPECT_EQ(written([](BinaryWriter& w) { w.i64(-5); }).size(), 1u);
}

TEST(BinaryIo, ChecksumCatchesAnyChangedByte) {
  const std::string good = written([](BinaryWriter& w) {
    w.str("some content");
    w.u64(12345);
    w.checksum();
  });
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    BinaryReader r = reader_of(bad);
    EXPECT_THROW(
        {
          r.str(100);
          r.u64();
          r.expect_checksum();
        },
        BinaryFormatError)
        << "byte " << i;
  }
}

TEST(BinaryIo, EarlyEndAndOversizedLengthsAreErrors) {
  const std::string bytes = written([](BinaryWriter& w) { w.str("abcdef"); });
  {
    const std::string cut = bytes.substr(0, 4);
    BinaryReader r = reader_of(cut);
    EXPECT_THROW(r.str(100), BinaryFormatError);
  }
  {
    BinaryReader r = reader_of(bytes);
    EXPECT_THROW(r.str(5), BinaryFormatError);
  }
  {
    const std::string endless(11, '\xff');
    BinaryReader r = reader_of(endless);
    EXPECT_THROW(r.u64(), BinaryFormatError);
  }
}

}  // namespace
}  // namespace vitals
