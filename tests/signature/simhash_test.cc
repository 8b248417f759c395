// SimHash: kernels agree, weighting, and distance behaviour on controlled edits.
#include <neardup/normalize.h>
#include <neardup/signature.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "test_util.h"

namespace neardup {
namespace {

using testing::Rng;

std::vector<WeightedFeature> RandomFeatures(Rng& rng, std::size_t n) {
  std::vector<WeightedFeature> f;
  for (std::size_t i = 0; i < n; ++i) {
    f.push_back({rng.Next(), static_cast<float>(1 + rng.Below(7)) / 3.0f});
  }
  return f;
}

TEST_CASE("SimHash: the Eigen kernel equals the scalar reference bit for bit") {
  Rng rng(1);
  for (int trial = 0; trial < 500; ++trial) {
    const std::vector<WeightedFeature> f = RandomFeatures(rng, rng.Below(400));
    INFO("trial " << trial << ", " << f.size() << " features");
    CHECK(SimHash(f) == SimHashScalar(f));
  }
}

TEST_CASE("SimHash: each bit is the sign of the weighted vote") {
  // One feature decides every bit by itself; two equal-weight features with
  // complementary hashes tie everywhere, and a tie does not set the bit.
  const WeightedFeature a{0xF0F0F0F0F0F0F0F0ull, 1.0f};
  CHECK(SimHash(std::vector<WeightedFeature>{a}) == a.hash);
  const WeightedFeature b{~a.hash, 1.0f};
  CHECK(SimHash(std::vector<WeightedFeature>{a, b}) == 0);
  // The heavier of the two wins every bit.
  const WeightedFeature heavy_b{~a.hash, 2.5f};
  CHECK(SimHash(std::vector<WeightedFeature>{a, heavy_b}) == heavy_b.hash);
  CHECK(SimHash(std::vector<WeightedFeature>{}) == 0);
}

TEST_CASE("CountFeatures weights repeated hashes as asked") {
  const std::vector<std::uint64_t> hashes = {7, 3, 7, 7, 3, 9};
  const auto tf = CountFeatures(hashes, FeatureWeight::kTermFrequency);
  REQUIRE(tf.size() == 3);
  CHECK(tf[0].hash == 3);
  CHECK(tf[0].weight == 2.0f);
  CHECK(tf[1].hash == 7);
  CHECK(tf[1].weight == 3.0f);
  CHECK(tf[2].weight == 1.0f);
  for (const auto& f : CountFeatures(hashes, FeatureWeight::kBinary)) CHECK(f.weight == 1.0f);
  const auto log_tf = CountFeatures(hashes, FeatureWeight::kLogTermFrequency);
  CHECK(log_tf[1].weight == Approx(1.0 + std::log(3.0)));
}

// Binary-weighted fingerprints of two random feature sets sharing `common`
// of their `size` features. Charikar: P(bit differs) = angle / pi, where
// cos(angle) = common / size for equal-size sets.
int DistanceOfOverlap(Rng& rng, std::size_t size, std::size_t common) {
  std::vector<WeightedFeature> a, b;
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t shared = rng.Next();
    a.push_back({i < common ? shared : rng.Next(), 1.0f});
    b.push_back({i < common ? shared : rng.Next(), 1.0f});
  }
  return HammingDistance(SimHash(a), SimHash(b));
}

TEST_CASE("SimHash: mean Hamming distance follows 64 * angle / pi") {
  // For each overlap the mean over 400 pairs must lie within 4 standard
  // errors of 64 * acos(common/size) / pi. Bits are not independent for one
  // pair, so the per-pair variance is bounded by the worst case of 64 bits
  // all moving together: var <= 64^2 p(1-p); the standard error of the mean
  // over 400 pairs is then at most 64 * sqrt(p(1-p)) / 20.
  Rng rng(2);
  constexpr std::size_t kSize = 500;
  constexpr int kPairs = 400;
  for (std::size_t common : {std::size_t{500}, std::size_t{475}, std::size_t{450}, std::size_t{400},
                             std::size_t{250}, std::size_t{0}}) {
    double sum = 0;
    for (int i = 0; i < kPairs; ++i) sum += DistanceOfOverlap(rng, kSize, common);
    const double p = std::acos(static_cast<double>(common) / kSize) / M_PI;
    const double bound = 4 * 64 * std::sqrt(p * (1 - p)) / std::sqrt(kPairs);
    INFO("common " << common << ": mean " << sum / kPairs << ", expected " << 64 * p);
    CHECK(std::abs(sum / kPairs - 64 * p) <= bound + 1e-9);
  }
}

TEST_CASE("SimHash of text: closer for smaller edits, 0 for formatting-only changes") {
  Rng rng(3);
  std::string words;
  for (int i = 0; i < 600; ++i) words += "w" + std::to_string(rng.Below(3000)) + " ";
  auto fingerprint = [](const std::string& text) {
    std::vector<std::uint64_t> shingles;
    ShingleHashes(Normalize(text), ShingleOptions{2, 0}, &shingles);
    return SimHash(CountFeatures(shingles, FeatureWeight::kBinary));
  };
  const std::uint64_t base = fingerprint(words);
  std::string reformatted = words;
  for (char& c : reformatted) c = c == ' ' ? '\n' : static_cast<char>(std::toupper(c));
  CHECK(fingerprint(reformatted) == base);
  // Appending more and more unrelated text moves the fingerprint further on
  // average (mean over 30 different appendices per size).
  double previous = 0;
  for (int extra : {30, 150, 600}) {
    double total = 0;
    for (int t = 0; t < 30; ++t) {
      std::string edited = words;
      for (int i = 0; i < extra; ++i) edited += "x" + std::to_string(rng.Below(100000)) + " ";
      total += HammingDistance(base, fingerprint(edited));
    }
    INFO("extra words " << extra);
    CHECK(total / 30 > previous);
    previous = total / 30;
  }
}

}  // namespace
}  // namespace neardup
