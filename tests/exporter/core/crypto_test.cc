#include "core/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace vitals {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, HexMatchesTheDigest) {
  const Sha256Digest d = sha256("abc");
  EXPECT_EQ(d[0], 0xba);
  EXPECT_EQ(d[31], 0xad);
  EXPECT_EQ(to_hex(d.data(), d.size()), sha256_hex("abc"));
}

TEST(Sha256, HandlesEmbeddedNulBytes) {
  EXPECT_NE(sha256_hex(std::string("a\0b", 3)), sha256_hex("a"));
  EXPECT_NE(sha256_hex(std::string("a\0b", 3)), sha256_hex("ab"));
}

TEST(ToHex, LowerCaseTwoDigitsPerByte) {
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
  EXPECT_EQ(to_hex(bytes, sizeof bytes), "000fa0ff");
  EXPECT_EQ(to_hex(bytes, 0), "");
}

TEST(UuidV5Url, KnownValues) {
  EXPECT_EQ(uuid_v5_url("acme"), "7efecc64-b5ed-5dbf-b379-90a0ffcfe6df");
  EXPECT_EQ(uuid_v5_url("globex"), "63d183d5-b615-5fd0-9830-a4c1cbbb3aee");
  EXPECT_EQ(uuid_v5_url("https://example.com/"), "dd2c1780-811a-5296-81c5-178a0ef488bc");
  EXPECT_EQ(uuid_v5_url(""), "1b4db7eb-4057-5ddf-91e0-36dec72071f5");
}

TEST(UuidV5Url, IsStableVersion5AndRfc4122Variant) {
  for (const char* name : {"a", "acme", "some-longer-tenant-slug_01"}) {
    const std::string id = uuid_v5_url(name);
    EXPECT_EQ(id, uuid_v5_url(name));
    EXPECT_TRUE(looks_like_uuid(id)) << id;
    EXPECT_EQ(id[14], '5') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    for (char c : id) EXPECT_FALSE(c >= 'A' && c <= 'F') << "must be lower case: " << id;
  }
  EXPECT_NE(uuid_v5_url("acme"), uuid_v5_url("Acme"));
}

TEST(LooksLikeUuid, AcceptsCanonicalText) {
  EXPECT_TRUE(looks_like_uuid("6ba7b811-9dad-11d1-80b4-00c04fd430c8"));
  EXPECT_TRUE(looks_like_uuid("6BA7B811-9DAD-11D1-80B4-00C04FD430C8"));
  EXPECT_TRUE(looks_like_uuid("00000000-0000-0000-0000-000000000000"));
}

TEST(LooksLikeUuid, RejectsEverythingElse) {
  for (const char* bad :
       {"", "acme", "6ba7b8119dad11d180b400c04fd430c8", "6ba7b811-9dad-11d1-80b4-00c04fd430c",
        "6ba7b811-9dad-11d1-80b4-00c04fd430c80", "6ba7b811-9dad-11d1-80b4_00c04fd430c8",
        "6ba7b8119-dad-11d1-80b4-00c04fd430c8", "gba7b811-9dad-11d1-80b4-00c04fd430c8",
        "{6ba7b811-9dad-11d1-80b4-00c04fd430c8}", "6ba7b811-9dad-11d1-80b4-00c04fd430c "}) {
    EXPECT_FALSE(looks_like_uuid(bad)) << "'" << bad << "'";
  }
}

TEST(ParseSha256Hex, RoundTripsWithSha256Hex) {
  Sha256Digest d{};
  ASSERT_TRUE(parse_sha256_hex(sha256_hex("token"), d));
  EXPECT_EQ(d, sha256("token"));
}

TEST(ParseSha256Hex, AcceptsUpperCase) {
  std::string hex = sha256_hex("token");
  for (auto& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Sha256Digest d{};
  ASSERT_TRUE(parse_sha256_hex(hex, d));
  EXPECT_EQ(d, sha256("token"));
}

TEST(ParseSha256Hex, RejectsWrongLengthAndNonHex) {
  const std::string good = sha256_hex("token");
  Sha256Digest d{};
  EXPECT_FALSE(parse_sha256_hex("", d));
  EXPECT_FALSE(parse_sha256_hex(good.substr(0, 63), d));
  EXPECT_FALSE(parse_sha256_hex(good + "0", d));
  EXPECT_FALSE(parse_sha256_hex(good.substr(0, 62) + "0g", d));
  EXPECT_FALSE(parse_sha256_hex("x" + good.substr(1), d));
  EXPECT_FALSE(parse_sha256_hex(std::string(64, ' '), d));
  EXPECT_FALSE(parse_sha256_hex(good.substr(0, 32) + "-" + good.substr(33), d));
}

TEST(ConstantTimeEqual, EqualAndDifferent) {
  const Sha256Digest a = sha256("a");
  Sha256Digest b = a;
  EXPECT_TRUE(constant_time_equal(a, b));
  b[0] ^= 1;
  EXPECT_FALSE(constant_time_equal(a, b));
  b = a;
  b[31] ^= 0x80;
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(sha256("a"), sha256("b")));
  EXPECT_TRUE(constant_time_equal(Sha256Digest{}, Sha256Digest{}));
}

}  // namespace
}  // namespace vitals

namespace vitals {
namespace {

// RFC 4231, test cases 1 and 2.
TEST(HmacSha256, MatchesTheRfcVectors) {
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace vitals
