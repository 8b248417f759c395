// Stage "io": inputs -> Documents, and kept documents -> output files.
//
// An input is a path:
//   - a directory: every regular file below it, in byte order of relative
//     path, one document per file; id = the path relative to the directory;
//   - a file ending in .jsonl or .ndjson, optionally followed by .gz or .zst:
//     one JSON object per non-blank line; the id and text fields are
//     configurable; a number id is kept as written; an object without the id
//     field gets the id "<file>:<line>";
//   - any other file: one document whose id is the path as given (its raw
//     bytes: x.txt.gz is not decompressed).
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
};

// Format of `path` judged from the file system and its name (rules above).
Result<InputFormat> DetectFormat(const std::string& path);

struct ReaderOptions {
  std::string id_field = "id";      // JSONL field holding the document id (string or number)
  std::string text_field = "text";  // JSONL field holding the document text (string)
};

class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  // Reads the next document into *doc. Returns false at the end of input, or
  // an error naming the file and line of a malformed record. After an error
  // the reader must not be used again.
  virtual Result<bool> Next(Document* doc) = 0;
  // Bytes of input consumed so far and the total (0 when unknown), for
  // progress; for compressed files both count compressed bytes.
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t bytes_total() const = 0;
};

// A reader over all `inputs` in the order given; Document::input is the
// position of the document's input in `inputs`.
Result<std::unique_ptr<DocumentReader>> OpenReader(const std::vector<std::string>& inputs,
                                                   const ReaderOptions& options);

// Where an input's kept documents go inside an output directory: its last
// path component ("a/b/x.jsonl" -> "x.jsonl", "pages/" -> "pages").
std::string OutputName(const std::string& input);

// Writes the kept documents of `input` below `out_dir` in the input's own
// format: a JSONL file keeps its kept lines byte for byte (a compressed one
// is written compressed with the same codec, under the same name, and holds
// the kept lines byte for byte once decompressed); a directory becomes
// a mirror tree holding the kept files; a single file is copied when kept.
// `kept[i]` is the decision for the input's i-th document in reading order.
// REQUIRES: kept.size() equals the number of documents OpenReader yields for `input`
Status WriteKept(const std::string& input, std::span<const bool> kept, const std::string& out_dir);

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
