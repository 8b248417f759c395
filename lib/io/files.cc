// Whole files, directory trees, and the path helpers of the output checks.
#include "io/files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "io/paths.h"

namespace neardup::internal {

namespace fs = std::filesystem;

std::string ErrnoMessage(const std::string& path) { return path + ": " + std::strerror(errno); }

bool IsUnder(const fs::path& path, const fs::path& dir) {
  const auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

std::optional<long> LeftoverPid(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return std::nullopt;
  long pid = 0;
  std::size_t i = prefix.size();
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && pid < (1L << 40); ++i) {
    pid = pid * 10 + (name[i] - '0');
  }
  if (i == prefix.size()) return std::nullopt;
  return pid;
}

namespace {

// Why a symbolic link found in the tree is not read, or "" when it is a link
// to a regular file that stays inside `root` (a resolved path).
std::string LinkSkipReason(const fs::path& link, const fs::path& root) {
  std::error_code ec;
  const fs::path target = fs::canonical(link, ec);
  if (ec) return "broken symbolic link (not followed)";
  if (!IsUnder(target, root)) {
    return "symbolic link to " + target.string() + ", outside the tree (not followed)";
  }
  const fs::file_status st = fs::status(target, ec);
  if (fs::is_directory(st)) return "symbolic link to a directory (not followed)";
  if (!fs::is_regular_file(st)) return "symbolic link to a special file (not read)";
  return "";
}

}  // namespace

Result<std::vector<TreeEntry>> ListTree(const std::string& dir) {
  std::vector<TreeEntry> entries;
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Status::IOError(dir + ": " + ec.message());
    std::error_code type_ec;
    const fs::file_status st = it->symlink_status(type_ec);
    if (type_ec) return Status::IOError(it->path().string() + ": " + type_ec.message());
    if (fs::is_directory(st)) continue;  // descended by the iterator
    // Lexical: the entry's own place in the tree, never its link target.
    TreeEntry entry{it->path().lexically_relative(dir).generic_string(), ""};
    if (fs::is_symlink(st)) {
      entry.skip_reason = LinkSkipReason(it->path(), root);
    } else if (!fs::is_regular_file(st)) {
      entry.skip_reason = "not a regular file (FIFO, socket or device; not read)";
    }
    entries.push_back(std::move(entry));
  }
  if (ec) return Status::IOError(dir + ": " + ec.message());
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.rel < b.rel; });
  return entries;
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
