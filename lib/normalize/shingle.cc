#include <xxhash.h>

#include <bit>

#include "neardup/normalize.h"

namespace neardup {
namespace {

std::uint64_t ToLittleEndian(std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(v);
  return v;
}

}  // namespace

std::uint64_t HashToken(std::string_view token, std::uint64_t seed) {
  return XXH3_64bits_withSeed(token.data(), token.size(), seed);
}

void ShingleHashes(const NormalizedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  out->clear();
  const std::size_t num_tokens = text.tokens.size();
  if (num_tokens == 0) return;
  // Token hashes first, then each shingle hashes its run of token hashes in
  // place: shingle i overwrites token hash i, which no later shingle reads.
  out->resize(num_tokens);
  for (std::size_t i = 0; i < num_tokens; ++i) {
    (*out)[i] = ToLittleEndian(HashToken(text.TokenText(i), options.seed));
  }
  const std::size_t n = std::min(num_tokens, static_cast<std::size_t>(std::max(options.size, 1)));
  const std::size_t num_shingles = num_tokens - n + 1;
  for (std::size_t i = 0; i < num_shingles; ++i) {
    (*out)[i] = XXH3_64bits_withSeed(out->data() + i, n * sizeof(std::uint64_t), options.seed);
  }
  out->resize(num_shingles);
}

}  // namespace neardup
