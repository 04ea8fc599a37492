#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vitals {

enum class InflateResult { kOk, kCorrupt, kTooLarge };

// Decompresses a gzip stream, refusing to produce more than `max_output` bytes so that a small
// compressed body cannot expand into an unbounded allocation.
InflateResult gunzip(std::string_view compressed, size_t max_output, std::string& out);

// Compresses at zlib's fastest level: it serves /metrics, where a scrape's time matters more than
// the last few percent of size (the exposition text still shrinks about tenfold).
std::string gzip(std::string_view data);

}  // namespace vitals
