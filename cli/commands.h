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

// The command line as given (argv), for the dedup manifest.
const std::vector<std::string>& CommandLine();

Command AddClusterCommand(CLI::App* parent);
Command AddDedupCommand(CLI::App* parent);
Command AddEvalCommand(CLI::App* parent);
Command AddStatsCommand(CLI::App* parent);  // `stats build`

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_COMMANDS_H_
