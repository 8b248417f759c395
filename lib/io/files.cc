#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "io/io_internal.h"

namespace neardup::internal {

namespace fs = std::filesystem;

std::string ErrnoMessage(const std::string& path) { return path + ": " + std::strerror(errno); }

Result<std::vector<std::string>> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Status::IOError(dir + ": " + ec.message());
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) {
      files.push_back(fs::relative(it->path(), dir).generic_string());
    }
  }
  if (ec) return Status::IOError(dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> ReadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(ErrnoMessage(path));
  std::string data;
  char chunk[1 << 16];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof(chunk), f)) > 0) data.append(chunk, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::IOError(path + ": read error");
  return data;
}

}  // namespace neardup::internal
