// The command line: subcommands, parsing and dispatch (Main), shared by the
// neardup program (main.cc) and the Python module (python/).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cleanup.h"
#include "commands.h"
#include "embed.h"
#include "exit_codes.h"
#include "printers.h"

namespace neardup::cli {

Command AddDiffCommand(CLI::App* parent);  // cmd_diff.cc

namespace {
// The command line of the Main call running on this thread: per call, not
// per process, since Python may run two commands at once on two threads
// (tests/python/test_dedup.py, two dedups at once).
thread_local const std::vector<std::string>* t_command_line = nullptr;

// Points this thread's command line at `args` while alive; restores the
// previous one (none, outside Main) after.
class CommandLineScope {
 public:
  explicit CommandLineScope(const std::vector<std::string>* args) : saved_(t_command_line) {
    t_command_line = args;
  }
  ~CommandLineScope() { t_command_line = saved_; }
  CommandLineScope(const CommandLineScope&) = delete;
  CommandLineScope& operator=(const CommandLineScope&) = delete;

 private:
  const std::vector<std::string>* saved_;
};

}  // namespace

const std::vector<std::string>& CommandLine() {
  static const std::vector<std::string> kNone;
  return t_command_line != nullptr ? *t_command_line : kNone;
}

int ReportInputError(const Status& status) {
  RecordLastError(status.ToString());
  std::fprintf(stderr, "neardup: %s\n", status.ToString().c_str());
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
}

int ReportOutputError(const Status& status) {
  if (StdoutPipeClosed()) return kExitOk;  // the reader of our stdout went away: not an error
  RecordLastError(status.ToString());
  std::fprintf(stderr, "neardup: %s\n", status.ToString().c_str());
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitOutputError;
}

int ReportOpenOutputError(const Status& status) {
  if (status.code() != StatusCode::kInvalidArgument) return ReportOutputError(status);
  RecordLastError(status.message());
  std::fprintf(stderr, "neardup: %s\n", status.message().c_str());
  return kExitUsage;
}

int ReportUsageError(const char* command, const std::string& message) {
  RecordLastError(message);
  std::fprintf(stderr, "%s: %s\n", command, message.c_str());
  return kExitUsage;
}

// glibc's malloc hands the free top of a heap back to the system as soon as
// it passes 128 KiB, and gives blocks above an adaptive threshold their own
// mapping: memory a run frees between its stages (the story level's drafts,
// the index's sort buffers) would be mapped, faulted in and zeroed again for
// the next one. 64 MiB of slack at the top of each heap, and blocks up to
// 32 MiB from the heaps, cut the story level's page faults by a sixth (and
// its time by about 7% at 100k documents) for a few MB more of peak memory.
// Settings given in the environment (MALLOC_*_, GLIBC_TUNABLES) win.
void TuneAllocator() {
#if defined(__GLIBC__)
  for (const char* name :
       {"MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"}) {
    if (std::getenv(name) != nullptr) return;
  }
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

// The first argument when it is not an option and names no subcommand
// (CLI11 would only say "A subcommand is required"), else "".
std::string UnknownSubcommand(int argc, char** argv, CLI::App& app) {
  if (argc < 2 || argv[1][0] == '-') return "";
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->check_name(argv[1])) return "";
  }
  return argv[1];
}

int Main(int argc, char** argv) {
  const std::vector<std::string> command_line(argv, argv + argc);
  const CommandLineScope scope(&command_line);
  CLI::App app{"neardup: find duplicate and near-duplicate documents at crawl scale"};
  app.require_subcommand(1);
  app.footer(kExitCodeHelp);
  app.set_version_flag("--version", std::string("neardup ") + NEARDUP_VERSION);
  const std::vector<Command> commands = {AddClusterCommand(&app), AddDedupCommand(&app),
                                         AddEvalCommand(&app),    AddStatsCommand(&app),
                                         AddDiffCommand(&app),    AddSignPartCommand(&app),
                                         AddIndexCommand(&app),   AddTuneCommand(&app)};
  if (const std::string name = UnknownSubcommand(argc, argv, app); !name.empty()) {
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    std::fprintf(stderr, "neardup: unknown subcommand \"%s\" (one of: %s; see neardup --help)\n",
                 name.c_str(), names.c_str());
    return kExitUsage;
  }
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

}  // namespace neardup::cli
