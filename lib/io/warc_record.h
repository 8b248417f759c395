// WARC record framing (internal): the records of a decoded stream, read by
// their Content-Length, as the WARC reader, the range parts and WriteKept see them.
#ifndef NEARDUP_IO_WARC_RECORD_H_
#define NEARDUP_IO_WARC_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/byte_source.h"
#include "neardup/io.h"
#include "neardup/status.h"

namespace neardup::internal {

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

// Bounds of a WARC header, as WarcRecordReader reads it and the range
// parts' record walk (warc_piece.h) follows it: a garbage file cannot grow a
// header without limit.
inline constexpr std::size_t kMaxWarcHeaderLine = std::size_t{64} << 10;
inline constexpr std::size_t kMaxWarcHeaderBytes = std::size_t{1} << 20;

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

}  // namespace neardup::internal

#endif  // NEARDUP_IO_WARC_RECORD_H_
