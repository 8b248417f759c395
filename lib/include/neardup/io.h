// Stage "io": inputs -> Documents, and kept documents -> output files.
//
// An input is a path:
//   - a directory: every regular file below it, in byte order of relative
//     path (each read by its name, see below); a text file is one document
//     whose id is its path relative to the directory;
//   - a file ending in .jsonl or .ndjson, optionally followed by .gz or .zst:
//     one JSON object per non-blank line; the id and text fields are
//     configurable; a number id is kept as written; an object without the id
//     field gets the id "<file>:<line>";
//   - a file ending in .warc or .wet, optionally followed by .gz or .zst, or
//     any other file whose decoded bytes start with "WARC/1.": WARC records
//     (see "WARC" below);
//   - "-": standard input, spooled by the caller to ReaderOptions::stdin_path
//     (the pipeline reads its input twice); the format is judged from the
//     decoded bytes: "WARC/1." is WARC, a first non-blank byte '{' is JSONL,
//     anything else one text document; ids and sources name it "-";
//   - any other file: one document whose id is the path as given (its raw
//     bytes: x.txt.gz is not decompressed).
// Inside a directory each file is read by its name as above (a .jsonl or
// .warc.gz in a tree yields its records); other files are text documents,
// except binary ones (a NUL byte or mostly control bytes in the first 8 KB),
// which are skipped and reported.
//
// WARC (1.0 / 1.1, plain, multi-member gzip or zstd): records are read by
// their Content-Length. A `conversion` record (WET) is a document whose text
// is the block; a `response` record is a document when its HTTP Content-Type
// is HTML (text extracted by HtmlToText) or text/plain (the body as is); a
// `resource` record likewise by its own Content-Type. Every other record
// (warcinfo, request, metadata, revisit, a response holding an image...) is
// not a document: it is reported as a SkippedRecord. Document::id is the
// WARC-Record-ID header value as written ("<urn:uuid:...>"), Document::url
// the WARC-Target-URI, and the source "<file>:<n>" where n counts records
// from 1.
//
// Bad input. By default a malformed record is an error naming the file and
// line (JSONL) or record number and decoded byte offset (WARC). With
// ReaderOptions::skip_bad it is a SkippedRecord instead and reading goes on;
// a truncated or corrupt gzip/zstd stream, or a WARC record cut short, ends
// that file after every record before the fault.
//
// For JSONL the name decides the format and the first bytes decide the codec:
// gzip (1F 8B) or zstd (28 B5 2F FD) is decompressed, anything else is read
// as plain text. So a misnamed x.jsonl holding gzip data still reads, and so
// does an x.jsonl.gz that is not compressed. Every member of a multi-member
// gzip file and every frame of a zstd file is read; line numbers count
// decompressed lines; a truncated or corrupt stream, or trailing bytes that
// are not another member/frame, is an error "<file>:<last complete line>:
// truncated gzip stream" (or similar), after all documents before it.
// Readers stream: they hold one document (one line, one file) at a time and
// fixed-size buffers, whatever the file's size.
//
//   auto reader = OpenReader({"crawl.jsonl", "pages/"}, ReaderOptions{});
//   Document doc;
//   while (true) {
//     Result<bool> more = reader.value()->Next(&doc);   // false at the end
//     ...
//   }
//
// Output is written atomically: to a temporary name in the target directory,
// renamed over the target only when complete.
#ifndef NEARDUP_IO_H_
#define NEARDUP_IO_H_

#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "neardup/document.h"
#include "neardup/status.h"

namespace neardup {

enum class InputFormat {
  kDirectory,  // a tree of text files
  kJsonl,      // JSON Lines
  kTextFile,   // one file, one document
  kWarc,       // WARC or WET records
};

// Format of `path` judged from the file system and its name (rules above).
Result<InputFormat> DetectFormat(const std::string& path);

struct ReaderOptions {
  std::string id_field = "id";      // JSONL field holding the document id (string or number)
  std::string text_field = "text";  // JSONL field holding the document text (string)
  // false: a malformed record (bad JSON, missing text field, truncated
  // stream, WARC record cut short) is an error. true: it is skipped, reported
  // through DocumentReader::skipped(), and reading continues.
  bool skip_bad = false;
  // A regular file holding what was read from standard input; the input "-"
  // reads it. Empty: "-" is an error. The library never reads stdin itself.
  std::string stdin_path;
};

// An input record that did not become a document: a bad record (skip_bad), a
// binary file in a tree, or a WARC record that holds no text.
struct SkippedRecord {
  std::string id;         // WARC-Record-ID, path relative to the tree, or "<file>:<line>"
  SourceLocation source;  // where it was found
  std::size_t input = 0;  // which input it came from
  std::string reason;     // e.g. "malformed JSON: ...", "warcinfo record (not a document)"
  bool bad = false;       // malformed or truncated input (as opposed to a non-document record)
  // Documents the reader yielded before this record: its place in input order.
  std::uint64_t documents_before = 0;
};

// True when `text` looks binary rather than text: a NUL byte, or more than
// one control byte in ten, in its first 8 KB. The test that skips binary
// files in a directory input; `neardup diff` refuses such documents.
bool LooksBinary(std::string_view text);

class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  // Reads the next document into *doc. Returns false at the end of input, or
  // an error naming the file and line of a malformed record. After an error
  // the reader must not be used again.
  virtual Result<bool> Next(Document* doc) = 0;
  // Moves past the next document without returning it: the same documents,
  // skipped records and errors as Next, except that a reader may skip a
  // record without decoding it, and then, unless ReaderOptions::skip_bad is
  // on, cannot tell a malformed one from a document. For reading an input a
  // second time (JSONL lines are then only split, not parsed).
  virtual Result<bool> Skip();
  // Bytes of input consumed so far and the total (0 when unknown), for
  // progress; for compressed files both count compressed bytes.
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t bytes_total() const = 0;
  // Every record skipped so far, in input order (grows as reading goes on).
  virtual const std::vector<SkippedRecord>& skipped() const;
  // Reads one document again, alone, without the records before it: one
  // that Next returned with an offset, from its Document::input, offset and
  // source.line. For a second pass over a few documents of a large input.
  // Fails for a document without an offset, and with kInvalidInput naming
  // the file and line when the record there is no longer a document.
  // Independent of Next and Skip; not thread-safe.
  virtual Status ReadAt(std::size_t input, std::uint64_t offset, std::uint64_t line, Document* doc);
};

// A reader over all `inputs` in the order given; Document::input is the
// position of the document's input in `inputs`.
Result<std::unique_ptr<DocumentReader>> OpenReader(const std::vector<std::string>& inputs,
                                                   const ReaderOptions& options);

// Where an input's kept documents go inside an output directory: its last
// path component ("a/b/x.jsonl" -> "x.jsonl", "pages/" -> "pages"; "-" -> "stdin").
std::string OutputName(const std::string& input);

// Writes the kept documents of `input` below `out_dir` in the input's own
// format: a JSONL file keeps its kept lines byte for byte (a compressed one
// is written compressed with the same codec, under the same name, and holds
// the kept lines byte for byte once decompressed); a WARC file keeps its kept
// records byte for byte (in a .warc.gz whose records are each one gzip member,
// as Common Crawl writes them, the members are copied as they are; otherwise
// each kept record is compressed as one member; zstd is recompressed); a
// directory becomes a mirror tree holding the kept files (a JSONL or WARC
// file in it written as above); a single file is copied when kept.
// `kept[i]` is the decision for the input's i-th record in reading order:
// documents and SkippedRecords alike (a skipped record is never written).
// REQUIRES: kept.size() equals the number of documents plus skipped records
//           OpenReader(input, options) yields
Status WriteKept(const std::string& input, std::span<const bool> kept, const std::string& out_dir,
                 const ReaderOptions& options = {});

// Plain text of an HTML page: script, style, noscript, template, svg and
// head-only elements are dropped; block elements (p, div, br, li, h1-h6, tr,
// ...) become line breaks; named entities (the common ones) and numeric
// references are decoded; runs of spaces collapse. Broken markup (unclosed
// tags, stray '<', unterminated comments) never fails: what cannot be parsed
// is treated as text or dropped. Thread-safe; no allocation beyond the result.
std::string HtmlToText(std::string_view html);

// A file written under a temporary name and renamed to its final name by
// Commit(). Destroying it uncommitted removes the temporary file, so an
// interrupted run never leaves a complete-looking output.
class AtomicFile {
 public:
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return file_; }  // valid until Commit()
  Status Write(std::string_view bytes);
  // Flushes, closes and renames to the final path.
  Status Commit();

 private:
  AtomicFile(std::string path, std::string temp_path, std::FILE* file);
  std::string path_;       // final name
  std::string temp_path_;  // name while being written
  std::FILE* file_;        // null once committed
};

// Writes `s` as a JSON string literal (with quotes) to `out`. Invalid UTF-8
// bytes are written as U+FFFD so the output is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_IO_H_
