// Explanations at the near level (PipelineOptions::near_evidence): what the
// run knows of a member against its representative, without a second read.
#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

ClusterReport::Member::NearEvidence ExplainNearMember(DocIndex member, DocIndex rep,
                                                      const Signatures& sigs,
                                                      const PipelineOptions& options,
                                                      std::span<const SimilarityEdge> checked) {
  const BbitComparison c = CompareBbitSketches(sigs.sketch.Row(member), sigs.sketch.Row(rep));
  const double t = NearThreshold(options);
  ClusterReport::Member::NearEvidence e{options.containment > 0, c.Jaccard(), c.StandardError(t),
                                        std::nullopt, std::nullopt};
  if (e.containment) {
    const NearEstimate n =
        ContainmentEstimate(c, sigs.shingle_counts[member], sigs.shingle_counts[rep], t);
    e.estimate = n.similarity;
    e.standard_error = n.standard_error;
  }
  const DocIndex a = std::min(member, rep);
  const DocIndex b = std::max(member, rep);
  const auto it =
      std::lower_bound(checked.begin(), checked.end(), std::make_pair(a, b),
                       [](const SimilarityEdge& x, const std::pair<DocIndex, DocIndex>& y) {
                         return x.a != y.first ? x.a < y.first : x.b < y.second;
                       });
  if (it != checked.end() && it->a == a && it->b == b) e.exact = it->similarity;
  // The band that made them candidates: LshCandidates pairs two documents
  // whose keys agree in some band (the first such band is reported).
  const std::span<const std::uint64_t> x = sigs.band_keys.Row(member);
  const std::span<const std::uint64_t> y = sigs.band_keys.Row(rep);
  for (std::size_t band = 0; band < x.size(); ++band) {
    if (x[band] == y[band]) {
      e.band = static_cast<int>(band);
      break;
    }
  }
  return e;
}

}  // namespace neardup::internal
