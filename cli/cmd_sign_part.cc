// neardup sign-part --part I --parts N INPUT... -o FILE: one part of the
// signing pass, for `cluster`/`dedup --signed-parts` (python3 -m neardup.dask).
#include <neardup/pipeline.h>
#include <neardup/stats.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "commands.h"
#include "exit_codes.h"
#include "flags.h"

namespace neardup::cli {
namespace {

struct SignPartArgs {
  ClusteringFlags flags;
  PartSpec part;
  std::string split = "auto";
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
  PartSpec part = args.part;
  part.split = args.split == "blocks" ? PartSplit::kBlocks : PartSplit::kRanges;
  if (args.split == "auto") {
    Result<bool> balanced = RangesBalance(inputs, part.parts);
    if (!balanced.ok()) return ReportInputError(balanced.status());
    part.split = balanced.value() ? PartSplit::kRanges : PartSplit::kBlocks;
  }
  NoteThreadCap(args.flags.pipeline.threads, args.flags.quiet);
  if (!args.flags.stats.empty()) {  // SimHash weights, the story level's rarity
    Result<DocumentFrequencies> stats = DocumentFrequencies::Load(args.flags.stats);
    if (!stats.ok()) return ReportInputError(stats.status());
    args.flags.pipeline.statistics =
        std::make_shared<const DocumentFrequencies>(std::move(stats).value());
  }
  const Status s = part.split == PartSplit::kRanges
                       ? SignPartOfFiles(inputs, reader, args.flags.pipeline, part, args.output)
                       : SignPart([&] { return OpenReader(inputs, reader); }, args.flags.pipeline,
                                  part, args.output);
  if (!s.ok()) return ReportInputError(s);
  return kExitOk;
}

}  // namespace

Command AddSignPartCommand(CLI::App* parent) {
  auto args = std::make_shared<SignPartArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "sign-part",
      "Sign one part of the input and write the signatures to a part file for `cluster "
      "--signed-parts` / `dedup --signed-parts`, which give the same output as without parts "
      "(every level and method; the story level with --no-background needs --stats). Parts are "
      "byte ranges of the inputs (--split ranges) or "
      "blocks of documents dealt in turn (--split blocks)");
  AddClusteringFlags(cmd, &args->flags);
  cmd->add_option("--part", args->part.part, "Which part to sign, from 0")
      ->check(InRange(std::size_t{0}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--parts", args->part.parts, "How many parts the input is dealt to")
      ->check(InRange(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--split", args->split,
                  "How the input is cut: ranges (the inputs end to end cut into equal spans of "
                  "bytes, plain JSONL files at line starts, plain and one-member-per-record gzip "
                  "WARC/WET files at record starts, other files whole: a part reads only its "
                  "own), blocks (--block documents to each part in turn: every part reads "
                  "the whole input), or auto (ranges unless a file read whole would hold more "
                  "than a part's share, or an input is a directory). All parts of a run must "
                  "agree")
      ->check(CLI::IsMember({"auto", "ranges", "blocks"}))
      ->capture_default_str();
  cmd->add_option("--block", args->part.block_documents,
                  "With --split blocks: documents dealt to a part at a time (all parts of a run "
                  "must agree)")
      ->check(InRange(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  cmd->add_flag("--count-words", args->part.word_counts,
                "Write the part's word document frequencies (a --stats file) instead of its "
                "signatures: the first pass of the story level with --no-background, whose "
                "parts' tables added up (python3 -m neardup.dask does it) are the input's and "
                "are given to every part as --stats");
  cmd->add_option("-o,--output", args->output, "The part file to write (atomically)")->required();
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunSignPart(*args); }};
}

}  // namespace neardup::cli
