// Shingle hashing from token hashes (internal), shared by ShingleHashes
// (shingle.cc) and the near level's exact check, which keys shingles without
// storing their hashes.
#ifndef NEARDUP_NORMALIZE_SHINGLE_HASH_H_
#define NEARDUP_NORMALIZE_SHINGLE_HASH_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/splitmix64.h"
#include "neardup/normalize.h"

namespace neardup::internal {

// XXH64's final mix (its avalanche): a bijection on 64 bits whose every
// output bit depends on every input bit.
inline std::uint64_t Avalanche64(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  h *= 0x165667B19E3779F9ull;
  return h ^ (h >> 32);
}

// Calls emit(i, hash) for every shingle i of the `num_tokens` token hashes
// at `t`, in order, after reading the tokens of shingle i (so emit may
// overwrite t[i]). A shingle of tokens t[i .. i + n) hashes to
// Avalanche64(n * m_len + sum m[j] * t[i + j]) (mod 2^64), with odd
// multipliers m_len, m[0], m[1], ... drawn in turn from the seed by
// SplitMix64: a multilinear hash, so two different shingles collide with
// probability about 2^-63 over the multipliers, at about half the cost of
// XXH3 over the 40 bytes of a 5-word shingle. The number of tokens n is a
// term of its own so that a document shorter than a shingle hashes as its own
// words would with a shingle of that size. Returns the number of shingles.
template <class Emit>
std::size_t ForEachShingleHash(const std::uint64_t* t, std::size_t num_tokens,
                               const ShingleOptions& options, Emit&& emit) {
  if (num_tokens == 0) return 0;
  const std::size_t size = static_cast<std::size_t>(std::max(options.size, 1));
  const std::size_t n = std::min(num_tokens, size);
  std::uint64_t state = options.seed;
  const std::uint64_t base = n * (SplitMix64(&state) | 1);
  const std::size_t num_shingles = num_tokens - n + 1;
  if (n == 5) {
    // The common case, with the window in registers.
    const std::uint64_t m0 = SplitMix64(&state) | 1, m1 = SplitMix64(&state) | 1,
                        m2 = SplitMix64(&state) | 1, m3 = SplitMix64(&state) | 1,
                        m4 = SplitMix64(&state) | 1;
    std::uint64_t t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3];
    for (std::size_t i = 0; i < num_shingles; ++i) {
      const std::uint64_t t4 = t[i + 4];
      emit(i, Avalanche64(base + m0 * t0 + m1 * t1 + m2 * t2 + m3 * t3 + m4 * t4));
      t0 = t1;
      t1 = t2;
      t2 = t3;
      t3 = t4;
    }
    return num_shingles;
  }
  std::vector<std::uint64_t> m(n);
  for (std::uint64_t& x : m) x = SplitMix64(&state) | 1;
  for (std::size_t i = 0; i < num_shingles; ++i) {
    std::uint64_t h = base;
    for (std::size_t j = 0; j < n; ++j) h += m[j] * t[i + j];
    emit(i, Avalanche64(h));
  }
  return num_shingles;
}

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_SHINGLE_HASH_H_
