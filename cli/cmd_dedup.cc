// neardup dedup INPUT... -o OUTDIR
#include <neardup/io.h>

#include <filesystem>
#include <memory>
#include <set>

#include "cleanup.h"
#include "commands.h"
#include "dedup_output.h"
#include "embed.h"
#include "exit_codes.h"
#include "printers.h"
#include "run_pipeline.h"

namespace neardup::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDecisionsFile = "decisions.jsonl";
constexpr const char* kMergedFile = "merged.jsonl";  // index add only

// Refuses output layouts that would overwrite or re-read something by
// accident: kUsage with a message, or "" when the layout is safe.
std::string CheckOutputDir(const DedupArgs& args, const DedupIndex* index) {
  if (args.out_dir.empty()) return "-o: the output directory name is empty";
  std::set<std::string> names{kDecisionsFile, kManifestName};
  if (index != nullptr) names.insert(kMergedFile);
  for (const std::string& input : args.flags.inputs) {
    const std::string name = OutputName(input);
    if (!names.insert(name).second) {
      return "two inputs (or an input and " + std::string(kDecisionsFile) + ", " + kMergedFile +
             " or " + kManifestName + ") would both be written to " +
             (fs::path(args.out_dir) / name).string() + "; rename one";
    }
  }
  std::vector<std::string> apart = args.flags.inputs;
  if (index != nullptr) apart.push_back(index->dir);
  if (Status s = CheckOutputApart(args.out_dir, apart); !s.ok()) return s.message();
  // The rest (OUTDIR a file, or holding files neardup did not write) is
  // refused by OutputDirectory::Begin; this check only adds the hint.
  std::error_code ec;
  if (fs::is_directory(args.out_dir, ec) && !fs::is_empty(args.out_dir, ec) && !args.force) {
    return "output directory " + args.out_dir +
           " is not empty (use --force to replace an earlier output of neardup)";
  }
  return "";
}

// Sends every event to `first`, then to `second` (ExtraDecisionSink).
class TeeSink final : public DecisionSink {
 public:
  TeeSink(DecisionSink& first, DecisionSink* second) : first_(first), second_(second) {}
  Status OnCluster(const ClusterReport& c) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnCluster(c));
    return second_->OnCluster(c);
  }
  Status OnDecision(const Decision& d) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnDecision(d));
    return second_->OnDecision(d);
  }
  Status OnClusters(std::span<const ClusterReport> c) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnClusters(c));
    return second_->OnClusters(c);
  }
  Status OnDecisions(std::span<const Decision> d) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnDecisions(d));
    return second_->OnDecisions(d);
  }
  Status OnSkipped(const SkippedRecord& r) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnSkipped(r));
    return second_->OnSkipped(r);
  }
  Status OnSweep(double threshold, std::span<const ClusterReport> clusters) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnSweep(threshold, clusters));
    return second_->OnSweep(threshold, clusters);
  }
  Status OnEarlierMerged(const DocumentInfo& earlier, const DocumentInfo& now,
                         double similarity) override {
    NEARDUP_RETURN_IF_ERROR(first_.OnEarlierMerged(earlier, now, similarity));
    return second_->OnEarlierMerged(earlier, now, similarity);
  }

 private:
  DecisionSink& first_;
  DecisionSink* second_;
};

// The manifest, written last: a directory holding it is a complete output.
std::string Manifest(const DedupArgs& args, const RunStats& stats, bool merged) {
  std::string out = kManifestMarker;
  out += "1, \"version\": ";
  AppendJsonString(NEARDUP_VERSION, &out);
  out += ", \"command\": [";
  for (std::size_t i = 0; i < CommandLine().size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(CommandLine()[i], &out);
  }
  out += "], \"inputs\": [";
  std::string outputs = "[";
  AppendJsonString(kDecisionsFile, &outputs);
  if (merged) {
    outputs += ", ";
    AppendJsonString(kMergedFile, &outputs);
  }
  for (std::size_t i = 0; i < args.flags.inputs.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(args.flags.inputs[i], &out);
    outputs += ", ";
    AppendJsonString(OutputName(args.flags.inputs[i]), &outputs);
  }
  out += "], \"outputs\": " + outputs + "]";
  out += ", \"records\": " + std::to_string(stats.documents + stats.skipped);
  out += ", \"kept\": " + std::to_string(stats.documents - stats.duplicates);
  out += ", \"duplicates\": " + std::to_string(stats.duplicates);
  out += ", \"skipped\": " + std::to_string(stats.skipped) + "}\n";
  return out;
}

}  // namespace

// Everything is written into a staging directory beside OUTDIR and swapped
// in at the end (OutputDirectory): a run that fails or is killed leaves the
// previous output whole.
int RunDedup(DedupArgs& args, const DedupIndex* index) {
  const char* command = index != nullptr ? "neardup index add" : "neardup dedup";
  if (index == nullptr) {
    if (std::string error = ResolveClusteringFlags(&args.flags); !error.empty()) {
      return ReportUsageError(command, error);
    }
  }
  if (std::string error = CheckOutputDir(args, index); !error.empty()) {
    return ReportUsageError(command, error);
  }
  Result<std::unique_ptr<OutputDirectory>> out = OutputDirectory::Begin(args.out_dir, args.force);
  if (!out.ok()) {
    if (out.status().code() != StatusCode::kInvalidArgument) return ReportOutputError(out.status());
    return ReportUsageError(command, out.status().message());
  }
  ReportLeftovers(out.value()->removed_leftovers());
  const RemoveOnSignal remove_staging(out.value()->staging());
  const std::string staging = out.value()->staging();
  Result<std::unique_ptr<AtomicFile>> decisions =
      AtomicFile::Create((fs::path(staging) / kDecisionsFile).string(), /*durable=*/false);
  if (!decisions.ok()) return ReportOutputError(decisions.status());
  std::unique_ptr<AtomicFile> merged;
  if (index != nullptr) {
    Result<std::unique_ptr<AtomicFile>> file =
        AtomicFile::Create((fs::path(staging) / kMergedFile).string(), /*durable=*/false);
    if (!file.ok()) return ReportOutputError(file.status());
    merged = std::move(file).value();
  }
  DecisionJsonlSink sink =
      index != nullptr ? DecisionJsonlSink(decisions.value()->stream(), args.flags.inputs.size(),
                                           index->batch, merged->stream())
                       : DecisionJsonlSink(decisions.value()->stream(), args.flags.inputs.size());
  RunStats stats;
  args.flags.spill_near = staging;  // inside the output being built
  DecisionSink* extra = ExtraDecisionSinkOfThisThread();
  TeeSink tee(sink, extra);
  const int code =
      RunPipeline(args.flags, extra != nullptr ? static_cast<DecisionSink&>(tee) : sink, &stats,
                  index != nullptr ? index->prior : nullptr);
  if (code != kExitOk) return code;
  for (std::size_t i = 0; i < args.flags.inputs.size(); ++i) {
    const std::vector<bool>& flags = sink.kept()[i];
    const std::unique_ptr<bool[]> kept(new bool[flags.size()]);
    std::copy(flags.begin(), flags.end(), kept.get());
    Status s = WriteKept(args.flags.inputs[i], std::span<const bool>(kept.get(), flags.size()),
                         staging, args.flags.reader);
    if (!s.ok()) return ReportOutputError(s);
  }
  if (Status s = decisions.value()->Commit(); !s.ok()) return ReportOutputError(s);
  if (merged != nullptr) {
    if (Status s = merged->Commit(); !s.ok()) return ReportOutputError(s);
  }
  Result<std::unique_ptr<AtomicFile>> manifest =
      AtomicFile::Create((fs::path(staging) / kManifestName).string(), /*durable=*/false);
  if (!manifest.ok()) return ReportOutputError(manifest.status());
  if (Status s = manifest.value()->Write(Manifest(args, stats, index != nullptr)); !s.ok()) {
    return ReportOutputError(s);
  }
  if (Status s = manifest.value()->Commit(); !s.ok()) return ReportOutputError(s);
  if (Status s = out.value()->Commit(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

Command AddDedupCommand(CLI::App* parent) {
  auto args = std::make_shared<DedupArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "dedup",
      "Remove duplicates: write the kept documents in each input's own format to OUTDIR "
      "(X.jsonl[.gz|.zst] -> OUTDIR/X.jsonl[.gz|.zst] with kept lines unchanged, same "
      "compression; X.warc[.gz] -> OUTDIR/X.warc[.gz] with kept records byte-identical; a "
      "directory -> a mirror tree of kept files; - (stdin) -> OUTDIR/stdin) and "
      "OUTDIR/decisions.jsonl with one decision per input record, skipped ones included");
  AddClusteringFlags(cmd, &args->flags);
  cmd->add_option("-o,--output", args->out_dir, "Output directory")->required();
  cmd->add_flag("-f,--force", args->force,
                "Replace OUTDIR when it holds an earlier output of neardup (its manifest.json "
                "or decisions.jsonl); the old output is removed only once the new one is "
                "complete. A directory holding other files is never replaced");
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunDedup(*args, nullptr); }};
}

}  // namespace neardup::cli
