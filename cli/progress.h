// Progress on stderr while a run reads its input (only when stderr is a
// terminal, unless forced), and the summary line printed at the end.
#ifndef NEARDUP_CLI_PROGRESS_H_
#define NEARDUP_CLI_PROGRESS_H_

#include <neardup/pipeline.h>

#include <chrono>

namespace neardup::cli {

class ProgressPrinter {
 public:
  // enabled: whether to draw at all (--progress, or stderr is a terminal and not --quiet).
  // On a terminal one line is redrawn in place; elsewhere each update is a new line.
  ProgressPrinter(bool enabled, bool terminal);

  // A callback for PipelineOptions::progress, or an empty function when disabled.
  ProgressFn Callback();

 private:
  void Draw(const Progress& p);

  bool enabled_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// True when stderr is a terminal.
bool StderrIsTerminal();

// "neardup: 36 documents (0.1 MB), 4 clusters, 20 duplicates, 0 empty, 0 repaired bytes; 0.02 s"
void PrintSummary(const RunStats& stats, Level level, double seconds);
// Incremental runs (`neardup index add|query`): the matches with the index.
void PrintIndexSummary(const RunStats& stats);
// Near level: the LSH S-curve of the bands and rows used (MinHash), and
// what the chain guard did (when on).
void PrintNearSummary(const RunStats& stats, const PipelineOptions& options);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_PROGRESS_H_
