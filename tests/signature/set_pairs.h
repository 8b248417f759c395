// Random shingle sets with a chosen exact Jaccard, for the signature tests.
#ifndef NEARDUP_TESTS_SIGNATURE_SET_PAIRS_H_
#define NEARDUP_TESTS_SIGNATURE_SET_PAIRS_H_

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../test_util.h"

namespace neardup::testing {

// Distinct random keys.
inline std::vector<std::uint64_t> DistinctKeys(Rng& rng, std::size_t n) {
  std::unordered_set<std::uint64_t> seen;
  std::vector<std::uint64_t> out;
  while (out.size() < n) {
    const std::uint64_t x = rng.Next();
    if (seen.insert(x).second) out.push_back(x);
  }
  return out;
}

inline void Shuffle(Rng& rng, std::vector<std::uint64_t>* v) {
  for (std::size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[rng.Below(i)]);
}

// A pair of sets with |A ∩ B| = common and |A \ B| = |B \ A| = only, so
// J = common / (common + 2 * only) exactly.
struct SetPair {
  std::vector<std::uint64_t> a, b;
};
inline SetPair MakePair(Rng& rng, std::size_t common, std::size_t only) {
  const std::vector<std::uint64_t> keys = DistinctKeys(rng, common + 2 * only);
  SetPair p;
  p.a.assign(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(common + only));
  p.b.assign(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(common));
  p.b.insert(p.b.end(), keys.begin() + static_cast<std::ptrdiff_t>(common + only), keys.end());
  Shuffle(rng, &p.a);
  Shuffle(rng, &p.b);
  return p;
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_SIGNATURE_SET_PAIRS_H_
