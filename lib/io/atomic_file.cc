#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "io/io_internal.h"
#include "neardup/io.h"

namespace neardup {

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path) {
  // The temporary sits next to the target so the final rename stays on one
  // file system (and so is atomic); the pid keeps concurrent runs apart.
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(internal::ErrnoMessage(temp));
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, temp, f));
}

AtomicFile::AtomicFile(std::string path, std::string temp_path, std::FILE* file)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), file_(file) {}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

Status AtomicFile::Write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return Status::IOError(internal::ErrnoMessage(temp_path_));
  }
  return Status::OK();
}

Status AtomicFile::Commit() {
  std::FILE* f = file_;
  file_ = nullptr;
  const bool write_failed = std::fflush(f) != 0 || std::ferror(f) != 0;
  const int saved_errno = errno;
  const bool close_failed = std::fclose(f) != 0;
  if (write_failed || close_failed) {
    errno = write_failed ? saved_errno : errno;
    Status s = Status::IOError(internal::ErrnoMessage(temp_path_));
    std::remove(temp_path_.c_str());
    return s;
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    Status s = Status::IOError(internal::ErrnoMessage(path_));
    std::remove(temp_path_.c_str());
    return s;
  }
  return Status::OK();
}

}  // namespace neardup
