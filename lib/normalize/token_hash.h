// Token hashing shared by normalize.cc and shingle.cc (internal).
#ifndef NEARDUP_NORMALIZE_TOKEN_HASH_H_
#define NEARDUP_NORMALIZE_TOKEN_HASH_H_

// Inlined: tokens and shingles are short inputs, where a call into the shared
// library costs as much as the hashing itself.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace neardup::internal {

// HashToken (neardup/normalize.h).
inline std::uint64_t TokenHash(std::string_view token, std::uint64_t seed) {
  return XXH3_64bits_withSeed(token.data(), token.size(), seed);
}

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_TOKEN_HASH_H_
