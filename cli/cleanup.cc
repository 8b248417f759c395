#include "cleanup.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace neardup::cli {
namespace {

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}

std::vector<std::string>& Paths() {
  static std::vector<std::string> paths;
  return paths;
}

sigset_t CleanupSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

[[noreturn]] void CleanUpAndDie(int sig) {
  {
    // Held to the end: nothing registers or unregisters after this point.
    std::lock_guard<std::mutex> lock(Mutex());
    for (const std::string& path : Paths()) {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    // Ends the process by the signal itself, so a shell or a parent sees it
    // (status 128+sig); the other threads never unblock it.
    std::signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    std::raise(sig);
  }
  _exit(128 + sig);
}

}  // namespace

void InstallSignalCleanup() {
  const sigset_t set = CleanupSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    CleanUpAndDie(sig);
  }).detach();
}

RemoveOnSignal::RemoveOnSignal(std::string path) : path_(std::move(path)) {
  if (path_.empty()) return;
  std::lock_guard<std::mutex> lock(Mutex());
  Paths().push_back(path_);
}

RemoveOnSignal::~RemoveOnSignal() {
  if (path_.empty()) return;
  std::lock_guard<std::mutex> lock(Mutex());
  std::vector<std::string>& paths = Paths();
  const auto it = std::find(paths.begin(), paths.end(), path_);
  if (it != paths.end()) paths.erase(it);
}

void ReportLeftovers(const std::vector<std::string>& removed) {
  for (const std::string& path : removed) {
    std::fprintf(stderr, "neardup: removed %s, left by an interrupted run\n", path.c_str());
  }
}

}  // namespace neardup::cli
