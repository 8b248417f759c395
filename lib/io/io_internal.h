// Enumeration shared by the readers and WriteKept, so that both walk an input
// in exactly the same order (internal).
#ifndef NEARDUP_IO_IO_INTERNAL_H_
#define NEARDUP_IO_IO_INTERNAL_H_

#include <cstdio>
#include <string>
#include <vector>

#include "neardup/status.h"

namespace neardup::internal {

// Regular files below `dir` as paths relative to it (generic form), sorted by
// bytes. Symbolic links to directories are not followed, so cycles can't occur.
Result<std::vector<std::string>> ListFiles(const std::string& dir);

// Reads a file line by line; a line keeps its terminating '\n' (absent on a
// last line without one).
class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  Status Open(const std::string& path);
  // Next line that holds anything besides whitespace; false at the end.
  // *line_number is 1-based and counts blank lines too.
  Result<bool> NextNonBlank(std::string* line, std::uint64_t* line_number);
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  char* buffer_ = nullptr;  // getline's buffer
  std::size_t capacity_ = 0;
  std::uint64_t line_number_ = 0;
  std::uint64_t bytes_read_ = 0;
};

// Reads a whole file.
Result<std::string> ReadFile(const std::string& path);

// "<path>: <strerror(errno)>"
std::string ErrnoMessage(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_IO_INTERNAL_H_
