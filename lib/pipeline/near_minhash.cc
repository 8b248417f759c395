// The near level with MinHash: LSH candidates from the band keys, their
// verification (estimate, or exact Jaccard near the threshold), and the
// similarity clustering and reporting use.
#include <chrono>

#include "pipeline/level.h"

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

namespace neardup::internal {
namespace {

// The chain guard's test (PipelineOptions::chain_guard) over the nodes of
// a run: earlier representatives compared on their sketches, or none with
// containment, whose pairs are not within a Jaccard threshold.
ChainGuardFn MinHashChainGuard(const RunContext& run, const SignedRun& signed_run) {
  const PipelineOptions& options = run.options;
  if (!options.chain_guard || options.containment > 0) return {};
  return [&run, &signed_run](const PriorNodes& prior, std::span<const SimilarityEdge> edges) {
    const Signatures& sigs = signed_run.docs.sigs;
    const auto k = static_cast<DocIndex>(prior.reps.size());
    const double t = run.options.lsh.threshold;
    const NearEstimateFn estimate = [&prior, &sigs, k, t](DocIndex a, DocIndex b) {
      auto row = [&](DocIndex x) {
        return x < k ? std::span<const std::uint8_t>(prior.sketches[x])
                     : std::span<const std::uint8_t>(sigs.sketch.Row(x - k));
      };
      const BbitComparison c = CompareBbitSketches(row(a), row(b));
      return NearEstimate{c.Jaccard(), c.StandardError(t)};
    };
    return MinHashWithin(edges, k, estimate, run.options, run.open_input, signed_run.record_at,
                         sigs.exact.size(), run.stats);
  };
}

class NearMinHashRunner : public LevelRunner {
 public:
  explicit NearMinHashRunner(const RunContext& run)
      : LevelRunner(run), hasher_(run.options.minhash) {
    run.stats->lsh = NearLshParams(run.options);
  }

  Result<SigningSetup> BeforeSigning() override {
    SigningSetup setup;
    setup.hasher = &hasher_;
    setup.band_key_width =
        BandKeyWidth(run_.options, run_.stats->lsh, run_.options.minhash.num_perm);
    setup.sketch_bytes = hasher_.sketch_bytes();
    return setup;
  }

  Result<bool> Decide(SignedRun& signed_run, DecisionSink& sink, ReportInput* report) override {
    const PipelineOptions& options = run_.options;
    const Signatures& sigs = signed_run.docs.sigs;
    NEARDUP_RETURN_IF_ERROR(JoinCopies(signed_run));
    NearMinHashOutput out{{}, &edges_.edges, &edges_.prior_edges, &checked_};
    NEARDUP_RETURN_IF_ERROR(
        RunNearMinHash({&signed_run.docs.infos, &sigs, &edges_.is_copy, hasher_.sketch_bytes(),
                        &options, &run_.open_input, &signed_run.record_at, run_.prior},
                       sink, run_.stats, &out));
    if (out.swept) return false;
    similarity_ = std::move(out.similarity);
    NEARDUP_RETURN_IF_ERROR(Cluster(signed_run, &hasher_, MinHashChainGuard(run_, signed_run)));
    // Containment keeps the containing document unless --keep says otherwise
    // (no index of earlier documents with containment: k = 0).
    if (options.containment > 0 && options.keep.rule == KeepRule::kEarliest) {
      clustered_.clusters = ContainingRepresentatives(
          std::move(clustered_.clusters), [&sigs](DocIndex d) { return sigs.shingle_counts[d]; },
          similarity_);
    }
    clustered_.Report(report);
    return true;
  }

  void DescribeMembers(const SignedRun& signed_run, ReportInput* report) override {
    if (!run_.options.near_evidence) return;
    report->near_evidence = [this, &sigs = signed_run.docs.sigs](DocIndex member, DocIndex rep) {
      return ExplainNearMember(member, rep, sigs, run_.options, checked_);
    };
  }

 private:
  MinHasher hasher_;
  std::vector<SimilarityEdge> checked_;  // near_evidence: pairs decided exactly
};

}  // namespace

std::unique_ptr<LevelRunner> MakeNearMinHashRunner(const RunContext& run) {
  return std::make_unique<NearMinHashRunner>(run);
}

}  // namespace neardup::internal
