// Output safety: outputs kept apart from inputs, leftovers of dead runs, and
// directory outputs swapped in whole (contracts in neardup/io.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "io/files.h"
#include "io/paths.h"
#include "neardup/io.h"

namespace neardup {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStagingTag = ".neardup-staging-";
constexpr const char* kOldTag = ".neardup-old-";
constexpr const char* kLegacyDecisions = "decisions.jsonl";

// Absolute, with every symbolic link resolved as far as the path exists.
Result<fs::path> RealPath(const std::string& path) {
  Result<std::string> linked = internal::ResolveLinks(path);
  if (!linked.ok()) return linked.status();
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(linked.value(), ec), ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  if (p.filename().empty() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  return p;
}

bool ProcessAlive(long pid) {
  if (pid <= 0 || pid != static_cast<pid_t>(pid)) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool SameFile(const fs::path& a, const fs::path& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// A run on a file system without RENAME_EXCHANGE that was killed between
// its two renames left NAME missing and the previous output moved aside:
// put it back.
void RestoreMovedAside(const fs::path& path) {
  const std::string prefix = "." + path.filename().string() + kOldTag;
  std::error_code ec;
  for (fs::directory_iterator it(path.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::optional<long> pid = internal::LeftoverPid(it->path().filename().string(), prefix);
    if (!pid || ProcessAlive(*pid)) continue;
    std::rename(it->path().c_str(), path.c_str());
    return;
  }
}

}  // namespace

Status CheckOutputApart(const std::string& output, const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return Status::OK();
  Result<fs::path> out = RealPath(output);
  if (!out.ok()) return out.status();
  for (const std::string& input : inputs) {
    if (input == "-") continue;
    Result<fs::path> in = RealPath(input);
    if (!in.ok()) return in.status();
    if (out.value() == in.value() || SameFile(out.value(), in.value())) {
      return Status::InvalidArgument("output " + output + " is the input " + input);
    }
    if (internal::IsUnder(out.value(), in.value())) {
      return Status::InvalidArgument("output " + output + " lies inside the input " + input);
    }
    if (internal::IsUnder(in.value(), out.value())) {
      return Status::InvalidArgument("output " + output + " contains the input " + input);
    }
  }
  return Status::OK();
}

std::vector<std::string> RemoveLeftovers(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::optional<long> pid = internal::LeftoverPid(it->path().filename().string(), prefix);
    if (!pid || ProcessAlive(*pid)) continue;
    std::error_code rm;
    fs::remove_all(it->path(), rm);
    if (!rm) removed.push_back(it->path().string());
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

Result<std::unique_ptr<OutputDirectory>> OutputDirectory::Begin(const std::string& out_dir,
                                                                bool replace) {
  if (out_dir.empty()) return Status::InvalidArgument("empty output directory name");
  Result<fs::path> real = RealPath(out_dir);
  if (!real.ok()) return real.status();
  const fs::path path = real.value();
  if (path == path.root_path() || path.filename().empty()) {
    return Status::InvalidArgument(out_dir + ": cannot be an output directory");
  }
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) RestoreMovedAside(path);
  const fs::file_status st = fs::status(path, ec);
  const bool exists = fs::exists(st);
  if (exists && !fs::is_directory(st)) {
    return Status::InvalidArgument("output directory " + out_dir +
                                   " exists and is not a directory");
  }
  if (exists && !fs::is_empty(path, ec)) {
    if (!replace) return Status::InvalidArgument("output directory " + out_dir + " is not empty");
    if (!fs::exists(path / kManifestName) && !fs::exists(path / kLegacyDecisions)) {
      return Status::InvalidArgument("output directory " + out_dir + " holds files neardup did " +
                                     "not write (no " + kManifestName + " or " + kLegacyDecisions +
                                     "); not replacing it");
    }
  }
  const fs::path parent = path.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return Status::IOError(parent.string() + ": " + ec.message());
  std::unique_ptr<OutputDirectory> out(new OutputDirectory());
  out->path_ = path.string();
  const std::string name = path.filename().string();
  out->removed_ = RemoveLeftovers(parent.string(), "." + name + kStagingTag);
  std::vector<std::string> old = RemoveLeftovers(parent.string(), "." + name + kOldTag);
  out->removed_.insert(out->removed_.end(), old.begin(), old.end());
  out->staging_ = (parent / ("." + name + kStagingTag + std::to_string(::getpid()))).string();
  fs::remove_all(out->staging_, ec);  // only ever ours: this process's id
  if (::mkdir(out->staging_.c_str(), 0777) != 0) {
    return Status::IOError(internal::ErrnoMessage(out->staging_));
  }
  if (exists) {
    struct stat old_st {};
    if (::stat(path.c_str(), &old_st) == 0) ::chmod(out->staging_.c_str(), old_st.st_mode & 07777);
  }
  return out;
}

OutputDirectory::~OutputDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

Status OutputDirectory::Commit() {
  const int fd = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(internal::ErrnoMessage(staging_));
  // One syncfs covers every file and directory written below staging.
  const bool sync_failed = ::syncfs(fd) != 0;
  const int saved = errno;
  ::close(fd);
  if (sync_failed) {
    errno = saved;
    return Status::IOError(internal::ErrnoMessage(staging_));
  }
  std::error_code ec;
  const bool exists = fs::is_directory(path_, ec);
  if (!exists) {
    if (std::rename(staging_.c_str(), path_.c_str()) != 0) {
      return Status::IOError(internal::ErrnoMessage(path_));
    }
  } else if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) !=
             0) {
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
      return Status::IOError(internal::ErrnoMessage(path_));
    }
    // A file system without RENAME_EXCHANGE: move the old output aside, then
    // the new one in. A kill between the two leaves no NAME, only the old
    // output at ".NAME.neardup-old-PID" and the new one at the staging name.
    const fs::path p(path_);
    const std::string old =
        (p.parent_path() / ("." + p.filename().string() + kOldTag + std::to_string(::getpid())))
            .string();
    if (std::rename(path_.c_str(), old.c_str()) != 0) {
      return Status::IOError(internal::ErrnoMessage(path_));
    }
    if (std::rename(staging_.c_str(), path_.c_str()) != 0) {
      const Status s = Status::IOError(internal::ErrnoMessage(path_));
      std::rename(old.c_str(), path_.c_str());
      return s;
    }
    staging_ = old;
  }
  committed_ = true;
  NEARDUP_RETURN_IF_ERROR(internal::SyncDirectoryOf(path_));
  fs::remove_all(staging_, ec);  // the previous output; a leftover for the next run if this fails
  return Status::OK();
}

}  // namespace neardup
