// Removal of temporary files and staging directories when neardup is
// interrupted. SIGINT, SIGTERM and SIGHUP are blocked in every thread and
// taken by one thread of their own (sigwait), which removes every registered
// path and then ends the process by the same signal (exit status 128+signal
// in a shell). What SIGKILL leaves is removed by the next run instead
// (neardup::RemoveLeftovers): every such name carries its writer's pid.
#ifndef NEARDUP_CLI_CLEANUP_H_
#define NEARDUP_CLI_CLEANUP_H_

#include <string>
#include <vector>

namespace neardup::cli {

// Call first in main(), before any other thread starts, so that every
// thread inherits the blocked signals.
void InstallSignalCleanup();

// While alive, `path` (a file or a directory tree) is removed if a signal
// ends the process. An empty path registers nothing.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(std::string path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  std::string path_;
};

// Prints "neardup: removed X, left by an interrupted run" for each path.
void ReportLeftovers(const std::vector<std::string>& removed);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_CLEANUP_H_
