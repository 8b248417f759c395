#include <cassert>

#include "neardup/normalize.h"
#include "normalize/shingle_hash.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

// Writes the shingle hashes (ForEachShingleHash) of the `num_tokens` token
// hashes at `tokens` to *out, which may be where the tokens are: shingle i
// overwrites token hash i, which no later shingle reads.
void WriteShingles(const std::uint64_t* tokens, std::size_t num_tokens,
                   const ShingleOptions& options, std::vector<std::uint64_t>* out) {
  out->resize(num_tokens);
  std::uint64_t* data = out->data();
  out->resize(internal::ForEachShingleHash(
      tokens, num_tokens, options, [data](std::size_t i, std::uint64_t h) { data[i] = h; }));
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
  const char* text_end = text.text.data() + text.text.size();
  for (std::size_t i = 0; i < text.tokens.size(); ++i) {
    (*out)[i] = internal::ShingleTokenHashIn(text.TokenText(i), text_end, options.seed);
  }
  WriteShingles(out->data(), out->size(), options, out);
}

void ShingleHashes(const HashedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  assert(text.seed == options.seed);
  WriteShingles(text.token_hashes.data(), text.token_hashes.size(), options, out);
}

}  // namespace neardup
