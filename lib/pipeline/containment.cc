// Containment at the near level (PipelineOptions::containment): a document
// whose shingles are (nearly) all in a larger one is its duplicate, however
// much text the larger one adds (a page quoting another in full plus a
// comment thread; a copy with part of the text cut).
//
// The sketches estimate Jaccard J. For sets A, B with |A| = a <= |B| = b,
// |A n B| = J (a + b) / (1 + J), so the containment of A in B is
//   C = J (a + b) / ((1 + J) a),   and conversely   J = C a / (a + b - C a).
// Two documents b = r a apart in size therefore reach containment C exactly
// when J >= C / (1 + r - C): 0.9 at r = 1, 0.47 at r = 2, 0.29 at r = 3.
// Banding at the Jaccard of the largest ratio considered
// (containment_ratio) finds every closer-sized pair with at least that
// probability, since the S-curve rises with J (LSH Ensemble, Zhu et al.,
// VLDB 2016, partitions by size instead, to keep banding sharper for
// similar sizes; at the sizes of web pages one banding is enough: see the
// recall figures in README.md, "Containment").
#include <algorithm>
#include <numeric>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

double NearThreshold(const PipelineOptions& options) {
  return options.containment > 0 ? options.containment : options.lsh.threshold;
}

LshParams NearLshParams(const PipelineOptions& options) {
  LshOptions lsh = options.lsh;
  if (options.containment > 0) {
    const double c = options.containment;
    lsh.threshold = c / (1 + options.containment_ratio - c);
  }
  return OptimalLshParams(lsh, options.minhash.num_perm);
}

NearEstimate ContainmentEstimate(const BbitComparison& c, std::uint32_t na, std::uint32_t nb,
                                 double threshold) {
  const double a = std::max<double>(1, std::min(na, nb));
  const double b = std::max<double>(1, std::max(na, nb));
  const double j = c.Jaccard();
  const double containment = std::min(1.0, j * (a + b) / ((1 + j) * a));
  // The error of J at the Jaccard the threshold means for these sizes,
  // carried through dC/dJ = (a + b) / (a (1 + J)^2).
  const double jt = threshold * a / (a + b - threshold * a);
  const double slope = (a + b) / (a * (1 + jt) * (1 + jt));
  return NearEstimate{containment, c.StandardError(jt) * slope};
}

double SortedSetContainment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t smaller = std::min(a.size(), b.size());
  return smaller == 0 ? 0.0
                      : static_cast<double>(SortedSetCommon(a, b)) / static_cast<double>(smaller);
}

std::vector<Cluster> ContainingRepresentatives(std::vector<Cluster> clusters,
                                               const std::function<std::uint32_t(DocIndex)>& size,
                                               const SimilarityFn& similarity) {
  for (Cluster& c : clusters) {
    DocIndex rep = c.members.front().doc;
    for (const ClusterMember& m : c.members) {
      if (size(m.doc) > size(rep)) rep = m.doc;  // members in input order: ties stay earliest
    }
    c.representative = rep;
    std::vector<ClusterMember> members{ClusterMember{rep, 1.0}};
    for (const ClusterMember& m : c.members) {
      if (m.doc != rep) members.push_back(ClusterMember{m.doc, similarity(m.doc, rep)});
    }
    c.members = std::move(members);
  }
  std::sort(clusters.begin(), clusters.end(),
            [](const Cluster& x, const Cluster& y) { return x.representative < y.representative; });
  for (std::size_t i = 0; i < clusters.size(); ++i) clusters[i].id = static_cast<std::uint32_t>(i);
  return clusters;
}

}  // namespace neardup::internal
