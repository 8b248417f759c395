#include <algorithm>
#include <bit>
#include <cassert>

#include "neardup/normalize.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

std::uint64_t ToLittleEndian(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(v);
  return v;
}

// Turns the token hashes in *hashes into shingle hashes, in place: shingle i
// overwrites token hash i, which no later shingle reads.
void ShinglesInPlace(const ShingleOptions& options, std::vector<std::uint64_t>* hashes) {
  const std::size_t num_tokens = hashes->size();
  if (num_tokens == 0) return;
  for (std::uint64_t& h : *hashes) h = ToLittleEndian(h);
  const std::size_t n = std::min(num_tokens, static_cast<std::size_t>(std::max(options.size, 1)));
  const std::size_t num_shingles = num_tokens - n + 1;
  std::uint64_t* data = hashes->data();
  for (std::size_t i = 0; i < num_shingles; ++i) {
    data[i] = internal::Xxh3Short(data + i, n * sizeof(std::uint64_t), options.seed);
  }
  hashes->resize(num_shingles);
}

}  // namespace

std::uint64_t HashToken(std::string_view token, std::uint64_t seed) {
  return internal::TokenHash(token, seed);
}

void ShingleHashes(const NormalizedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  out->resize(text.tokens.size());
  for (std::size_t i = 0; i < text.tokens.size(); ++i) {
    (*out)[i] = internal::TokenHash(text.TokenText(i), options.seed);
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
