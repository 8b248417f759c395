// Token and shingle hashing shared by normalize.cc and shingle.cc (internal).
#ifndef NEARDUP_NORMALIZE_TOKEN_HASH_H_
#define NEARDUP_NORMALIZE_TOKEN_HASH_H_

// Inlined: tokens and shingles are short inputs, where a call into the shared
// library costs as much as the hashing itself.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace neardup::internal {

// Forced inline: at -O2 (RelWithDebInfo, the default build) GCC calls these
// out of line in the token and shingle loops.
#define NEARDUP_HASH_INLINE inline __attribute__((always_inline))

// XXH3-64 of short inputs through xxHash 0.8's length-specific functions,
// which XXH3_64bits_withSeed itself calls (same secret, same seed, so the
// same value): skipping its dispatch lets the compiler inline the one path
// that runs. Other xxHash versions take the public function.
#if XXH_VERSION_MAJOR == 0 && XXH_VERSION_MINOR == 8
NEARDUP_HASH_INLINE std::uint64_t Xxh3Short(const void* data, std::size_t size,
                                            std::uint64_t seed) {
  const auto* p = static_cast<const xxh_u8*>(data);
  if (size <= 16) return XXH3_len_0to16_64b(p, size, XXH3_kSecret, seed);
  if (size <= 128) return XXH3_len_17to128_64b(p, size, XXH3_kSecret, sizeof(XXH3_kSecret), seed);
  return XXH3_64bits_withSeed(data, size, seed);
}
#else
NEARDUP_HASH_INLINE std::uint64_t Xxh3Short(const void* data, std::size_t size,
                                            std::uint64_t seed) {
  return XXH3_64bits_withSeed(data, size, seed);
}
#endif

// HashToken (neardup/normalize.h).
NEARDUP_HASH_INLINE std::uint64_t TokenHash(std::string_view token, std::uint64_t seed) {
  return Xxh3Short(token.data(), token.size(), seed);
}

// Masks keeping the first n bytes of a 16-byte block read as two
// little-endian words.
struct TokenMask {
  std::uint64_t lo, hi;
};
inline constexpr auto kTokenMasks = [] {
  std::array<TokenMask, 17> masks{};
  for (std::size_t n = 0; n <= 16; ++n) {
    const std::size_t lo = n < 8 ? n : 8, hi = n - lo;
    masks[n].lo = lo == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * lo)) - 1;
    masks[n].hi = hi == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * hi)) - 1;
  }
  return masks;
}();

// HashShingleToken (neardup/normalize.h) of a token of `size` bytes at `data`
// with at least 16 readable bytes from `data` (those past the token are
// ignored): XXH3-64 with seed `seed + size` of the token zero-padded to 16
// bytes, so every short token takes XXH3's one 9-16 byte path, with no
// branch on the length; XXH3-64 of the token itself past 16 bytes.
NEARDUP_HASH_INLINE std::uint64_t ShingleTokenHashPadded(const char* data, std::size_t size,
                                                         std::uint64_t seed) {
  if (size > 16) [[unlikely]] {
    return Xxh3Short(data, size, seed);
  }
  std::uint64_t words[2];
  std::memcpy(words, data, 16);
  const TokenMask& mask = kTokenMasks[size];
  // The masks apply to little-endian words; on a big-endian host swap them.
  if constexpr (std::endian::native == std::endian::big) {
    words[0] = __builtin_bswap64(__builtin_bswap64(words[0]) & mask.lo);
    words[1] = __builtin_bswap64(__builtin_bswap64(words[1]) & mask.hi);
  } else {
    words[0] &= mask.lo;
    words[1] &= mask.hi;
  }
  return Xxh3Short(words, 16, seed + size);
}

// The same for a token inside a buffer that ends at `end`: read in place
// when 16 bytes from its start lie within the buffer, else copied out first.
NEARDUP_HASH_INLINE std::uint64_t ShingleTokenHashIn(std::string_view token, const char* end,
                                                     std::uint64_t seed) {
  if (token.size() > 16) return Xxh3Short(token.data(), token.size(), seed);
  if (end - token.data() >= 16) return ShingleTokenHashPadded(token.data(), token.size(), seed);
  char block[16] = {};
  std::memcpy(block, token.data(), token.size());
  return ShingleTokenHashPadded(block, token.size(), seed);
}

// The same for a token with no readable bytes past it.
NEARDUP_HASH_INLINE std::uint64_t ShingleTokenHash(std::string_view token, std::uint64_t seed) {
  return ShingleTokenHashIn(token, token.data() + token.size(), seed);
}

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_TOKEN_HASH_H_
