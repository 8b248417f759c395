// Whole files and directory trees as inputs are read (internal): the list of
// a tree's files that the readers and WriteKept walk in the same order.
#ifndef NEARDUP_IO_FILES_H_
#define NEARDUP_IO_FILES_H_

#include <string>
#include <vector>

#include "neardup/status.h"

namespace neardup::internal {

// One entry of a directory input: a file to read, or one that is skipped.
struct TreeEntry {
  std::string rel;  // path inside the tree (generic form, never absolute, never "..")
  // Empty for a regular file, or a symbolic link to a regular file inside the
  // tree (read through the link, named by the link's own path). Otherwise why
  // the entry is not read: a link that leaves the tree, a link to a
  // directory, a broken link, or a FIFO, socket or device.
  std::string skip_reason;
};

// Every non-directory entry below `dir`, sorted by the bytes of `rel`.
// Directories are descended but symbolic links to directories are not
// followed (they are listed as skipped), so cycles can't occur. Readers and
// WriteKept both walk this list, so the i-th record each sees is the same.
Result<std::vector<TreeEntry>> ListTree(const std::string& dir);

// Reads a whole file.
Result<std::string> ReadFile(const std::string& path);

// "<path>: <strerror(errno)>"
std::string ErrnoMessage(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_FILES_H_
