// Threshold sweeps (PipelineOptions::sweep, `neardup tune`): the clusters at
// several thresholds from one run. Scoring is the costly part (signing,
// estimates, exact checks); clustering the scored pairs again is cheap.
//
// At the near level a threshold T decides more than which pairs pass: it
// chooses the LSH bands (OptimalLshParams at T), hence which pairs are
// candidates at all. To give exactly the clusters `neardup cluster -t T`
// gives, the signing pass keys the bands of every threshold of the sweep
// (8 bytes per band per document: about 2 KB per document for ten
// thresholds), each threshold takes the candidates of its own bands, and
// a pair is decided at T as VerifyNear decides it: on its estimate beyond
// exact_margin standard errors of T, else on its exact Jaccard. Every pair
// is estimated once and checked exactly at most once, whatever the number
// of thresholds it is near. (VerifyNear skips near-threshold pairs whose
// documents sure pairs already join; they change no cluster, so taking
// them here changes nothing either.)
#include <tbb/parallel_for.h>

#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

std::vector<LshParams> SweepLshParams(const PipelineOptions& options, int num_perm) {
  std::vector<LshParams> params;
  for (const double t : options.sweep) {
    LshOptions lsh = options.lsh;
    lsh.threshold = t;
    params.push_back(OptimalLshParams(lsh, num_perm));
  }
  return params;
}

std::size_t BandKeyWidth(const PipelineOptions& options, const LshParams& lsh, int num_perm) {
  if (options.sweep.empty()) return static_cast<std::size_t>(lsh.bands);
  std::size_t width = 0;
  for (const LshParams& p : SweepLshParams(options, num_perm)) {
    width += static_cast<std::size_t>(p.bands);
  }
  return width;
}

namespace {

// Each threshold's candidates, from its slice of the band keys, into
// *candidates; returns their union, sorted and distinct.
std::vector<CandidatePair> SweepCandidates(std::span<const LshParams> params,
                                           const Signatures& sigs,
                                           std::span<const DocIndex> indexed,
                                           std::vector<std::vector<CandidatePair>>* candidates) {
  candidates->assign(params.size(), {});
  std::vector<CandidatePair> all;
  std::size_t offset = 0;
  for (std::size_t t = 0; t < params.size(); ++t) {
    const BandKeysFn keys = [&sigs, offset](DocIndex d) {
      return std::span<const std::uint64_t>(sigs.band_keys.Row(d)).subspan(offset);
    };
    (*candidates)[t] = LshCandidatesFromKeys(params[t], indexed, keys);
    all.insert(all.end(), (*candidates)[t].begin(), (*candidates)[t].end());
    offset += static_cast<std::size_t>(params[t].bands);
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

// One threshold's clusters of `edges`, handed to sink.OnSweep.
Status ReportNearSweep(const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> edges,
                       const SimilarityFn& similarity, double threshold, DecisionSink& sink) {
  const std::vector<Cluster> clusters = BuildClusters(infos.size(), edges, similarity);
  std::vector<ClusterReport> reports;
  for (const Cluster& c : clusters) {
    ClusterReport report{c.id, Level::kNear, &infos[c.representative], {}};
    for (const ClusterMember& m : c.members) {
      report.members.push_back({&infos[m.doc], m.similarity, std::nullopt, {}, {}});
    }
    reports.push_back(std::move(report));
  }
  return sink.OnSweep(threshold, reports);
}

}  // namespace

Status SweepNear(const std::deque<DocumentInfo>& infos, const Signatures& sigs,
                 std::span<const DocIndex> indexed, std::span<const SimilarityEdge> copies,
                 const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                 const RecordAtFn& record_at, RunStats* stats, DecisionSink& sink) {
  const std::vector<LshParams> params = SweepLshParams(options, options.minhash.num_perm);
  std::vector<std::vector<CandidatePair>> candidates;
  const std::vector<CandidatePair> all = SweepCandidates(params, sigs, indexed, &candidates);
  stats->candidate_pairs = all.size();
  auto index_of = [&all](const CandidatePair& p) {
    return static_cast<std::size_t>(std::lower_bound(all.begin(), all.end(), p) - all.begin());
  };

  // Estimated once each.
  std::vector<BbitComparison> compared(all.size());
  tbb::parallel_for(std::size_t{0}, all.size(), [&](std::size_t i) {
    compared[i] = CompareBbitSketches(sigs.sketch.Row(all[i].a), sigs.sketch.Row(all[i].b));
  });
  // How VerifyNear decides pair i at threshold t: -1 dropped, 1 kept, 0 exact.
  auto decide = [&](std::size_t i, double t) {
    const double estimate = compared[i].Jaccard();
    const double margin =
        options.exact_margin > 0 ? options.exact_margin * compared[i].StandardError(t) : 0;
    if (!(estimate >= t - margin)) return -1;
    return estimate > t + margin ? 1 : 0;
  };
  std::vector<SimilarityEdge> exact(all.size());
  std::vector<bool> needed(all.size(), false);
  for (std::size_t t = 0; t < params.size(); ++t) {
    for (const CandidatePair& p : candidates[t]) {
      const std::size_t i = index_of(p);
      if (decide(i, options.sweep[t]) == 0) needed[i] = true;
    }
  }
  std::vector<std::size_t> which;
  for (std::size_t i = 0; i < all.size(); ++i) {
    exact[i] = SimilarityEdge{all[i].a, all[i].b, 0.0};
    if (needed[i]) which.push_back(i);
  }
  stats->exact_checks = which.size();
  NEARDUP_RETURN_IF_ERROR(ExactSimilarities(exact, std::move(which), options, open_input, record_at,
                                            infos.size(), stats));

  const SimilarityFn similarity = [&sigs](DocIndex a, DocIndex b) {
    return CompareBbitSketches(sigs.sketch.Row(a), sigs.sketch.Row(b)).Jaccard();
  };
  for (std::size_t t = 0; t < params.size(); ++t) {
    const double threshold = options.sweep[t];
    std::vector<SimilarityEdge> edges(copies.begin(), copies.end());
    for (const CandidatePair& p : candidates[t]) {
      const std::size_t i = index_of(p);
      const int d = decide(i, threshold);
      if (d == 1 || (d == 0 && exact[i].similarity >= threshold)) {
        edges.push_back(SimilarityEdge{p.a, p.b, compared[i].Jaccard()});
      }
    }
    NEARDUP_RETURN_IF_ERROR(ReportNearSweep(infos, edges, similarity, threshold, sink));
  }
  return Status::OK();
}

}  // namespace neardup::internal
