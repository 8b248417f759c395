// Run(): read and sign in batches (parallel inside a batch) as the level's
// runner asks (level.h), let the runner decide the clusters, and report them
// in a fixed order.
#include "neardup/pipeline.h"

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <memory>

#include "pipeline/level.h"

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
  const internal::RunContext run{options_, open_input, prior, &stats_};
  const std::unique_ptr<internal::LevelRunner> level = internal::MakeLevelRunner(run);
  Result<internal::SigningSetup> setup = level->BeforeSigning();
  if (!setup.ok()) return setup.status();

  // Pass 1: read, normalize, sign (or load what SignPart signed).
  auto start = Clock::now();
  internal::SignedRun signed_run(setup.value());
  const internal::SigningSetup& s = setup.value();
  NEARDUP_RETURN_IF_ERROR(internal::ReadAndSign(
      options_, open_input, s.hasher, s.rarity, s.story_words, s.count_in_pass, &signed_run.docs,
      &signed_run.reader, &signed_run.part_skipped, &stats_));
  signed_run.record_at = internal::RecordAtOf(signed_run.docs.infos);
  stats_.read_sign_seconds = SecondsSince(start);

  // The level decides: candidates, verification, clustering.
  start = Clock::now();
  internal::ReportInput report;
  Result<bool> decided = level->Decide(signed_run, sink, &report);
  if (!decided.ok()) return decided.status();
  if (!decided.value()) return Status::OK();  // a threshold sweep, reported by the level
  stats_.clusters = report.clusters.size();
  stats_.cluster_seconds = SecondsSince(start);

  // Report: clusters in id order, then one decision per document in input order.
  level->DescribeMembers(signed_run, &report);
  report.level = options_.level;
  report.infos = &signed_run.docs.infos;
  report.skipped = signed_run.skipped();
  NEARDUP_RETURN_IF_ERROR(internal::ReportRun(report, sink, &stats_));
  if (options_.progress) {
    const DocumentReader* reader = signed_run.reader.get();
    options_.progress(Progress{signed_run.docs.infos.size(),
                               reader ? reader->bytes_read() : stats_.bytes,
                               reader ? reader->bytes_total() : stats_.bytes, true});
  }
  return Status::OK();
}

}  // namespace neardup
