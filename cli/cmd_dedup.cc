// neardup dedup INPUT... -o OUTDIR
#include <neardup/io.h>

#include <filesystem>
#include <memory>
#include <set>

#include "commands.h"
#include "exit_codes.h"
#include "printers.h"
#include "run_pipeline.h"

namespace neardup::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDecisionsFile = "decisions.jsonl";

struct DedupArgs {
  ClusteringFlags flags;
  std::string out_dir;
  bool force = false;
};

bool IsInside(const fs::path& path, const fs::path& dir) {
  const auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

// Refuses output layouts that would overwrite or re-read something by accident.
std::string CheckOutputDir(const DedupArgs& args) {
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(args.out_dir, ec);
  std::set<std::string> names{kDecisionsFile};
  for (const std::string& input : args.flags.inputs) {
    const std::string name = OutputName(input);
    if (!names.insert(name).second) {
      return "two inputs (or an input and " + std::string(kDecisionsFile) + ") would both be " +
             "written to " + (fs::path(args.out_dir) / name).string() + "; rename one";
    }
    if (IsInside(out, fs::weakly_canonical(input, ec))) {
      return "output directory " + args.out_dir + " is inside input " + input;
    }
  }
  if (fs::exists(out) && !fs::is_empty(out, ec) && !args.force) {
    return "output directory " + args.out_dir +
           " is not empty (use --force to replace its outputs)";
  }
  return "";
}

int RunDedup(DedupArgs& args) {
  if (std::string error = ResolveClusteringFlags(&args.flags); !error.empty()) {
    std::fprintf(stderr, "neardup dedup: %s\n", error.c_str());
    return kExitUsage;
  }
  if (std::string error = CheckOutputDir(args); !error.empty()) {
    std::fprintf(stderr, "neardup dedup: %s\n", error.c_str());
    return kExitUsage;
  }
  std::error_code ec;
  fs::create_directories(args.out_dir, ec);
  if (ec) return ReportOutputError(Status::IOError(args.out_dir + ": " + ec.message()));
  if (args.force) {
    for (const std::string& input : args.flags.inputs) {
      fs::remove_all(fs::path(args.out_dir) / OutputName(input), ec);
    }
  }
  Result<std::unique_ptr<AtomicFile>> decisions =
      AtomicFile::Create((fs::path(args.out_dir) / kDecisionsFile).string());
  if (!decisions.ok()) return ReportOutputError(decisions.status());
  DecisionJsonlSink sink(decisions.value()->stream(), args.flags.inputs.size());
  if (int code = RunPipeline(args.flags, sink); code != kExitOk) return code;
  // Kept documents first: decisions.jsonl appears last, so a complete-looking
  // output directory is a complete one.
  for (std::size_t i = 0; i < args.flags.inputs.size(); ++i) {
    const std::vector<bool>& flags = sink.kept()[i];
    const std::unique_ptr<bool[]> kept(new bool[flags.size()]);
    std::copy(flags.begin(), flags.end(), kept.get());
    Status s = WriteKept(args.flags.inputs[i], std::span<const bool>(kept.get(), flags.size()),
                         args.out_dir, args.flags.reader);
    if (!s.ok()) return ReportOutputError(s);
  }
  if (Status s = decisions.value()->Commit(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

}  // namespace

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
                "Replace this run's outputs in a non-empty output directory");
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunDedup(*args); }};
}

}  // namespace neardup::cli
