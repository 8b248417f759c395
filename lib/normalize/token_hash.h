// Token and shingle hashing shared by normalize.cc and shingle.cc (internal).
#ifndef NEARDUP_NORMALIZE_TOKEN_HASH_H_
#define NEARDUP_NORMALIZE_TOKEN_HASH_H_

// Inlined: tokens and shingles are short inputs, where a call into the shared
// library costs as much as the hashing itself.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
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

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_TOKEN_HASH_H_
