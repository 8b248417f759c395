// Compression helpers for the io tests, written on zlib and libzstd directly
// so they stay independent of the library's own decoders.
#ifndef NEARDUP_TESTS_IO_CODEC_TEST_UTIL_H_
#define NEARDUP_TESTS_IO_CODEC_TEST_UTIL_H_

#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "test_util.h"

namespace neardup::testing {

// About `bytes` of random words (lower-case, a line end now and then): deflate
// data of several blocks of each kind, about 0.6 compressed bytes per byte.
inline std::string RandomWords(std::size_t bytes, std::uint64_t seed) {
  Rng rng(seed);
  std::string out;
  while (out.size() < bytes) {
    for (std::uint64_t c = 0, n = 2 + rng.Below(8); c < n; ++c) {
      out += static_cast<char>('a' + rng.Below(26));
    }
    out += rng.Below(12) == 0 ? '\n' : ' ';
  }
  return out;
}

// One gzip member at zlib level `level` (0: stored, its bytes verbatim).
inline std::string Gzip(const std::string& data, int level = Z_DEFAULT_COMPRESSION) {
  z_stream s{};
  REQUIRE(deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&s, data.size()), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&s, Z_FINISH) == Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

// One zstd frame; with `checksum`, its last 4 bytes are a checksum of the content.
inline std::string Zstd(const std::string& data, bool checksum = false) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  REQUIRE_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, checksum)));
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t n = ZSTD_compress2(context, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(context);
  REQUIRE_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

// Decompresses every gzip member; independent of the library's decoder.
inline std::string Gunzip(const std::string& data) {
  std::string out;
  z_stream s{};
  REQUIRE(inflateInit2(&s, 15 + 32) == Z_OK);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  char chunk[4096];
  while (true) {
    s.next_out = reinterpret_cast<Bytef*>(chunk);
    s.avail_out = sizeof(chunk);
    const int ret = inflate(&s, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - s.avail_out);
    if (ret == Z_STREAM_END && s.avail_in == 0) break;
    if (ret == Z_STREAM_END) {
      inflateReset(&s);
      continue;
    }
    REQUIRE(ret == Z_OK);
  }
  inflateEnd(&s);
  return out;
}

inline std::string Unzstd(const std::string& data) {
  std::string out;
  ZSTD_DCtx* context = ZSTD_createDCtx();
  ZSTD_inBuffer input{data.data(), data.size(), 0};
  char chunk[4096];
  std::size_t hint = 1;
  while (input.pos < input.size || hint != 0) {
    ZSTD_outBuffer output{chunk, sizeof(chunk), 0};
    hint = ZSTD_decompressStream(context, &output, &input);
    REQUIRE_FALSE(ZSTD_isError(hint));
    out.append(chunk, output.pos);
    if (output.pos == 0 && input.pos == input.size && hint != 0) FAIL("truncated zstd output");
  }
  ZSTD_freeDCtx(context);
  return out;
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_IO_CODEC_TEST_UTIL_H_
