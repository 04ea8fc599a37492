#include "core/gzip.h"

#include <zlib.h>

#include <vector>

namespace vitals {

InflateResult gunzip(std::string_view compressed, size_t max_output, std::string& out) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return InflateResult::kCorrupt;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  out.clear();
  // On the heap: request handlers run on civetweb's worker threads, whose stack size is fixed
  // when civetweb is built and can be small; a clang ASan build overflowed it with this buffer.
  std::vector<char> chunk(64 * 1024);
  int rc = Z_OK;
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const size_t produced = chunk.size() - stream.avail_out;
    if (out.size() + produced > max_output) {
      inflateEnd(&stream);
      return InflateResult::kTooLarge;
    }
    out.append(chunk.data(), produced);
    if (rc == Z_STREAM_END) {
      // A gzip stream may hold several members back to back (`cat a.gz b.gz`); read them all.
      if (stream.avail_in == 0) break;
      if (inflateReset(&stream) != Z_OK) break;
      rc = Z_OK;
      continue;
    }
    if (produced == 0 && stream.avail_in == 0) break;  // truncated input
  }
  inflateEnd(&stream);
  return rc == Z_STREAM_END ? InflateResult::kOk : InflateResult::kCorrupt;
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace vitals
