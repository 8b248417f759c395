#include "stdin_spool.h"

#include <neardup/io.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cleanup.h"

namespace neardup::cli {

namespace {
constexpr const char* kSpoolPrefix = "neardup-stdin-";
}  // namespace

Result<std::unique_ptr<StdinSpool>> StdinSpool::Create() {
  const char* dir = std::getenv("TMPDIR");
  const std::string tmp = dir != nullptr && *dir != '\0' ? dir : "/tmp";
  // The pid in the name lets a later run remove what a killed one left.
  ReportLeftovers(RemoveLeftovers(tmp, kSpoolPrefix));
  std::string pattern = tmp + "/" + kSpoolPrefix + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return Status::IOError(pattern + ": " + std::strerror(errno));
  std::unique_ptr<StdinSpool> spool(new StdinSpool(name.data()));
  spool->remove_on_signal_ = std::make_unique<RemoveOnSignal>(spool->path_);
  std::FILE* out = ::fdopen(fd, "wb");
  if (out == nullptr) {
    ::close(fd);
    return Status::IOError(spool->path_ + ": " + std::strerror(errno));
  }
  char buffer[1 << 16];
  std::size_t n;
  bool failed = false;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0) {
    failed |= std::fwrite(buffer, 1, n, out) != n;
  }
  failed |= std::ferror(stdin) != 0;
  failed |= std::fclose(out) != 0;
  if (failed) return Status::IOError("-: could not copy standard input to " + spool->path_);
  return spool;
}

StdinSpool::~StdinSpool() { std::remove(path_.c_str()); }

}  // namespace neardup::cli
