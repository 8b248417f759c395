// WARC and WET files read in byte ranges (shared with the pipeline's range
// parts, lib/pipeline/part_ranges.h): where a cut may fall, and the records
// of one range as the whole file's reader reads them.
#ifndef NEARDUP_IO_WARC_PIECE_H_
#define NEARDUP_IO_WARC_PIECE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "neardup/document.h"
#include "neardup/status.h"

namespace neardup::internal {

// The first record start at or after `at` of a plain WARC file of `size`
// bytes, found along the records' Content-Length chain from the file's
// start (never a "WARC/" line inside a block): 0 for 0, a record's version
// line, or `size` (also for every `at` past the first record that does not
// read cleanly). Reads the headers only.
Result<std::uint64_t> WarcRecordStartFrom(int fd, const std::string& path, std::uint64_t at,
                                          std::uint64_t size);

// Whether a gzip member starts at `at` and holds exactly one whole WARC
// record that ends where the next member starts or the file ends (Common
// Crawl's layout). A file whose member at 0 is not one is a single stream.
Result<bool> IsWarcMemberStart(int fd, const std::string& path, std::uint64_t at,
                               std::uint64_t size);

// The first such member start at or after `at` (0 for 0), or `size`.
Result<std::uint64_t> GzipRecordStartFrom(int fd, const std::string& path, std::uint64_t at,
                                          std::uint64_t size);

// One record of a piece.
struct WarcPieceRecord {
  enum class Kind { kEnd, kDocument, kSkipped, kBad };
  Kind kind = Kind::kEnd;
  std::uint64_t number = 0;           // 1-based among the piece's records
  std::uint64_t decoded = 0;          // offset of the record in the piece's decoded bytes
  std::string record_id;              // WARC-Record-ID as written, empty if none
  std::string reason;                 // kSkipped and kBad: why (the reader's bare detail)
  StatusCode code = StatusCode::kOk;  // kBad: the error's code
  bool fatal = false;                 // kBad: nothing more of the piece can be read
};

// Reads the records of bytes [begin, end) of a plain or gzip WARC file
// (`begin` a record start, or for gzip a member start) with the record
// reader of the whole file, so records, texts and faults are those a whole
// read gives from that record on. Not thread-safe; one piece per reader.
class WarcPieceReader {
 public:
  WarcPieceReader();
  ~WarcPieceReader();
  WarcPieceReader(const WarcPieceReader&) = delete;
  WarcPieceReader& operator=(const WarcPieceReader&) = delete;

  // Opens the piece; an IOError naming `path` on failure.
  Status Open(const std::string& path, std::uint64_t begin, std::uint64_t end);
  // The next record. For kDocument, doc->text, url and offset (the record's
  // file offset, or kNoOffset in gzip when it does not start a member) are
  // set; its id, source and input are the caller's. After kEnd or a fatal
  // kBad, kEnd. Errors: I/O only.
  Result<WarcPieceRecord> Next(Document* doc);
  std::uint64_t bytes_read() const;  // raw bytes taken so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_IO_WARC_PIECE_H_
