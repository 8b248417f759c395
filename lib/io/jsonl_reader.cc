// The JSONL reader: one JSON object per non-blank line, parsed with simdjson.
#include <fcntl.h>
#include <simdjson.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/utf8.h"
#include "io/access_points.h"
#include "io/line_reader.h"
#include "io/readers_internal.h"

namespace neardup::internal {
namespace {

namespace ondemand = simdjson::ondemand;

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view t) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// A value's own JSON text: simdjson's raw token runs on to the next token.
std::string_view RawToken(ondemand::value& value) {
  std::string_view raw = value.raw_json_token();
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
    raw.remove_suffix(1);
  }
  return raw;
}

// Checks `value` and everything inside it as the DOM parser would, except
// that a number only has to follow JSON's grammar: one beyond the range of
// a double or of a 64-bit integer is valid JSON, which the DOM parser
// rejects.
simdjson::error_code ValidateValue(ondemand::value value) {
  ondemand::json_type type;
  if (auto err = value.type().get(type)) return err;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto err = value.get_object().get(object)) return err;
      for (auto field : object) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        if (auto err = ValidateValue(field.value())) return err;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto err = value.get_array().get(array)) return err;
      for (auto element : array) {
        ondemand::value v;
        if (auto err = element.get(v)) return err;
        if (auto err = ValidateValue(v)) return err;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number:
      return IsJsonNumber(RawToken(value)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case ondemand::json_type::string: {
      std::string_view unused;
      return value.get_string().get(unused);
    }
    case ondemand::json_type::boolean: {
      bool unused = false;
      return value.get_bool().get(unused);
    }
    case ondemand::json_type::null:
      return value.is_null() ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
  }
  return simdjson::INCORRECT_TYPE;
}

// Parsers and buffers of one thread.
struct ParseScratch {
  simdjson::dom::parser parser;
  ondemand::parser ondemand;  // number ids as written, and numbers too large for parser
  std::string line;           // a line repaired to valid UTF-8
  SourceLocation where;       // of the line parsed last (its file name copied once)
};

// A line read ahead of Next, and once parsed what it holds.
struct PendingLine {
  std::size_t begin = 0;     // in JsonlReader::block_
  std::size_t size = 0;      // with its '\n'
  std::uint64_t number = 0;  // 1-based line number
  std::uint64_t offset = 0;  // decoded offset of its first byte
  bool parsed = false;
  bool ok = false;  // a document (doc), or not one (reason)
  Document doc;
  std::string reason;
};

// Calls of Next in a row after which lines are parsed a block at a time.
constexpr std::size_t kParseAheadAfter = 8;

class JsonlReader final : public DocumentReader {
 public:
  JsonlReader(std::string path, std::string display, const ReaderOptions& options,
              std::uint64_t total)
      : path_(std::move(path)), display_(std::move(display)), options_(options), total_(total) {}

  Status Open() {
    return lines_.Open(path_, display_, options_.access_points.get(), options_.decode_ahead,
                       options_.spill_dir);
  }

  // Lines are read a block at a time (ReaderOptions::parse_block_bytes) and
  // parsed on several threads once Next has been called kParseAheadAfter
  // times in a row (reading every document, not picking a few among lines
  // skipped); what Next returns, and when it fails, is what reading and
  // parsing line by line gives: lines are handed out in order, and a read
  // error is met after the lines before it.
  Result<bool> Next(Document* doc) override {
    nexts_in_a_row_ = std::min(nexts_in_a_row_ + 1, kParseAheadAfter);
    while (!done_) {
      if (cursor_ == pending_.size()) {
        if (!read_status_.ok()) {
          if (!options_.skip_bad) return read_status_;
          // Everything before the fault has been read; the rest of the file is lost.
          const SourceLocation where{display_, lines_.lines_read() + 1};
          skipped_.push_back(SkippedRecord{where.ToString(), where, 0,
                                           lines_.error_detail() + " (rest of file abandoned)",
                                           true, 0});
          done_ = true;
          return false;
        }
        if (read_end_) {
          done_ = true;
          return false;
        }
        ReadBlock();
        continue;
      }
      if (!pending_[cursor_].parsed) {
        ParseLines(cursor_, nexts_in_a_row_ == kParseAheadAfter ? pending_.size() : cursor_ + 1);
      }
      PendingLine& line = pending_[cursor_++];
      if (line.ok) {
        std::swap(*doc, line.doc);
        // A compressed line is read alone through the file's access points.
        doc->offset =
            lines_.codec() == Codec::kNone || lines_.has_access_points() ? line.offset : kNoOffset;
        return true;
      }
      const SourceLocation where{display_, line.number};
      if (!options_.skip_bad) return Status::InvalidInput(where.ToString() + ": " + line.reason);
      skipped_.push_back(
          SkippedRecord{where.ToString(), where, 0, std::move(line.reason), true, 0});
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
    nexts_in_a_row_ = 0;
    if (done_) return false;
    if (cursor_ < pending_.size()) {
      ++cursor_;
      return true;
    }
    if (!read_status_.ok()) return read_status_;
    if (read_end_) {
      done_ = true;
      return false;
    }
    std::uint64_t line_number = 0;
    Result<bool> more = lines_.NextNonBlank(nullptr, &line_number);
    if (!more.ok()) return more;
    if (!more.value()) done_ = true;
    return more;
  }
  // The line at `offset`, read with pread: no buffer to keep in step with
  // the streaming reader's, and no read of the lines before it.
  // A compressed file's decoded copy (spill.h), when there is a complete
  // one, is read the same way: its offsets are the decoded offsets.
  Status ReadAt(std::size_t, std::uint64_t offset, std::uint64_t line, Document* doc) override {
    const SourceLocation where{display_, line};
    int fd = fd_;
    if (lines_.codec() != Codec::kNone) {
      if (!DecodedCopy()) return ReadCompressedAt(where, offset, doc);
      fd = copy_->fd();
    } else if (fd_ < 0) {
      fd = fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
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
          ::pread(fd, record_.get() + size, chunk, static_cast<off_t>(offset + size));
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
    if (reason.empty() && Parse(scratch_.local(), where, record, doc, &reason)) {
      doc->offset = offset;
      return Status::OK();
    }
    return Status::InvalidInput(where.ToString() + ": " + reason);
  }
  // A compressed file's lines are decoded at once (SeekingLineReader::LinesAt),
  // then parsed in order; a plain file's are read one by one (pread).
  Status ReadManyAt(std::span<const Place> where, std::span<Document> docs,
                    std::size_t* read) override {
    if (lines_.codec() == Codec::kNone || where.size() < 2 || DecodedCopy()) {
      return DocumentReader::ReadManyAt(where, docs, read);
    }
    *read = 0;
    NEARDUP_RETURN_IF_ERROR(OpenSeeking());
    std::vector<std::uint64_t> offsets(where.size());
    for (std::size_t i = 0; i < where.size(); ++i) offsets[i] = where[i].offset;
    many_lines_.resize(where.size());
    std::size_t decoded = 0;
    const Status status = seeking_->LinesAt(offsets, many_lines_, &decoded);
    for (; *read < decoded; ++*read) {
      const Place& at = where[*read];
      NEARDUP_RETURN_IF_ERROR(ParseReadLine(SourceLocation{display_, at.line}, at.offset,
                                            &many_lines_[*read], &docs[*read]));
    }
    if (!status.ok()) {
      seeking_.reset();
      return Status(status.code(), SourceLocation{display_, where[*read].line}.ToString() + ": " +
                                       status.message());
    }
    return Status::OK();
  }
  ~JsonlReader() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
  std::uint64_t access_point_bytes() const override {
    return options_.access_points != nullptr ? options_.access_points->bytes() : 0;
  }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  // The next block of non-blank lines (or fewer, up to a read error or the
  // end) into block_ and pending_, unparsed: one line unless Next parses
  // ahead, so that reading a few lines among many skipped reads no further.
  void ReadBlock() {
    block_.clear();
    pending_.clear();
    cursor_ = 0;
    const std::size_t block_bytes = nexts_in_a_row_ == kParseAheadAfter
                                        ? std::max<std::size_t>(options_.parse_block_bytes, 1)
                                        : 1;
    while (block_.size() < block_bytes) {
      std::string_view line;
      std::uint64_t line_number = 0;
      Result<bool> more = lines_.NextNonBlankView(&line, &line_number);
      if (!more.ok()) {
        read_status_ = more.status();
        break;
      }
      if (!more.value()) {
        read_end_ = true;
        break;
      }
      PendingLine& pending = pending_.emplace_back();
      pending.begin = block_.size();
      pending.size = line.size();
      pending.number = line_number;
      pending.offset = lines_.line_offset();
      block_.append(line);
    }
    block_.append(kLinePadding, ' ');  // simdjson reads past the last line
  }
  // Parses pending_[from, to), on several threads when there are several.
  void ParseLines(std::size_t from, std::size_t to) {
    const auto parse = [this](std::size_t i) {
      PendingLine& line = pending_[i];
      ParseScratch& s = scratch_.local();
      if (s.where.file != display_) s.where.file = display_;
      s.where.line = line.number;
      const std::string_view text(block_.data() + line.begin, line.size);
      line.ok = Parse(s, s.where, text, &line.doc, &line.reason);
      line.parsed = true;
    };
    if (to - from == 1) {
      parse(from);
      return;
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(from, to),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) parse(i);
                      });
  }

  // Whether the compressed file has a complete decoded copy (then copy_).
  bool DecodedCopy() {
    if (copy_ == nullptr && !options_.spill_dir.empty() && options_.access_points != nullptr) {
      if (std::shared_ptr<const AccessIndex> index = options_.access_points->Find(path_)) {
        copy_ = index->CompleteSpill();
      }
    }
    return copy_ != nullptr;
  }
  // The reader of a compressed file's lines through its access points.
  Status OpenSeeking() {
    if (seeking_ != nullptr) return Status::OK();
    std::shared_ptr<const AccessIndex> index =
        options_.access_points != nullptr ? options_.access_points->Find(path_) : nullptr;
    if (index == nullptr) {
      return Status::InvalidArgument(display_ +
                                     ": a compressed file not read before (or changed since) "
                                     "cannot read a document alone");
    }
    seeking_ = std::make_unique<SeekingLineReader>(path_, lines_.codec(), std::move(index));
    return Status::OK();
  }
  // ReadAt for a gzip or zstd file: the line decoded from the access point
  // before it (or on from the line read last).
  Status ReadCompressedAt(const SourceLocation& where, std::uint64_t offset, Document* doc) {
    NEARDUP_RETURN_IF_ERROR(OpenSeeking());
    Status read = seeking_->LineAt(offset, &seek_line_);
    if (!read.ok()) {
      seeking_.reset();
      return Status(read.code(), where.ToString() + ": " + read.message());
    }
    return ParseReadLine(where, offset, &seek_line_, doc);
  }
  // A line read at `offset` into a document, as ReadAt gives it.
  Status ParseReadLine(const SourceLocation& where, std::uint64_t offset, std::string* line,
                       Document* doc) {
    line->reserve(line->size() + kLinePadding);  // simdjson reads past the line
    std::string reason;
    if (line->empty()) reason = "no record here (the input changed since it was read)";
    if (reason.empty() && Parse(scratch_.local(), where, *line, doc, &reason)) {
      doc->offset = offset;
      return Status::OK();
    }
    return Status::InvalidInput(where.ToString() + ": " + reason);
  }

  // Fills *doc from `line`, or returns false with the reason it cannot.
  // REQUIRES: kLinePadding readable bytes after `line` (LineReader's view).
  // Thread-safe: `s` is the calling thread's.
  bool Parse(ParseScratch& s, const SourceLocation& where, std::string_view line, Document* doc,
             std::string* reason) const {
    static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING);
    std::size_t repaired = 0;
    simdjson::dom::element root;
    // Parsed in place: simdjson may read the padding but does not copy the line.
    simdjson::error_code err = s.parser.parse(line.data(), line.size(), false).get(root);
    std::string_view json = line;  // what was parsed
    if (err == simdjson::UTF8_ERROR) {
      // JSON must be UTF-8; repair the record rather than lose it, and count.
      s.line = RepairUtf8(line, &repaired);
      s.line.reserve(s.line.size() + simdjson::SIMDJSON_PADDING);
      err = s.parser.parse(s.line).get(root);
      json = s.line;
    }
    if (err == simdjson::NUMBER_ERROR) {
      // Perhaps a number valid in JSON but beyond a double or a 64-bit
      // integer (an id above 2^64 - 1): read the record on demand instead.
      return ParseBigNumbers(s, where, json, repaired, doc, reason);
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
      // The number as written ("12.50", "1e3"), not as a double prints.
      std::string_view raw;
      if (RawField(s, json, &raw)) {
        doc->id.assign(raw);
      } else {
        doc->id = simdjson::minify(id);  // not reached: the DOM parser read the same line
      }
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

  // The JSON text of the id field's value in `line` (valid JSON, an object
  // with that field): the first field of that name, as the DOM parser takes.
  // REQUIRES: simdjson::SIMDJSON_PADDING readable bytes after `line`.
  bool RawField(ParseScratch& s, std::string_view line, std::string_view* raw) const {
    ondemand::document json;
    ondemand::object object;
    if (s.ondemand.iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
            .get(json) ||
        json.get_object().get(object)) {
      return false;
    }
    for (auto field : object) {
      std::string_view key;
      ondemand::value value;
      if (field.unescaped_key().get(key) || field.value().get(value)) return false;
      if (key == options_.id_field) {
        *raw = RawToken(value);
        return true;
      }
    }
    return false;
  }

  // Parse() for a line the DOM parser found a bad number in: every value is
  // checked (ValidateValue), numbers against JSON's grammar only, so a
  // number beyond a double or a 64-bit integer is accepted and a number id
  // is its text as written.
  // REQUIRES: simdjson::SIMDJSON_PADDING readable bytes after `line`.
  bool ParseBigNumbers(ParseScratch& s, const SourceLocation& where, std::string_view line,
                       std::size_t repaired, Document* doc, std::string* reason) const {
    auto malformed = [reason](simdjson::error_code err) {
      *reason = std::string("malformed JSON: ") + simdjson::error_message(err);
      return false;
    };
    ondemand::document json;
    if (auto err =
            s.ondemand.iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
                .get(json)) {
      return malformed(err);
    }
    ondemand::json_type type;
    if (auto err = json.type().get(type)) return malformed(err);
    if (type != ondemand::json_type::object) {
      // A scalar or array at the top: malformed, or not an object.
      return malformed(simdjson::NUMBER_ERROR);
    }
    ondemand::object object;
    if (auto err = json.get_object().get(object)) return malformed(err);
    bool have_id = false, have_text = false, id_is_string = false, text_is_string = false;
    std::string id;
    for (auto field : object) {
      std::string_view key;
      ondemand::value value;
      if (auto err = field.unescaped_key().get(key)) return malformed(err);
      if (auto err = field.value().get(value)) return malformed(err);
      // Copied now: the key's storage is reused by the next field.
      const bool is_id = !have_id && key == options_.id_field;
      const bool is_text = !have_text && key == options_.text_field;
      ondemand::json_type value_type;
      if (auto err = value.type().get(value_type)) return malformed(err);
      if (is_id && value_type == ondemand::json_type::number) {
        id.assign(RawToken(value));
        have_id = true;
      }
      if ((is_id || is_text) && value_type == ondemand::json_type::string) {
        std::string_view string;
        if (auto err = value.get_string().get(string)) return malformed(err);
        if (is_id) {
          id.assign(string);
          id_is_string = true;
        }
        if (is_text) {
          doc->text.assign(string);
          text_is_string = true;
        }
        have_id |= is_id;
        have_text |= is_text;
        continue;
      }
      have_id |= is_id;
      have_text |= is_text;
      if (auto err = ValidateValue(value)) return malformed(err);
    }
    // Past the object's end only whitespace may follow: a location there is
    // a token.
    const char* trailing = nullptr;
    if (!json.current_location().get(trailing)) return malformed(simdjson::TRAILING_CONTENT);
    if (!have_text || !text_is_string) {
      *reason = "missing string field \"" + options_.text_field + "\"";
      return false;
    }
    if (!have_id) {
      doc->id = where.ToString();
    } else if (id_is_string || !id.empty()) {
      doc->id = std::move(id);
    } else {
      *reason = "field \"" + options_.id_field + "\" is neither a string nor a number";
      return false;
    }
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
  std::string block_;                 // the lines of pending_, then kLinePadding bytes
  std::vector<PendingLine> pending_;  // the block's lines, in order
  std::size_t cursor_ = 0;            // pending_[cursor_] is the next line handed out
  Status read_status_;                // the read error met after pending_'s lines
  bool read_end_ = false;             // lines_ has no line after pending_'s
  std::size_t nexts_in_a_row_ = 0;    // calls of Next since the last Skip, at most kParseAheadAfter
  tbb::enumerable_thread_specific<ParseScratch> scratch_;
  std::vector<SkippedRecord> skipped_;
  int fd_ = -1;                     // ReadAt's own descriptor, opened on first use
  std::unique_ptr<char[]> record_;  // ReadAt's line, then at least kLinePadding bytes
  std::size_t record_capacity_ = 0;
  std::shared_ptr<const DecodedSpill> copy_;    // ReadAt in a compressed file, when copied
  std::unique_ptr<SeekingLineReader> seeking_;  // ReadAt in a compressed file otherwise
  std::string seek_line_;                       // its line
  std::vector<std::string> many_lines_;         // ReadManyAt's lines
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
