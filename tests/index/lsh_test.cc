// Tests for CandidateProbability, OptimalLshParams and LshIndex (lib/index/).
//
// The S-curve P(s) = 1 - (1 - s^r)^b is the probability that two signatures
// whose positions agree independently with probability s share at least one
// of b bands of r rows (Leskovec, Rajaraman and Ullman, "Mining of Massive
// Datasets", 3.4). Statistical tolerances follow STYLE.md item 11.
#include <neardup/index.h>
#include <neardup/signature.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>
#include <span>
#include <unordered_set>
#include <vector>

#include "../test_util.h"

namespace neardup {
namespace {

// Minimal union-find, so connectivity is checked without the cluster stage.
struct Components {
  explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t Find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(std::size_t x, std::size_t y) { parent[Find(x)] = Find(y); }
  std::vector<std::size_t> parent;
};

LshParams Params(int bands, int rows) {
  LshParams p;
  p.bands = bands;
  p.rows = rows;
  return p;
}

void CheckSortedUniqueOrdered(const std::vector<CandidatePair>& pairs) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    CHECK(pairs[i].a < pairs[i].b);
    if (i > 0) CHECK(pairs[i - 1] < pairs[i]);  // strictly increasing: sorted and unique
  }
}

// A signature whose every value is unique to `doc` (no band can collide with
// another document's).
std::vector<std::uint32_t> UniqueSignature(std::uint32_t doc, std::size_t length) {
  std::vector<std::uint32_t> sig(length);
  for (std::size_t i = 0; i < length; ++i) {
    sig[i] = doc * 1000u + static_cast<std::uint32_t>(i);
  }
  return sig;
}

// ---------------------------------------------------------------------------
// The S-curve and the choice of (b, r)

TEST_CASE("CandidateProbability: hand-computed points of the S-curve", "[lsh]") {
  // b = r = 1: P(s) = s.
  CHECK(CandidateProbability(0.5, Params(1, 1)) == Approx(0.5).margin(1e-15));
  // s = 1/2, b = 2, r = 2: 1 - (1 - 1/4)^2 = 1 - 9/16 = 7/16.
  CHECK(CandidateProbability(0.5, Params(2, 2)) == Approx(0.4375).margin(1e-15));
  // s = 1/2, b = 3, r = 3: 1 - (7/8)^3 = 1 - 343/512 = 169/512.
  CHECK(CandidateProbability(0.5, Params(3, 3)) == Approx(169.0 / 512).margin(1e-15));
  // s = 0.8, b = 1, r = 2: 0.64.
  CHECK(CandidateProbability(0.8, Params(1, 2)) == Approx(0.64).margin(1e-15));
  // s = 0.2, b = 2, r = 1: 1 - 0.8^2 = 0.36.
  CHECK(CandidateProbability(0.2, Params(2, 1)) == Approx(0.36).margin(1e-15));
  // Ends of the curve.
  CHECK(CandidateProbability(0.0, Params(16, 8)) == 0.0);
  CHECK(CandidateProbability(1.0, Params(16, 8)) == 1.0);
  // Monotone in s.
  double prev = 0;
  for (int i = 1; i <= 100; ++i) {
    const double p = CandidateProbability(i / 100.0, Params(20, 5));
    CHECK(p >= prev);
    prev = p;
  }
}

TEST_CASE("OptimalLshParams: b * r never exceeds the signature length", "[lsh]") {
  for (const int num_perm : {1, 2, 7, 16, 64, 128, 200, 256}) {
    for (const double t : {0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0}) {
      LshOptions options;
      options.threshold = t;
      const LshParams p = OptimalLshParams(options, num_perm);
      INFO("num_perm " << num_perm << " threshold " << t << " -> b " << p.bands << " r " << p.rows);
      CHECK(p.bands >= 1);
      CHECK(p.rows >= 1);
      CHECK(p.bands * p.rows <= num_perm);
    }
  }
}

TEST_CASE("OptimalLshParams: forced bands and rows are returned as given", "[lsh]") {
  LshOptions options;
  options.bands = 20;
  options.rows = 5;
  LshParams p = OptimalLshParams(options, 128);
  CHECK(p.bands == 20);
  CHECK(p.rows == 5);
  options.bands = 1;
  options.rows = 1;
  p = OptimalLshParams(options, 128);
  CHECK(p.bands == 1);
  CHECK(p.rows == 1);
  // Only one of the two set: not forced, (b, r) derived as without it.
  LshOptions plain;
  LshOptions half = plain;
  half.bands = 7;
  const LshParams derived = OptimalLshParams(plain, 128);
  const LshParams from_half = OptimalLshParams(half, 128);
  CHECK(from_half.bands == derived.bands);
  CHECK(from_half.rows == derived.rows);
}

TEST_CASE("OptimalLshParams: default weights favour recall at the threshold", "[lsh]") {
  // The default weights (w_fp = 0.1, w_fn = 0.9) make a missed pair above t
  // nine times as costly as a candidate below it, so the optimum moves the
  // S-curve's rise below t: at s = t a candidate must be more likely than not.
  for (const int num_perm : {64, 128, 256}) {
    for (const double t : {0.5, 0.6, 0.7, 0.8, 0.9}) {
      LshOptions options;
      options.threshold = t;
      const LshParams p = OptimalLshParams(options, num_perm);
      INFO("num_perm " << num_perm << " threshold " << t << " -> b " << p.bands << " r " << p.rows
                       << ", P(t) = " << CandidateProbability(t, p));
      CHECK(CandidateProbability(t, p) >= 0.5);
    }
  }
}

// Gauss-Legendre nodes and weights on [-1, 1] (Newton iteration on P_n). An
// n-point rule integrates polynomials of degree <= 2n - 1 exactly, and the
// S-curve is a polynomial of degree b * r <= 128, so 80 points give the error
// areas exactly up to rounding: an independent reference for the library's
// numerical integration.
struct Quadrature {
  std::vector<double> x, w;
};
Quadrature GaussLegendre(int n) {
  const double kPi = std::acos(-1.0);
  Quadrature q;
  for (int i = 0; i < n; ++i) {
    double z = std::cos(kPi * (i + 0.75) / (n + 0.5));
    double dp = 0;
    for (int iter = 0; iter < 100; ++iter) {
      double p1 = 1, p2 = 0;
      for (int j = 1; j <= n; ++j) {
        const double p3 = p2;
        p2 = p1;
        p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
      }
      dp = n * (z * p1 - p2) / (z * z - 1);
      const double prev = z;
      z = prev - p1 / dp;
      if (std::abs(z - prev) < 1e-15) break;
    }
    q.x.push_back(z);
    q.w.push_back(2 / ((1 - z * z) * dp * dp));
  }
  return q;
}

// w_fp * ∫_0^t P(s) ds + w_fn * ∫_t^1 (1 - P(s)) ds, exactly.
double WeightedError(const Quadrature& q, const LshParams& p, double t, double w_fp, double w_fn) {
  auto integrate = [&](auto f, double lo, double hi) {
    double sum = 0;
    for (std::size_t i = 0; i < q.x.size(); ++i) {
      sum += q.w[i] * f((hi - lo) / 2 * q.x[i] + (hi + lo) / 2);
    }
    return sum * (hi - lo) / 2;
  };
  auto curve = [&](double s) { return 1.0 - std::pow(1.0 - std::pow(s, p.rows), p.bands); };
  const double fp = integrate(curve, 0.0, t);
  const double fn = integrate([&](double s) { return 1.0 - curve(s); }, t, 1.0);
  return w_fp * fp + w_fn * fn;
}

TEST_CASE("OptimalLshParams: equal weights match a brute-force search", "[lsh]") {
  const Quadrature q = GaussLegendre(80);
  // The rule is exact for s^127: ∫_0^1 s^127 ds = 1/128.
  const LshParams power = Params(1, 127);
  REQUIRE(WeightedError(q, power, 1.0, 1.0, 0.0) == Approx(1.0 / 128).epsilon(1e-12));
  // The library integrates with a fixed-step rule, so it could confuse two
  // curves whose areas differ by less than its integration error. Composite
  // Simpson with 200 steps on these polynomials errs by ~1e-6 at worst (for
  // the steepest curves, b * r = 128, far from the optimum; the near-optimal
  // ones by ~1e-9), so allow twice that, rounded up.
  constexpr double kTolerance = 1e-5;
  struct Case {
    int num_perm;
    double threshold;
  };
  for (const Case c : {Case{64, 0.7}, Case{64, 0.9}, Case{128, 0.5}, Case{128, 0.8}}) {
    LshOptions options;
    options.threshold = c.threshold;
    options.false_positive_weight = 0.5;
    options.false_negative_weight = 0.5;
    const LshParams chosen = OptimalLshParams(options, c.num_perm);
    LshParams best = Params(0, 0);
    double best_error = std::numeric_limits<double>::infinity();
    double runner_up = std::numeric_limits<double>::infinity();
    for (int b = 1; b <= c.num_perm; ++b) {
      for (int r = 1; b * r <= c.num_perm; ++r) {
        const double e = WeightedError(q, Params(b, r), c.threshold, 0.5, 0.5);
        if (e < best_error) {
          runner_up = best_error;
          best_error = e;
          best = Params(b, r);
        } else if (e < runner_up) {
          runner_up = e;
        }
      }
    }
    const double chosen_error = WeightedError(q, chosen, c.threshold, 0.5, 0.5);
    INFO("num_perm " << c.num_perm << " t " << c.threshold << ": chosen (" << chosen.bands << ", "
                     << chosen.rows << ") error " << chosen_error << ", brute force (" << best.bands
                     << ", " << best.rows << ") error " << best_error << ", runner-up "
                     << runner_up);
    CHECK(chosen.bands * chosen.rows <= c.num_perm);
    CHECK(chosen_error <= best_error + kTolerance);
    // The tolerance does not hide a wrong choice: the runner-up is further off.
    CHECK(runner_up - best_error > kTolerance);
  }
}

// ---------------------------------------------------------------------------
// LshIndex

TEST_CASE("LshIndex: candidate rate of MinHash pairs follows the S-curve", "[lsh][statistical]") {
  // Pairs of random sets with exact Jaccard s = c / (c + 2d), |A ∪ B| = 100.
  struct SimCase {
    double s;
    std::size_t common, only;
  };
  const SimCase cases[] = {
      {0.3, 30, 35}, {0.5, 50, 25}, {0.7, 70, 15}, {0.8, 80, 10}, {0.9, 90, 5}};
  constexpr int kPairs = 2000;
  constexpr int kPerm = 128;
  // Same allowance as in minhash_test.cc: the per-position agreement
  // probability of the multiply-add-shift family on random keys may differ
  // from s by at most this much. Given the keys, the positions use
  // independently seeded hash functions, so within a pair the rows are
  // independent draws; the only departure from the S-curve is this shift of
  // each row's probability, whose effect is |P(s ± bias) - P(s)|.
  constexpr double kHashBias = 0.005;
  testing::Rng rng(0x15A);
  for (const SimCase& c : cases) {
    const MinHasher hasher(MinHashOptions{kPerm, rng.Next()});
    // Signatures of kPairs independent pairs; pair i is documents 2i, 2i+1.
    // Keys are random 64-bit values, so sets of different pairs are disjoint
    // (collision chance ~ (4000 * 100)^2 / 2^64 ≈ 1e-8).
    std::vector<std::vector<std::uint32_t>> sigs;
    for (int i = 0; i < kPairs; ++i) {
      std::vector<std::uint64_t> keys(c.common + 2 * c.only);
      for (std::uint64_t& k : keys) k = rng.Next();
      std::vector<std::uint64_t> a(keys.begin(),
                                   keys.begin() + static_cast<std::ptrdiff_t>(c.common + c.only));
      std::vector<std::uint64_t> b(keys.begin(),
                                   keys.begin() + static_cast<std::ptrdiff_t>(c.common));
      b.insert(b.end(), keys.begin() + static_cast<std::ptrdiff_t>(c.common + c.only), keys.end());
      for (const auto* set : {&a, &b}) {
        sigs.emplace_back(kPerm);
        hasher.Sign(*set, sigs.back());
      }
    }
    for (const LshParams params : {Params(16, 8), Params(32, 4)}) {
      LshIndex index(params);
      for (std::size_t d = 0; d < sigs.size(); ++d) index.Add(static_cast<DocIndex>(d), sigs[d]);
      REQUIRE(index.size() == sigs.size());
      const std::vector<CandidatePair> pairs = index.Candidates();
      CheckSortedUniqueOrdered(pairs);
      int within = 0, across = 0;
      for (const CandidatePair& p : pairs) {
        if (p.a % 2 == 0 && p.b == p.a + 1) {
          ++within;
        } else {
          ++across;
        }
      }
      const double expected = CandidateProbability(c.s, params);
      const double observed = within / static_cast<double>(kPairs);
      // Binomial sampling error of a fraction over kPairs independent pairs.
      const double binomial_sd = std::sqrt(expected * (1 - expected) / kPairs);
      const double bias_allowance =
          std::max(std::abs(CandidateProbability(c.s + kHashBias, params) - expected),
                   std::abs(CandidateProbability(c.s - kHashBias, params) - expected));
      INFO("s = " << c.s << ", (b, r) = (" << params.bands << ", " << params.rows << "): observed "
                  << observed << ", S-curve " << expected << ", sd " << binomial_sd
                  << ", bias allowance " << bias_allowance);
      CHECK(std::abs(observed - expected) <= 4 * binomial_sd + bias_allowance);
      // Documents of different pairs have disjoint sets; sharing a band needs r
      // equal 32-bit minima, P <= (100 * 100 * 2^-32)^r per band: never.
      CHECK(across == 0);
    }
  }
}

// The documented pairs of one bucket whose members, in index order, are
// `members`: every pair when the bucket has at most kMaxBucketWindow + 1
// members, otherwise each member with the next kMaxBucketWindow members.
std::set<CandidatePair> BucketPairs(const std::vector<DocIndex>& members) {
  constexpr std::size_t kWindow = LshIndex::kMaxBucketWindow;
  std::set<CandidatePair> pairs;
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t j = i + 1; j < members.size() && j - i <= kWindow; ++j) {
      pairs.insert(CandidatePair{members[i], members[j]});
    }
  }
  return pairs;
}

// What production calls (the pipeline and the index store): the band keys of
// each signature (LshBandKeys), then LshCandidatesFromKeys over documents
// 0..n-1 in ascending order; sigs[d] is document d's signature.
std::vector<CandidatePair> FromKeys(const LshParams& params,
                                    const std::vector<std::vector<std::uint32_t>>& sigs) {
  std::vector<std::vector<std::uint64_t>> keys(
      sigs.size(), std::vector<std::uint64_t>(static_cast<std::size_t>(params.bands)));
  for (std::size_t d = 0; d < sigs.size(); ++d) LshBandKeys(params, sigs[d], keys[d]);
  std::vector<DocIndex> docs(sigs.size());
  std::iota(docs.begin(), docs.end(), DocIndex{0});
  return LshCandidatesFromKeys(
      params, docs, [&keys](DocIndex d) { return std::span<const std::uint64_t>(keys[d]); });
}

TEST_CASE(
    "LSH candidates, from LshIndex and from band keys: a bucket yields all its pairs, or a "
    "connected window when large",
    "[lsh]") {
  constexpr std::size_t kWindow = LshIndex::kMaxBucketWindow;
  const LshParams params = Params(8, 4);
  for (const std::size_t m : {std::size_t{2}, std::size_t{3}, std::size_t{10}, kWindow + 1,
                              kWindow + 2, std::size_t{100}, std::size_t{300}}) {
    // m documents share band 0 and nothing else; their indices are spread out
    // and added in a scrambled order. Other documents are unique.
    testing::Rng rng(m);
    std::vector<DocIndex> members;
    for (std::size_t i = 0; i < m; ++i) members.push_back(static_cast<DocIndex>(3 * i + 1));
    std::vector<DocIndex> order;
    for (DocIndex d = 0; d < 3 * m + 5; ++d) order.push_back(d);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    LshIndex index(params);
    std::vector<std::vector<std::uint32_t>> sigs(order.size());
    for (const DocIndex d : order) {
      std::vector<std::uint32_t> sig = UniqueSignature(d, 32);
      if (d % 3 == 1 && d < 3 * m) {  // a member
        for (std::size_t i = 0; i < 4; ++i) sig[i] = 7 + static_cast<std::uint32_t>(i);
      }
      index.Add(d, sig);
      sigs[d] = std::move(sig);
    }
    const std::vector<CandidatePair> pairs = index.Candidates();
    // The same rule holds for the band keys production keeps.
    const std::vector<CandidatePair> from_keys = FromKeys(params, sigs);
    CheckSortedUniqueOrdered(from_keys);
    CHECK(std::set<CandidatePair>(from_keys.begin(), from_keys.end()) == BucketPairs(members));
    INFO("m = " << m << ", pairs " << pairs.size());
    CheckSortedUniqueOrdered(pairs);
    // All pairs while small, and linear (at most kWindow per member) when large.
    if (m <= kWindow + 1) CHECK(pairs.size() == m * (m - 1) / 2);
    CHECK(pairs.size() <= kWindow * m);
    CHECK(std::set<CandidatePair>(pairs.begin(), pairs.end()) == BucketPairs(members));
    Components comp(3 * m + 5);
    for (const CandidatePair& p : pairs) comp.Join(p.a, p.b);
    for (const DocIndex d : members) CHECK(comp.Find(d) == comp.Find(members[0]));
  }
}

TEST_CASE(
    "LSH candidates, from LshIndex and from band keys: a bucket repeated in every band is counted "
    "once",
    "[lsh]") {
  // 200 identical signatures: every band has the same 200-member bucket; the
  // union over bands must be the one bucket's window pairs, deduplicated.
  constexpr std::size_t kM = 200;
  LshIndex index(Params(16, 8));
  const std::vector<std::uint32_t> sig = UniqueSignature(12345, 128);
  for (std::size_t d = 0; d < kM; ++d) index.Add(static_cast<DocIndex>(kM - 1 - d), sig);
  const std::vector<CandidatePair> pairs = index.Candidates();
  CheckSortedUniqueOrdered(pairs);
  std::vector<DocIndex> members(kM);
  std::iota(members.begin(), members.end(), DocIndex{0});
  CHECK(std::set<CandidatePair>(pairs.begin(), pairs.end()) == BucketPairs(members));
  const std::vector<CandidatePair> from_keys =
      FromKeys(Params(16, 8), std::vector<std::vector<std::uint32_t>>(kM, sig));
  CheckSortedUniqueOrdered(from_keys);
  CHECK(from_keys == pairs);
  // Hand count (for the window of 64): members 0..135 each pair with 64 later ones, member 135 + i
  // with 64 - i (i = 1..64): 136 * 64 + (63 + ... + 0) = 8704 + 2016.
  REQUIRE(LshIndex::kMaxBucketWindow == 64);
  CHECK(pairs.size() == 10720);
  Components comp(kM);
  for (const CandidatePair& p : pairs) comp.Join(p.a, p.b);
  for (std::size_t d = 0; d < kM; ++d) CHECK(comp.Find(d) == comp.Find(0));
}

TEST_CASE("LshIndex: no shared band, no candidates", "[lsh]") {
  const LshParams params = Params(4, 3);
  SECTION("all values distinct") {
    LshIndex index(params);
    for (std::uint32_t d = 0; d < 50; ++d) index.Add(d, UniqueSignature(d, 12));
    CHECK(index.Candidates().empty());
  }
  SECTION("equal values in different bands do not match") {
    // Doc 1's band 1 holds doc 0's band 0 values, and so on: equal r-tuples
    // at different band positions.
    LshIndex index(params);
    const std::vector<std::uint32_t> a = {1, 2, 3, 10, 11, 12, 20, 21, 22, 30, 31, 32};
    const std::vector<std::uint32_t> b = {40, 41, 42, 1, 2, 3, 10, 11, 12, 20, 21, 22};
    index.Add(0, a);
    index.Add(1, b);
    CHECK(index.Candidates().empty());
  }
  SECTION("r - 1 of r rows agreeing in every band is not enough") {
    LshIndex index(params);
    const std::vector<std::uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const std::vector<std::uint32_t> b = {1, 2, 0, 4, 5, 0, 7, 8, 0, 10, 11, 0};
    index.Add(0, a);
    index.Add(1, b);
    CHECK(index.Candidates().empty());
  }
  SECTION("one agreeing band is enough") {
    LshIndex index(params);
    const std::vector<std::uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const std::vector<std::uint32_t> b = {0, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12};
    index.Add(5, a);
    index.Add(2, b);
    const std::vector<CandidatePair> pairs = index.Candidates();
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0] == CandidatePair{2, 5});
  }
  SECTION("values past bands * rows are ignored") {
    LshIndex index(params);
    std::vector<std::uint32_t> a = UniqueSignature(1, 20);
    std::vector<std::uint32_t> b = UniqueSignature(2, 20);
    std::copy(a.begin(), a.begin() + 3, b.begin() + 12);  // beyond the 12 indexed rows
    index.Add(0, a);
    index.Add(1, b);
    CHECK(index.Candidates().empty());
    LshIndex same_prefix(params);
    std::copy(a.begin(), a.begin() + 12, b.begin());
    same_prefix.Add(0, a);
    same_prefix.Add(1, b);
    CHECK(same_prefix.Candidates().size() == 1);
  }
  SECTION("empty index") {
    LshIndex index(params);
    CHECK(index.size() == 0);
    CHECK(index.Candidates().empty());
    CHECK(index.params().bands == 4);
    CHECK(index.params().rows == 3);
  }
}

TEST_CASE("LshIndex: candidates equal a brute-force band comparison", "[lsh]") {
  // Small alphabet so that bands collide often; a pair is a candidate iff
  // some band's r values are equal (checked over all pairs).
  const LshParams params = Params(6, 2);
  constexpr std::size_t kDocs = 60;
  testing::Rng rng(77);
  std::vector<std::vector<std::uint32_t>> sigs(kDocs, std::vector<std::uint32_t>(12));
  for (auto& sig : sigs) {
    for (std::uint32_t& v : sig) v = static_cast<std::uint32_t>(rng.Below(4));
  }
  LshIndex index(params);
  for (std::size_t d = 0; d < kDocs; ++d) index.Add(static_cast<DocIndex>(d), sigs[d]);
  const std::vector<CandidatePair> pairs = index.Candidates();
  CheckSortedUniqueOrdered(pairs);
  auto share_band = [&](std::size_t x, std::size_t y) {
    for (std::size_t band = 0; band < 6; ++band) {
      if (sigs[x][2 * band] == sigs[y][2 * band] &&
          sigs[x][2 * band + 1] == sigs[y][2 * band + 1]) {
        return true;
      }
    }
    return false;
  };
  Components brute(kDocs), got(kDocs);
  for (std::size_t x = 0; x < kDocs; ++x) {
    for (std::size_t y = x + 1; y < kDocs; ++y) {
      if (share_band(x, y)) brute.Join(x, y);
    }
  }
  std::vector<CandidatePair> expected;
  for (std::size_t x = 0; x < kDocs; ++x) {
    for (std::size_t y = x + 1; y < kDocs; ++y) {
      if (share_band(x, y)) {
        brute.Join(x, y);
        expected.push_back(CandidatePair{static_cast<DocIndex>(x), static_cast<DocIndex>(y)});
      }
    }
  }
  // No bucket can exceed kMaxBucketWindow + 1 = 65 members with 60 documents,
  // so the candidates are exactly the pairs sharing a band.
  CHECK(pairs == expected);
  // The same from the signatures, and from band keys made by LshBandKeys.
  std::vector<DocIndex> docs(kDocs);
  for (std::size_t d = 0; d < kDocs; ++d) docs[d] = static_cast<DocIndex>(d);
  std::vector<std::vector<std::uint64_t>> keys(kDocs, std::vector<std::uint64_t>(6));
  for (std::size_t d = 0; d < kDocs; ++d) LshBandKeys(params, sigs[d], keys[d]);
  CHECK(LshCandidates(params, docs, [&](DocIndex d) { return std::span(sigs[d]); }) == expected);
  CHECK(LshCandidatesFromKeys(params, docs, [&](DocIndex d) { return std::span(keys[d]); }) ==
        expected);
  for (const CandidatePair& p : pairs) got.Join(p.a, p.b);
  for (std::size_t x = 0; x < kDocs; ++x) {
    for (std::size_t y = x + 1; y < kDocs; ++y) {
      CHECK((brute.Find(x) == brute.Find(y)) == (got.Find(x) == got.Find(y)));
    }
  }
}

}  // namespace
}  // namespace neardup
