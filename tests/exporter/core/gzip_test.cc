#include "core/gzip.h"

#include <gtest/gtest.h>

#include <pthread.h>

#include <cstdint>
#include <string>

namespace vitals {
namespace {

// Deterministic bytes that do not compress away: a linear congruential sequence.
std::string noise(size_t size) {
  std::string out(size, '\0');
  std::uint32_t x = 12345;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

TEST(Gzip, RoundTripText) {
  const std::string text = R"({"tenant":"acme","type":"webhook","status":"success"})"
                           "\n";
  const std::string compressed = gzip(text);
  ASSERT_GE(compressed.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f) << "gzip magic";
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b) << "gzip magic";
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1 << 20, out), InflateResult::kOk);
  EXPECT_EQ(out, text);
}

TEST(Gzip, RoundTripEmpty) {
  std::string out = "stale";
  EXPECT_EQ(gunzip(gzip(""), 1024, out), InflateResult::kOk);
  EXPECT_EQ(out, "");
}

TEST(Gzip, RoundTripBinaryLargerThanOneChunk) {
  const std::string data = noise(300 * 1024);
  std::string out;
  EXPECT_EQ(gunzip(gzip(data), data.size(), out), InflateResult::kOk);
  EXPECT_EQ(out.size(), data.size());
  EXPECT_TRUE(out == data);
}

TEST(Gzip, RoundTripAllByteValues) {
  std::string data;
  for (int i = 0; i < 256; ++i) data += static_cast<char>(i);
  std::string out;
  EXPECT_EQ(gunzip(gzip(data), 256, out), InflateResult::kOk);
  EXPECT_EQ(out, data);
}

TEST(Gzip, OutputOfExactlyMaxOutputIsAccepted) {
  const std::string data(100000, 'a');
  std::string out;
  EXPECT_EQ(gunzip(gzip(data), data.size(), out), InflateResult::kOk);
  EXPECT_EQ(out, data);
  EXPECT_EQ(gunzip(gzip(data), data.size() - 1, out), InflateResult::kTooLarge);
}

TEST(Gzip, NotGzipIsCorrupt) {
  std::string out;
  EXPECT_EQ(gunzip("this is plainly not gzip data", 1024, out), InflateResult::kCorrupt);
}

TEST(Gzip, EmptyInputIsCorrupt) {
  std::string out;
  EXPECT_EQ(gunzip("", 1024, out), InflateResult::kCorrupt);
}

TEST(Gzip, DamagedPayloadIsCorrupt) {
  const std::string data = noise(4096);
  std::string compressed = gzip(data);
  ASSERT_GT(compressed.size(), 100u);
  // Damage the deflate data in the middle; either the stream or its CRC-32 gives it away.
  for (size_t i = 40; i < 60; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5a);
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1 << 20, out), InflateResult::kCorrupt);
}

TEST(Gzip, WrongChecksumIsCorrupt) {
  std::string compressed = gzip("hello, hello, hello");
  // The trailer is CRC-32 then ISIZE; flip a bit of the CRC.
  compressed[compressed.size() - 8] = static_cast<char>(compressed[compressed.size() - 8] ^ 1);
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1024, out), InflateResult::kCorrupt);
}

TEST(Gzip, TruncatedInputIsCorrupt) {
  const std::string data = noise(10000);
  const std::string compressed = gzip(data);
  std::string out;
  EXPECT_EQ(gunzip(std::string_view(compressed).substr(0, compressed.size() / 2), 1 << 20, out),
            InflateResult::kCorrupt);
  EXPECT_EQ(gunzip(std::string_view(compressed).substr(0, compressed.size() - 4), 1 << 20, out),
            InflateResult::kCorrupt)
      << "missing the length trailer";
  EXPECT_EQ(gunzip(std::string_view(compressed).substr(0, 5), 1 << 20, out),
            InflateResult::kCorrupt)
      << "cut inside the header";
}

TEST(Gzip, TruncatedHighlyCompressibleInputIsCorrupt) {
  const std::string compressed = gzip(std::string(1 << 20, 'z'));
  std::string out;
  EXPECT_EQ(gunzip(std::string_view(compressed).substr(0, compressed.size() - 10), 2 << 20, out),
            InflateResult::kCorrupt);
}

TEST(Gzip, ConcatenatedMembersAreAllRead) {
  // RFC 1952: a gzip stream is a series of members; `cat a.gz b.gz` decompresses to both.
  // Returning only the first member would silently drop the rest of a request body.
  const std::string compressed = gzip("first member\n") + gzip("second member\n");
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1 << 20, out), InflateResult::kOk);
  EXPECT_EQ(out, "first member\nsecond member\n");
}

TEST(Gzip, MaxOutputCountsEveryMember) {
  const std::string compressed = gzip(std::string(600, 'a')) + gzip(std::string(600, 'b'));
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1000, out), InflateResult::kTooLarge);
  EXPECT_EQ(gunzip(compressed, 1200, out), InflateResult::kOk);
  EXPECT_EQ(out.size(), 1200u);
}

TEST(Gzip, TrailingGarbageAfterAMemberIsCorrupt) {
  const std::string compressed = gzip("payload") + "not a gzip member";
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1 << 20, out), InflateResult::kCorrupt);
}

TEST(Gzip, ExpansionBeyondMaxOutputIsTooLarge) {
  const std::string zeros(10 * 1024 * 1024, '\0');
  const std::string compressed = gzip(zeros);
  EXPECT_LT(compressed.size(), 64u * 1024) << "a run of zeros compresses well";
  std::string out;
  EXPECT_EQ(gunzip(compressed, 1024 * 1024, out), InflateResult::kTooLarge);
  EXPECT_LE(out.size(), 1024u * 1024);
  EXPECT_EQ(gunzip(compressed, zeros.size(), out), InflateResult::kOk);
  EXPECT_EQ(out.size(), zeros.size());
}

}  // namespace
}  // namespace vitals

namespace vitals {
namespace {

struct InflateJob {
  std::string compressed;
  InflateResult result = InflateResult::kCorrupt;
  std::string out;
};

void* inflate_job(void* arg) {
  auto* job = static_cast<InflateJob*>(arg);
  job->result = gunzip(job->compressed, 1 << 20, job->out);
  return nullptr;
}

// Request handlers inflate bodies on civetweb's worker threads, whose stacks can be small; the
// 64 KiB buffer gunzip used to keep on the stack overflowed one under a clang ASan build.
TEST(Gzip, InflatesOnASmallThreadStack) {
  InflateJob job;
  job.compressed = gzip(noise(200'000));
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 64 * 1024), 0);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, inflate_job, &job), 0);
  ASSERT_EQ(pthread_join(thread, nullptr), 0);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(job.result, InflateResult::kOk);
  EXPECT_EQ(job.out, noise(200'000));
}

}  // namespace
}  // namespace vitals
