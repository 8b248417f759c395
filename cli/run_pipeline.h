// Runs the pipeline over the inputs of a cluster or dedup command, with
// progress and the summary line on stderr.
#ifndef NEARDUP_CLI_RUN_PIPELINE_H_
#define NEARDUP_CLI_RUN_PIPELINE_H_

#include <neardup/pipeline.h>

#include "flags.h"

namespace neardup::cli {

// Returns an exit code: kExitOk, or the code for the reader error (input) or
// sink error (output), already reported on stderr.
// Runs the pipeline over flags.inputs into `sink` (spooling stdin first when
// an input is "-"), prints progress and the summary; *stats gets the run's
// figures when run_stats is not null. Returns the exit code.
// With `prior`, earlier documents (an index) take part (Pipeline::Run).
int RunPipeline(ClusteringFlags& flags, DecisionSink& sink, RunStats* run_stats = nullptr,
                PriorIndex* prior = nullptr);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_RUN_PIPELINE_H_
