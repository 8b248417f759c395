// neardup stats build INPUT... -o FILE [--min-count N]
// neardup stats merge FILE... -o FILE
#include <neardup/pipeline.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>

#include "commands.h"
#include "exit_codes.h"
#include "flags.h"
#include "printers.h"
#include "progress.h"

namespace neardup::cli {
namespace {

struct StatsBuildArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::uint32_t min_count = 1;
  int threads = 0;
  ReaderOptions reader;
  bool quiet = false;
  bool progress = false;
};

int RunStatsBuild(const StatsBuildArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  Result<OutputTarget> target = OutputTarget::Open(args.output, args.inputs);
  if (!target.ok()) return ReportOpenOutputError(target.status());
  NoteThreadCap(args.threads, args.quiet);
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(args.inputs, args.reader);
  if (!reader.ok()) return ReportInputError(reader.status());
  const bool terminal = StderrIsTerminal();
  ProgressPrinter progress(args.progress || (terminal && !args.quiet), terminal);
  PipelineOptions options;
  options.threads = args.threads;
  options.progress = progress.Callback();
  Result<DocumentFrequencies> df = CountDocumentFrequencies(*reader.value(), options);
  if (!df.ok()) return ReportInputError(df.status());
  df.value().Prune(args.min_count);
  if (Status s = Output(target.value().stream()).Write(df.value().Serialize()); !s.ok()) {
    return ReportOutputError(s);
  }
  if (Status s = target.value().Finish(); !s.ok()) return ReportOutputError(s);
  if (!args.quiet) {
    std::fprintf(stderr,
                 "neardup: %llu documents, %zu distinct words (min count %u) -> %s; %.2f s\n",
                 static_cast<unsigned long long>(df.value().documents()), df.value().size(),
                 args.min_count, args.output.c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return kExitOk;
}

struct StatsMergeArgs {
  std::vector<std::string> inputs;
  std::string output;
};

int RunStatsMerge(const StatsMergeArgs& args) {
  Result<OutputTarget> target = OutputTarget::Open(args.output, args.inputs);
  if (!target.ok()) return ReportOpenOutputError(target.status());
  DocumentFrequencies total;
  for (const std::string& path : args.inputs) {
    Result<DocumentFrequencies> table = DocumentFrequencies::Load(path);
    if (!table.ok()) return ReportInputError(table.status());
    total.Merge(table.value());
  }
  if (Status s = Output(target.value().stream()).Write(total.Serialize()); !s.ok()) {
    return ReportOutputError(s);
  }
  if (Status s = target.value().Finish(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

}  // namespace

Command AddStatsCommand(CLI::App* parent) {
  auto args = std::make_shared<StatsBuildArgs>();
  CLI::App* stats = parent->add_subcommand("stats", "Document-frequency statistics");
  stats->require_subcommand(1);
  CLI::App* build = stats->add_subcommand(
      "build",
      "Count in how many documents each normalized word occurs and save the table (binary, "
      "format in lib/include/neardup/stats.h) for weighting words by rarity");
  build->add_option("INPUT", args->inputs, "Inputs, as for `neardup cluster`")->required();
  build->add_option("-o,--output", args->output, "Statistics file to write (atomically)")
      ->required();
  build
      ->add_option("--min-count", args->min_count,
                   "Leave out words found in fewer documents (they weigh as unseen words do)")
      ->check(InRange(std::uint32_t{1}, std::numeric_limits<std::uint32_t>::max()))
      ->capture_default_str();
  build->add_option("-j,--threads", args->threads, kThreadsHelp)
      ->check(InRange(0, kMaxThreads))
      ->capture_default_str();
  AddJsonlFieldFlags(build, &args->reader);
  build->add_flag("-q,--quiet", args->quiet, "No progress and no summary on stderr");
  build->add_flag("--progress", args->progress,
                  "Show progress on stderr even when it is not a terminal");
  build->footer(kExitCodeHelp);
  auto merge_args = std::make_shared<StatsMergeArgs>();
  CLI::App* merge = stats->add_subcommand(
      "merge",
      "Add statistics files up into one: the counts of the documents of them all (what "
      "`stats build` gives on their inputs together, before --min-count)");
  merge
      ->add_option("FILE", merge_args->inputs,
                   "Statistics files (stats build, sign-part "
                   "--count-words)")
      ->required()
      ->check(CLI::ExistingFile);
  merge->add_option("-o,--output", merge_args->output, "Statistics file to write (atomically)")
      ->required();
  merge->footer(kExitCodeHelp);
  return Command{stats, [args, merge_args, build] {
                   return build->parsed() ? RunStatsBuild(*args) : RunStatsMerge(*merge_args);
                 }};
}

}  // namespace neardup::cli
