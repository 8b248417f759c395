// Tests for AverageLinkage (lib/cluster/average_linkage.cc) against a
// brute-force UPGMA written here: a dense matrix, every pair of clusters
// averaged from scratch at every step, O(n^3) and obviously right.
#include <neardup/cluster.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <span>
#include <tuple>
#include <vector>

namespace neardup {
namespace {

struct Merge {
  DocIndex low, high;  // the two clusters' smallest documents
  double average;
};

// The merges of UPGMA on the dense matrix `sim` (missing pairs 0), highest
// average first, ties to the pair with the smallest documents, down to
// `threshold`; two clusters holding documents of different non-zero
// `keys` (when given) never merge.
std::vector<Merge> BruteForceUpgma(std::size_t n, const std::vector<std::vector<double>>& sim,
                                   double threshold, const std::vector<std::uint32_t>& keys = {}) {
  auto cannot_link = [&](const std::vector<DocIndex>& x, const std::vector<DocIndex>& y) {
    if (keys.empty()) return false;
    for (DocIndex a : x) {
      for (DocIndex b : y) {
        if (keys[a] != 0 && keys[b] != 0 && keys[a] != keys[b]) return true;
      }
    }
    return false;
  };
  std::vector<std::vector<DocIndex>> clusters(n);
  for (std::size_t d = 0; d < n; ++d) clusters[d] = {static_cast<DocIndex>(d)};
  std::vector<Merge> merges;
  for (;;) {
    bool found = false;
    std::size_t best_i = 0, best_j = 0;
    std::tuple<double, DocIndex, DocIndex> best{};  // (average, -low, -high) compared by hand
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      for (std::size_t j = i + 1; j < clusters.size(); ++j) {
        double sum = 0;
        for (DocIndex x : clusters[i]) {
          for (DocIndex y : clusters[j]) sum += sim[x][y];
        }
        const double average = sum / (static_cast<double>(clusters[i].size()) *
                                      static_cast<double>(clusters[j].size()));
        const DocIndex mi = clusters[i].front(), mj = clusters[j].front();  // sorted lists
        const DocIndex low = std::min(mi, mj), high = std::max(mi, mj);
        const auto& [ba, bl, bh] = best;
        const bool better =
            !found || average > ba || (average == ba && (low < bl || (low == bl && high < bh)));
        if (average >= threshold && better && !cannot_link(clusters[i], clusters[j])) {
          found = true;
          best = {average, low, high};
          best_i = i;
          best_j = j;
        }
      }
    }
    if (!found) return merges;
    merges.push_back(Merge{std::get<1>(best), std::get<2>(best), std::get<0>(best)});
    clusters[best_i].insert(clusters[best_i].end(), clusters[best_j].begin(),
                            clusters[best_j].end());
    std::sort(clusters[best_i].begin(), clusters[best_i].end());
    clusters.erase(clusters.begin() + static_cast<std::ptrdiff_t>(best_j));
  }
}

// A random sparse graph: each pair an edge with probability `density`, of a
// similarity that is a multiple of 1/16 when `dyadic` (sums of a few of
// them are exact in a double, so equal averages are equal bits and the tie
// rule is exercised), uniform in (0, 1) otherwise.
struct Graph {
  std::vector<SimilarityEdge> edges;
  std::vector<std::vector<double>> dense;
};
Graph RandomGraph(std::size_t n, double density, bool dyadic, std::mt19937_64& rng) {
  Graph g;
  g.dense.assign(n, std::vector<double>(n, 0.0));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> sixteenths(1, 16);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      if (unit(rng) >= density) continue;
      const double s = dyadic ? sixteenths(rng) / 16.0 : unit(rng);
      g.dense[a][b] = g.dense[b][a] = s;
      g.edges.push_back(SimilarityEdge{static_cast<DocIndex>(a), static_cast<DocIndex>(b), s});
    }
  }
  std::shuffle(g.edges.begin(), g.edges.end(), rng);  // the order must not matter
  return g;
}

// Documents of different non-zero keys cannot link.
LinkageConstraint DifferentKeys(std::span<const std::uint32_t> keys) {
  LinkageConstraint c;
  c.keys = keys;
  c.conflict = [](std::uint32_t a, std::uint32_t b) { return a != b; };
  return c;
}

TEST_CASE("AverageLinkage merges as a brute-force UPGMA does, ties included") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    const std::size_t n = 2 + seed % 29;
    const double density = 0.1 + 0.15 * static_cast<double>(seed % 6);
    const bool dyadic = seed % 2 == 0;
    const double threshold = dyadic ? 0.25 : 0.2 + 0.05 * static_cast<double>(seed % 5);
    const Graph g = RandomGraph(n, density, dyadic, rng);
    const std::vector<Merge> expected = BruteForceUpgma(n, g.dense, threshold);
    const std::vector<SimilarityEdge> got = AverageLinkage(n, g.edges, threshold);
    INFO("seed " << seed << ", n " << n);
    REQUIRE(got.size() == expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      CHECK(got[k].a == expected[k].low);
      CHECK(got[k].b == expected[k].high);
      if (dyadic) {
        CHECK(got[k].similarity == expected[k].average);  // exact sums
      } else {
        CHECK(got[k].similarity == Approx(expected[k].average).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE("AverageLinkage with cannot-link keys merges as a constrained brute force does") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    const std::size_t n = 2 + seed % 29;
    const bool dyadic = seed % 2 == 0;
    const Graph g = RandomGraph(n, 0.2 + 0.1 * static_cast<double>(seed % 5), dyadic, rng);
    // Most documents without a key, the others one of three.
    std::vector<std::uint32_t> keys(n);
    std::uniform_int_distribution<std::uint32_t> key(0, 6);
    for (std::uint32_t& k : keys) k = std::max<std::uint32_t>(key(rng), 3) - 3;
    const LinkageConstraint different = DifferentKeys(keys);
    const std::vector<Merge> expected = BruteForceUpgma(n, g.dense, 0.25, keys);
    const std::vector<SimilarityEdge> got = AverageLinkage(n, g.edges, 0.25, different);
    INFO("seed " << seed << ", n " << n);
    REQUIRE(got.size() == expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      CHECK(got[k].a == expected[k].low);
      CHECK(got[k].b == expected[k].high);
      CHECK(got[k].similarity == Approx(expected[k].average).epsilon(1e-12));
    }
  }
}

TEST_CASE("AverageLinkage keeps conflicting keys apart, however strongly others link them") {
  // 0 and 1 are dated differently; 2 and 3 undated, close to both.
  const std::vector<SimilarityEdge> edges = {{0, 1, 0.9}, {0, 2, 0.8}, {1, 2, 0.8},
                                             {0, 3, 0.7}, {1, 3, 0.7}, {2, 3, 0.9}};
  const std::vector<std::uint32_t> keys = {1, 2, 0, 0};
  const LinkageConstraint different = DifferentKeys(keys);
  const std::vector<SimilarityEdge> merges = AverageLinkage(4, edges, 0.2, different);
  CHECK(AverageLinkage(4, edges, 0.2).size() == 3);  // one cluster without the constraint
  // {2,3} at 0.9, then 0 joins them (0.75); 1 would bring key 2 to key 1.
  REQUIRE(merges.size() == 2);
  CHECK((merges[0].a == 2 && merges[0].b == 3));
  CHECK((merges[1].a == 0 && merges[1].b == 2));
}

TEST_CASE("AverageLinkage does not chain: a cluster joins only on its average") {
  // 0-1-2-3 a path of strong links and nothing else: single linkage would
  // make one cluster; averages fall as the clusters grow.
  const std::vector<SimilarityEdge> path = {{0, 1, 0.9}, {1, 2, 0.5}, {2, 3, 0.9}};
  const std::vector<SimilarityEdge> merges = AverageLinkage(4, path, 0.3);
  // {0,1} and {2,3} at 0.9; then their average is 0.5 / 4 = 0.125 < 0.3.
  REQUIRE(merges.size() == 2);
  CHECK(merges[0].a == 0);
  CHECK(merges[0].b == 1);
  CHECK(merges[1].a == 2);
  CHECK(merges[1].b == 3);
}

TEST_CASE("AverageLinkage counts links below the threshold in the averages") {
  // {0,1} at 0.8; 2 has 0.3 to 0 and 0.15 to 1: average 0.225 >= 0.2.
  const std::vector<SimilarityEdge> edges = {{0, 1, 0.8}, {0, 2, 0.3}, {1, 2, 0.15}};
  const std::vector<SimilarityEdge> merges = AverageLinkage(3, edges, 0.2);
  REQUIRE(merges.size() == 2);
  CHECK(merges[1].similarity == Approx(0.225));
  CHECK(AverageLinkage(3, edges, 0.25).size() == 1);
}

// Marks of documents as LinkageConstraint::marks takes them.
struct Marks {
  explicit Marks(std::vector<std::vector<std::uint32_t>> m) : marks(std::move(m)) {
    for (const auto& x : marks) spans.emplace_back(x);
  }
  std::vector<std::vector<std::uint32_t>> marks;
  std::vector<std::span<const std::uint32_t>> spans;
};

TEST_CASE("AverageLinkage: the contrast test keeps apart groups with marks of their own") {
  // Two groups of four, 0.9 inside each, 0.8 across: one cluster without
  // marks. Each group's members all carry two marks the other's never do.
  std::vector<SimilarityEdge> edges;
  for (DocIndex a = 0; a < 8; ++a) {
    for (DocIndex b = a + 1; b < 8; ++b) edges.push_back({a, b, (a < 4) == (b < 4) ? 0.9 : 0.8});
  }
  CHECK(AverageLinkage(8, edges, 0.5).size() == 7);
  const Marks marks(
      {{1, 2, 10}, {1, 2, 10}, {1, 2, 10}, {1, 2, 10}, {3, 4, 10}, {3, 4, 10}, {3, 4, 10}, {3, 4}});
  LinkageConstraint contrast;
  contrast.marks = marks.spans;
  const std::vector<SimilarityEdge> merges = AverageLinkage(8, edges, 0.5, contrast);
  REQUIRE(merges.size() == 6);
  for (const SimilarityEdge& m : merges) CHECK((m.a < 4) == (m.b < 4));
  contrast.contrast_count = 3;  // two own marks are not enough
  CHECK(AverageLinkage(8, edges, 0.5, contrast).size() == 7);
  contrast.contrast_count = 0;  // off
  CHECK(AverageLinkage(8, edges, 0.5, contrast).size() == 7);
}

TEST_CASE("AverageLinkage: the contrast test applies to single documents when asked") {
  // 0 and 1 have two marks each of their own; 2 and 3 share theirs.
  const std::vector<SimilarityEdge> edges = {{0, 1, 0.9}, {2, 3, 0.9}};
  const Marks marks({{1, 2}, {3, 4}, {5, 6}, {5, 6}});
  LinkageConstraint contrast;
  contrast.marks = marks.spans;
  CHECK(AverageLinkage(4, edges, 0.5, contrast).size() == 2);  // pairs are not tested
  contrast.contrast_min_size = 1;
  const std::vector<SimilarityEdge> merges = AverageLinkage(4, edges, 0.5, contrast);
  REQUIRE(merges.size() == 1);
  CHECK(merges[0].a == 2);
  CHECK(merges[0].b == 3);
}

TEST_CASE("AverageLinkage: nothing to merge") {
  CHECK(AverageLinkage(0, {}, 0.2).empty());
  const std::vector<SimilarityEdge> weak = {{0, 1, 0.1}, {2, 3, 0.19}};
  CHECK(AverageLinkage(5, weak, 0.2).empty());
}

}  // namespace
}  // namespace neardup
