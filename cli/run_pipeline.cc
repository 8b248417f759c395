#include "run_pipeline.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "exit_codes.h"
#include "progress.h"

namespace neardup::cli {
namespace {

// Marks errors raised by the sink so they map to the output exit code.
class SinkErrorTracker final : public DecisionSink {
 public:
  explicit SinkErrorTracker(DecisionSink& inner) : inner_(inner) {}
  Status OnCluster(const ClusterReport& c) override { return Track(inner_.OnCluster(c)); }
  Status OnDecision(const Decision& d) override { return Track(inner_.OnDecision(d)); }
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

int RunPipeline(ClusteringFlags& flags, DecisionSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  if (!flags.stats.empty()) {
    Result<DocumentFrequencies> stats = DocumentFrequencies::Load(flags.stats);
    if (!stats.ok()) return ReportInputError(stats.status());
    flags.pipeline.statistics =
        std::make_shared<const DocumentFrequencies>(std::move(stats).value());
  }
  const bool terminal = StderrIsTerminal();
  ProgressPrinter progress(flags.progress || (terminal && !flags.quiet), terminal);
  flags.pipeline.progress = progress.Callback();
  Pipeline pipeline(flags.pipeline);
  SinkErrorTracker tracker(sink);
  Status s = pipeline.Run([&flags] { return OpenReader(flags.inputs, flags.reader); }, tracker);
  if (!s.ok()) return tracker.failed() ? ReportOutputError(s) : ReportInputError(s);
  if (!flags.quiet) {
    PrintSummary(pipeline.stats(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return kExitOk;
}

}  // namespace neardup::cli
