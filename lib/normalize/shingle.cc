#include <algorithm>
#include <cassert>

#include "core/splitmix64.h"
#include "neardup/normalize.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

// XXH64's final mix (its avalanche): a bijection on 64 bits whose every
// output bit depends on every input bit.
inline std::uint64_t Avalanche64(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  h *= 0x165667B19E3779F9ull;
  return h ^ (h >> 32);
}

// Turns the token hashes in *hashes into shingle hashes, in place: shingle i
// overwrites token hash i, which no later shingle reads. A shingle of tokens
// t[i .. i + n) hashes to Avalanche64(n * m_len + sum m[j] * t[i + j])
// (mod 2^64), with odd multipliers m_len, m[0], m[1], ... drawn in turn from
// the seed by SplitMix64: a multilinear hash, so two different shingles
// collide with probability about 2^-63 over the multipliers, at about half the
// cost of XXH3 over the 40 bytes of a 5-word shingle. The number of tokens n
// is a term of its own so that a document shorter than a shingle hashes as
// its own words would with a shingle of that size.
void ShinglesInPlace(const ShingleOptions& options, std::vector<std::uint64_t>* hashes) {
  const std::size_t num_tokens = hashes->size();
  if (num_tokens == 0) return;
  const std::size_t size = static_cast<std::size_t>(std::max(options.size, 1));
  const std::size_t n = std::min(num_tokens, size);
  std::uint64_t state = options.seed;
  const std::uint64_t base = n * (internal::SplitMix64(&state) | 1);
  std::vector<std::uint64_t> m(n);
  for (std::uint64_t& x : m) x = internal::SplitMix64(&state) | 1;
  const std::size_t num_shingles = num_tokens - n + 1;
  std::uint64_t* t = hashes->data();
  if (n == 5) {
    // The common case, with the window in registers.
    const std::uint64_t m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4];
    std::uint64_t t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3];
    for (std::size_t i = 0; i < num_shingles; ++i) {
      const std::uint64_t t4 = t[i + 4];
      t[i] = Avalanche64(base + m0 * t0 + m1 * t1 + m2 * t2 + m3 * t3 + m4 * t4);
      t0 = t1;
      t1 = t2;
      t2 = t3;
      t3 = t4;
    }
  } else {
    for (std::size_t i = 0; i < num_shingles; ++i) {
      std::uint64_t h = base;
      for (std::size_t j = 0; j < n; ++j) h += m[j] * t[i + j];
      t[i] = Avalanche64(h);
    }
  }
  hashes->resize(num_shingles);
}

}  // namespace

std::uint64_t HashToken(std::string_view token, std::uint64_t seed) {
  return internal::TokenHash(token, seed);
}

std::uint64_t HashShingleToken(std::string_view token, std::uint64_t seed) {
  return internal::ShingleTokenHash(token, seed);
}

void ShingleHashes(const NormalizedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  out->resize(text.tokens.size());
  for (std::size_t i = 0; i < text.tokens.size(); ++i) {
    (*out)[i] = internal::ShingleTokenHash(text.TokenText(i), options.seed);
  }
  ShinglesInPlace(options, out);
}

void ShingleHashes(const HashedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  assert(text.seed == options.seed);
  out->assign(text.token_hashes.begin(), text.token_hashes.end());
  ShinglesInPlace(options, out);
}

}  // namespace neardup
