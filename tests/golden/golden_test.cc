// Normalized text, shingle hashes and signatures of fixed inputs are stable.
// On failure: if the change is intended, regenerate with
//   build/tests/gen_golden > tests/golden/vectors.inc
// and record why in the commit message (stored signatures become incompatible).
#include <neardup/normalize.h>
#include <neardup/signature.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "golden/golden_inputs.h"

namespace neardup {
namespace {

struct Golden {
  const char* normalized;
  std::vector<std::uint64_t> shingles;
  std::vector<std::uint32_t> minhash;  // k hashes
  std::vector<std::uint32_t> oph;      // one permutation
  std::vector<std::uint8_t> sketch;    // 64 bins
  std::uint64_t simhash;
};

const Golden kExpected[] = {
#include "golden/vectors.inc"
};

TEST_CASE("Golden vectors: normalization, shingles, MinHash, sketch and SimHash are unchanged") {
  static_assert(std::size(kExpected) == std::size(golden::kInputs));
  MinHashOptions options{16, 1};
  options.sketch_bins = 64;
  options.scheme = MinHashScheme::kPermutations;
  const MinHasher hasher(options);
  options.scheme = MinHashScheme::kOnePermutation;
  const MinHasher oph(options);
  for (std::size_t i = 0; i < std::size(golden::kInputs); ++i) {
    INFO("golden input " << i
                         << "; if the change is intended, regenerate with "
                            "build/tests/gen_golden > tests/golden/vectors.inc");
    const NormalizedText nt = Normalize(golden::kInputs[i]);
    CHECK(nt.text == kExpected[i].normalized);
    std::vector<std::uint64_t> shingles;
    ShingleHashes(nt, ShingleOptions{}, &shingles);
    CHECK(shingles == kExpected[i].shingles);
    std::vector<std::uint32_t> sig(16);
    hasher.Sign(shingles, sig);
    CHECK(sig == kExpected[i].minhash);
    oph.Sign(shingles, sig);
    CHECK(sig == kExpected[i].oph);
    std::vector<std::uint8_t> sketch(oph.sketch_bytes());
    oph.Sign(shingles, sig, sketch);
    CHECK(sig == kExpected[i].oph);
    CHECK(sketch == kExpected[i].sketch);
    std::vector<std::uint64_t> bigrams;
    ShingleHashes(nt, ShingleOptions{2, 0}, &bigrams);
    CHECK(SimHash(CountFeatures(bigrams, FeatureWeight::kBinary)) == kExpected[i].simhash);
  }
}

}  // namespace
}  // namespace neardup
