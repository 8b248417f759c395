// Enumeration shared by the readers and WriteKept, so that both walk an input
// in exactly the same order (internal).
#ifndef NEARDUP_IO_IO_INTERNAL_H_
#define NEARDUP_IO_IO_INTERNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "neardup/status.h"

namespace neardup::internal {

// Regular files below `dir` as paths relative to it (generic form), sorted by
// bytes. Symbolic links to directories are not followed, so cycles can't occur.
Result<std::vector<std::string>> ListFiles(const std::string& dir);

// Reads a JSONL file line by line through OpenDecodedFile, so gzip and zstd
// files yield their decompressed lines; a line keeps its terminating '\n'
// (absent on a last line without one) and may be of any length.
class LineReader {
 public:
  LineReader();
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  Status Open(const std::string& path);
  // Next line that holds anything besides whitespace; false at the end.
  // *line_number is 1-based, counts blank lines too, and counts decompressed
  // lines. A read or decoding error reads "<path>:<last complete line>: ...";
  // every line before the fault has been returned by then.
  Result<bool> NextNonBlank(std::string* line, std::uint64_t* line_number);
  // Raw (compressed) bytes consumed so far.
  std::uint64_t bytes_read() const;
  // How the file is encoded. REQUIRES: Open() succeeded
  Codec codec() const { return codec_; }

 private:
  // Next line, blank or not, into *line; false at the end.
  Result<bool> NextLine(std::string* line);

  std::string path_;
  std::unique_ptr<ByteSource> source_;
  Codec codec_ = Codec::kNone;
  std::unique_ptr<char[]> buffer_;  // decoded bytes; [pos_, end_) not yet returned
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;  // lines returned so far, blank ones included
};

// Reads a whole file.
Result<std::string> ReadFile(const std::string& path);

// "<path>: <strerror(errno)>"
std::string ErrnoMessage(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_IO_INTERNAL_H_
