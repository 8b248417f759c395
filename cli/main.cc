// neardup: find and remove duplicate and near-duplicate text.
#include <csignal>

#include "cleanup.h"
#include "commands.h"

int main(int argc, char** argv) {
  using namespace neardup::cli;
  InstallSignalCleanup();         // before any thread starts
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes EPIPE, handled as success
  TuneAllocator();
  return Main(argc, argv);
}
