// Runs the pipeline over the inputs of a cluster or dedup command, with
// progress and the summary line on stderr.
#ifndef NEARDUP_CLI_RUN_PIPELINE_H_
#define NEARDUP_CLI_RUN_PIPELINE_H_

#include <neardup/pipeline.h>

#include "flags.h"

namespace neardup::cli {

// Returns an exit code: kExitOk, or the code for the reader error (input) or
// sink error (output), already reported on stderr.
int RunPipeline(ClusteringFlags& flags, DecisionSink& sink);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_RUN_PIPELINE_H_
