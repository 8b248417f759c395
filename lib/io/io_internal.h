// Enumeration shared by the readers and WriteKept, so that both walk an input
// in exactly the same order (internal).
#ifndef NEARDUP_IO_IO_INTERNAL_H_
#define NEARDUP_IO_IO_INTERNAL_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_source.h"
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

// A buffered reader over a ByteSource for the WARC record parser: lines and
// runs of bytes, with the decoded offset of the next byte.
class BufferedReader {
 public:
  explicit BufferedReader(std::unique_ptr<ByteSource> source);
  // Appends the next line (with its '\n', if any) to *out, at most `max`
  // bytes of it; *truncated tells whether the line was longer (the rest is
  // consumed). Returns false at the end of the input (nothing appended).
  Result<bool> ReadLine(std::string* out, std::size_t max, bool* truncated);
  // Appends up to n bytes to *out; fewer only at the end of the input.
  Result<std::size_t> ReadBytes(std::uint64_t n, std::string* out);
  // Next byte without consuming it; -1 at the end.
  Result<int> Peek();
  std::uint64_t offset() const { return offset_; }  // decoded bytes consumed
  std::uint64_t bytes_consumed() const { return source_->bytes_consumed(); }
  // ByteSource::RawOffsetOf of the source.
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) {
    return source_->RawOffsetOf(decoded);
  }

 private:
  Status Fill();

  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<char[]> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t offset_ = 0;
};

// One WARC record as found in the decoded stream.
struct WarcRecord {
  std::string raw;              // version line through the block and its trailing line breaks
  std::size_t block_begin = 0;  // the block is raw[block_begin, block_begin + block_size)
  std::size_t block_size = 0;
  std::uint64_t offset = 0;  // decoded offset of raw[0] in the file
  std::uint64_t number = 0;  // 1-based position among the file's records
  std::string type;          // WARC-Type, lower-cased
  std::string record_id;     // WARC-Record-ID as written
  std::string target_uri;    // WARC-Target-URI
  std::string content_type;  // Content-Type of the block
  std::string_view block() const { return std::string_view(raw).substr(block_begin, block_size); }
};

// A WARC header line's Content-Length field, as WarcRecordReader reads it:
// true when the line names the field (any case), with its value in *n and
// *bad set when that value is not a decimal number of at most 18 digits.
bool WarcContentLength(std::string_view line, std::uint64_t* n, bool* bad);
// A line of nothing but whitespace, like the padding some writers leave
// between WARC records.
bool IsBlankWarcLine(std::string_view line);

// Reads WARC records by their Content-Length. Every call to Next yields one
// record, the end, or an error for one bad record. After a bad header (no
// version line, no Content-Length) the reader resynchronizes at the next line
// starting "WARC/", so Next may be called again; after a stream error or a
// record cut short fatal() is true and the file is done.
class WarcRecordReader {
 public:
  // Opens `path` through OpenDecodedFile (plain, gzip or zstd). With
  // `cache` and `spill_dir`, a compressed file read for the first time is
  // also written to a decoded copy (spill.h) kept in the cache, and one
  // whose complete copy is there is read from the copy; see spill().
  Status Open(const std::string& path, bool decode_ahead = false, AccessPointCache* cache = nullptr,
              const std::string& spill_dir = {});
  // Reads from an in-memory or other source (tests, fuzzing).
  void Open(std::unique_ptr<ByteSource> source, Codec codec);
  // On error the message is the bare detail; *record->number and offset say
  // where the bad record began.
  Result<bool> Next(WarcRecord* record);
  bool fatal() const { return fatal_; }
  std::uint64_t bytes_read() const { return reader_ ? reader_->bytes_consumed() : 0; }
  Codec codec() const { return codec_; }
  // Where a fresh reader at that file offset (OpenDecodedFileAt) starts with
  // the record that begins at decoded offset `record_offset`, if anywhere.
  // Ask in increasing order.
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t record_offset) {
    return reader_ ? reader_->RawOffsetOf(record_offset) : std::nullopt;
  }
  // The decoded copy this reader is writing, if any.
  DecodedSpill* spill() const { return spill_.get(); }

 private:
  Status Fail(std::string detail, bool fatal);
  // Skips to the next line that starts a record (kept in pending_line_) or to
  // the end of input, then fails the current record (not fatally) with `detail`.
  Status Resynchronize(std::string detail);

  std::unique_ptr<BufferedReader> reader_;
  Codec codec_ = Codec::kNone;
  std::shared_ptr<DecodedSpill> spill_;  // being written while reading
  std::uint64_t records_ = 0;
  std::string pending_line_;  // a version line found while resynchronizing
  bool fatal_ = false;
};

// A source over bytes in memory (tests, fuzzing, the stdin sniffer).
std::unique_ptr<ByteSource> NewMemorySource(std::string bytes);

// True when the first bytes of a file look binary: a NUL byte, or more than
// one in ten bytes a control character other than tab, line breaks and form
// feed.
bool LooksBinary(std::string_view prefix);

// How a file in a tree or a named input is read, judged from its name:
// .jsonl/.ndjson and .warc/.wet, each optionally with .gz or .zst.
enum class NamedFormat { kJsonl, kWarc, kOther };
NamedFormat FormatFromName(const std::string& path);

// The first bytes of `path` after gzip/zstd decoding (up to max).
Result<std::string> DecodedPrefix(const std::string& path, std::size_t max);

// Reads a whole file.
Result<std::string> ReadFile(const std::string& path);

// `path` with every symbolic link of its last component followed (a chain
// of links, up to 40); unchanged when it is not a link. The final target
// may not exist. *through_descriptor (when given) tells whether the path or
// a link on the way lies in /proc or /dev/fd: a descriptor's magic link,
// naming an open file rather than a path.
Result<std::string> ResolveLinks(const std::string& path, bool* through_descriptor = nullptr);

// `path` lies in `dir` or is `dir`, comparing whole components (both
// resolved or both lexical, as the caller chooses).
bool IsUnder(const std::filesystem::path& path, const std::filesystem::path& dir);

// The process id in a leftover's name: `name` is `prefix` followed by
// decimal digits (and then anything). Empty for any other name.
std::optional<long> LeftoverPid(std::string_view name, std::string_view prefix);

// fsyncs the directory holding `path`, so a rename into it is durable.
Status SyncDirectoryOf(const std::string& path);

// "<path>: <strerror(errno)>"
std::string ErrnoMessage(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_IO_INTERNAL_H_
