// Run(): read and sign in batches (parallel inside a batch), then group exact
// copies, index, verify, cluster, and report in a fixed order.
#include "neardup/pipeline.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <deque>

#include "pipeline/pipeline_internal.h"

namespace neardup {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The options of containment and threshold sweeps (Validate).
Status ValidateContainmentAndSweep(const PipelineOptions& o) {
  const bool minhash = o.level == Level::kNear && o.method == NearMethod::kMinHash;
  if (!(o.containment >= 0 && o.containment <= 1)) {
    return Status::InvalidArgument("containment must be in [0, 1]");
  }
  if (o.containment > 0) {
    if (!minhash) {
      return Status::InvalidArgument("containment works at the near level with MinHash only");
    }
    if (!o.signed_parts.empty()) {
      return Status::InvalidArgument("containment does not work with signed parts");
    }
    if (!(o.containment_ratio >= 1)) {
      return Status::InvalidArgument("containment size ratio must be >= 1");
    }
  }
  if (o.near_evidence && o.level == Level::kNear && !minhash) {
    return Status::InvalidArgument("near-level explanations work with MinHash only");
  }
  if (!o.sweep.empty()) {
    if (!minhash && o.level != Level::kStory) {
      return Status::InvalidArgument(
          "threshold sweeps work at the near level with MinHash and at the story level");
    }
    if (o.containment > 0 || !o.signed_parts.empty()) {
      return Status::InvalidArgument("threshold sweeps work without containment or signed parts");
    }
    for (const double t : o.sweep) {
      if (!(t > 0 && t <= 1)) return Status::InvalidArgument("sweep thresholds must be in (0, 1]");
    }
  }
  return Status::OK();
}

// Hands the run's documents to the index: their keys, sketches and the
// representative each is a duplicate of (prior_reps: node -> earlier
// representative), and the earlier clusters the run joined.
Status RecordBatch(PriorIndex& prior, const std::vector<Cluster>& clusters,
                   const std::vector<PriorDoc>& prior_reps, const std::deque<DocumentInfo>& infos,
                   const std::vector<bool>& is_copy, const internal::Signatures& sigs, bool near) {
  const auto k = static_cast<DocIndex>(prior_reps.size());
  const PriorDoc base = prior.documents();
  std::vector<PriorDoc> representative(infos.size());
  for (std::size_t d = 0; d < infos.size(); ++d) representative[d] = base + d;
  IndexedBatch batch;
  for (const Cluster& c : clusters) {
    const PriorDoc rep =
        c.representative < k ? prior_reps[c.representative] : base + (c.representative - k);
    for (const ClusterMember& m : c.members) {
      if (m.doc >= k) {
        representative[m.doc - k] = rep;
      } else if (m.doc != c.representative) {
        batch.merges.emplace_back(prior_reps[m.doc], rep);
      }
    }
  }
  std::sort(batch.merges.begin(), batch.merges.end());
  batch.documents = infos.size();
  batch.info = [&](DocIndex d) -> const DocumentInfo& { return infos[d]; };
  batch.indexed = [&](DocIndex d) { return infos[d].words > 0 && !is_copy[d]; };
  batch.exact = [&](DocIndex d) { return sigs.exact[d]; };
  batch.band_keys = [&](DocIndex d) {
    return near ? sigs.band_keys.Row(d) : std::span<const std::uint64_t>();
  };
  batch.sketch = [&](DocIndex d) {
    return near ? sigs.sketch.Row(d) : std::span<const std::uint8_t>();
  };
  batch.representative = [&](DocIndex d) { return representative[d]; };
  return prior.Record(batch);
}

// Story level with a sweep: the clusters at each threshold, from the exact
// copies' edges and that threshold's average-linkage merges.
Status ReportSweep(const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> copies,
                   const std::vector<std::vector<SimilarityEdge>>& merges,
                   const SimilarityFn& similarity, const PipelineOptions& options,
                   DecisionSink& sink) {
  for (std::size_t t = 0; t < options.sweep.size(); ++t) {
    std::vector<SimilarityEdge> edges(copies.begin(), copies.end());
    edges.insert(edges.end(), merges[t].begin(), merges[t].end());
    const std::vector<Cluster> clusters = BuildClusters(infos.size(), edges, similarity);
    std::vector<ClusterReport> reports;
    for (const Cluster& c : clusters) {
      ClusterReport report{c.id, options.level, &infos[c.representative], {}};
      for (const ClusterMember& m : c.members) {
        report.members.push_back({&infos[m.doc], m.similarity, std::nullopt, {}, {}});
      }
      reports.push_back(std::move(report));
    }
    NEARDUP_RETURN_IF_ERROR(sink.OnSweep(options.sweep[t], reports));
  }
  return Status::OK();
}

// The chain guard's test for this run (PipelineOptions::chain_guard), or an
// empty function when there is none: not with containment, whose pairs are
// not within a Jaccard threshold.
WithinFn ChainGuard(const PipelineOptions& options, bool near, bool simhash, DocIndex k,
                    const std::vector<std::vector<std::uint8_t>>& rep_sketches,
                    const internal::Signatures& sigs, std::span<const SimilarityEdge> edges,
                    const Pipeline::InputFactory& open_input, const internal::RecordAtFn& record_at,
                    RunStats* stats) {
  if (!options.chain_guard || !near || options.containment > 0) return {};
  if (simhash) return internal::SimHashWithin(sigs.simhash, options, stats);
  const double t = options.lsh.threshold;
  const internal::NearEstimateFn estimate = [&rep_sketches, &sigs, k, t](DocIndex a, DocIndex b) {
    auto row = [&](DocIndex x) {
      return x < k ? std::span<const std::uint8_t>(rep_sketches[x])
                   : std::span<const std::uint8_t>(sigs.sketch.Row(x - k));
    };
    const BbitComparison c = CompareBbitSketches(row(a), row(b));
    return internal::NearEstimate{c.Jaccard(), c.StandardError(t)};
  };
  return internal::MinHashWithin(edges, k, estimate, options, open_input, record_at,
                                 sigs.exact.size(), stats);
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kExact:
      return "exact";
    case Level::kNear:
      return "near";
    case Level::kStory:
      return "story";
  }
  return "?";
}

const char* NearMethodName(NearMethod method) {
  return method == NearMethod::kSimHash ? "simhash" : "minhash";
}

std::optional<NearMethod> ParseNearMethod(std::string_view name) {
  if (name == "minhash") return NearMethod::kMinHash;
  if (name == "simhash") return NearMethod::kSimHash;
  return std::nullopt;
}

std::optional<Level> ParseLevel(std::string_view name) {
  if (name == "exact") return Level::kExact;
  if (name == "near") return Level::kNear;
  if (name == "story") return Level::kStory;
  return std::nullopt;
}

Pipeline::Pipeline(PipelineOptions options) : options_(std::move(options)) {}

Status Pipeline::Validate() const {
  const double t = options_.lsh.threshold;
  if (!(t > 0.0 && t <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1], got " + std::to_string(t));
  }
  if (options_.shingle.size < 1) return Status::InvalidArgument("shingle size must be >= 1");
  if (options_.minhash.num_perm < 1) return Status::InvalidArgument("num_perm must be >= 1");
  const LshOptions& lsh = options_.lsh;
  if ((lsh.bands > 0) != (lsh.rows > 0) || lsh.bands < 0 || lsh.rows < 0) {
    return Status::InvalidArgument("bands and rows must be given together, both >= 1");
  }
  if (lsh.bands * lsh.rows > options_.minhash.num_perm) {
    return Status::InvalidArgument("bands * rows must not exceed num_perm");
  }
  const int bins = options_.minhash.sketch_bins;
  if (bins < 16 || bins > kMaxSketchBins || bins % 16 != 0) {
    return Status::InvalidArgument("sketch bins must be a multiple of 16 in [16, " +
                                   std::to_string(kMaxSketchBins) + "]");
  }
  if (!(options_.exact_margin >= 0)) return Status::InvalidArgument("exact margin must be >= 0");
  if (options_.max_document_bytes == 0 || options_.max_document_bytes >= (std::size_t{1} << 32)) {
    return Status::InvalidArgument("max document bytes must be in [1, 4 GiB)");
  }
  if (options_.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  const StoryLevelOptions& story = options_.story;
  if (!(story.threshold > 0.0 && story.threshold <= 1.0)) {
    return Status::InvalidArgument("story threshold must be in (0, 1], got " +
                                   std::to_string(story.threshold));
  }
  if (story.compare.salient_terms < 1 || story.compare.min_shared_salient < 1 ||
      story.compare.min_shared_salient > story.compare.salient_terms) {
    return Status::InvalidArgument("story: need 1 <= shared salient words <= salient words");
  }
  if (!(story.input_weight_documents > 0)) {
    return Status::InvalidArgument("story: input weight must be > 0");
  }
  if (options_.simhash.radius < 0 || options_.simhash.radius > 32) {
    return Status::InvalidArgument("Hamming radius must be in [0, 32]");
  }
  if (options_.simhash.shingle_size < 1) {
    return Status::InvalidArgument("SimHash shingle size must be >= 1");
  }
  if (!options_.signed_parts.empty() &&
      (options_.level == Level::kStory ||
       (options_.level == Level::kNear && options_.method == NearMethod::kSimHash))) {
    return Status::InvalidArgument(
        "signed parts hold the exact level's or MinHash signatures only");
  }
  if (options_.chain_anchor != KeptAnchor::kCenter &&
      (!options_.chain_guard || options_.level != Level::kNear || options_.containment > 0)) {
    return Status::InvalidArgument(
        "a chain anchor works with the chain guard: near level, without containment");
  }
  return ValidateContainmentAndSweep(options_);
}

int EffectiveThreads(int requested) {
  const int cores = tbb::info::default_concurrency();
  return requested > 0 && requested < cores ? requested : cores;
}

Status Pipeline::Run(const InputFactory& open_input, DecisionSink& sink, PriorIndex* prior) {
  NEARDUP_RETURN_IF_ERROR(Validate());
  if (prior != nullptr &&
      (options_.level == Level::kStory ||
       (options_.level == Level::kNear && options_.method != NearMethod::kMinHash))) {
    return Status::InvalidArgument(
        "an index of earlier documents works at the exact level and the near level with MinHash");
  }
  if (prior != nullptr &&
      (options_.containment > 0 || !options_.sweep.empty() || options_.near_evidence)) {
    return Status::InvalidArgument(
        "an index of earlier documents works without containment, threshold sweeps and near-level "
        "explanations");
  }
  stats_ = RunStats{};
  const int concurrency = EffectiveThreads(options_.threads);
  tbb::task_arena arena(concurrency);
  Status status;
  arena.execute([&] { status = RunInArena(open_input, sink, prior); });
  return status;
}

Status Pipeline::RunInArena(const InputFactory& open_input, DecisionSink& sink, PriorIndex* prior) {
  const bool near = options_.level == Level::kNear;
  const bool simhash = near && options_.method == NearMethod::kSimHash;
  const bool story = options_.level == Level::kStory;
  std::optional<TermRarity> rarity;
  bool count_in_pass = false;              // story level: count the input's words while signing
  internal::WordDictionaries story_words;  // story level: names the drafts' words
  if (story) {
    Result<TermRarity> r = internal::StoryRarity(options_, open_input, &stats_, &count_in_pass);
    if (!r.ok()) return r.status();
    rarity = std::move(r).value();
  }
  std::optional<MinHasher> hasher;
  if (near && !simhash) {
    hasher.emplace(options_.minhash);
    stats_.lsh = internal::NearLshParams(options_);
  }

  // Pass 1: read, normalize, sign (or load what SignPart signed).
  auto start = Clock::now();
  internal::SignedDocuments signed_docs(
      hasher ? internal::BandKeyWidth(options_, stats_.lsh, options_.minhash.num_perm) : 0,
      hasher ? hasher->sketch_bytes() : 0);
  std::deque<DocumentInfo>& infos = signed_docs.infos;
  internal::Signatures& sigs = signed_docs.sigs;
  std::unique_ptr<DocumentReader> reader;  // null when the signatures come from parts
  std::vector<SkippedRecord> part_skipped;
  NEARDUP_RETURN_IF_ERROR(internal::ReadAndSign(
      options_, open_input, hasher ? &*hasher : nullptr, rarity ? &*rarity : nullptr, &story_words,
      count_in_pass, &signed_docs, &reader, &part_skipped, &stats_));
  std::vector<internal::CompactDraft>& drafts = signed_docs.drafts;
  if (count_in_pass) {
    rarity = internal::BlendedRarity(options_, story_words.Counts());
  }
  stats_.read_sign_seconds = SecondsSince(start);
  start = Clock::now();

  // A second read (the exact check, the story level's salient words) reads
  // its documents alone when every document can be.
  internal::RecordAtFn record_at;
  if (std::all_of(infos.begin(), infos.end(),
                  [](const DocumentInfo& i) { return i.offset != kNoOffset; })) {
    record_at = [&infos](DocIndex d) {
      const DocumentInfo& info = infos[d];
      return internal::RecordAt{info.input, info.offset, info.source.line, info.id};
    };
  }

  // Exact copies, then (near level) LSH candidates and their verification.
  std::vector<bool> is_copy(infos.size(), false);
  std::vector<DocIndex> with_words;
  for (const DocumentInfo& info : infos) {
    if (info.words > 0) with_words.push_back(info.index);
  }
  // Exact copies: later documents with the first one's normalized text.
  std::vector<SimilarityEdge> edges = internal::JoinEqualKeys(
      with_words, [&sigs](DocIndex d) { return sigs.exact[d]; }, &is_copy);
  // Incremental runs: earlier documents joined to documents of this run.
  std::vector<internal::PriorEdge> prior_edges;
  if (prior != nullptr) {
    std::erase_if(with_words, [&is_copy](DocIndex d) { return is_copy[d]; });
    Result<std::vector<PriorMatch>> copies = internal::PriorExactMatches(
        *prior, with_words, [&sigs](DocIndex d) { return sigs.exact[d]; });
    if (!copies.ok()) return copies.status();
    for (const PriorMatch& m : copies.value()) {
      is_copy[m.doc] = true;  // like a copy within the run: kept out of the LSH bands
      prior_edges.push_back(internal::PriorEdge{m.doc, m.prior, 1.0});
    }
  }
  SimilarityFn similarity = [](DocIndex, DocIndex) { return 1.0; };
  std::vector<SimilarityEdge> checked;  // near_evidence: pairs decided exactly
  internal::StoryRun story_run;         // story level
  if (story) {
    Result<SimilarityFn> story_similarity =
        internal::RunStoryLevel(drafts, story_words, infos, is_copy, *rarity, options_, open_input,
                                record_at, &stats_, &edges, &story_run);
    if (!story_similarity.ok()) return story_similarity.status();
    similarity = std::move(story_similarity).value();
    if (!options_.sweep.empty()) {
      return ReportSweep(infos, edges, story_run.sweep_merges, similarity, options_, sink);
    }
  } else if (simhash) {
    similarity = internal::RunNearSimHash(infos, sigs, is_copy, options_, &stats_, &edges);
  } else if (near) {
    internal::NearMinHashOutput out{{}, &edges, &prior_edges, &checked};
    NEARDUP_RETURN_IF_ERROR(
        internal::RunNearMinHash({&infos, &sigs, &is_copy, hasher->sketch_bytes(), &options_,
                                  &open_input, &record_at, prior},
                                 sink, &stats_, &out));
    if (out.swept) return Status::OK();
    similarity = std::move(out.similarity);
  }
  stats_.similar_pairs = edges.size();
  internal::PriorNodes prior_nodes;  // without an index: none, k = 0
  if (prior != nullptr) {
    NEARDUP_RETURN_IF_ERROR(internal::JoinPriorNodes(*prior, hasher ? hasher->sketch_bytes() : 0,
                                                     hasher.has_value(), near, sigs, &prior_edges,
                                                     &edges, &similarity, &stats_, &prior_nodes));
  }
  const auto k = static_cast<DocIndex>(prior_nodes.reps.size());
  const std::vector<PriorDoc>& prior_reps = prior_nodes.reps;
  const std::deque<DocumentInfo>& prior_infos = prior_nodes.infos;
  const std::vector<std::vector<std::uint8_t>>& rep_sketches = prior_nodes.sketches;
  auto node_info = [&](DocIndex x) -> const DocumentInfo& {
    return x < k ? prior_infos[x] : infos[x - k];
  };
  Result<std::vector<Cluster>> clustered =
      internal::ClusterNodes(k + infos.size(), edges, similarity,
                             internal::KeepRanks(options_.keep, k, k + infos.size(), node_info),
                             ChainGuard(options_, near, simhash, k, rep_sketches, sigs, edges,
                                        open_input, record_at, &stats_),
                             &stats_, options_.chain_anchor);
  if (!clustered.ok()) return clustered.status();
  std::vector<Cluster> clusters = std::move(clustered).value();
  // Containment keeps the containing document unless --keep says otherwise
  // (no index of earlier documents with containment: k = 0).
  if (near && options_.containment > 0 && options_.keep.rule == KeepRule::kEarliest) {
    clusters = internal::ContainingRepresentatives(
        std::move(clusters), [&sigs](DocIndex d) { return sigs.shingle_counts[d]; }, similarity);
  }
  if (prior != nullptr) {
    NEARDUP_RETURN_IF_ERROR(
        RecordBatch(*prior, clusters, prior_reps, infos, is_copy, sigs, hasher.has_value()));
    for (const Cluster& c : clusters) {
      for (const ClusterMember& m : c.members) {
        stats_.merged_clusters += m.doc < k && m.doc != c.representative;
      }
    }
  }
  if (story && options_.story.shared_terms) {
    NEARDUP_RETURN_IF_ERROR(internal::ExplainStoryClusters(clusters, story_run.original_of, *rarity,
                                                           options_, open_input, record_at, &stats_,
                                                           &story_run.texts));
  }
  stats_.clusters = clusters.size();
  stats_.cluster_seconds = SecondsSince(start);

  // Report: clusters in id order, then one decision per document in input order.
  std::vector<std::vector<ClusterReport::Member>> story_members;
  if (story) {
    story_members = internal::StoryMemberReports(clusters, infos, is_copy, story_run.link_of,
                                                 story_run.texts, story_run.original_of, options_);
  }
  internal::ReportInput report;
  report.clusters = clusters;
  report.level = options_.level;
  report.k = k;
  report.infos = &infos;
  report.prior_infos = &prior_infos;
  report.skipped = reader ? std::span<const SkippedRecord>(reader->skipped())
                          : std::span<const SkippedRecord>(part_skipped);
  if (story) report.members = &story_members;
  if (options_.near_evidence && near && !simhash) {
    report.near_evidence = [&](DocIndex member, DocIndex rep) {
      return internal::ExplainNearMember(member, rep, sigs, options_, checked);
    };
  }
  NEARDUP_RETURN_IF_ERROR(internal::ReportRun(report, sink, &stats_));
  if (options_.progress) {
    options_.progress(Progress{infos.size(), reader ? reader->bytes_read() : stats_.bytes,
                               reader ? reader->bytes_total() : stats_.bytes, true});
  }
  return Status::OK();
}

}  // namespace neardup
