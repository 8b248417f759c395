// Tests for MinHasher (both schemes), EstimateJaccard, ExactJaccard and ExactFingerprint
// (lib/signature/).
//
// Statistical tests follow STYLE.md item 11: fixed seeds, tolerances derived
// from the estimator's distribution, and a failure budget. Under ideal
// min-wise hashing each of the k signature positions agrees independently
// with probability J (Broder 1997), so the number of agreeing positions is
// Binomial(k, J) and the estimate has standard deviation sigma = sqrt(J(1-J)/k).
#include <neardup/normalize.h>
#include <neardup/signature.h>
#include <xxhash.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "../test_util.h"
#include "set_pairs.h"

namespace neardup {
namespace {

using testing::DistinctKeys;
using testing::MakePair;
using testing::SetPair;
using testing::Shuffle;

// Allowance for the hash family's deviation from ideal min-wise hashing, as
// an absolute shift of the per-position agreement probability. The test sets
// are independent uniform 64-bit keys, so every h_i(x) is close to uniform
// and independent across keys, and what remains is (a) ties between 32-bit
// hash values, P <= |A ∪ B| * 2^-32 ≈ 5e-8 per position, (b) two keys folding
// to the same 32-bit value, P <= |A ∪ B|^2 * 2^-33 ≈ 5e-6 per set, and (c) the
// multiply-add-shift family being only 2-independent, which guarantees no
// min-wise bound in general. (a) and (b) are far below 0.005; the margin is
// for (c), and is still small against the smallest sigma tested (0.0136).
constexpr double kHashBias = 0.005;

std::vector<std::uint32_t> Sign(const MinHasher& hasher, const std::vector<std::uint64_t>& set) {
  std::vector<std::uint32_t> sig(static_cast<std::size_t>(hasher.num_perm()));
  hasher.Sign(set, sig);
  return sig;
}

MinHasher Hasher(int k, std::uint64_t seed, MinHashScheme scheme = MinHashScheme::kPermutations) {
  MinHashOptions options;
  options.num_perm = k;
  options.seed = seed;
  options.scheme = scheme;
  return MinHasher(options);
}

constexpr MinHashScheme kSchemes[] = {MinHashScheme::kPermutations, MinHashScheme::kOnePermutation};

double BinomialPmf(int n, int x, double p) {
  const double log_choose = std::lgamma(n + 1.0) - std::lgamma(x + 1.0) - std::lgamma(n - x + 1.0);
  return std::exp(log_choose + x * std::log(p) + (n - x) * std::log1p(-p));
}

// P(|X/k - j| > width) for X ~ Binomial(k, p).
double EstimateTail(int k, double j, double p, double width) {
  double tail = 0;
  for (int x = 0; x <= k; ++x) {
    if (std::abs(x / static_cast<double>(k) - j) > width) tail += BinomialPmf(k, x, p);
  }
  return tail;
}

// Smallest m with P(Binomial(n, p) > m) < alpha: how many pairs may fall
// outside the bound before the test calls it a defect.
int FailureBudget(int n, double p, double alpha) {
  double cdf = 0;
  for (int m = 0; m <= n; ++m) {
    cdf += BinomialPmf(n, m, p);
    if (1 - cdf < alpha) return m;
  }
  return n;
}

struct JaccardCase {
  double j;
  std::size_t common;
  std::size_t only;  // |A∪B| = common + 2 * only = 200 in every case
};
const JaccardCase kJaccardCases[] = {
    {0.1, 20, 90}, {0.3, 60, 70}, {0.5, 100, 50}, {0.8, 160, 20}, {0.95, 190, 5},
};

TEST_CASE("MinHash: estimates stay within 4 sigma, within a derived failure budget",
          "[minhash][statistical]") {
  constexpr int kTrials = 1000;  // pairs per (J, k)
  // Over the 15 (J, k) cells, a false alarm rate of 1e-4 per cell keeps the
  // whole test's rate near 1e-3.
  constexpr double kAlpha = 1e-4;
  testing::Rng rng(0x5EED0001);
  for (const JaccardCase& c : kJaccardCases) {
    for (const int k : {64, 128, 256}) {
      const double sigma = std::sqrt(c.j * (1 - c.j) / k);
      // Per-pair probability of landing beyond 4 sigma. The normal tail
      // P(|Z| > 4) = 6.3e-5 understates it: Binomial(k, J) is skewed for J
      // near 0 or 1 (exact tail at k = 64, J = 0.95 is 3.1e-4). So use the exact
      // binomial tail, with the agreement probability shifted by kHashBias
      // to whichever side is worse.
      const double p_beyond = std::max(EstimateTail(k, c.j, c.j - kHashBias, 4 * sigma),
                                       EstimateTail(k, c.j, c.j + kHashBias, 4 * sigma));
      const int budget = FailureBudget(kTrials, p_beyond, kAlpha);  // 2..6 here
      // Hard limit: no pair beyond 7 sigma. The exact tail times the number of
      // pairs is below 1e-3, so even one such pair means a defect.
      const double p_hard = std::max(EstimateTail(k, c.j, c.j - kHashBias, 7 * sigma),
                                     EstimateTail(k, c.j, c.j + kHashBias, 7 * sigma));
      REQUIRE(p_hard * kTrials < 1e-3);

      int beyond = 0, beyond_hard = 0;
      double sum_error = 0;
      for (int trial = 0; trial < kTrials; ++trial) {
        const SetPair pair = MakePair(rng, c.common, c.only);
        const MinHasher hasher = Hasher(k, rng.Next());  // a fresh hash family per pair
        const double estimate = EstimateJaccard(Sign(hasher, pair.a), Sign(hasher, pair.b));
        const double error = estimate - c.j;
        sum_error += error;
        beyond += std::abs(error) > 4 * sigma;
        beyond_hard += std::abs(error) > 7 * sigma;
      }
      const double mean_error = sum_error / kTrials;
      // The trials are independent (fresh sets, fresh seeds), so the mean
      // error has standard deviation sigma / sqrt(trials): allow 4 of those
      // plus the hash family's bias allowance.
      const double mean_bound = 4 * sigma / std::sqrt(double{kTrials}) + kHashBias;
      INFO("J = " << c.j << ", k = " << k << ", sigma = " << sigma << ", beyond 4 sigma: " << beyond
                  << " (budget " << budget << "), mean error " << mean_error << " (bound "
                  << mean_bound << ")");
      CHECK(beyond <= budget);
      CHECK(beyond_hard == 0);
      CHECK(std::abs(mean_error) <= mean_bound);
    }
  }
}

// One permutation hashing with optimal densification is unbiased for any set
// size (Shrivastava 2017, Theorem 1), but its variance depends on how many
// bins are empty, so the bound on the mean error uses the sample standard
// deviation: over independent trials the mean error is within 4 standard
// errors of 0 except with probability 6e-5 (normal approximation; 400
// trials). For sets much larger than k no bin is empty and the estimate is
// the fraction of agreeing bins of a random partition, whose variance is at
// most J(1-J)/k (Li, Owen and Zhang 2012: sampling without replacement); the
// sample variance of 400 trials exceeds 1.4 times the true variance with
// probability below 1e-6 (chi-square with 399 degrees of freedom).
TEST_CASE("MinHash, one permutation: unbiased, and as accurate as k hashes on large sets",
          "[minhash][statistical]") {
  constexpr int kTrials = 400;
  constexpr int k = 128;
  testing::Rng rng(0x5EED0002);
  for (const JaccardCase& c : kJaccardCases) {
    // |A ∪ B| = 200 (many bins empty in the smaller sets: J 0.1 gives |A| = 110),
    // 40 (most bins empty) and 2,000 (none empty).
    for (const std::size_t union_size : {std::size_t{40}, std::size_t{200}, std::size_t{2000}}) {
      const std::size_t common_n = c.common * union_size / 200;
      const std::size_t only_n = c.only * union_size / 200;
      double sum = 0, sum_sq = 0;
      for (int trial = 0; trial < kTrials; ++trial) {
        const SetPair pair = MakePair(rng, common_n, only_n);
        const MinHasher hasher = Hasher(k, rng.Next(), MinHashScheme::kOnePermutation);
        const double error = EstimateJaccard(Sign(hasher, pair.a), Sign(hasher, pair.b)) - c.j;
        sum += error;
        sum_sq += error * error;
      }
      const double mean = sum / kTrials;
      const double variance = (sum_sq - kTrials * mean * mean) / (kTrials - 1);
      const double sigma_k = std::sqrt(c.j * (1 - c.j) / k);
      INFO("J = " << c.j << ", |A u B| = " << union_size << ", mean error " << mean << ", sd "
                  << std::sqrt(variance) << " (k hashes: " << sigma_k << ")");
      // 1e-4 allows for ties between 32-bit values (P < |A ∪ B| 2^-32 per bin).
      CHECK(std::abs(mean) <= 4 * std::sqrt(variance) / std::sqrt(kTrials) + 1e-4);
      if (union_size == 2000) CHECK(variance <= 1.4 * sigma_k * sigma_k);
    }
  }
}

// The tests above feed ideal shingle hashes (independent uniform keys). Real
// shingles come from text, whose repeated words and overlapping windows give
// structured input to the token and shingle hashes (HashShingleToken and the
// multilinear ShingleHashes); this test runs the whole chain on edited texts
// and checks it still behaves like random hashing. Each trial draws a fresh
// shingle seed (token hash seed and multipliers) and MinHash seed, and
// compares the estimate with the Jaccard of the word 5-grams themselves, so
// shingles that hash alike (a hash blind to a word or to word order) show as
// bias. Unions of 700-1,000 shingles
// leave no bin empty (P < 128 e^-5.5 = 0.5% per document, and an empty bin
// only moves an estimate by densification), so the error's variance is at most
// J(1-J)/k per trial (Li, Owen and Zhang 2012); with trials of different J the
// sum of squared errors over the sum of those variances is a chi-square-like
// ratio whose chance of exceeding 1.4 with 300 trials is below 1e-6. The mean
// error must be within 4 standard errors of 0 (6e-5), plus 1e-3 for 32-bit
// ties.
TEST_CASE("MinHash on text: token and shingle hashes behave like random hashing",
          "[minhash][statistical]") {
  constexpr int kTrials = 300;
  constexpr int k = 128;
  testing::Rng rng(0x5EED0003);
  // A vocabulary with a few very common words, as in prose.
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 3000; ++i) {
    std::string word;
    const std::size_t length = 1 + rng.Below(i < 20 ? 3 : 12);
    for (std::size_t c = 0; c < length; ++c) word.push_back(static_cast<char>('a' + rng.Below(26)));
    vocabulary.push_back(std::move(word));
  }
  const auto draw_word = [&]() -> const std::string& {
    // Half the words from the 20 common ones.
    return vocabulary[rng.Below(2) == 0 ? rng.Below(20) : rng.Below(vocabulary.size())];
  };
  double sum_error = 0, sum_sq = 0, sum_var = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<std::string> a_words(700);
    for (std::string& w : a_words) w = draw_word();
    // B: A with a share of its words replaced and a run of words inserted.
    std::vector<std::string> b_words = a_words;
    const double edit_rate = 0.002 + 0.03 * static_cast<double>(rng.Below(1000)) / 1000;
    for (std::string& w : b_words) {
      if (static_cast<double>(rng.Below(100000)) / 100000 < edit_rate) w = draw_word();
    }
    const std::size_t insert_at = rng.Below(b_words.size());
    for (std::size_t i = 0, n = rng.Below(60); i < n; ++i) {
      b_words.insert(b_words.begin() + static_cast<std::ptrdiff_t>(insert_at), draw_word());
    }
    std::string a_text, b_text;
    for (const std::string& w : a_words) a_text += w + ' ';
    for (const std::string& w : b_words) b_text += w + ' ';
    // The true Jaccard, of the sets of word 5-grams themselves.
    const auto grams = [](const std::vector<std::string>& words) {
      std::unordered_set<std::string> out;
      for (std::size_t i = 0; i + 5 <= words.size(); ++i) {
        out.insert(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2] + ' ' + words[i + 3] + ' ' +
                   words[i + 4]);
      }
      return out;
    };
    const std::unordered_set<std::string> a_grams = grams(a_words), b_grams = grams(b_words);
    std::size_t common = 0;
    for (const std::string& g : a_grams) common += b_grams.count(g);
    const double j =
        static_cast<double>(common) / static_cast<double>(a_grams.size() + b_grams.size() - common);
    ShingleOptions shingle;
    shingle.seed = rng.Next();
    std::vector<std::uint64_t> a, b;
    ShingleHashes(Normalize(a_text), shingle, &a);
    ShingleHashes(Normalize(b_text), shingle, &b);
    const MinHasher hasher = Hasher(k, rng.Next(), MinHashScheme::kOnePermutation);
    const double error = EstimateJaccard(Sign(hasher, a), Sign(hasher, b)) - j;
    sum_error += error;
    sum_sq += error * error;
    sum_var += j * (1 - j) / k;
  }
  const double mean = sum_error / kTrials;
  const double sd = std::sqrt(sum_var / kTrials);
  INFO("mean error " << mean << ", mean squared error " << sum_sq / kTrials << ", mean J(1-J)/k "
                     << sum_var / kTrials);
  CHECK(std::abs(mean) <= 4 * sd / std::sqrt(double{kTrials}) + 1e-3);
  CHECK(sum_sq <= 1.4 * sum_var);
  // The edits give a spread of similarities around the near-duplicate range.
  CHECK(sum_var / kTrials > 0.0005);
}

TEST_CASE("MinHash: the test's set pairs have the intended exact Jaccard", "[minhash]") {
  testing::Rng rng(3);
  for (const JaccardCase& c : kJaccardCases) {
    const SetPair pair = MakePair(rng, c.common, c.only);
    CHECK(pair.a.size() == c.common + c.only);
    CHECK(ExactJaccard(pair.a, pair.b) == Approx(c.j).margin(1e-12));
  }
}

TEST_CASE("MinHash: identical sets estimate exactly 1", "[minhash]") {
  testing::Rng rng(11);
  for (const MinHashScheme scheme : kSchemes) {
    // 5000 is past the one-permutation scheme's inline bitmap of filled bins.
    for (const int k : {1, 64, 100, 128, 256, 5000}) {
      INFO(MinHashSchemeName(scheme) << " k = " << k);
      const MinHasher hasher = Hasher(k, rng.Next(), scheme);
      const std::vector<std::uint64_t> set = DistinctKeys(rng, 50);
      std::vector<std::uint64_t> copy = set;
      Shuffle(rng, &copy);
      CHECK(EstimateJaccard(Sign(hasher, set), Sign(hasher, copy)) == 1.0);
    }
  }
}

TEST_CASE("MinHash: disjoint sets estimate 0", "[minhash]") {
  // A position agrees for disjoint sets only if some a in A and b in B get
  // the same 32-bit hash value: for a 2-independent family P <= |A||B| 2^-32
  // = 2.3e-6 per position (plus a fold collision, |A||B| 2^-32 per set). Over
  // 50 pairs x 128 positions the expected number of agreeing positions is
  // about 0.015, and P(two or more) is about 1e-4.
  // With one permutation, a filled position agrees only on a tie of 32-bit
  // values within one bin (less likely still), and a densified position
  // copies a filled one.
  for (const MinHashScheme scheme : kSchemes) {
    testing::Rng rng(12);
    const MinHasher hasher = Hasher(128, 99, scheme);
    int agreeing_positions = 0;
    for (int trial = 0; trial < 50; ++trial) {
      const SetPair pair = MakePair(rng, 0, 100);
      REQUIRE(ExactJaccard(pair.a, pair.b) == 0.0);
      agreeing_positions += static_cast<int>(std::lround(
          EstimateJaccard(Sign(hasher, pair.a), Sign(hasher, pair.b)) * hasher.num_perm()));
    }
    INFO(MinHashSchemeName(scheme));
    CHECK(agreeing_positions <= 1);
  }
}

void CheckEmptySignature(const MinHasher& hasher) {
  const std::vector<std::uint32_t> empty = Sign(hasher, {});
  REQUIRE(empty.size() == 64);
  for (const std::uint32_t v : empty) CHECK(v == kEmptySignatureValue);
  const std::vector<std::uint32_t> other = Sign(hasher, {1, 2, 3});
  CHECK(EstimateJaccard(empty, other) == 0.0);
  CHECK(EstimateJaccard(other, empty) == 0.0);
  CHECK(EstimateJaccard(empty, empty) == 0.0);  // two empty documents are not duplicates
  // Sign overwrites whatever the output held.
  std::vector<std::uint32_t> reused = other;
  hasher.Sign({}, reused);
  CHECK(reused == empty);
}

TEST_CASE("MinHash: no shingles gives the empty signature, never similar", "[minhash]") {
  for (const MinHashScheme scheme : kSchemes) {
    INFO(MinHashSchemeName(scheme));
    CheckEmptySignature(Hasher(64, 1, scheme));
  }
}

TEST_CASE("MinHash: one shingle fills every position of a one-permutation signature", "[minhash]") {
  // Its bin holds its value and densification copies that into every other bin.
  for (const int k : {1, 7, 128, 5000}) {
    const std::vector<std::uint32_t> sig =
        Sign(Hasher(k, 3, MinHashScheme::kOnePermutation), {0x1234567890ABCDEFull});
    CHECK(sig[0] != kEmptySignatureValue);
    CHECK(std::count(sig.begin(), sig.end(), sig[0]) == k);
  }
}

TEST_CASE("EstimateJaccard: fraction of agreeing positions, by hand", "[minhash]") {
  const std::vector<std::uint32_t> a = {1, 2, 3, 4};
  const std::vector<std::uint32_t> b = {1, 2, 0, 4};
  const std::vector<std::uint32_t> c = {9, 9, 9, 9};
  CHECK(EstimateJaccard(a, b) == 0.75);
  CHECK(EstimateJaccard(a, a) == 1.0);
  CHECK(EstimateJaccard(a, c) == 0.0);
  // A signature only partly at the empty value is not empty.
  const std::vector<std::uint32_t> d = {kEmptySignatureValue, 5};
  const std::vector<std::uint32_t> e = {kEmptySignatureValue, 6};
  CHECK(EstimateJaccard(d, e) == 0.5);
}

TEST_CASE("MinHash: order and repetition of shingles do not change the signature", "[minhash]") {
  for (const MinHashScheme scheme : kSchemes) {
    INFO(MinHashSchemeName(scheme));
    testing::Rng rng(13);
    const MinHasher hasher = Hasher(128, 5, scheme);
    const std::vector<std::uint64_t> set = DistinctKeys(rng, 40);
    std::vector<std::uint64_t> shuffled = set;
    Shuffle(rng, &shuffled);
    std::vector<std::uint64_t> repeated = set;
    repeated.insert(repeated.end(), set.begin(), set.begin() + 25);
    repeated.insert(repeated.end(), 10, set[7]);
    Shuffle(rng, &repeated);
    const std::vector<std::uint32_t> sig = Sign(hasher, set);
    CHECK(Sign(hasher, shuffled) == sig);
    CHECK(Sign(hasher, repeated) == sig);
  }
}

TEST_CASE("MinHash: signature of a union is the elementwise minimum", "[minhash]") {
  // Definition of k-hash MinHash: position i holds min over the set of
  // h_i(x), so sig(A ∪ B)[i] = min(sig(A)[i], sig(B)[i]) whatever the hash
  // functions. (Not so for one permutation: densified bins copy others.)
  testing::Rng rng(14);
  const MinHasher hasher = Hasher(128, 6);
  const SetPair pair = MakePair(rng, 10, 30);
  std::vector<std::uint64_t> both = pair.a;
  both.insert(both.end(), pair.b.begin(), pair.b.end());
  const std::vector<std::uint32_t> sa = Sign(hasher, pair.a), sb = Sign(hasher, pair.b);
  const std::vector<std::uint32_t> su = Sign(hasher, both);
  for (std::size_t i = 0; i < su.size(); ++i) CHECK(su[i] == std::min(sa[i], sb[i]));
}

TEST_CASE("MinHash: same options give the same signature, another seed another one", "[minhash]") {
  for (const MinHashScheme scheme : kSchemes) {
    INFO(MinHashSchemeName(scheme));
    testing::Rng rng(15);
    const std::vector<std::uint64_t> set = DistinctKeys(rng, 100);
    const MinHasher h1 = Hasher(128, 42, scheme);
    const MinHasher h2 = Hasher(128, 42, scheme);
    const MinHasher h3 = Hasher(128, 43, scheme);
    CHECK(h1.num_perm() == 128);
    CHECK(h1.scheme() == scheme);
    CHECK(Sign(h1, set) == Sign(h2, set));
    // Under another seed each position is the minimum of independent hash
    // values (one permutation: of the 100 / 128 keys in the bin, or a copy
    // of another bin): two such minima are equal with probability about
    // 100 / 2^33 ≈ 1e-8, so expect no agreeing position at all.
    const std::vector<std::uint32_t> s1 = Sign(h1, set), s3 = Sign(h3, set);
    std::size_t equal = 0;
    for (std::size_t i = 0; i < s1.size(); ++i) equal += s1[i] == s3[i];
    CHECK(equal == 0);
    // num_perm sets the length; a shorter hasher is not a prefix of a longer
    // one by contract, so only the length is checked.
    CHECK(Hasher(1, 42, scheme).num_perm() == 1);
    CHECK(Hasher(7, 42, scheme).num_perm() == 7);
  }
}

TEST_CASE("ExactJaccard: hand-computed values", "[minhash]") {
  using V = std::vector<std::uint64_t>;
  // {1,2,3} vs {2,3,4}: |∩| = 2, |∪| = 4.
  CHECK(ExactJaccard(V{1, 2, 3, 3}, V{2, 3, 4}) == 0.5);
  CHECK(ExactJaccard(V{3, 2, 1}, V{1, 2, 3}) == 1.0);
  CHECK(ExactJaccard(V{1, 2}, V{3, 4}) == 0.0);
  // {1..5} vs {4..8}: |∩| = 2 ({4,5}), |∪| = 8.
  CHECK(ExactJaccard(V{1, 2, 3, 4, 5}, V{8, 7, 6, 5, 4}) == 0.25);
  // {1} vs {1,2,3}: 1/3.
  CHECK(ExactJaccard(V{1, 1, 1}, V{1, 2, 3}) == Approx(1.0 / 3).margin(1e-15));
  CHECK(ExactJaccard(V{}, V{}) == 0.0);
  CHECK(ExactJaccard(V{}, V{1}) == 0.0);
  CHECK(ExactJaccard(V{0, ~std::uint64_t{0}}, V{~std::uint64_t{0}}) == 0.5);
}

TEST_CASE("ExactFingerprint: equal texts match, different texts differ", "[minhash]") {
  const std::vector<std::string> texts = {"",
                                          " ",
                                          "a",
                                          "b",
                                          "ab",
                                          "ba",
                                          "a b",
                                          "a  b",
                                          "the quick brown fox",
                                          "the quick brown fox ",
                                          std::string(1000, 'x'),
                                          std::string(1001, 'x')};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string copy = texts[i];  // a different buffer with the same bytes
    CHECK(ExactFingerprint(texts[i]) == ExactFingerprint(copy));
    // The documented definition: XXH3-128 of the text.
    const XXH128_hash_t h = XXH3_128bits(texts[i].data(), texts[i].size());
    CHECK(ExactFingerprint(texts[i]).low == h.low64);
    CHECK(ExactFingerprint(texts[i]).high == h.high64);
    for (std::size_t j = i + 1; j < texts.size(); ++j) {
      INFO(i << " vs " << j);
      CHECK(ExactFingerprint(texts[i]) != ExactFingerprint(texts[j]));
    }
  }
}

TEST_CASE("TokenSequenceFingerprint: equal normalized texts match, different ones differ",
          "[minhash]") {
  // Originals paired with what they normalize to; the fingerprint of the
  // token hashes must follow the normalized text, not the original bytes.
  const std::vector<std::string> originals = {"",
                                              "  ...  ",
                                              "a",
                                              "A!",
                                              "b",
                                              "ab",
                                              "a b",
                                              "A,  B",
                                              "ba",
                                              "b a",
                                              "The quick fox.",
                                              "the QUICK  fox",
                                              "the quick fox jumps"};
  auto fingerprint = [](const std::string& original) {
    HashedText hashed;
    NormalizeAndHash(original, NormalizeOptions{}, 0, &hashed);
    return TokenSequenceFingerprint(hashed.token_hashes);
  };
  for (std::size_t i = 0; i < originals.size(); ++i) {
    for (std::size_t j = i; j < originals.size(); ++j) {
      INFO('"' << originals[i] << "\" vs \"" << originals[j] << '"');
      const bool same_text = Normalize(originals[i]).text == Normalize(originals[j]).text;
      CHECK((fingerprint(originals[i]) == fingerprint(originals[j])) == same_text);
    }
  }
}

}  // namespace
}  // namespace neardup
