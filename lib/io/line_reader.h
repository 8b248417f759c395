// JSONL files read line by line, decoded (internal).
#ifndef NEARDUP_IO_LINE_READER_H_
#define NEARDUP_IO_LINE_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/byte_source.h"
#include "neardup/io.h"
#include "neardup/status.h"

namespace neardup::internal {

// Decoded bytes LineReader reads at a time, and readable bytes after a line
// it returns as a view (at least simdjson's SIMDJSON_PADDING).
inline constexpr std::size_t kLineBufferSize = std::size_t{1} << 20;
inline constexpr std::size_t kLinePadding = 64;

// Reads a JSONL file line by line through OpenDecodedFile, so gzip and zstd
// files yield their decompressed lines; a line keeps its terminating '\n'
// (absent on a last line without one) and may be of any length. A UTF-8 byte
// order mark at the start of the decoded bytes is passed over: line 1 (and
// its line_offset()) starts after it.
class LineReader {
 public:
  LineReader();
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // `display` names the file in messages (default: path); "-" for stdin.
  // With `cache`, a compressed file read for the first time records its
  // access points there (for ReadAt), and with `spill_dir` also a decoded
  // copy (spill.h), which reading it again reads instead of decoding.
  // `decode_ahead`: see OpenDecodedFile.
  Status Open(const std::string& path, const std::string& display = "",
              AccessPointCache* cache = nullptr, bool decode_ahead = false,
              const std::string& spill_dir = {});
  // Next line that holds anything besides whitespace; false at the end.
  // *line_number is 1-based, counts blank lines too, and counts decompressed
  // lines. A read or decoding error reads "<path>:<last complete line>: ...";
  // every line before the fault has been returned by then. With a null
  // `line` the line is passed over without being copied.
  Result<bool> NextNonBlank(std::string* line, std::uint64_t* line_number);
  // The same, without copying a line that lies whole in the read buffer:
  // *line is valid until the next call and is followed by kLinePadding
  // readable bytes.
  Result<bool> NextNonBlankView(std::string_view* line, std::uint64_t* line_number);
  // Raw (compressed) bytes consumed so far.
  std::uint64_t bytes_read() const;
  // How the file is encoded. REQUIRES: Open() succeeded
  Codec codec() const { return codec_; }
  // Whether a compressed file's access points are known or being recorded
  // (Open was given a cache): its lines can be read alone.
  bool has_access_points() const { return index_ != nullptr; }
  // Lines returned so far, blank ones included.
  std::uint64_t lines_read() const { return line_number_; }
  // Decoded offset of the first byte of the line returned last.
  std::uint64_t line_offset() const { return line_offset_; }
  // The bare detail of the last read error ("truncated gzip stream").
  const std::string& error_detail() const { return error_detail_; }

 private:
  // Next line, blank or not, into *line; false at the end.
  // *blank: the line holds only whitespace.
  Result<bool> NextLine(std::string* line, bool* blank);
  // Next line as a view into the buffer, or into spill_ when it is not whole there.
  Result<bool> NextLineView(std::string_view* line, bool* blank);

  std::string path_;
  std::shared_ptr<AccessIndex> index_;  // what source_ records into, kept alive for it
  std::unique_ptr<ByteSource> source_;
  Codec codec_ = Codec::kNone;
  std::unique_ptr<char[]> buffer_;  // decoded bytes; [pos_, end_) not yet returned
  std::string spill_;               // a line that did not lie whole in buffer_
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t buffer_offset_ = 0;  // decoded offset of buffer_[0]
  std::uint64_t line_offset_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;  // lines returned so far, blank ones included
  std::string error_detail_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_IO_LINE_READER_H_
