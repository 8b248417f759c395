// Tests for keep order (ConnectedGroups with a rank, ClustersFromGroups) and
// the chain guard (SplitChains) of lib/cluster/.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "neardup/cluster.h"

namespace neardup {
namespace {

// A path 0 - 1 - 2 - 3 - 4 plus a separate pair 5 - 6.
const std::vector<SimilarityEdge> kChain = {
    {0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}, {3, 4, 0.9}, {5, 6, 0.9}};

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

TEST_CASE("SplitChains: a hand-built chain is split around representatives in keep order",
          "[cluster][chain]") {
  // Chain 0-1-2-3-4: each document is within the threshold of its
  // neighbours and of the one after them, never further.
  std::set<std::pair<DocIndex, DocIndex>> close = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                                   {0, 2}, {1, 3}, {2, 4}, {5, 6}};
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(8, kChain);
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, WithinPairs(close, &calls), &stats).ok());
  // 0 keeps 1 and 2; of 3 and 4, 3 is first and 4 is within it.
  std::set<std::vector<DocIndex>> got(groups.begin(), groups.end());
  CHECK(got == std::set<std::vector<DocIndex>>{{0, 1, 2}, {3, 4}, {5, 6}});
  CHECK(stats.split_clusters == 1);
  CHECK(stats.new_clusters == 2);
  CHECK(calls == 2);  // one round, then one for {3, 4}
  // Every member is within its representative.
  for (const std::vector<DocIndex>& g : groups) {
    for (std::size_t i = 1; i < g.size(); ++i) {
      CHECK(close.contains({std::min(g[0], g[i]), std::max(g[0], g[i])}));
    }
  }
}

TEST_CASE("SplitChains: a member left alone leaves the clusters", "[cluster][chain]") {
  // 0-1 close, 2 close to 1 only: 0 keeps 1, and 2 is alone.
  std::vector<std::vector<DocIndex>> groups = {{0, 1, 2}};
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, WithinPairs({{0, 1}, {1, 2}}, &calls), &stats).ok());
  CHECK(groups == std::vector<std::vector<DocIndex>>{{0, 1}});
  CHECK(stats.split_clusters == 1);
  CHECK(stats.new_clusters == 1);
}

TEST_CASE("SplitChains: a tight cluster is left alone", "[cluster][chain]") {
  std::vector<std::vector<DocIndex>> groups = {{4, 0, 2, 9}, {1, 3}};
  const std::vector<std::vector<DocIndex>> before = groups;
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups,
                      WithinPairs({{0, 4}, {2, 4}, {4, 9}, {1, 3}, {0, 2}, {0, 9}, {2, 9}}, &calls),
                      &stats)
              .ok());
  std::set<std::vector<DocIndex>> got(groups.begin(), groups.end());
  CHECK(got == std::set<std::vector<DocIndex>>(before.begin(), before.end()));
  CHECK(stats.split_clusters == 0);
  CHECK(stats.new_clusters == 0);
  CHECK(calls == 1);
}

TEST_CASE("SplitChains: representative chosen by keep order decides the split",
          "[cluster][chain]") {
  // Same chain, but 2 ranks first: 2 is within 0, 1, 3 and 4, so nothing splits.
  std::set<std::pair<DocIndex, DocIndex>> close = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                                   {0, 2}, {1, 3}, {2, 4}};
  std::vector<std::vector<DocIndex>> groups =
      ConnectedGroups(5, std::span(kChain).first(4), [](DocIndex d) { return d == 2 ? 0 : 1; });
  REQUIRE(groups.front().front() == 2);
  std::size_t calls = 0;
  ChainGuardStats stats;
  REQUIRE(SplitChains(&groups, WithinPairs(close, &calls), &stats).ok());
  CHECK(groups == std::vector<std::vector<DocIndex>>{{2, 0, 1, 3, 4}});
  CHECK(stats.split_clusters == 0);
}

TEST_CASE("SplitChains: an error of within stops it", "[cluster][chain]") {
  std::vector<std::vector<DocIndex>> groups = {{0, 1}};
  ChainGuardStats stats;
  const Status s = SplitChains(
      &groups,
      [](std::span<const CandidatePair>, std::vector<bool>*) {
        return Status::IOError("input gone");
      },
      &stats);
  CHECK(s.code() == StatusCode::kIOError);
}

}  // namespace
}  // namespace neardup
