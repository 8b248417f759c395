// The Jaccard measure of gen_planted: Jaccard of the sets of word 5-grams
// (shingles) of two texts, compared as 64-bit hashes. Tokens are maximal runs
// of non-whitespace bytes with ASCII letters lower-cased; punctuation stays
// attached. It is meant to be stricter than neardup's own normalization, so
// that a copy is at least as similar to its original there.
//
//   const Jaccard j = Compare(Shingles(original), Shingles(copy));
//   if (IsCopyJaccard(j)) line += FormatJaccard(j);  // "0.9312"
#ifndef NEARDUP_BENCH_CORPUS_JACCARD_H_
#define NEARDUP_BENCH_CORPUS_JACCARD_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "random.h"
#include "text.h"

namespace neardup::gen {

constexpr size_t kShingleWords = 5;

using ShingleSet = std::vector<uint64_t>;  // sorted, unique

// FNV-1a over the token's bytes with ASCII letters lower-cased.
inline uint64_t TokenHash(std::string_view token) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : token) {
    hash ^= static_cast<unsigned char>(AsciiLower(c));
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Calls f on the hash of each word 5-gram of `text`, repeats included. A text
// of fewer than five tokens is a single shingle of all of them.
template <typename F>
void ForEachShingle(std::string_view text, F&& f) {
  std::vector<uint64_t> tokens;
  ForEachToken(text, [&](std::string_view token) { tokens.push_back(TokenHash(token)); });
  const size_t width = std::min(tokens.size(), kShingleWords);
  const size_t count = tokens.empty() ? 0 : tokens.size() - width + 1;
  for (size_t i = 0; i < count; ++i) {
    uint64_t hash = 0;
    for (size_t j = 0; j < width; ++j) {
      hash = std::rotl(hash, 17) ^ tokens[i + j];
    }
    f(Mix64(hash));
  }
}

// The set of shingle hashes of `text`.
ShingleSet Shingles(std::string_view text);

struct Jaccard {
  uint64_t shared = 0;  // |A and B|
  uint64_t total = 0;   // |A or B|

  // 1 for two empty sets.
  double Value() const {
    return total == 0 ? 1.0 : static_cast<double>(shared) / static_cast<double>(total);
  }
  // Exact comparisons with num / den.
  bool AtLeast(uint64_t num, uint64_t den) const { return shared * den >= total * num; }
  bool AtMost(uint64_t num, uint64_t den) const { return shared * den <= total * num; }
};

Jaccard Compare(const ShingleSet& a, const ShingleSet& b);

// Four decimals, e.g. "0.8500", the same digits on every platform.
std::string FormatJaccard(const Jaccard& j);

// A planted copy: Jaccard >= 0.85.
inline bool IsCopyJaccard(const Jaccard& j) { return j.AtLeast(17, 20); }
// A planted distractor: 0.2 <= Jaccard <= 0.5.
inline bool IsDistractorJaccard(const Jaccard& j) { return j.AtLeast(1, 5) && j.AtMost(1, 2); }

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_JACCARD_H_
