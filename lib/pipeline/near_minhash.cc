// The near level with MinHash: LSH candidates from the band keys, their
// verification (estimate, or exact Jaccard near the threshold), and the
// similarity clustering and reporting use.
#include <chrono>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// Near level, containment: members' similarity to their representative and
// the candidates' estimates become the containment of the smaller document
// in the larger (ContainmentEstimate).
void ContainmentMeasures(const Signatures& sigs, const PipelineOptions& options,
                         SimilarityFn* similarity, NearEstimateFn* estimate) {
  const double c = options.containment;
  *estimate = [&sigs, c](DocIndex a, DocIndex b) {
    return ContainmentEstimate(CompareBbitSketches(sigs.sketch.Row(a), sigs.sketch.Row(b)),
                               sigs.shingle_counts[a], sigs.shingle_counts[b], c);
  };
  *similarity = [estimate = *estimate](DocIndex a, DocIndex b) {
    return estimate(a, b).similarity;
  };
}

}  // namespace

Status RunNearMinHash(const NearMinHashInput& in, DecisionSink& sink, RunStats* stats,
                      NearMinHashOutput* out) {
  const Signatures& sigs = *in.sigs;
  const std::deque<DocumentInfo>& infos = *in.infos;
  const PipelineOptions& options = *in.options;
  out->similarity = [&sigs](DocIndex a, DocIndex b) {
    return CompareBbitSketches(sigs.sketch.Row(a), sigs.sketch.Row(b)).Jaccard();
  };
  const double t = options.lsh.threshold;
  NearEstimateFn estimate = [&sigs, t](DocIndex a, DocIndex b) {
    const BbitComparison c = CompareBbitSketches(sigs.sketch.Row(a), sigs.sketch.Row(b));
    return NearEstimate{c.Jaccard(), c.StandardError(t)};
  };
  if (options.containment > 0) ContainmentMeasures(sigs, options, &out->similarity, &estimate);
  std::vector<DocIndex> indexed;
  for (const DocumentInfo& info : infos) {
    if (info.words > 0 && !(*in.is_copy)[info.index]) indexed.push_back(info.index);
  }
  const BandKeysFn band_keys = [&sigs](DocIndex d) { return sigs.band_keys.Row(d); };
  if (!options.sweep.empty()) {
    out->swept = true;
    return SweepNear(infos, sigs, indexed, *out->edges, options, *in.open_input, *in.record_at,
                     stats, sink);
  }
  if (in.prior != nullptr) {
    Result<std::vector<PriorEdge>> near_prior = PriorNearEdges(
        *in.prior, stats->lsh, indexed, band_keys,
        [&sigs](DocIndex d) { return std::span<const std::uint8_t>(sigs.sketch.Row(d)); },
        in.sketch_bytes, options, *in.open_input, *in.record_at, infos.size(), stats);
    if (!near_prior.ok()) return near_prior.status();
    out->prior_edges->insert(out->prior_edges->end(), near_prior.value().begin(),
                             near_prior.value().end());
  }
  const std::vector<CandidatePair> candidates =
      LshCandidatesFromKeys(stats->lsh, indexed, band_keys);
  stats->candidate_pairs = candidates.size();
  const auto exact_start = std::chrono::steady_clock::now();
  Result<std::vector<SimilarityEdge>> verified =
      VerifyNear(candidates, estimate, options, *in.open_input, *in.record_at, infos.size(), stats,
                 options.near_evidence ? out->checked : nullptr);
  stats->exact_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - exact_start).count();
  if (!verified.ok()) return verified.status();
  out->edges->insert(out->edges->end(), verified.value().begin(), verified.value().end());
  return Status::OK();
}

}  // namespace neardup::internal
