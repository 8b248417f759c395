// Byte-range parts of a split signing pass (PartSplit::kRanges; internal).
#ifndef NEARDUP_PIPELINE_PART_RANGES_H_
#define NEARDUP_PIPELINE_PART_RANGES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/warc_piece.h"
#include "neardup/io.h"
#include "neardup/pipeline.h"

namespace neardup::internal {

// What part `part` of `parts` reads of one input: all of it (`whole`), the
// lines of a plain JSONL file that start in [begin, end), or (`warc`) the
// WARC records of a plain or per-record gzip WARC file in [begin, end).
struct PartPiece {
  std::size_t input = 0;
  bool whole = false;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  bool warc = false;
  bool to_end = false;  // end is the file's end
};

// The inputs laid end to end are cut at k * total / parts (k = 1 .. parts-1):
// part k holds the lines of plain JSONL files that start in its span, the
// records of plain and per-record gzip WARC files that start in it (cut
// along the Content-Length chain or at verified gzip members, io/warc_piece.h),
// and every other input (compressed JSONL, single-stream .warc.gz, zstd,
// text files, directories: read whole) whose first byte lies in its span.
// A directory counts as 0 bytes. Reads at most one line of each plain JSONL
// file at each of the part's two cuts (a WARC file: its headers up to the
// cut, or the gzip members near it). `total` receives the bytes of all inputs laid end to end.
Result<std::vector<PartPiece>> PlanPartPieces(const std::vector<std::string>& inputs,
                                              std::size_t part, std::size_t parts,
                                              std::uint64_t* total);

// Per document or skipped record of a range part: what LoadSignedParts
// must still correct.
enum PartRecordFlags : std::uint8_t {
  kLineInPiece = 1,  // source.line counts from the piece's first line (1)
  kIdFromLine = 2,   // the id is "<file>:<line>" (no id field) and must follow the line
};

// Reads the pieces of one part in order, as the reader of the whole input
// reads those records: documents with their input, offset and source;
// skipped records with their input and documents_before counted within the
// part. Lines of a range piece are numbered from the piece's start (the
// flags say which); an error without ReaderOptions::skip_bad is reported
// with its line in the whole file, as OpenReader's reader reports it.
// A file descriptor opened read-only, closed with its owner.
class Fd {
 public:
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  // Opens `path` (closing any earlier file); an IOError naming it on failure.
  Status Open(const std::string& path);
  void Close();
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

class PartRangeReader final : public DocumentReader {
 public:
  PartRangeReader(std::vector<std::string> inputs, const ReaderOptions& options,
                  std::vector<PartPiece> pieces);

  Result<bool> Next(Document* doc) override;
  std::uint64_t bytes_read() const override { return bytes_read_; }
  std::uint64_t bytes_total() const override { return bytes_total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

  // kPartRecordFlags of each document returned, in order, and of each skipped record.
  const std::vector<std::uint8_t>& document_flags() const { return document_flags_; }
  const std::vector<std::uint8_t>& skipped_flags() const { return skipped_flags_; }
  // Per input: lines of its range piece ('\n' counted), 0 for other inputs.
  const std::vector<std::uint64_t>& piece_lines() const { return piece_lines_; }

 private:
  // The next non-blank line of the current range piece: false at its end.
  Result<bool> NextLine(std::uint64_t* offset, std::uint64_t* line);
  Result<bool> NextFromRange(const PartPiece& piece, Document* doc);
  Result<bool> NextFromWhole(const PartPiece& piece, Document* doc);
  Result<bool> NextFromWarc(const PartPiece& piece, Document* doc);
  // The line number in the whole file of line `line` of the current piece.
  Result<std::uint64_t> FileLine(const PartPiece& piece, std::uint64_t line);

  std::vector<std::string> inputs_;
  ReaderOptions options_;
  std::vector<PartPiece> pieces_;
  std::size_t next_piece_ = 0;
  bool in_piece_ = false;
  // Whole pieces: the input's own reader.
  std::unique_ptr<DocumentReader> whole_;
  std::size_t absorbed_ = 0;
  // Range pieces: the file, scanned in chunks, and a reader of one line at a time.
  Fd fd_;
  std::unique_ptr<DocumentReader> at_;
  std::vector<char> chunk_;
  std::uint64_t chunk_offset_ = 0;  // file offset of chunk_[0]
  std::size_t chunk_pos_ = 0, chunk_end_ = 0;
  std::uint64_t line_start_ = 0;  // file offset of the line being scanned
  std::uint64_t lines_ = 0;       // lines of the piece finished so far
  // WARC pieces: the records of [begin, end), numbered from 1.
  std::unique_ptr<WarcPieceReader> warc_;

  std::uint64_t documents_ = 0;
  std::uint64_t bytes_read_ = 0, bytes_total_ = 0;
  std::vector<SkippedRecord> skipped_;
  std::vector<std::uint8_t> document_flags_, skipped_flags_;
  std::vector<std::uint64_t> piece_lines_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_PART_RANGES_H_
