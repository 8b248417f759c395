// Tests for the b-bit sketch MinHasher::Sign can write, and CompareBbitSketches
// (lib/signature/bbit_sketch.cc).
//
// Statistical tests follow STYLE.md item 11: fixed seeds and tolerances
// derived from the estimator's distribution (see "b-bit sketches" in
// signature.h).
#include <neardup/signature.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../test_util.h"
#include "set_pairs.h"

namespace neardup {
namespace {

MinHasher Hasher(MinHashScheme scheme, std::uint64_t seed = 1, int bins = 512) {
  MinHashOptions options;
  options.scheme = scheme;
  options.seed = seed;
  options.sketch_bins = bins;
  return MinHasher(options);
}

std::vector<std::uint8_t> Sketch(const MinHasher& hasher, const std::vector<std::uint64_t>& set) {
  std::vector<std::uint32_t> signature(static_cast<std::size_t>(hasher.num_perm()));
  std::vector<std::uint8_t> sketch(hasher.sketch_bytes());
  hasher.Sign(set, signature, sketch);
  return sketch;
}

int Code(const std::vector<std::uint8_t>& sketch, std::size_t bin) {
  return sketch[bin / 2] >> (bin % 2 * 4) & 0xF;
}

int FilledBins(const std::vector<std::uint8_t>& sketch) {
  int filled = 0;
  for (std::size_t bin = 0; bin < 2 * sketch.size(); ++bin) filled += Code(sketch, bin) != 0;
  return filled;
}

constexpr MinHashScheme kSchemes[] = {MinHashScheme::kPermutations, MinHashScheme::kOnePermutation};

TEST_CASE("Sketch: signing with a sketch leaves the signature as it was", "[sketch]") {
  // 512 bins nest in 128 signature bins (the one-pass path); 512 in 100, or
  // 16 in 128, do not.
  testing::Rng rng(0x5EED0101);
  for (const MinHashScheme scheme : kSchemes) {
    for (const auto& [k, bins] : {std::pair{128, 512}, std::pair{100, 512}, std::pair{128, 16}}) {
      MinHashOptions options;
      options.scheme = scheme;
      options.num_perm = k;
      options.sketch_bins = bins;
      const MinHasher hasher(options);
      for (const std::size_t n :
           {std::size_t{1}, std::size_t{37}, std::size_t{600}, std::size_t{5000}}) {
        const std::vector<std::uint64_t> set = testing::DistinctKeys(rng, n);
        std::vector<std::uint32_t> plain(static_cast<std::size_t>(k)), with_sketch(plain.size());
        std::vector<std::uint8_t> sketch(hasher.sketch_bytes());
        hasher.Sign(set, plain);
        hasher.Sign(set, with_sketch, sketch);
        INFO("k " << k << ", bins " << bins << ", n " << n);
        CHECK(plain == with_sketch);
        // The sketch does not depend on k or the scheme.
        CHECK(sketch == Sketch(Hasher(MinHashScheme::kOnePermutation, 1, bins), set));
      }
    }
  }
}

TEST_CASE("Sketch: both schemes write the same sketch", "[sketch]") {
  testing::Rng rng(0x5EED0102);
  const std::vector<std::uint64_t> set = testing::DistinctKeys(rng, 700);
  CHECK(Sketch(Hasher(MinHashScheme::kPermutations), set) ==
        Sketch(Hasher(MinHashScheme::kOnePermutation), set));
  CHECK(Sketch(Hasher(MinHashScheme::kOnePermutation, 2), set) !=
        Sketch(Hasher(MinHashScheme::kOnePermutation), set));
}

TEST_CASE("Sketch: a bin is 0 exactly when no shingle fell in it", "[sketch]") {
  testing::Rng rng(0x5EED0103);
  const MinHasher hasher = Hasher(MinHashScheme::kOnePermutation, 1, 64);
  REQUIRE(hasher.sketch_bytes() == 32);
  CHECK(FilledBins(Sketch(hasher, {})) == 0);
  CHECK(FilledBins(Sketch(hasher, {42})) == 1);
  // Filled bins grow with the set and never exceed its size; n = 2,000 keys
  // leave a given bin of 64 empty with probability (63/64)^2000 = 2e-14.
  std::vector<std::uint64_t> set;
  int last = 0;
  for (const std::size_t n :
       {std::size_t{2}, std::size_t{10}, std::size_t{50}, std::size_t{2000}}) {
    const std::vector<std::uint64_t> more = testing::DistinctKeys(rng, n - set.size());
    set.insert(set.end(), more.begin(), more.end());
    const int filled = FilledBins(Sketch(hasher, set));
    INFO("n = " << n);
    CHECK(filled >= last);
    CHECK(filled <= static_cast<int>(n));
    last = filled;
  }
  CHECK(last == 64);
}

TEST_CASE("Sketch: order and repeats do not matter; equal sets estimate 1", "[sketch]") {
  testing::Rng rng(0x5EED0104);
  const MinHasher hasher = Hasher(MinHashScheme::kOnePermutation);
  const std::vector<std::uint64_t> set = testing::DistinctKeys(rng, 300);
  std::vector<std::uint64_t> other = set;
  testing::Shuffle(rng, &other);
  other.insert(other.end(), set.begin(), set.begin() + 100);
  const std::vector<std::uint8_t> a = Sketch(hasher, set), b = Sketch(hasher, other);
  CHECK(a == b);
  const BbitComparison c = CompareBbitSketches(a, b);
  CHECK(c.bins == 512);
  CHECK(c.filled_either == FilledBins(a));
  CHECK(c.agreeing == c.filled_both);
  CHECK(c.Jaccard() == 1.0);
}

TEST_CASE("CompareBbitSketches: counts and estimate, by hand", "[sketch]") {
  // 16 bins: a's codes 1 2 0 3 0 7 0..., b's codes 1 5 4 3 0 0 0...
  std::vector<std::uint8_t> a(8, 0), b(8, 0);
  a[0] = 0x21;  // bins 0, 1
  a[1] = 0x30;  // bin 3
  a[2] = 0x70;  // bin 5
  b[0] = 0x51;
  b[1] = 0x34;
  const BbitComparison c = CompareBbitSketches(a, b);
  CHECK(c.bins == 16);
  CHECK(c.filled_either == 5);  // bins 0, 1, 2, 3, 5
  CHECK(c.filled_both == 3);    // bins 0, 1, 3
  CHECK(c.agreeing == 2);       // bins 0, 3
  // (M - cB) / ((1 - c) U) with c = 1/15: (2 - 3/15) / (14/15 * 5) = 27/70.
  CHECK(c.Jaccard() == Approx(27.0 / 70.0));
  const BbitComparison none =
      CompareBbitSketches(std::vector<std::uint8_t>(8, 0), std::vector<std::uint8_t>(8, 0));
  CHECK(none.filled_either == 0);
  CHECK(none.Jaccard() == 0.0);
  CHECK(std::isinf(none.StandardError(0.8)));
}

TEST_CASE("CompareBbitSketches: word-wise counts equal a bin-by-bin count", "[sketch]") {
  testing::Rng rng(0x5EED0105);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::uint8_t> a(64), b(64);
    for (std::size_t i = 0; i < a.size(); ++i) {
      // Few distinct codes, so that zeros and equal codes are common.
      a[i] = static_cast<std::uint8_t>(rng.Below(3) | rng.Below(3) << 4);
      b[i] = static_cast<std::uint8_t>(rng.Below(3) | rng.Below(3) << 4);
    }
    int either = 0, both = 0, agreeing = 0;
    for (std::size_t bin = 0; bin < 128; ++bin) {
      const int x = Code(a, bin), y = Code(b, bin);
      either += x != 0 || y != 0;
      both += x != 0 && y != 0;
      agreeing += x != 0 && x == y;
    }
    const BbitComparison c = CompareBbitSketches(a, b);
    CHECK(c.filled_either == either);
    CHECK(c.filled_both == both);
    CHECK(c.agreeing == agreeing);
  }
}

TEST_CASE("Sketch: estimates are unbiased and their standard error is not understated",
          "[sketch][statistical]") {
  // z = (J^ - J) / StandardError(J) over kTrials independent pairs per cell.
  // If StandardError were exact, z would have mean 0 and variance 1. It
  // counts the union's collisions high on purpose, so the variance is <= 1:
  // about 0.8 at N = 200 (true correction 0.17, the one used about 0.22), and
  // near 1 from N = 1000. Tolerances, for kTrials = 600:
  //  - mean: sd <= 1/sqrt(600) = 0.041; 4 sd = 0.16.
  //  - variance: the sample variance of 600 near-normal values has sd about
  //    v sqrt(2/599) <= 0.058; 4 sd above 1 is 1.23. Below, 0.6 is 3 sd
  //    under the lowest expected value (0.8); a standard error without the
  //    finite-population correction (variance 0.17 at N = 200, 0.45 at
  //    N = 700) fails it, as does one that ignores the chance agreements.
  constexpr int kTrials = 600;
  testing::Rng rng(0x5EED0106);
  const MinHasher hasher = Hasher(MinHashScheme::kOnePermutation);
  for (const std::size_t union_size : {std::size_t{200}, std::size_t{700}, std::size_t{4000}}) {
    for (const double j : {0.5, 0.8, 0.95}) {
      const auto common =
          static_cast<std::size_t>(std::lround(j * static_cast<double>(union_size)));
      const std::size_t only = (union_size - common) / 2;
      const double exact = static_cast<double>(common) / static_cast<double>(common + 2 * only);
      double sum = 0, sum_sq = 0;
      for (int t = 0; t < kTrials; ++t) {
        const testing::SetPair pair = testing::MakePair(rng, common, only);
        const BbitComparison c =
            CompareBbitSketches(Sketch(hasher, pair.a), Sketch(hasher, pair.b));
        const double z = (c.Jaccard() - exact) / c.StandardError(exact);
        sum += z;
        sum_sq += z * z;
      }
      const double mean = sum / kTrials;
      const double var = (sum_sq - kTrials * mean * mean) / (kTrials - 1);
      INFO("N = " << union_size << ", J = " << exact << ": mean z " << mean << ", var z " << var);
      CHECK(std::abs(mean) < 0.16);
      CHECK(var < 1.23);
      CHECK(var > 0.6);
    }
  }
}

}  // namespace
}  // namespace neardup
