#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vitals {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string to_hex(const std::uint8_t* data, size_t size);
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` keyed with `key`, as 64 lower-case hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Parses 64 hex digits (either case); false on anything else.
bool parse_sha256_hex(std::string_view hex, Sha256Digest& out);

// Equal-length comparison whose running time does not depend on where the inputs differ.
bool constant_time_equal(const Sha256Digest& a, const Sha256Digest& b);

// Name-based UUID (version 5, SHA-1) in the URL namespace, lower-case canonical text.
std::string uuid_v5_url(std::string_view name);

bool looks_like_uuid(std::string_view text);

}  // namespace vitals
