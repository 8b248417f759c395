// One runner per level (internal). Pipeline::RunInArena reads and signs the
// input as the level's runner asks, hands it the signed documents to decide,
// and reports what it decided. Each runner owns its level's steps:
//   exact_level.cc   Level::kExact: exact copies only
//   near_minhash.cc  Level::kNear with MinHash: LSH candidates, verification
//                    (VerifyNear), the chain guard, containment, --explain
//   near_simhash.cc  Level::kNear with SimHash: fingerprints within a
//                    Hamming radius, the chain guard
//   story_level.cc   Level::kStory: rarity, salient-word candidates, scores,
//                    average linkage, explanations
// Every level starts from the exact copies (JoinExactCopies) and ends with
// the clustering of its edges (ClusterRun); both are here, in level.cc.
#ifndef NEARDUP_PIPELINE_LEVEL_H_
#define NEARDUP_PIPELINE_LEVEL_H_

#include <memory>
#include <span>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

// What a run gives its level's runner; all of it outlives the runner.
struct RunContext {
  const PipelineOptions& options;
  const Pipeline::InputFactory& open_input;
  PriorIndex* prior;  // earlier documents (exact level, MinHash); null without an index
  RunStats* stats;
};

// What the signing pass needs from the level: BatchSigner's `hasher`,
// `rarity`, `story_words` and `count_story_words`, and the widths of the
// rows SignedDocuments keeps (MinHash: band keys and sketch bytes).
struct SigningSetup {
  const MinHasher* hasher = nullptr;
  const TermRarity* rarity = nullptr;
  WordDictionaries* story_words = nullptr;
  bool count_in_pass = false;
  std::size_t band_key_width = 0;
  std::size_t sketch_bytes = 0;
};

// The signing pass's result, which the runner decides on.
struct SignedRun {
  explicit SignedRun(const SigningSetup& setup) : docs(setup.band_key_width, setup.sketch_bytes) {}
  SignedDocuments docs;
  std::unique_ptr<DocumentReader> reader;  // null when the signatures come from parts
  std::vector<SkippedRecord> part_skipped;
  // A later read (the exact check, explanations) reads its documents alone
  // when this is set: every document has an offset.
  RecordAtFn record_at;
  std::span<const SkippedRecord> skipped() const {
    return reader ? std::span<const SkippedRecord>(reader->skipped())
                  : std::span<const SkippedRecord>(part_skipped);
  }
};

// RecordAtFn reading document d of `infos` alone, or an empty function when
// some document has no offset.
RecordAtFn RecordAtOf(const std::deque<DocumentInfo>& infos);

// The edges of a run, from the exact copies on.
struct RunEdges {
  std::vector<bool> is_copy;           // exact copy of an earlier document (of the run or not)
  std::vector<SimilarityEdge> edges;   // exact copies first, then the level's pairs
  std::vector<PriorEdge> prior_edges;  // with an index: earlier documents joined
};
// Exact copies: later documents with the first one's normalized text
// (documents with words only), and with an index, the documents whose text
// an earlier document has (kept out of the LSH bands like copies within
// the run).
Result<RunEdges> JoinExactCopies(const RunContext& run, const SignedRun& signed_run);

// The clusters a level decided, with the earlier clusters they joined.
struct ClusteredRun {
  std::vector<Cluster> clusters;  // in id order
  PriorNodes prior;               // without an index: none (k = 0)
  DocIndex k() const { return static_cast<DocIndex>(prior.reps.size()); }
  // Sets report->clusters, k and prior_infos, which then refer to this.
  void Report(ReportInput* report) const {
    report->clusters = clusters;
    report->k = k();
    report->prior_infos = &prior.infos;
  }
};
// The chain guard's test over the clustering nodes, given the earlier
// representatives (nodes 0..k-1) and the edges between nodes; empty for none.
using ChainGuardFn =
    std::function<WithinFn(const PriorNodes& prior, std::span<const SimilarityEdge> edges)>;
// Every level's last step: counts RunStats::similar_pairs; with an index
// joins earlier documents (JoinPriorNodes, sketches read with `hasher`:
// MinHash only); clusters the nodes in keep order (ClusterNodes), split by
// the chain guard when `guard` gives one; with an index records the run
// into it (PriorIndex::Record) and counts RunStats::merged_clusters.
// *similarity may then refer to *out, which must stay in place.
Status ClusterRun(const RunContext& run, const SignedRun& signed_run, const MinHasher* hasher,
                  const ChainGuardFn& guard, RunEdges* edges, SimilarityFn* similarity,
                  ClusteredRun* out);

// One level's part of a run (see the top of this file).
class LevelRunner {
 public:
  virtual ~LevelRunner() = default;
  // Before the signing pass: what it signs with (the story level counts the
  // input's words here when it must, in a pass of its own).
  virtual Result<SigningSetup> BeforeSigning() = 0;
  // Candidates, verification and clustering: fills report->clusters, k and
  // prior_infos (which refer to the runner). Returns false when the run is
  // over: a threshold sweep was reported to `sink` instead.
  // The story level consumes signed_run.docs.drafts.
  virtual Result<bool> Decide(SignedRun& signed_run, DecisionSink& sink, ReportInput* report) = 0;
  // The level's details of each member for the report (ReportInput::members,
  // near_evidence), after Decide.
  virtual void DescribeMembers(const SignedRun& /*signed_run*/, ReportInput* /*report*/) {}

 protected:
  explicit LevelRunner(const RunContext& run) : run_(run) {}
  // Every level's first step: the exact copies (JoinExactCopies) into edges_.
  Status JoinCopies(const SignedRun& signed_run);
  // Every level's last step: ClusterRun over edges_ and similarity_ into
  // clustered_, with `hasher` and `guard` as ClusterRun takes them.
  Status Cluster(const SignedRun& signed_run, const MinHasher* hasher, const ChainGuardFn& guard) {
    return ClusterRun(run_, signed_run, hasher, guard, &edges_, &similarity_, &clustered_);
  }

  RunContext run_;
  RunEdges edges_;
  SimilarityFn similarity_;  // may refer to the runner's own state
  ClusteredRun clustered_;
};

// The runner of run.options.level (and method).
std::unique_ptr<LevelRunner> MakeExactRunner(const RunContext& run);
std::unique_ptr<LevelRunner> MakeNearMinHashRunner(const RunContext& run);
std::unique_ptr<LevelRunner> MakeNearSimHashRunner(const RunContext& run);
std::unique_ptr<LevelRunner> MakeStoryRunner(const RunContext& run);
std::unique_ptr<LevelRunner> MakeLevelRunner(const RunContext& run);

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_LEVEL_H_
