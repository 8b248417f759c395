// The JSONL reader: one JSON object per non-blank line, parsed with simdjson.
#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/utf8.h"
#include "io/readers_internal.h"

namespace neardup::internal {
namespace {

class JsonlReader final : public DocumentReader {
 public:
  JsonlReader(std::string path, std::string display, const ReaderOptions& options,
              std::uint64_t total)
      : path_(std::move(path)), display_(std::move(display)), options_(options), total_(total) {}

  Status Open() { return lines_.Open(path_, display_); }

  Result<bool> Next(Document* doc) override {
    while (!done_) {
      std::uint64_t line_number = 0;
      std::string_view line;
      Result<bool> more = lines_.NextNonBlankView(&line, &line_number);
      if (!more.ok()) {
        if (!options_.skip_bad) return more;
        // Everything before the fault has been read; the rest of the file is lost.
        const SourceLocation where{display_, lines_.lines_read() + 1};
        skipped_.push_back(SkippedRecord{where.ToString(), where, 0,
                                         lines_.error_detail() + " (rest of file abandoned)", true,
                                         0});
        done_ = true;
        return false;
      }
      if (!more.value()) {
        done_ = true;
        return false;
      }
      // Set in place rather than built per line: the file name would be
      // copied into a new string for every document.
      SourceLocation& where = where_;
      where.file = display_;
      where.line = line_number;
      std::string reason;
      if (Parse(where, line, doc, &reason)) {
        doc->offset = lines_.codec() == Codec::kNone ? lines_.line_offset() : kNoOffset;
        return true;
      }
      if (!options_.skip_bad) return Status::InvalidInput(where.ToString() + ": " + reason);
      skipped_.push_back(SkippedRecord{where.ToString(), where, 0, std::move(reason), true, 0});
    }
    return false;
  }
  // Without skip_bad a line is taken for a document unparsed: the lines of
  // an input that read cleanly once. With it, a malformed line is a skipped
  // record, not a document, and only parsing tells which.
  Result<bool> Skip() override {
    if (options_.skip_bad) {
      Document scratch;
      return Next(&scratch);
    }
    if (done_) return false;
    std::uint64_t line_number = 0;
    Result<bool> more = lines_.NextNonBlank(nullptr, &line_number);
    if (!more.ok()) return more;
    if (!more.value()) done_ = true;
    return more;
  }
  // The line at `offset`, read with pread: no buffer to keep in step with
  // the streaming reader's, and no read of the lines before it.
  Status ReadAt(std::size_t, std::uint64_t offset, std::uint64_t line, Document* doc) override {
    const SourceLocation where{display_, line};
    if (lines_.codec() != Codec::kNone) {
      return Status::InvalidArgument(display_ + ": a compressed file cannot read a document alone");
    }
    if (fd_ < 0) {
      fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return Status::IOError(display_ + ": " + std::strerror(errno));
    }
    // Reads of 8 KB (most records fit), then of twice what was read so far,
    // until the line's end.
    std::size_t size = 0;
    std::size_t chunk = 8 << 10;
    while (true) {
      if (size + chunk + kLinePadding > record_capacity_) {
        const std::size_t capacity = std::max(2 * record_capacity_, size + chunk + kLinePadding);
        std::unique_ptr<char[]> grown(new char[capacity]);
        if (size > 0) std::memcpy(grown.get(), record_.get(), size);
        record_ = std::move(grown);
        record_capacity_ = capacity;
      }
      const ssize_t got =
          ::pread(fd_, record_.get() + size, chunk, static_cast<off_t>(offset + size));
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::IOError(where.ToString() + ": " + std::strerror(errno));
      }
      const auto* newline = static_cast<const char*>(
          std::memchr(record_.get() + size, '\n', static_cast<std::size_t>(got)));
      if (newline != nullptr) {
        size = static_cast<std::size_t>(newline - record_.get()) + 1;
        break;
      }
      size += static_cast<std::size_t>(got);
      if (got == 0) break;  // the last line, without a newline
      chunk = size;
    }
    // kLinePadding bytes past the line are allocated: simdjson reads them.
    const std::string_view record(record_.get(), size);
    std::string reason;
    if (record.empty()) reason = "no record here (the input changed since it was read)";
    if (reason.empty() && Parse(where, record, doc, &reason)) {
      doc->offset = offset;
      return Status::OK();
    }
    return Status::InvalidInput(where.ToString() + ": " + reason);
  }
  ~JsonlReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  // Fills *doc from `line`, or returns false with the reason it cannot.
  // REQUIRES: kLinePadding readable bytes after `line` (LineReader's view).
  bool Parse(const SourceLocation& where, std::string_view line, Document* doc,
             std::string* reason) {
    static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING);
    std::size_t repaired = 0;
    simdjson::dom::element root;
    // Parsed in place: simdjson may read the padding but does not copy the line.
    simdjson::error_code err = parser_.parse(line.data(), line.size(), false).get(root);
    if (err == simdjson::UTF8_ERROR) {
      // JSON must be UTF-8; repair the record rather than lose it, and count.
      line_ = RepairUtf8(line, &repaired);
      line_.reserve(line_.size() + simdjson::SIMDJSON_PADDING);
      err = parser_.parse(line_).get(root);
    }
    if (err) {
      *reason = std::string("malformed JSON: ") + simdjson::error_message(err);
      return false;
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) {
      *reason = "not a JSON object";
      return false;
    }
    simdjson::dom::element text;
    std::string_view text_view;
    if (object[options_.text_field].get(text) || text.get_string().get(text_view)) {
      *reason = "missing string field \"" + options_.text_field + "\"";
      return false;
    }
    simdjson::dom::element id;
    if (object[options_.id_field].get(id)) {
      doc->id = where.ToString();
    } else if (id.is_string()) {
      doc->id.assign(std::string_view(id.get_string().value_unsafe()));
    } else if (id.is_number()) {
      doc->id = simdjson::minify(id);
    } else {
      *reason = "field \"" + options_.id_field + "\" is neither a string nor a number";
      return false;
    }
    doc->text.assign(text_view);
    doc->url.clear();
    doc->source = where;
    doc->repaired_bytes = repaired;
    return true;
  }

  std::string path_;
  std::string display_;
  ReaderOptions options_;
  std::uint64_t total_;
  LineReader lines_;
  std::string line_;      // a line repaired to valid UTF-8
  SourceLocation where_;  // of the line being parsed
  simdjson::dom::parser parser_;
  std::vector<SkippedRecord> skipped_;
  int fd_ = -1;                     // ReadAt's own descriptor, opened on first use
  std::unique_ptr<char[]> record_;  // ReadAt's line, then at least kLinePadding bytes
  std::size_t record_capacity_ = 0;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<DocumentReader>> NewJsonlReader(const std::string& path,
                                                       const std::string& display,
                                                       const ReaderOptions& options,
                                                       std::uint64_t total) {
  auto reader = std::make_unique<JsonlReader>(path, display, options, total);
  NEARDUP_RETURN_IF_ERROR(reader->Open());
  return std::unique_ptr<DocumentReader>(std::move(reader));
}

}  // namespace neardup::internal
