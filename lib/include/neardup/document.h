// Documents as they flow through the pipeline, and where they came from.
//
// A Document owns its id and original text. Its SourceLocation says where it
// was read (file and line for JSONL, file and record number for WARC, path
// for a directory tree), so every report and error can point back at the
// input. Stages refer to documents by DocIndex: the document's position in
// input order, which is also the order of every output.
#ifndef NEARDUP_DOCUMENT_H_
#define NEARDUP_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace neardup {

// Position of a document in input order (0-based). Stable across thread counts.
using DocIndex = std::uint32_t;

struct SourceLocation {
  std::string file;  // the input file the document came from
  // 1-based: the line of a JSONL record, the record number of a WARC record;
  // 0 when the whole file is one document.
  std::uint64_t line = 0;

  // "file:line", or "file" when line is 0.
  std::string ToString() const;
};

inline constexpr std::uint64_t kNoOffset = ~std::uint64_t{0};

struct Document {
  std::string
      id;  // caller-visible identifier (JSONL id field, or path relative to the input directory)
  std::string text;       // original bytes, not necessarily valid UTF-8
  SourceLocation source;  // where the document was read
  std::size_t input = 0;  // which of the inputs (in the order given) the document came from
  std::size_t repaired_bytes = 0;  // invalid UTF-8 bytes the reader replaced to parse the record
  std::string url{};               // WARC-Target-URI of a WARC record; empty for other formats
  // Where the document's record starts in its input file, when the reader
  // can read it again alone from there (DocumentReader::ReadAt): lines of a
  // JSONL input (for gzip and zstd the decoded offset, found again through
  // the access points recorded on the first read, see
  // ReaderOptions::access_points), records of an uncompressed WARC input,
  // and records that start a gzip member of a .warc.gz input (Common Crawl
  // writes one member per record). kNoOffset otherwise.
  std::uint64_t offset = kNoOffset;
};

// A byte range [begin, end) in a document's ORIGINAL text.
struct TextSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

}  // namespace neardup

#endif  // NEARDUP_DOCUMENT_H_
