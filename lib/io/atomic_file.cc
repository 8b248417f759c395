// AtomicFile: a whole file or nothing, written through links and devices.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "io/files.h"
#include "io/paths.h"
#include "neardup/io.h"

namespace neardup {

namespace fs = std::filesystem;

namespace internal {

Result<std::string> ResolveLinks(const std::string& path, bool* through_descriptor) {
  // Follows a chain of symbolic links by hand: fs::canonical fails on a
  // dangling one, whose target the caller may want to create.
  if (through_descriptor != nullptr) *through_descriptor = false;
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    if (through_descriptor != nullptr) {
      const std::string s = p.lexically_normal().string();
      *through_descriptor |= s.rfind("/proc/", 0) == 0 || s.rfind("/dev/fd/", 0) == 0;
    }
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(p, ec);
    if (ec || !fs::is_symlink(st)) return p.string();
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) return Status::IOError(p.string() + ": " + ec.message());
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return Status::IOError(path + ": too many levels of symbolic links");
}

Status SyncDirectoryOf(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(ErrnoMessage(dir.string()));
  const bool failed = ::fsync(fd) != 0 && errno != EINVAL;  // EINVAL: no sync on this fs
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (failed) return Status::IOError(ErrnoMessage(dir.string()));
  return Status::OK();
}

}  // namespace internal

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path, bool durable) {
  if (path.empty()) return Status::InvalidArgument("empty output file name");
  std::unique_ptr<AtomicFile> file(new AtomicFile());
  file->durable_ = durable;
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument(path + ": is a directory, not a file");
  }
  bool through_descriptor = false;
  Result<std::string> resolved = internal::ResolveLinks(path, &through_descriptor);
  if (!resolved.ok()) return resolved.status();
  if (exists && (!S_ISREG(st.st_mode) || through_descriptor)) {
    // A device or FIFO: written through, never replaced (as root a rename
    // over /dev/null would replace the device for the whole machine). So is
    // an open descriptor named by /dev/stdout or /proc/self/fd/N, whatever
    // it holds: the shell that opened it (perhaps to append) reads it.
    // A descriptor is appended to: opening it anew starts a description at
    // offset 0, and its holder may have written before (or opened it with >>).
    file->path_ = path;
    file->file_ = std::fopen(path.c_str(), S_ISREG(st.st_mode) ? "ab" : "wb");
    if (file->file_ == nullptr) return Status::IOError(internal::ErrnoMessage(path));
    return file;
  }
  file->path_ = std::move(resolved).value();
  if (exists) {
    file->replace_mode_ = true;
    file->mode_ = st.st_mode & 07777;
  }
  // The temporary sits next to the target so the final rename stays on one
  // file system (and so is atomic); the pid tells a dead run's leftovers.
  const fs::path target(file->path_);
  const std::string prefix = "." + target.filename().string() + ".neardup-tmp-";
  fs::path dir = target.parent_path();
  file->removed_ = RemoveLeftovers(dir.empty() ? "." : dir.string(), prefix);
  file->temp_path_ = (dir / (prefix + std::to_string(::getpid()))).string();
  file->file_ = std::fopen(file->temp_path_.c_str(), "wbx");
  if (file->file_ == nullptr && errno == EEXIST) {
    // Ours from an earlier AtomicFile of this process that was not cleaned.
    std::remove(file->temp_path_.c_str());
    file->file_ = std::fopen(file->temp_path_.c_str(), "wbx");
  }
  if (file->file_ == nullptr) return Status::IOError(internal::ErrnoMessage(file->temp_path_));
  return file;
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    if (!temp_path_.empty()) std::remove(temp_path_.c_str());
  }
}

Status AtomicFile::Write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return Status::IOError(internal::ErrnoMessage(temp_path_.empty() ? path_ : temp_path_));
  }
  return Status::OK();
}

Status AtomicFile::Commit() {
  std::FILE* f = file_;
  file_ = nullptr;
  const std::string& written = temp_path_.empty() ? path_ : temp_path_;
  bool failed = std::fflush(f) != 0 || std::ferror(f) != 0;
  if (!failed && !temp_path_.empty()) {
    if (replace_mode_) failed = ::fchmod(::fileno(f), static_cast<mode_t>(mode_)) != 0;
    if (!failed && durable_) failed = ::fsync(::fileno(f)) != 0;
  }
  const int saved_errno = errno;
  const bool close_failed = std::fclose(f) != 0;
  if (failed || close_failed) {
    errno = failed ? saved_errno : errno;
    Status s = Status::IOError(internal::ErrnoMessage(written));
    if (!temp_path_.empty()) std::remove(temp_path_.c_str());
    return s;
  }
  if (temp_path_.empty()) return Status::OK();
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    Status s = Status::IOError(internal::ErrnoMessage(path_));
    std::remove(temp_path_.c_str());
    return s;
  }
  return durable_ ? internal::SyncDirectoryOf(path_) : Status::OK();
}

}  // namespace neardup
