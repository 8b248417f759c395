#include "neardup/cluster.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace neardup {

std::vector<SimilarityEdge> Verify(std::span<const CandidatePair> candidates,
                                   const SimilarityFn& similarity, double threshold) {
  std::vector<double> sims(candidates.size());
  tbb::parallel_for(std::size_t{0}, candidates.size(),
                    [&](std::size_t i) { sims[i] = similarity(candidates[i].a, candidates[i].b); });
  std::vector<SimilarityEdge> edges;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (sims[i] >= threshold) edges.push_back({candidates[i].a, candidates[i].b, sims[i]});
  }
  return edges;
}

std::vector<std::vector<DocIndex>> ConnectedGroups(std::size_t num_docs,
                                                   std::span<const SimilarityEdge> edges,
                                                   const KeepRankFn& rank) {
  UnionFind sets(num_docs);
  for (const SimilarityEdge& e : edges) sets.Union(e.a, e.b);

  // Walking documents in input order meets each component first at its
  // earliest member, which makes the result independent of edge order.
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> group_of_root(num_docs, kNone);
  std::vector<std::vector<DocIndex>> groups;
  for (std::size_t i = 0; i < num_docs; ++i) {
    const auto d = static_cast<DocIndex>(i);
    const DocIndex root = sets.Find(d);
    if (sets.SetSize(root) < 2) continue;
    std::uint32_t& g = group_of_root[root];
    if (g == kNone) {
      g = static_cast<std::uint32_t>(groups.size());
      groups.emplace_back();
    }
    groups[g].push_back(d);
  }
  if (rank) {
    tbb::parallel_for(std::size_t{0}, groups.size(), [&](std::size_t g) {
      std::vector<std::pair<std::uint64_t, DocIndex>> keyed;
      keyed.reserve(groups[g].size());
      for (DocIndex d : groups[g]) keyed.emplace_back(rank(d), d);
      std::sort(keyed.begin(), keyed.end());
      for (std::size_t i = 0; i < keyed.size(); ++i) groups[g][i] = keyed[i].second;
    });
  }
  return groups;
}

std::vector<Cluster> ClustersFromGroups(std::vector<std::vector<DocIndex>> groups,
                                        const SimilarityFn& similarity) {
  std::erase_if(groups, [](const std::vector<DocIndex>& g) { return g.size() < 2; });
  std::sort(groups.begin(), groups.end(),
            [](const std::vector<DocIndex>& x, const std::vector<DocIndex>& y) {
              return x.front() < y.front();
            });
  std::vector<Cluster> clusters(groups.size());
  tbb::parallel_for(std::size_t{0}, clusters.size(), [&](std::size_t c) {
    std::vector<DocIndex>& group = groups[c];
    Cluster& cluster = clusters[c];
    cluster.id = static_cast<std::uint32_t>(c);
    cluster.representative = group.front();
    std::sort(group.begin() + 1, group.end());
    cluster.members.reserve(group.size());
    cluster.members.push_back(ClusterMember{cluster.representative, 1.0});
    for (std::size_t i = 1; i < group.size(); ++i) {
      cluster.members.push_back(
          ClusterMember{group[i], similarity(cluster.representative, group[i])});
    }
  });
  return clusters;
}

std::vector<Cluster> BuildClusters(std::size_t num_docs, std::span<const SimilarityEdge> edges,
                                   const SimilarityFn& similarity, const KeepRankFn& rank) {
  return ClustersFromGroups(ConnectedGroups(num_docs, edges, rank), similarity);
}

}  // namespace neardup
