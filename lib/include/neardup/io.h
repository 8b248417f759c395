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
// Output is written atomically: to a temporary name beside the target,
// renamed over it only when complete (see "Output safety" below).
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

class AccessPointCache;
// A new, empty cache of access points (see ReaderOptions::access_points).
std::shared_ptr<AccessPointCache> NewAccessPointCache();

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
  // Where a compressed JSONL file read the first time records its access
  // points (for gzip the decoder's state, its 32 KB history included, about
  // every MB decoded, and member starts; for zstd frame starts), so that
  // ReadAt can read one of its documents by decoding from the nearest point
  // instead of from the file's start. Shared by copies of these options, so
  // a reader opened later with a copy (the pipeline's second pass) finds
  // what the first one recorded. Saved states take at most 64 MB per file
  // (then they are spaced twice as far apart).
  // Null: compressed JSONL documents carry no offset.
  std::shared_ptr<AccessPointCache> access_points = NewAccessPointCache();
  // A directory where a gzip or zstd input read the first time is also
  // written decoded, to an unlinked temporary file (O_TMPFILE: no name, so
  // nothing is left behind even by a killed run; freed when the reader's
  // options and readers are gone), which reading the input again reads
  // instead of decoding it again (the exact check, a second pass, WriteKept).
  // Takes the decoded size of every compressed input on that directory's
  // file system, held until the access point cache is destroyed. Not for a
  // WARC file of one gzip member per record (its records are read alone
  // from the compressed file). Where no file can be made there (no
  // O_TMPFILE support, copies open for half the process's descriptor limit)
  // or writing it fails (no room), the input is decoded again. Empty: never
  // (the default).
  // REQUIRES: access_points non-null for it to take effect
  std::string spill_dir;
  // true: a gzip or zstd file is decoded on a thread of its own, up to 4 MB
  // ahead of the parsing (decompression then overlaps the rest of the read;
  // bench/compressed.sh), and one of several gzip members or zstd frames (a
  // WET file, multi-member .gz, multi-frame .zst) by two more threads, a few
  // MB at a time, in order (same bytes and errors). false: on the reading
  // thread (one core's worth).
  bool decode_ahead = true;
  // Decoded bytes of JSONL lines read at a time when every document is read
  // (Next called again and again): the block is cut at a line's end, and
  // its lines are parsed on several threads (TBB, in the caller's arena)
  // while the caller works on the documents before them. The documents,
  // skipped records and errors never depend on it (any size from 1 byte,
  // one line a block, gives the same); memory holds about twice a block.
  std::size_t parse_block_bytes = std::size_t{1} << 20;
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
  // Every record skipped so far, in input order (grows as reading goes on:
  // the vector lives as long as the reader, but Next and Skip may move its
  // elements).
  virtual const std::vector<SkippedRecord>& skipped() const;
  // Reads one document again, alone, without the records before it: one
  // that Next returned with an offset, from its Document::input, offset and
  // source.line. For a second pass over a few documents of a large input.
  // Fails for a document without an offset, and with kInvalidInput naming
  // the file and line when the record there is no longer a document.
  // Independent of Next and Skip; not thread-safe.
  virtual Status ReadAt(std::size_t input, std::uint64_t offset, std::uint64_t line, Document* doc);
  // ReadAt's arguments for one document.
  struct Place {
    std::size_t input = 0;
    std::uint64_t offset = 0;
    std::uint64_t line = 0;
  };
  // ReadAt for several documents: docs[i] from where[i]. The same documents,
  // and the same first error in the order given, as ReadAt called for each
  // in turn; *read is how many documents before that error were read (all of
  // them when OK). A reader may read them on several threads: a gzip or zstd
  // file's documents that lie after different access points are decoded
  // from those points at once (the exact check's re-read), a WARC file's
  // records alone each. Not thread-safe itself.
  // REQUIRES: docs.size() == where.size()
  virtual Status ReadManyAt(std::span<const Place> where, std::span<Document> docs,
                            std::size_t* read);
  // Memory held by access points of compressed inputs (ReaderOptions::access_points).
  virtual std::uint64_t access_point_bytes() const { return 0; }
  // Disk taken by complete decoded copies of compressed inputs (ReaderOptions::spill_dir).
  virtual std::uint64_t spill_bytes() const { return 0; }
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
// Every path written is checked to lie below out_dir (a file in a tree is
// written under its path inside the tree, never through a link). Files are
// not fsynced: write into OutputDirectory::staging(), whose Commit() syncs
// them all at once.
// REQUIRES: kept.size() equals the number of documents plus skipped records
//           OpenReader(input, options) yields
Status WriteKept(const std::string& input, std::span<const bool> kept, const std::string& out_dir,
                 const ReaderOptions& options = {});

// Plain text of an HTML page: script, style, noscript, template, svg and
// head-only elements are dropped; block elements (p, div, br, li, h1-h6, tr,
// ...) become line breaks; named entities (the common ones) and numeric
// references are decoded; runs of spaces collapse. Broken markup (unclosed
// tags, stray '<', unterminated comments) never fails: what cannot be parsed
// is treated as text or dropped. Thread-safe (no shared state).
std::string HtmlToText(std::string_view html);

// Output safety. Nothing neardup writes may touch its inputs or anything
// outside the output the user named:
//   - CheckOutputApart refuses an output that is, contains or lies inside an
//     input (compared on resolved real paths);
//   - AtomicFile replaces a regular file only whole, and writes through a
//     symbolic link, character device or FIFO instead of replacing it;
//   - OutputDirectory builds a directory output beside its final place and
//     swaps it in whole, so a failed or killed run leaves the previous one.
// Temporary names carry the writer's process id, so what a killed run left
// is recognised (its process is gone) and removed by the next run.

// OK when writing `output` (a file or directory, existing or not) cannot
// modify an input: after resolving symbolic links, `output` is not an input,
// does not lie inside a directory input, and contains no input. "-" (stdin,
// stdout) and an empty output are not checked. InvalidArgument naming both
// paths otherwise.
Status CheckOutputApart(const std::string& output, const std::vector<std::string>& inputs);

// Removes the entries of directory `dir` whose names are `prefix` followed by
// the id of a process that no longer runs (and then anything): what a run
// killed before it could clean up left behind. Returns the paths removed.
// Entries of running processes and names not of this form are left alone.
std::vector<std::string> RemoveLeftovers(const std::string& dir, const std::string& prefix);

// A file written as a whole. For a regular file (or a path that does not
// exist) the bytes go to ".NAME.neardup-tmp-PID" in the same directory, which
// Commit() fsyncs and renames over NAME (keeping an existing file's mode),
// then fsyncs the directory: readers see the old file or the new one, never
// a part. A symbolic link is followed to its final target, which is written
// as above, so the link stays a link. A character device, block device or
// FIFO (/dev/null, a pipe), and an open descriptor named through /dev/stdout,
// /dev/fd/N or /proc/self/fd/N whatever it holds, are opened and written
// directly.
// Destroying it uncommitted removes the temporary file.
class AtomicFile {
 public:
  // Fails for a directory, or when the target's directory is not writable.
  // `durable` false skips the fsyncs (for files inside an OutputDirectory,
  // which syncs its whole tree once). Leftover temporary files of NAME from
  // dead runs are removed (see removed_leftovers()).
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path, bool durable = true);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::FILE* stream() { return file_; }  // valid until Commit()
  Status Write(std::string_view bytes);
  // Flushes and closes; for a regular file also fsyncs and renames it into
  // place. After a failure nothing of it is left and the target is unchanged.
  Status Commit();
  // The temporary name being written ("" when writing through to a device).
  const std::string& temp_path() const { return temp_path_; }
  const std::vector<std::string>& removed_leftovers() const { return removed_; }

 private:
  AtomicFile() = default;
  std::string path_;           // final name (a link's target resolved)
  std::string temp_path_;      // name while being written; empty when writing through
  std::FILE* file_ = nullptr;  // null once committed
  bool durable_ = true;
  bool replace_mode_ = false;  // keep mode_ of the file it replaces
  unsigned mode_ = 0;
  std::vector<std::string> removed_;
};

// What a complete output directory holds last: OutputDirectory::Commit is
// called only after the caller wrote this file (contents of the caller's
// choosing, starting with kManifestMarker), and a directory holding it is
// one neardup may replace.
inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kManifestMarker = "{\"neardup_output\": ";

// A directory output built in a staging directory ".NAME.neardup-staging-PID"
// beside NAME (same file system) and swapped into place by Commit():
//   1. the caller writes every file below staging(), the manifest last;
//   2. Commit() syncs the file system (syncfs), exchanges staging and NAME in
//      one atomic rename (renameat2 RENAME_EXCHANGE), or renames staging to
//      NAME when there was none, and fsyncs the parent directory;
//   3. the previous output, now at the staging name, is removed.
// A run that fails or is killed before step 2 leaves NAME as it was; after
// it, NAME is the new output. A symbolic link named as NAME is followed, and
// its target replaced. Not thread-safe.
class OutputDirectory {
 public:
  // Fails when `out_dir` is empty or "/", exists and is not a directory, or
  // is a non-empty directory and either `replace` is false or it holds no
  // kManifestName and no decisions.jsonl (not an output of neardup: it is
  // never replaced). Leftover staging directories of NAME from dead runs are
  // removed (removed_leftovers()).
  static Result<std::unique_ptr<OutputDirectory>> Begin(const std::string& out_dir, bool replace);
  ~OutputDirectory();  // uncommitted: removes the staging directory
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  const std::string& staging() const { return staging_; }  // write here
  const std::string& path() const { return path_; }        // final place (resolved)
  const std::vector<std::string>& removed_leftovers() const { return removed_; }
  // Steps 2 and 3 above. REQUIRES: not yet committed.
  Status Commit();

 private:
  OutputDirectory() = default;
  std::string path_;
  std::string staging_;
  bool committed_ = false;
  std::vector<std::string> removed_;
};

// Writes `s` as a JSON string literal (with quotes) to `out`. Invalid UTF-8
// bytes are written as U+FFFD so the output is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace neardup

#endif  // NEARDUP_IO_H_
