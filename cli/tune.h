// `neardup tune`'s computation, apart from its printing (cmd_tune.cc), for
// the Python module's neardup.tune.
#ifndef NEARDUP_CLI_TUNE_H_
#define NEARDUP_CLI_TUNE_H_

#include <neardup/eval.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "flags.h"

namespace neardup::cli {

struct TuneArgs {
  ClusteringFlags flags;      // parsed, not yet resolved (ComputeTune resolves them)
  std::string labels;         // id<TAB>label file
  double min_precision = -1;  // < 0: the level's default
  std::string thresholds;     // empty: the level's default grid
};

struct TunePoint {
  double threshold;
  EvalScores scores;     // the threshold's clusters against the labels
  std::size_t clusters;  // clusters found at it
};

struct TuneResult {
  std::vector<TunePoint> points;  // ascending thresholds
  double min_precision = 0;       // the precision asked of the recommendation
  std::size_t best_f1 = 0;        // index of the highest F1 (ties: the higher threshold)
  // Index of the highest F1 among points with precision >= min_precision.
  std::optional<std::size_t> precise_enough;
  std::size_t most_precise = 0;  // highest precision (then F1)
  std::size_t recommended = 0;   // precise_enough, else most_precise
};

// Runs the sweep over args.flags.inputs and scores it into *result (one
// point per threshold, never none).
// Returns the exit code; an error is already reported (exit_codes.h).
int ComputeTune(TuneArgs& args, TuneResult* result);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_TUNE_H_
