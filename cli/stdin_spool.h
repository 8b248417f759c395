// Standard input as a file. The pipeline reads its input twice (a second pass
// re-reads the documents of borderline pairs, and dedup reads each input
// again to write the kept records), and stdin can be read only once, so the
// input "-" is first copied to a temporary file and read from there.
#ifndef NEARDUP_CLI_STDIN_SPOOL_H_
#define NEARDUP_CLI_STDIN_SPOOL_H_

#include <neardup/status.h>

#include <memory>
#include <string>

#include "cleanup.h"

namespace neardup::cli {

// A temporary file holding all of stdin; removed when destroyed.
class StdinSpool {
 public:
  // Copies stdin to a new file "neardup-stdin-PID-XXXXXX" in $TMPDIR (or
  // /tmp), removed on SIGINT, SIGTERM and SIGHUP too; spools of dead runs
  // there are removed first and reported.
  static Result<std::unique_ptr<StdinSpool>> Create();
  ~StdinSpool();
  StdinSpool(const StdinSpool&) = delete;
  StdinSpool& operator=(const StdinSpool&) = delete;

  const std::string& path() const { return path_; }

 private:
  explicit StdinSpool(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::unique_ptr<RemoveOnSignal> remove_on_signal_;
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_STDIN_SPOOL_H_
