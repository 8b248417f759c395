// The cluster step of Run: keep order (--keep) and the chain guard over the
// connected components of the verified edges.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_set>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

std::uint64_t PairKey(DocIndex a, DocIndex b) {
  if (a > b) std::swap(a, b);
  return (std::uint64_t{a} << 32) | b;
}

}  // namespace

KeepRankFn KeepRanks(const KeepOptions& keep, DocIndex k, std::size_t nodes,
                     const NodeInfoFn& info) {
  // Earlier nodes rank 0; a document ranks from 1.
  switch (keep.rule) {
    case KeepRule::kEarliest:
      if (k == 0) return {};  // input order alone
      return [k](DocIndex x) -> std::uint64_t { return x < k ? 0 : 1; };
    case KeepRule::kLatest:
      return [k, nodes](DocIndex x) -> std::uint64_t { return x < k ? 0 : 1 + (nodes - x); };
    case KeepRule::kLongest:
      return [k, info](DocIndex x) -> std::uint64_t {
        constexpr std::uint64_t kMost = std::uint64_t{1} << 62;
        return x < k ? 0 : 1 + (kMost - std::min<std::uint64_t>(info(x).bytes, kMost));
      };
    case KeepRule::kPriority:
      return [k, info, &keep](DocIndex x) -> std::uint64_t {
        if (x < k) return 0;
        const DocumentInfo& doc = info(x);
        std::size_t r = 0;
        while (r < keep.priority.size() && !KeepPatternMatches(keep.priority[r], doc)) ++r;
        return 1 + r;
      };
  }
  return {};
}

Result<std::vector<Cluster>> ClusterNodes(std::size_t nodes, std::span<const SimilarityEdge> edges,
                                          const SimilarityFn& similarity, const KeepRankFn& rank,
                                          const WithinFn& within, RunStats* stats,
                                          KeptAnchor anchor) {
  std::vector<std::vector<DocIndex>> groups = ConnectedGroups(nodes, edges, rank);
  if (within) {
    ChainGuardStats guard;
    NEARDUP_RETURN_IF_ERROR(SplitChains(&groups, edges, within, &guard));
    stats->chain_splits = guard.split_clusters;
    stats->chain_parts = guard.new_clusters;
    NEARDUP_RETURN_IF_ERROR(AnchorOnKept(&groups, edges, within, anchor, &guard));
    stats->chain_anchor_pairs = guard.anchor_pairs;
    stats->chain_anchor_changed = guard.anchor_changed;
  }
  return ClustersFromGroups(std::move(groups), similarity);
}

WithinFn MinHashWithin(std::span<const SimilarityEdge> edges, DocIndex k,
                       const NearEstimateFn& estimate, const PipelineOptions& options,
                       const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                       std::size_t num_docs, RunStats* stats) {
  auto verified = std::make_shared<std::unordered_set<std::uint64_t>>();
  verified->reserve(edges.size());
  for (const SimilarityEdge& e : edges) verified->insert(PairKey(e.a, e.b));
  return [verified, k, estimate, &options, open_input, record_at, num_docs, stats](
             std::span<const CandidatePair> pairs, std::vector<bool>* within) -> Status {
    const double t = options.lsh.threshold;
    // 0 within, 1 not, 2 to decide exactly.
    std::vector<std::uint8_t> verdict(pairs.size(), 0);
    tbb::parallel_for(std::size_t{0}, pairs.size(), [&](std::size_t i) {
      const CandidatePair& p = pairs[i];
      if (verified->contains(PairKey(p.a, p.b))) return;
      const NearEstimate e = estimate(std::min(p.a, p.b), std::max(p.a, p.b));
      const double margin = options.exact_margin > 0 ? options.exact_margin * e.standard_error : 0;
      if (e.similarity > t + margin) return;
      if (e.similarity < t - margin) {
        verdict[i] = 1;
      } else {
        verdict[i] = 2;
      }
    });
    stats->chain_pairs += pairs.size();
    std::vector<CandidatePair> exact;  // document indices, a < b
    std::vector<std::size_t> exact_of;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      (*within)[i] = verdict[i] == 0;
      if (verdict[i] != 2) continue;
      const DocIndex a = std::min(pairs[i].a, pairs[i].b);
      const DocIndex b = std::max(pairs[i].a, pairs[i].b);
      if (a < k) {
        // An earlier document: its text is in the index's input, which
        // verification reads for matches only; decided on the estimate.
        (*within)[i] = estimate(a, b).similarity >= t;
        ++stats->chain_estimated;
        continue;
      }
      exact.push_back(CandidatePair{a - k, b - k});
      exact_of.push_back(i);
    }
    if (exact.empty()) return Status::OK();
    RunStats exact_stats;
    const NearEstimateFn doc_estimate = [&estimate, k](DocIndex a, DocIndex b) {
      return estimate(a + k, b + k);
    };
    Result<std::vector<SimilarityEdge>> passed =
        VerifyNear(exact, doc_estimate, options, open_input, record_at, num_docs, &exact_stats);
    if (!passed.ok()) return passed.status();
    stats->chain_exact_checks += exact_stats.exact_checks;
    std::unordered_set<std::uint64_t> in;
    for (const SimilarityEdge& e : passed.value()) in.insert(PairKey(e.a, e.b));
    for (std::size_t j = 0; j < exact.size(); ++j) {
      (*within)[exact_of[j]] = in.contains(PairKey(exact[j].a, exact[j].b));
    }
    return Status::OK();
  };
}

int SimHashGuardRadius(int radius, double margin) {
  // SimHash (Charikar 2002): each of the 64 bits of two fingerprints differs
  // with probability p = theta / pi, theta the angle between the two
  // weighted feature vectors, so their Hamming distance is Binomial(64, p):
  // mean 64 p, standard deviation sqrt(64 p (1 - p)). Verification joins
  // pairs at distance <= radius, i.e. it takes radius / 64 for the
  // threshold on p. The guard asks whether a member two verified pairs away
  // from a center is within that threshold of it; the distance estimates
  // it with the error above, and there is no exact measure to fall back on
  // (MinHash re-reads the two documents near the threshold). So, as MinHash
  // trusts an estimate only beyond exact_margin standard errors of the
  // threshold, a pair is "not within" only when its distance exceeds the
  // radius by more than `margin` standard errors at p = radius / 64: a pair
  // exactly at the threshold is refused with probability 4e-4 at radius 7
  // and margin 4 (the binomial tail P(d >= 17)), where the bare radius
  // refused it with probability 0.40 (P(d >= 8)).
  // The triangle inequality bounds a checked pair's distance by 2 * radius,
  // so this refuses no pair while margin * sd >= radius: radius <= 12 at
  // margin 4. There the guard still cuts components that hold two centers
  // taking members of their own (a chain), without any check. Measured:
  // README.md, "Chained clusters".
  const double p = radius / 64.0;
  const double sd = std::sqrt(64.0 * p * (1.0 - p));
  return static_cast<int>(std::floor(radius + margin * sd));
}

WithinFn SimHashWithin(std::span<const std::uint64_t> fingerprints, const PipelineOptions& options,
                       RunStats* stats) {
  const int radius = SimHashGuardRadius(options.simhash.radius, options.exact_margin);
  return [fingerprints, radius, stats](std::span<const CandidatePair> pairs,
                                       std::vector<bool>* within) -> Status {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      (*within)[i] = HammingDistance(fingerprints[pairs[i].a], fingerprints[pairs[i].b]) <= radius;
    }
    stats->chain_pairs += pairs.size();
    return Status::OK();
  };
}

}  // namespace neardup::internal
