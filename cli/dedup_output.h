// `neardup dedup` and `neardup index add` write the same output directory:
// the kept documents in their input's format and decisions.jsonl.
#ifndef NEARDUP_CLI_DEDUP_OUTPUT_H_
#define NEARDUP_CLI_DEDUP_OUTPUT_H_

#include <neardup/pipeline.h>

#include <string>

#include "flags.h"

namespace neardup::cli {

struct DedupArgs {
  ClusteringFlags flags;
  std::string out_dir;
  bool force = false;
};

// `index add`: the earlier documents, and the batch's name for decisions.
struct DedupIndex {
  PriorIndex* prior;
  std::string batch;
  std::string dir;  // the index directory, which OUTDIR must keep apart from
};

// Dedups args.flags.inputs into args.out_dir (committed whole before it
// returns kExitOk); with `index`, against its earlier documents, with
// args.flags.pipeline already resolved. Returns the exit code, the error
// already reported.
int RunDedup(DedupArgs& args, const DedupIndex* index);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DEDUP_OUTPUT_H_
