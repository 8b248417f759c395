// neardup: find and remove duplicate and near-duplicate text.
#include <csignal>
#include <cstdio>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "printers.h"

namespace neardup::cli {

Command AddDiffCommand(CLI::App* parent);  // cmd_diff.cc

int ReportInputError(const Status& status) {
  std::fprintf(stderr, "neardup: %s\n", status.ToString().c_str());
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
}

int ReportOutputError(const Status& status) {
  if (StdoutPipeClosed()) return kExitOk;  // the reader of our stdout went away: not an error
  std::fprintf(stderr, "neardup: %s\n", status.ToString().c_str());
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitOutputError;
}

}  // namespace neardup::cli

int main(int argc, char** argv) {
  using namespace neardup::cli;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes EPIPE, handled as success
  CLI::App app{"neardup: find duplicate and near-duplicate documents at crawl scale"};
  app.require_subcommand(1);
  app.footer(kExitCodeHelp);
  const std::vector<Command> commands = {AddClusterCommand(&app), AddDedupCommand(&app),
                                         AddEvalCommand(&app), AddStatsCommand(&app),
                                         AddDiffCommand(&app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}
