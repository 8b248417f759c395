// Documented exit codes of the neardup tool (also in --help and README).
#ifndef NEARDUP_CLI_EXIT_CODES_H_
#define NEARDUP_CLI_EXIT_CODES_H_

#include <neardup/status.h>

#include <string>

namespace neardup::cli {

enum ExitCode : int {
  kExitOk = 0,           // success (also when stdout is closed early, e.g. piped to head)
  kExitUsage = 1,        // invalid command line
  kExitBadInput = 2,     // an input is missing, unreadable or malformed (message names file:line)
  kExitOutputError = 3,  // an output could not be written
  kExitInternal = 4,     // a bug in neardup; please report it
  kExitBusy = 5,         // `index add`: another add holds the index's lock; retry when it ends
};

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 success; 1 invalid command line; 2 missing, unreadable or malformed input;\n"
    "3 output could not be written; 4 internal error;\n"
    "128+N ended by signal N (SIGINT, SIGTERM, SIGHUP), temporary files removed.";

// Prints "neardup: <status>" to stderr and returns the exit code for an input-side failure.
int ReportInputError(const Status& status);
// Same, for an output-side failure (a closed pipe counts as success).
int ReportOutputError(const Status& status);
// For a failure to open an output: an output the command line may not name
// (kInvalidArgument: it is an input, or lies inside one) is a usage error;
// anything else as ReportOutputError.
int ReportOpenOutputError(const Status& status);
// Prints "<command>: <message>" to stderr and returns kExitUsage.
int ReportUsageError(const char* command, const std::string& message);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_EXIT_CODES_H_
