#include "run_pipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "exit_codes.h"
#include "printers.h"
#include "progress.h"

namespace neardup::cli {
namespace {

// Marks errors raised by the sink so they map to the output exit code.
class SinkErrorTracker final : public DecisionSink {
 public:
  explicit SinkErrorTracker(DecisionSink& inner) : inner_(inner) {}
  Status OnCluster(const ClusterReport& c) override { return Track(inner_.OnCluster(c)); }
  Status OnDecision(const Decision& d) override { return Track(inner_.OnDecision(d)); }
  Status OnClusters(std::span<const ClusterReport> c) override {
    return Track(inner_.OnClusters(c));
  }
  Status OnDecisions(std::span<const Decision> d) override { return Track(inner_.OnDecisions(d)); }
  Status OnSkipped(const SkippedRecord& r) override { return Track(inner_.OnSkipped(r)); }
  Status OnSweep(double threshold, std::span<const ClusterReport> clusters) override {
    return Track(inner_.OnSweep(threshold, clusters));
  }
  Status OnEarlierMerged(const DocumentInfo& earlier, const DocumentInfo& now,
                         double similarity) override {
    return Track(inner_.OnEarlierMerged(earlier, now, similarity));
  }
  bool failed() const { return failed_; }

 private:
  Status Track(Status s) {
    failed_ |= !s.ok();
    return s;
  }
  DecisionSink& inner_;
  bool failed_ = false;
};

}  // namespace

int RunPipeline(ClusteringFlags& flags, DecisionSink& sink, RunStats* run_stats,
                PriorIndex* prior) {
  const auto start = std::chrono::steady_clock::now();
  NoteThreadCap(flags.pipeline.threads, flags.quiet);
  flags.reader.decode_ahead = flags.pipeline.threads != 1;  // -j1: one thread in all
  if (!flags.no_spill) {
    std::string dir = !flags.spill_dir.empty() ? flags.spill_dir : flags.spill_near;
    if (dir.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    }
    flags.reader.spill_dir = dir;
  }
  if (!flags.stats.empty()) {
    Result<DocumentFrequencies> stats = DocumentFrequencies::Load(flags.stats);
    if (!stats.ok()) return ReportInputError(stats.status());
    flags.pipeline.statistics =
        std::make_shared<const DocumentFrequencies>(std::move(stats).value());
  }
  if (!flags.keep_file.empty()) {
    Result<std::vector<KeepPattern>> rules = LoadKeepRules(flags.keep_file);
    if (!rules.ok()) return ReportInputError(rules.status());
    flags.pipeline.keep.priority = std::move(rules).value();
  }
  if (std::find(flags.inputs.begin(), flags.inputs.end(), "-") != flags.inputs.end() &&
      flags.stdin_spool == nullptr) {
    Result<std::unique_ptr<StdinSpool>> spool = StdinSpool::Create();
    if (!spool.ok()) return ReportInputError(spool.status());
    flags.stdin_spool = std::move(spool).value();
    flags.reader.stdin_path = flags.stdin_spool->path();
  }
  const bool terminal = StderrIsTerminal();
  ProgressPrinter progress(flags.progress || (terminal && !flags.quiet), terminal);
  flags.pipeline.progress = progress.Callback();
  Pipeline pipeline(flags.pipeline);
  SinkErrorTracker tracker(sink);
  Status s =
      pipeline.Run([&flags] { return OpenReader(flags.inputs, flags.reader); }, tracker, prior);
  if (!s.ok()) return tracker.failed() ? ReportOutputError(s) : ReportInputError(s);
  if (run_stats != nullptr) *run_stats = pipeline.stats();
  if (const RunStats& rs = pipeline.stats(); rs.repeated_ids > 0) {
    // Printed under --quiet too: ids that name several documents make the
    // output ambiguous wherever it gives an id alone.
    std::fprintf(stderr,
                 "neardup: warning: %llu documents have an id an earlier document already has, "
                 "first \"%s\" (%s, again at %s); decisions tell them apart by "
                 "duplicate_of_source\n",
                 static_cast<unsigned long long>(rs.repeated_ids),
                 EscapeForTerminal(rs.repeated_id).c_str(),
                 EscapeForTerminal(rs.repeated_id_first.ToString()).c_str(),
                 EscapeForTerminal(rs.repeated_id_again.ToString()).c_str());
  }
  if (!flags.quiet) {
    PrintSummary(pipeline.stats(), flags.pipeline.level,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    // Every input record is accounted for: kept + duplicates + skipped = read.
    const RunStats& rs = pipeline.stats();
    std::fprintf(stderr, "neardup: %llu records read: %llu kept, %llu duplicates, %llu skipped\n",
                 static_cast<unsigned long long>(rs.documents + rs.skipped),
                 static_cast<unsigned long long>(rs.documents - rs.duplicates),
                 static_cast<unsigned long long>(rs.duplicates),
                 static_cast<unsigned long long>(rs.skipped));
    PrintNearSummary(rs, flags.pipeline);
    if (prior != nullptr) PrintIndexSummary(rs);
  }
  return kExitOk;
}

}  // namespace neardup::cli
