#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

std::vector<SimilarityEdge> SimHashEdges(std::span<const std::uint64_t> fingerprints,
                                         const std::vector<bool>& skip,
                                         const PipelineOptions& options, RunStats* stats) {
  std::vector<DocIndex> order;
  for (std::size_t d = 0; d < fingerprints.size(); ++d) {
    if (!skip[d]) order.push_back(static_cast<DocIndex>(d));
  }
  std::sort(order.begin(), order.end(), [&](DocIndex x, DocIndex y) {
    return fingerprints[x] != fingerprints[y] ? fingerprints[x] < fingerprints[y] : x < y;
  });
  // Equal fingerprints would make table buckets quadratic; join them here.
  std::vector<SimilarityEdge> edges;
  SimHashIndex index(options.simhash.radius);
  for (std::size_t first = 0; first < order.size();) {
    std::size_t end = first + 1;
    for (; end < order.size() && fingerprints[order[end]] == fingerprints[order[first]]; ++end) {
      edges.push_back(SimilarityEdge{order[first], order[end], 1.0});
    }
    index.Add(order[first], fingerprints[order[first]]);
    first = end;
  }
  const std::vector<HammingPair> pairs = index.PairsWithinRadius();
  stats->candidate_pairs = pairs.size();
  for (const HammingPair& p : pairs) {
    edges.push_back(SimilarityEdge{p.a, p.b, 1.0 - p.distance / 64.0});
  }
  return edges;
}

}  // namespace neardup::internal
