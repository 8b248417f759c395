// neardup cluster INPUT... [-o FILE] [--format jsonl|text]
#include <neardup/io.h>

#include <memory>

#include "commands.h"
#include "exit_codes.h"
#include "printers.h"
#include "run_pipeline.h"

namespace neardup::cli {
namespace {

struct ClusterArgs {
  ClusteringFlags flags;
  std::string output;  // empty: stdout
  std::string format = "jsonl";
};

int RunCluster(ClusterArgs& args) {
  if (std::string error = ResolveClusteringFlags(&args.flags); !error.empty()) {
    std::fprintf(stderr, "neardup cluster: %s\n", error.c_str());
    return kExitUsage;
  }
  Result<OutputTarget> target = OutputTarget::Open(args.output, args.flags.inputs);
  if (!target.ok()) return ReportOpenOutputError(target.status());
  std::FILE* out = target.value().stream();
  std::unique_ptr<DecisionSink> sink;
  if (args.format == "text") {
    sink = std::make_unique<ClusterTextSink>(out, args.flags.explain);
  } else {
    sink = std::make_unique<ClusterJsonlSink>(out, args.flags.explain);
  }
  args.flags.spill_near = SpillDirBeside(args.output);
  if (int code = RunPipeline(args.flags, *sink); code != kExitOk) return code;
  if (Status s = target.value().Finish(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

}  // namespace

Command AddClusterCommand(CLI::App* parent) {
  auto args = std::make_shared<ClusterArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "cluster",
      "Find clusters of duplicate documents and write one JSON line per cluster of two or more "
      "documents (see docs/FORMATS.md)");
  AddClusteringFlags(cmd, &args->flags);
  cmd->add_option("-o,--output", args->output,
                  "Write clusters to FILE (atomically) instead of stdout");
  cmd->add_option("--format", args->format, "jsonl: clusters.jsonl lines; text: a readable listing")
      ->check(CLI::IsMember({"jsonl", "text"}))
      ->capture_default_str();
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunCluster(*args); }};
}

}  // namespace neardup::cli
