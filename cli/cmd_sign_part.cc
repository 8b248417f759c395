// neardup sign-part --part I --parts N INPUT... -o FILE: one part of the
// signing pass, for `cluster`/`dedup --signed-parts` (python3 -m neardup.dask).
#include <neardup/pipeline.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "commands.h"
#include "exit_codes.h"
#include "flags.h"

namespace neardup::cli {
namespace {

struct SignPartArgs {
  ClusteringFlags flags;
  PartSpec part;
  std::string output;
};

int RunSignPart(SignPartArgs& args) {
  if (std::string error = ResolveClusteringFlags(&args.flags); !error.empty()) {
    std::fprintf(stderr, "neardup sign-part: %s\n", error.c_str());
    return kExitUsage;
  }
  if (args.part.part >= args.part.parts) {
    std::fprintf(stderr, "neardup sign-part: --part %zu is not below --parts %zu\n", args.part.part,
                 args.part.parts);
    return kExitUsage;
  }
  const std::vector<std::string>& inputs = args.flags.inputs;
  if (std::find(inputs.begin(), inputs.end(), "-") != inputs.end()) {
    std::fprintf(stderr, "neardup sign-part: standard input cannot be read in parts\n");
    return kExitUsage;
  }
  if (Status s = CheckOutputApart(args.output, inputs); !s.ok()) {
    return ReportOpenOutputError(s);
  }
  // Access points would serve this process only: the run that loads the
  // part reads compressed documents again by passing over the file.
  ReaderOptions reader = args.flags.reader;
  reader.access_points = nullptr;
  NoteThreadCap(args.flags.pipeline.threads, args.flags.quiet);
  const Status s = SignPart([&] { return OpenReader(inputs, reader); }, args.flags.pipeline,
                            args.part, args.output);
  if (!s.ok()) return ReportInputError(s);
  return kExitOk;
}

}  // namespace

Command AddSignPartCommand(CLI::App* parent) {
  auto args = std::make_shared<SignPartArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "sign-part",
      "Sign one part of the input (documents dealt to the parts in blocks of --block in turn) and "
      "write the signatures to a part file for `cluster --signed-parts` / `dedup "
      "--signed-parts`, which give the same output as without parts (exact level and minhash "
      "only)");
  AddClusteringFlags(cmd, &args->flags);
  cmd->add_option("--part", args->part.part, "Which part to sign, from 0")
      ->check(InRange(std::size_t{0}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--parts", args->part.parts, "How many parts the input is dealt to")
      ->check(InRange(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--block", args->part.block_documents,
                  "Documents dealt to a part at a time (all parts of a run must agree)")
      ->check(InRange(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "The part file to write (atomically)")->required();
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunSignPart(*args); }};
}

}  // namespace neardup::cli
