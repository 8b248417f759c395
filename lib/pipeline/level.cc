// What every level's runner shares: the exact copies each level starts
// from, and the clustering each ends with (level.h).
#include "pipeline/level.h"

#include <algorithm>

namespace neardup::internal {

RecordAtFn RecordAtOf(const std::deque<DocumentInfo>& infos) {
  if (!std::all_of(infos.begin(), infos.end(),
                   [](const DocumentInfo& i) { return i.offset != kNoOffset; })) {
    return {};
  }
  return [&infos](DocIndex d) {
    const DocumentInfo& info = infos[d];
    return RecordAt{info.input, info.offset, info.source.line, info.id};
  };
}

Result<RunEdges> JoinExactCopies(const RunContext& run, const SignedRun& signed_run) {
  const std::deque<DocumentInfo>& infos = signed_run.docs.infos;
  const Signatures& sigs = signed_run.docs.sigs;
  RunEdges out;
  out.is_copy.assign(infos.size(), false);
  std::vector<DocIndex> with_words;
  for (const DocumentInfo& info : infos) {
    if (info.words > 0) with_words.push_back(info.index);
  }
  out.edges = JoinEqualKeys(
      with_words, [&sigs](DocIndex d) { return sigs.exact[d]; }, &out.is_copy);
  if (run.prior != nullptr) {
    std::erase_if(with_words, [&out](DocIndex d) { return out.is_copy[d]; });
    Result<std::vector<PriorMatch>> copies =
        PriorExactMatches(*run.prior, with_words, [&sigs](DocIndex d) { return sigs.exact[d]; });
    if (!copies.ok()) return copies.status();
    for (const PriorMatch& m : copies.value()) {
      out.is_copy[m.doc] = true;
      out.prior_edges.push_back(PriorEdge{m.doc, m.prior, 1.0});
    }
  }
  return out;
}

Status ClusterRun(const RunContext& run, const SignedRun& signed_run, const MinHasher* hasher,
                  const ChainGuardFn& guard, RunEdges* edges, SimilarityFn* similarity,
                  ClusteredRun* out) {
  const std::deque<DocumentInfo>& infos = signed_run.docs.infos;
  const Signatures& sigs = signed_run.docs.sigs;
  run.stats->similar_pairs = edges->edges.size();
  if (run.prior != nullptr) {
    NEARDUP_RETURN_IF_ERROR(JoinPriorNodes(
        *run.prior, hasher ? hasher->sketch_bytes() : 0, hasher != nullptr, hasher != nullptr, sigs,
        &edges->prior_edges, &edges->edges, similarity, run.stats, &out->prior));
  }
  const DocIndex k = out->k();
  const std::deque<DocumentInfo>& prior_infos = out->prior.infos;
  auto node_info = [&](DocIndex x) -> const DocumentInfo& {
    return x < k ? prior_infos[x] : infos[x - k];
  };
  Result<std::vector<Cluster>> clustered = ClusterNodes(
      k + infos.size(), edges->edges, *similarity,
      KeepRanks(run.options.keep, k, k + infos.size(), node_info),
      guard ? guard(out->prior, edges->edges) : WithinFn(), run.stats, run.options.chain_anchor);
  if (!clustered.ok()) return clustered.status();
  out->clusters = std::move(clustered).value();
  if (run.prior != nullptr) {
    NEARDUP_RETURN_IF_ERROR(RecordBatch(*run.prior, out->clusters, out->prior.reps, infos,
                                        edges->is_copy, sigs, hasher != nullptr));
    for (const Cluster& c : out->clusters) {
      for (const ClusterMember& m : c.members) {
        run.stats->merged_clusters += m.doc < k && m.doc != c.representative;
      }
    }
  }
  return Status::OK();
}

Status LevelRunner::JoinCopies(const SignedRun& signed_run) {
  Result<RunEdges> edges = JoinExactCopies(run_, signed_run);
  if (!edges.ok()) return edges.status();
  edges_ = std::move(edges).value();
  return Status::OK();
}

std::unique_ptr<LevelRunner> MakeLevelRunner(const RunContext& run) {
  switch (run.options.level) {
    case Level::kExact:
      return MakeExactRunner(run);
    case Level::kNear:
      return run.options.method == NearMethod::kSimHash ? MakeNearSimHashRunner(run)
                                                        : MakeNearMinHashRunner(run);
    case Level::kStory:
      return MakeStoryRunner(run);
  }
  return MakeExactRunner(run);
}

}  // namespace neardup::internal
