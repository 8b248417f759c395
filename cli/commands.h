// The subcommands. Each Add*Command registers its flags on `parent` and
// returns the function that runs it once the command line is parsed.
#ifndef NEARDUP_CLI_COMMANDS_H_
#define NEARDUP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace neardup::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the process exit code
};

// The command line as given (argv) to the Main call running on this thread,
// for the dedup manifest; empty outside Main. Thread-safe: each thread sees
// its own call's.
const std::vector<std::string>& CommandLine();

Command AddClusterCommand(CLI::App* parent);
Command AddDedupCommand(CLI::App* parent);
Command AddEvalCommand(CLI::App* parent);
Command AddStatsCommand(CLI::App* parent);  // `stats build`
Command AddIndexCommand(CLI::App* parent);  // `index init|add|query|stats|verify`
Command AddSignPartCommand(CLI::App* parent);
Command AddTuneCommand(CLI::App* parent);  // cmd_tune.cc

// Sets glibc malloc's top pad and mmap threshold for the process (app.cc
// says why) unless the environment sets the allocator up.
void TuneAllocator();

// The whole command line: parses argv, runs the subcommand, returns the exit
// code. main() sets up the process (signals, allocator) first; the Python
// module (python/) calls it as it is.
int Main(int argc, char** argv);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMMANDS_H_
