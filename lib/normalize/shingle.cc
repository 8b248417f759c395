#include <algorithm>
#include <cassert>

#include "neardup/normalize.h"
#include "normalize/shingle_hash.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

// Turns the token hashes in *hashes into shingle hashes (ForEachShingleHash),
// in place: shingle i overwrites token hash i, which no later shingle reads.
void ShinglesInPlace(const ShingleOptions& options, std::vector<std::uint64_t>* hashes) {
  std::uint64_t* t = hashes->data();
  hashes->resize(internal::ForEachShingleHash(t, hashes->size(), options,
                                              [t](std::size_t i, std::uint64_t h) { t[i] = h; }));
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
  ShinglesInPlace(options, out);
}

void ShingleHashes(const HashedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out) {
  assert(text.seed == options.seed);
  const std::size_t size = static_cast<std::size_t>(std::max(options.size, 1));
  const std::size_t tokens = text.token_hashes.size();
  out->resize(tokens == 0 ? 0 : tokens - std::min(tokens, size) + 1);
  std::uint64_t* data = out->data();
  internal::ForEachShingleHash(text.token_hashes.data(), tokens, options,
                               [data](std::size_t i, std::uint64_t h) { data[i] = h; });
}

}  // namespace neardup
