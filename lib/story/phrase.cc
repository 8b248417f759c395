// The phrase gate: rewrites of one text keep some of its adjacent word
// pairs, independent texts on its subject share words but few pairs.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "core/hash_sort.h"
#include "neardup/story.h"
#include "normalize/token_hash.h"
#include "story/pair_scratch.h"

namespace neardup {
bool PhraseGated(double similarity, double marks_share, const StoryOptions& options) {
  return options.phrase_floor > 0 && similarity > 0 &&
         similarity >= options.phrase_min_similarity && marks_share < options.phrase_exempt_marks;
}

std::vector<std::uint32_t> WordPairHashes(const NormalizedText& normalized) {
  internal::WordPairScratch scratch;
  return internal::WordPairHashes(normalized, scratch);
}

std::vector<std::uint32_t> internal::WordPairHashes(const NormalizedText& normalized,
                                                    WordPairScratch& scratch) {
  // 32 bits: two texts' different pairs collide ~1e-4 times. Hashed into the
  // scratch, then sorted into the result by their top bits
  // (SortRangeByHashKey: they are hashes).
  std::vector<std::uint32_t>& hashed = scratch.hashed;
  std::vector<std::uint32_t>& counts = scratch.counts;
  std::vector<std::uint32_t> pairs;
  if (normalized.tokens.size() < 2) return pairs;
  hashed.clear();
  hashed.reserve(normalized.tokens.size() - 1);
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < normalized.tokens.size(); ++i) {
    const std::string_view word = normalized.TokenText(i);
    const std::uint64_t h = internal::Xxh3Short(word.data(), word.size(), 0);
    if (i > 0) {
      const std::uint64_t both[2] = {previous, h};
      hashed.push_back(static_cast<std::uint32_t>(internal::Xxh3Short(both, sizeof both, 0)));
    }
    previous = h;
  }
  pairs.resize(hashed.size());
  internal::SortRangeByHashKey(
      hashed.data(), pairs.data(), hashed.size(), [](std::uint32_t x) { return x; }, 0, &counts);
  if (hashed.capacity() > (std::size_t{1} << 20)) {  // a huge document: not kept in the scratch
    std::vector<std::uint32_t>().swap(hashed);
    std::vector<std::uint32_t>().swap(counts);
  }
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  pairs.shrink_to_fit();
  return pairs;
}

double PhraseGate(double containment, const StoryOptions& options) {
  if (options.phrase_floor <= 0) return 1;
  return std::pow(std::min(1.0, containment / options.phrase_floor), options.phrase_power);
}

}  // namespace neardup
