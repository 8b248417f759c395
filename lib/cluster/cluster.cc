#include "neardup/cluster.h"

#include <tbb/parallel_for.h>

#include <limits>

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

std::vector<Cluster> BuildClusters(std::size_t num_docs, std::span<const SimilarityEdge> edges,
                                   const SimilarityFn& similarity) {
  UnionFind sets(num_docs);
  for (const SimilarityEdge& e : edges) sets.Union(e.a, e.b);

  // Walking documents in input order meets each cluster first at its
  // earliest member, which is what makes ids and representatives independent
  // of edge order.
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> cluster_of_root(num_docs, kNone);
  std::vector<Cluster> clusters;
  for (std::size_t i = 0; i < num_docs; ++i) {
    const auto d = static_cast<DocIndex>(i);
    const DocIndex root = sets.Find(d);
    if (sets.SetSize(root) < 2) continue;
    std::uint32_t& id = cluster_of_root[root];
    if (id == kNone) {
      id = static_cast<std::uint32_t>(clusters.size());
      clusters.push_back(Cluster{id, d, {}});
    }
    clusters[id].members.push_back(ClusterMember{d, 0.0});
  }
  tbb::parallel_for(std::size_t{0}, clusters.size(), [&](std::size_t c) {
    Cluster& cluster = clusters[c];
    for (ClusterMember& m : cluster.members) {
      m.similarity =
          m.doc == cluster.representative ? 1.0 : similarity(cluster.representative, m.doc);
    }
  });
  return clusters;
}

}  // namespace neardup
