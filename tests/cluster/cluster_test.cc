// Tests for UnionFind, Verify and BuildClusters (lib/cluster/), against
// brute-force references written here (BFS over the edge list).
#include <neardup/cluster.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "../test_util.h"

namespace neardup {
namespace {

struct Edge {
  DocIndex a, b;
};

// Component label of every vertex (the smallest vertex of its component),
// by breadth-first search over an adjacency list.
std::vector<DocIndex> BfsComponents(std::size_t n, const std::vector<Edge>& edges) {
  std::vector<std::vector<DocIndex>> adj(n);
  for (const Edge& e : edges) {
    adj[e.a].push_back(e.b);
    adj[e.b].push_back(e.a);
  }
  constexpr DocIndex kUnseen = ~DocIndex{0};
  std::vector<DocIndex> label(n, kUnseen);
  for (std::size_t start = 0; start < n; ++start) {
    if (label[start] != kUnseen) continue;
    const auto root = static_cast<DocIndex>(start);  // smallest: vertices are visited in order
    std::queue<DocIndex> queue;
    queue.push(root);
    label[root] = root;
    while (!queue.empty()) {
      const DocIndex v = queue.front();
      queue.pop();
      for (const DocIndex w : adj[v]) {
        if (label[w] == kUnseen) {
          label[w] = root;
          queue.push(w);
        }
      }
    }
  }
  return label;
}

std::vector<Edge> RandomEdges(testing::Rng& rng, std::size_t n, std::size_t count) {
  std::vector<Edge> edges;
  for (std::size_t i = 0; i < count; ++i) {
    edges.push_back(Edge{static_cast<DocIndex>(rng.Below(n)), static_cast<DocIndex>(rng.Below(n))});
  }
  return edges;
}

// A symmetric, deterministic similarity in [0.5, 1).
double Similarity(DocIndex x, DocIndex y) {
  const DocIndex lo = std::min(x, y), hi = std::max(x, y);
  return 0.5 + static_cast<double>((lo * 31u + hi * 17u) % 100u) / 200.0;
}

std::vector<SimilarityEdge> ToSimilarityEdges(const std::vector<Edge>& edges) {
  std::vector<SimilarityEdge> out;
  for (const Edge& e : edges) out.push_back(SimilarityEdge{e.a, e.b, Similarity(e.a, e.b)});
  return out;
}

// Brute-force clusters: components of size >= 2, ordered by their smallest
// member, members ascending.
std::vector<std::vector<DocIndex>> ReferenceClusters(std::size_t n,
                                                     const std::vector<Edge>& edges) {
  const std::vector<DocIndex> label = BfsComponents(n, edges);
  std::vector<std::vector<DocIndex>> by_root(n);
  for (std::size_t v = 0; v < n; ++v) by_root[label[v]].push_back(static_cast<DocIndex>(v));
  std::vector<std::vector<DocIndex>> out;
  for (std::size_t root = 0; root < n; ++root) {
    if (by_root[root].size() >= 2) out.push_back(by_root[root]);  // root ascending = min ascending
  }
  return out;
}

void CheckClusters(const std::vector<Cluster>& got,
                   const std::vector<std::vector<DocIndex>>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t c = 0; c < got.size(); ++c) {
    INFO("cluster " << c);
    CHECK(got[c].id == c);
    CHECK(got[c].representative == expected[c].front());
    REQUIRE(got[c].members.size() == expected[c].size());
    for (std::size_t i = 0; i < expected[c].size(); ++i) {
      const ClusterMember& m = got[c].members[i];
      CHECK(m.doc == expected[c][i]);
      const double expected_sim = i == 0 ? 1.0 : Similarity(got[c].representative, expected[c][i]);
      CHECK(m.similarity == expected_sim);
    }
  }
}

bool SameClusters(const std::vector<Cluster>& x, const std::vector<Cluster>& y) {
  if (x.size() != y.size()) return false;
  for (std::size_t c = 0; c < x.size(); ++c) {
    if (x[c].id != y[c].id || x[c].representative != y[c].representative ||
        x[c].members.size() != y[c].members.size()) {
      return false;
    }
    for (std::size_t i = 0; i < x[c].members.size(); ++i) {
      if (x[c].members[i].doc != y[c].members[i].doc ||
          x[c].members[i].similarity != y[c].members[i].similarity) {
        return false;
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------------------
// UnionFind

TEST_CASE("UnionFind: agrees with BFS connectivity on random unions", "[cluster]") {
  constexpr std::size_t kN = 1000;
  testing::Rng rng(2024);
  const std::vector<Edge> edges = RandomEdges(rng, kN, 900);
  UnionFind uf(kN);
  // Reference for Union's return value: a relabelling array, O(n) per union.
  std::vector<std::size_t> label(kN);
  for (std::size_t i = 0; i < kN; ++i) label[i] = i;
  std::size_t wrong_return = 0;
  std::vector<Edge> applied;
  for (std::size_t step = 0; step <= edges.size(); ++step) {
    if (step == 0 || step == 50 || step == 300 || step == 600 || step == edges.size()) {
      // Compare every pair and every set size with BFS over the edges so far.
      const std::vector<DocIndex> comp = BfsComponents(kN, applied);
      std::vector<std::size_t> comp_size(kN, 0);
      for (const DocIndex c : comp) ++comp_size[c];
      std::size_t wrong_pairs = 0, wrong_sizes = 0;
      for (std::size_t x = 0; x < kN; ++x) {
        const auto dx = static_cast<DocIndex>(x);
        wrong_sizes += uf.SetSize(dx) != comp_size[comp[x]];
        for (std::size_t y = x + 1; y < kN; ++y) {
          const auto dy = static_cast<DocIndex>(y);
          wrong_pairs += (uf.Find(dx) == uf.Find(dy)) != (comp[x] == comp[y]);
        }
      }
      INFO("after " << step << " unions");
      CHECK(wrong_pairs == 0);
      CHECK(wrong_sizes == 0);
    }
    if (step == edges.size()) break;
    const Edge e = edges[step];
    const bool were_apart = label[e.a] != label[e.b];
    if (were_apart) {
      const std::size_t from = label[e.b], to = label[e.a];
      for (std::size_t& l : label) {
        if (l == from) l = to;
      }
    }
    wrong_return += uf.Union(e.a, e.b) != were_apart;
    applied.push_back(e);
  }
  CHECK(wrong_return == 0);
}

TEST_CASE("UnionFind: hand example", "[cluster]") {
  UnionFind uf(6);
  CHECK(uf.SetSize(0) == 1);
  CHECK(uf.Find(4) == 4);
  CHECK(uf.Union(0, 1));
  CHECK(uf.Union(2, 3));
  CHECK_FALSE(uf.Union(1, 0));
  CHECK(uf.Union(1, 3));
  CHECK_FALSE(uf.Union(0, 2));
  CHECK_FALSE(uf.Union(5, 5));
  CHECK(uf.SetSize(2) == 4);
  CHECK(uf.SetSize(4) == 1);
  CHECK(uf.Find(0) == uf.Find(3));
  CHECK(uf.Find(4) != uf.Find(0));
  CHECK(uf.Find(5) == 5);
}

// ---------------------------------------------------------------------------
// BuildClusters

TEST_CASE("BuildClusters: hand example", "[cluster]") {
  // Components {1, 6}, {3, 5, 7}; 0, 2 (self-loop only), 4 are singletons.
  const std::vector<SimilarityEdge> edges = {
      {5, 3, 0.9}, {3, 7, 0.8}, {6, 1, 0.95}, {2, 2, 1.0}, {7, 5, 0.85}};
  const std::vector<Cluster> clusters = BuildClusters(8, edges, Similarity);
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].id == 0);
  CHECK(clusters[0].representative == 1);
  REQUIRE(clusters[0].members.size() == 2);
  CHECK(clusters[0].members[0].doc == 1);
  CHECK(clusters[0].members[0].similarity == 1.0);
  CHECK(clusters[0].members[1].doc == 6);
  CHECK(clusters[0].members[1].similarity == Similarity(1, 6));
  CHECK(clusters[1].id == 1);
  CHECK(clusters[1].representative == 3);
  REQUIRE(clusters[1].members.size() == 3);
  CHECK(clusters[1].members[0].doc == 3);
  CHECK(clusters[1].members[1].doc == 5);
  CHECK(clusters[1].members[2].doc == 7);
  // 7 is joined to 3 directly, 5 too; either way the similarity is to the
  // representative, not along the edge.
  CHECK(clusters[1].members[2].similarity == Similarity(3, 7));
  CHECK(clusters[1].members[1].similarity == Similarity(3, 5));
}

TEST_CASE("BuildClusters: similarity is asked of (representative, member)", "[cluster]") {
  // A member reached only through another member still gets its similarity
  // to the representative: chain 0 - 1 - 2, so 2's value is sim(0, 2).
  const std::vector<SimilarityEdge> edges = {{0, 1, 0.9}, {1, 2, 0.9}};
  auto sim = [](DocIndex x, DocIndex y) -> double {
    const DocIndex lo = std::min(x, y), hi = std::max(x, y);
    return lo == 0 && hi == 2 ? 0.25 : 0.75;
  };
  const std::vector<Cluster> clusters = BuildClusters(3, edges, sim);
  REQUIRE(clusters.size() == 1);
  REQUIRE(clusters[0].members.size() == 3);
  CHECK(clusters[0].members[1].similarity == 0.75);
  CHECK(clusters[0].members[2].similarity == 0.25);
}

TEST_CASE("BuildClusters: no edges, or no documents, give no clusters", "[cluster]") {
  CHECK(BuildClusters(10, {}, Similarity).empty());
  CHECK(BuildClusters(0, {}, Similarity).empty());
  const std::vector<SimilarityEdge> self_loops = {{3, 3, 1.0}, {4, 4, 1.0}};
  CHECK(BuildClusters(5, self_loops, Similarity).empty());
}

TEST_CASE("BuildClusters: agrees with a brute-force reference on random graphs", "[cluster]") {
  testing::Rng rng(31);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 1 + rng.Below(300);
    const std::size_t m = rng.Below(n);  // sparse: many singletons and small components
    const std::vector<Edge> edges = RandomEdges(rng, n, m);
    INFO("trial " << trial << ": " << n << " docs, " << m << " edges");
    CheckClusters(BuildClusters(n, ToSimilarityEdges(edges), Similarity),
                  ReferenceClusters(n, edges));
  }
}

TEST_CASE("BuildClusters: result does not depend on edge order or direction", "[cluster]") {
  testing::Rng rng(32);
  constexpr std::size_t kN = 400;
  std::vector<Edge> edges = RandomEdges(rng, kN, 300);
  const std::vector<Cluster> base = BuildClusters(kN, ToSimilarityEdges(edges), Similarity);
  CheckClusters(base, ReferenceClusters(kN, edges));
  REQUIRE(base.size() > 10);  // the test needs several clusters to be meaningful
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    testing::Rng shuffle_rng(seed);
    for (std::size_t i = edges.size(); i > 1; --i) {
      std::swap(edges[i - 1], edges[shuffle_rng.Below(i)]);
    }
    for (Edge& e : edges) {
      if (shuffle_rng.Below(2) == 1) std::swap(e.a, e.b);
    }
    INFO("shuffle seed " << seed);
    CHECK(SameClusters(BuildClusters(kN, ToSimilarityEdges(edges), Similarity), base));
  }
}

// ---------------------------------------------------------------------------
// Verify

TEST_CASE("Verify: keeps exactly the pairs at or above the threshold, in order", "[cluster]") {
  const double just_below = std::nextafter(0.5, 0.0);
  const std::vector<CandidatePair> candidates = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {4, 5}, {3, 4}};
  auto sim = [&](DocIndex a, DocIndex b) -> double {
    const DocIndex lo = std::min(a, b), hi = std::max(a, b);
    if (lo == 0 && hi == 1) return 0.5;  // exactly the threshold: kept
    if (lo == 0 && hi == 2) return just_below;
    if (lo == 1 && hi == 3) return 1.0;
    if (lo == 2 && hi == 3) return 0.0;
    if (lo == 4 && hi == 5) return 0.75;
    return 0.25;
  };
  const std::vector<SimilarityEdge> kept = Verify(candidates, sim, 0.5);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].a == 0);
  CHECK(kept[0].b == 1);
  CHECK(kept[0].similarity == 0.5);
  CHECK(kept[1].a == 1);
  CHECK(kept[1].b == 3);
  CHECK(kept[1].similarity == 1.0);
  CHECK(kept[2].a == 4);
  CHECK(kept[2].b == 5);
  CHECK(kept[2].similarity == 0.75);
  CHECK(Verify(candidates, sim, 0.0).size() == candidates.size());
  CHECK(Verify(candidates, sim, std::nextafter(1.0, 2.0)).empty());
  CHECK(Verify({}, sim, 0.5).empty());
}

TEST_CASE("Verify: many candidates match a sequential filter", "[cluster]") {
  testing::Rng rng(33);
  std::vector<CandidatePair> candidates;
  for (int i = 0; i < 20000; ++i) {
    const auto a = static_cast<DocIndex>(rng.Below(5000));
    candidates.push_back(CandidatePair{a, static_cast<DocIndex>(a + 1 + rng.Below(100))});
  }
  const double threshold = 0.75;
  const std::vector<SimilarityEdge> kept = Verify(candidates, Similarity, threshold);
  std::size_t next = 0;
  for (const CandidatePair& p : candidates) {
    if (Similarity(p.a, p.b) < threshold) continue;
    REQUIRE(next < kept.size());
    CHECK(kept[next].a == p.a);
    CHECK(kept[next].b == p.b);
    CHECK(kept[next].similarity == Similarity(p.a, p.b));
    ++next;
  }
  CHECK(next == kept.size());
  CHECK(kept.size() > 1000);  // both outcomes occur
  CHECK(kept.size() < candidates.size());
}

}  // namespace
}  // namespace neardup
