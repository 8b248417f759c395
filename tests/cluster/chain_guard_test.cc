// Tests for keep order (ConnectedGroups with a rank, ClustersFromGroups) and
// the chain guard (SplitChains) of lib/cluster/.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "cluster/adjacency.h"
#include "neardup/cluster.h"

namespace neardup {
namespace {

// A path 0 - 1 - 2 - 3 - 4 plus a separate pair 5 - 6.
const std::vector<SimilarityEdge> kChain = {
    {0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}, {3, 4, 0.9}, {5, 6, 0.9}};

TEST_CASE("Adjacency: sorted neighbour lists of the kept edges, in both directions",
          "[cluster][adjacency]") {
  // Out of order, a self-loop, a document beyond `nodes`, an edge given twice.
  const std::vector<SimilarityEdge> edges = {{3, 0, 0.5}, {0, 1, 0.05}, {2, 2, 0.9},
                                             {0, 9, 0.9}, {2, 0, 0.7},  {3, 0, 0.5}};
  const Adjacency all(5, edges);
  CHECK(std::vector<DocIndex>(all.Of(0).begin(), all.Of(0).end()) ==
        std::vector<DocIndex>{1, 2, 3, 3});
  CHECK(std::vector<DocIndex>(all.Of(3).begin(), all.Of(3).end()) == std::vector<DocIndex>{0, 0});
  CHECK(std::vector<DocIndex>(all.Of(2).begin(), all.Of(2).end()) == std::vector<DocIndex>{0});
  CHECK(all.Of(4).empty());
  // Only edges of similarity >= 0.1 (as the story level's subject rule keeps).
  const Adjacency strong(5, edges, [](const SimilarityEdge& e) { return e.similarity >= 0.1; });
  CHECK(std::vector<DocIndex>(strong.Of(0).begin(), strong.Of(0).end()) ==
        std::vector<DocIndex>{2, 3, 3});
  CHECK(strong.Of(1).empty());
}

TEST_CASE("ConnectedGroups: without a rank, input order; with one, lowest rank first",
          "[cluster][keep]") {
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(8, kChain);
  REQUIRE(groups == std::vector<std::vector<DocIndex>>{{0, 1, 2, 3, 4}, {5, 6}});
  // Rank: 3 lowest, then 1 and 4 tie (input order breaks it), the rest last.
  const std::map<DocIndex, std::uint64_t> rank = {{3, 0}, {1, 1}, {4, 1}, {6, 0}};
  const KeepRankFn by_rank = [&](DocIndex d) {
    const auto it = rank.find(d);
    return it == rank.end() ? std::uint64_t{9} : it->second;
  };
  groups = ConnectedGroups(8, kChain, by_rank);
  CHECK(groups == std::vector<std::vector<DocIndex>>{{3, 1, 4, 0, 2}, {6, 5}});
}

TEST_CASE(
    "ClustersFromGroups: representative first, members in input order, ids by "
    "representative",
    "[cluster][keep]") {
  // The second group's representative (2) comes before the first's (5).
  const std::vector<Cluster> clusters = ClustersFromGroups(
      {{5, 9, 1, 7}, {2, 8}, {4}}, [](DocIndex rep, DocIndex m) { return rep * 0.01 + m * 0.001; });
  REQUIRE(clusters.size() == 2);  // the group of one is no cluster
  CHECK(clusters[0].id == 0);
  CHECK(clusters[0].representative == 2);
  REQUIRE(clusters[0].members.size() == 2);
  CHECK(clusters[0].members[1].doc == 8);
  CHECK(clusters[1].representative == 5);
  std::vector<DocIndex> order;
  for (const ClusterMember& m : clusters[1].members) order.push_back(m.doc);
  CHECK(order == std::vector<DocIndex>{5, 1, 7, 9});
  CHECK(clusters[1].members[0].similarity == 1.0);
  CHECK(clusters[1].members[1].similarity == Approx(0.05 + 0.001));  // asked of (rep, member)
}

// `within` from a set of unordered pairs.
WithinFn WithinPairs(std::set<std::pair<DocIndex, DocIndex>> close, std::size_t* calls) {
  return [close, calls](std::span<const CandidatePair> pairs, std::vector<bool>* in) {
    ++*calls;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const DocIndex a = std::min(pairs[i].a, pairs[i].b);
      const DocIndex b = std::max(pairs[i].a, pairs[i].b);
      (*in)[i] = close.contains({a, b});
    }
    return Status::OK();
  };
}

// Every member of every group within its center: some member within `close`
// (or an edge) of all the others.
bool EveryGroupHasACenter(const std::vector<std::vector<DocIndex>>& groups,
                          const std::set<std::pair<DocIndex, DocIndex>>& close) {
  for (const std::vector<DocIndex>& g : groups) {
    bool found = false;
    for (DocIndex c : g) {
      bool all = true;
      for (DocIndex m : g) {
        all = all && (m == c || close.contains({std::min(c, m), std::max(c, m)}));
      }
      found = found || all;
    }
    if (!found) return false;
  }
  return true;
}

TEST_CASE("SplitChains: a chain is cut, each part around a center", "[cluster][chain]") {
  // Path 0-1-2-3-4: each document is within the threshold of its neighbours
  // only. The first center (most edges, ties in keep order) is 1: it takes
  // 0 and 2 by their edges; 3, the next not taken, takes 4. No pair needs a
  // check: every member shares a verified edge with its center.
  const std::set<std::pair<DocIndex, DocIndex>> close = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {5, 6}};
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(8, kChain);
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, kChain, WithinPairs(close, &calls), &stats).ok());
  std::set<std::vector<DocIndex>> got(groups.begin(), groups.end());
  CHECK(got == std::set<std::vector<DocIndex>>{{0, 1, 2}, {3, 4}, {5, 6}});
  CHECK(stats.split_clusters == 1);
  CHECK(stats.new_clusters == 2);
  CHECK(calls == 0);
  CHECK(EveryGroupHasACenter(groups, close));
}

TEST_CASE("SplitChains: a long chain is cut into parts of at most three in one call",
          "[cluster][chain]") {
  // A path of 1,000 documents, each within its neighbours only: centers
  // 1, 3, 5, ... take their free neighbours; the last document, whose only
  // neighbour is taken, is checked against that neighbour's center and left
  // alone.
  constexpr DocIndex kN = 1000;
  std::vector<SimilarityEdge> path;
  std::set<std::pair<DocIndex, DocIndex>> close;
  for (DocIndex d = 0; d + 1 < kN; ++d) {
    path.push_back({d, d + 1, 0.6});
    close.insert({d, d + 1});
  }
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(kN, path);
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, path, WithinPairs(close, &calls), &stats).ok());
  std::size_t members = 0;
  for (const std::vector<DocIndex>& g : groups) {
    CHECK(g.size() >= 2);
    CHECK(g.size() <= 3);
    members += g.size();
  }
  CHECK(members == kN - 1);
  CHECK(EveryGroupHasACenter(groups, close));
  CHECK(stats.split_clusters == 1);
  CHECK(stats.new_clusters == groups.size());
  CHECK(groups.size() == 499);  // {0, 1, 2}, then {3, 4} ... {997, 998}
  CHECK(calls == 1);
}

TEST_CASE("SplitChains: a star of copies stays whole around its original, whoever is kept",
          "[cluster][chain]") {
  // Original 3 and its copies 0, 1, 2, 4, each within the threshold of 3
  // (an edge); copies within each other only for 0-1. Copy 5's pair with
  // the original was missed (no edge) though it is within: it hangs on 4.
  // Keep order puts copy 0 first: a guard anchored on the kept document
  // would split the star; anchored on the center (3, the most edges) it
  // stays whole, and 0 is still the one kept.
  const std::vector<SimilarityEdge> star = {{0, 3, 0.9}, {1, 3, 0.9},  {2, 3, 0.9},
                                            {3, 4, 0.9}, {0, 1, 0.85}, {4, 5, 0.82}};
  const std::set<std::pair<DocIndex, DocIndex>> close = {{0, 3}, {1, 3}, {2, 3}, {3, 4},
                                                         {0, 1}, {4, 5}, {3, 5}};
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(6, star);
  REQUIRE(groups == std::vector<std::vector<DocIndex>>{{0, 1, 2, 3, 4, 5}});
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, star, WithinPairs(close, &calls), &stats).ok());
  CHECK(groups == std::vector<std::vector<DocIndex>>{{0, 1, 2, 3, 4, 5}});
  CHECK(stats.split_clusters == 0);
  CHECK(stats.new_clusters == 0);
  CHECK(calls == 1);  // only (3, 5): the others are edges
  // The same star with 5 not within the original: 5 leaves, alone.
  groups = ConnectedGroups(6, star);
  std::set<std::pair<DocIndex, DocIndex>> far = close;
  far.erase({3, 5});
  stats = {};
  REQUIRE(SplitChains(&groups, star, WithinPairs(far, &calls), &stats).ok());
  CHECK(groups == std::vector<std::vector<DocIndex>>{{0, 1, 2, 3, 4}});
  CHECK(stats.split_clusters == 1);
  CHECK(stats.new_clusters == 1);
}

TEST_CASE("SplitChains: a tight cluster is left alone, without a check", "[cluster][chain]") {
  const std::vector<SimilarityEdge> edges = {{0, 4, 0.9}, {2, 4, 0.9}, {4, 9, 0.9}, {1, 3, 0.9},
                                             {0, 2, 0.9}, {0, 9, 0.9}, {2, 9, 0.9}};
  std::vector<std::vector<DocIndex>> groups = {{4, 0, 2, 9}, {1, 3}};
  const std::vector<std::vector<DocIndex>> before = groups;
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, edges, WithinPairs({}, &calls), &stats).ok());
  std::set<std::vector<DocIndex>> got(groups.begin(), groups.end());
  CHECK(got == std::set<std::vector<DocIndex>>(before.begin(), before.end()));
  CHECK(stats.split_clusters == 0);
  CHECK(stats.new_clusters == 0);
  CHECK(calls == 0);
}

TEST_CASE("SplitChains: parts keep the keep order; the result does not depend on edge order",
          "[cluster][chain]") {
  // Chain 0-1-2-3-4 with 2 first in keep order and within every other
  // document: 2 is the first center (most edges, tied with 1 and 3, first
  // in keep order) and takes 1 and 3; 0 and 4, whose neighbours are taken,
  // are checked against 2 and join it, so nothing splits.
  const std::set<std::pair<DocIndex, DocIndex>> close = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                                         {0, 2}, {1, 3}, {2, 4}};
  const std::span<const SimilarityEdge> path = std::span(kChain).first(4);
  std::vector<std::vector<DocIndex>> groups =
      ConnectedGroups(5, path, [](DocIndex d) { return d == 2 ? 0 : 1; });
  REQUIRE(groups.front().front() == 2);
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, path, WithinPairs(close, &calls), &stats).ok());
  CHECK(groups == std::vector<std::vector<DocIndex>>{{2, 0, 1, 3, 4}});
  CHECK(stats.split_clusters == 0);
  // Keep order 4, 3, 2, 1, 0, the edges in either order: the first center
  // is 3 (tied with 1 and 2, first in keep order) and takes 2 and 4; 1 takes
  // 0. Each part lists its members in keep order.
  const std::vector<SimilarityEdge> forward(path.begin(), path.end());
  const std::vector<SimilarityEdge> reversed(path.rbegin(), path.rend());
  for (const std::vector<SimilarityEdge>* edges : {&forward, &reversed}) {
    groups = ConnectedGroups(5, *edges, [](DocIndex d) { return std::uint64_t{4} - d; });
    stats = {};
    REQUIRE(SplitChains(&groups, *edges, WithinPairs(close, &calls), &stats).ok());
    CHECK(groups == std::vector<std::vector<DocIndex>>{{4, 3, 2}, {1, 0}});
    CHECK(stats.split_clusters == 1);
    CHECK(stats.new_clusters == 2);
  }
}

TEST_CASE("SplitChains: an error of within stops it", "[cluster][chain]") {
  // 0 and 4 need a check against the center 2.
  const std::span<const SimilarityEdge> path = std::span(kChain).first(4);
  std::vector<std::vector<DocIndex>> groups =
      ConnectedGroups(5, path, [](DocIndex d) { return d == 2 ? 0 : 1; });
  ChainGuardStats stats;
  const Status s = SplitChains(
      &groups, path,
      [](std::span<const CandidatePair>, std::vector<bool>*) {
        return Status::IOError("input gone");
      },
      &stats);
  CHECK(s.code() == StatusCode::kIOError);
}

}  // namespace
}  // namespace neardup
