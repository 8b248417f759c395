// WARC record framing: version line, header fields, Content-Length block
// (ISO 28500, WARC 1.0 and 1.1). Shared by the WARC document reader and the
// WARC writer of WriteKept, so both see the same records.
#include "io/warc_record.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "io/access_points.h"

namespace neardup::internal {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// A Content-Length value (trimmed): *bad when it is not a decimal number
// of at most 18 digits.
void ParseContentLength(std::string_view value, std::uint64_t* n, bool* bad) {
  *bad = value.empty() || value.size() > 18;
  *n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') *bad = true;
    *n = *n * 10 + static_cast<std::uint64_t>(c - '0');
  }
}

// One header line's field (a line without ':' is tolerated, like a folded
// line): the fields a record keeps into *record, Content-Length into
// *content_length (*bad_length when it is not a decimal number).
void ReadHeaderField(std::string_view line, WarcRecord* record,
                     std::optional<std::uint64_t>* content_length, bool* bad_length) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = Trim(line.substr(0, colon));
  const std::string_view value = Trim(line.substr(colon + 1));
  if (EqualsIgnoreCase(name, "Content-Length")) {
    std::uint64_t n = 0;
    ParseContentLength(value, &n, bad_length);
    *content_length = n;
  } else if (EqualsIgnoreCase(name, "WARC-Type")) {
    record->type.clear();
    for (char c : value) record->type.push_back(Lower(c));
  } else if (EqualsIgnoreCase(name, "WARC-Record-ID")) {
    record->record_id.assign(value);
  } else if (EqualsIgnoreCase(name, "WARC-Target-URI")) {
    record->target_uri.assign(value);
  } else if (EqualsIgnoreCase(name, "Content-Type")) {
    record->content_type.assign(value);
  }
}

// The two line breaks that end a record, appended to *raw: CRLF or LF each,
// as many of the two as there are.
Status ReadRecordEnd(BufferedReader& in, std::string* raw) {
  for (int i = 0; i < 2; ++i) {
    Result<int> c = in.Peek();
    if (!c.ok()) return c.status();
    if (c.value() == '\r') {
      Result<std::size_t> r = in.ReadBytes(1, raw);
      if (!r.ok()) return r.status();
      c = in.Peek();
      if (!c.ok()) return c.status();
    }
    if (c.value() != '\n') break;
    Result<std::size_t> n = in.ReadBytes(1, raw);
    if (!n.ok()) return n.status();
  }
  return Status::OK();
}

}  // namespace

bool WarcContentLength(std::string_view line, std::uint64_t* n, bool* bad) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  if (!EqualsIgnoreCase(Trim(line.substr(0, colon)), "Content-Length")) return false;
  ParseContentLength(Trim(line.substr(colon + 1)), n, bad);
  return true;
}

bool IsBlankWarcLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

BufferedReader::BufferedReader(std::unique_ptr<ByteSource> source)
    : source_(std::move(source)), buffer_(new char[kIoBufferSize]) {}

Status BufferedReader::Fill() {
  Result<std::size_t> got = source_->Read(buffer_.get(), kIoBufferSize);
  if (!got.ok()) return got.status();
  pos_ = 0;
  end_ = got.value();
  eof_ = end_ == 0;
  return Status::OK();
}

Result<bool> BufferedReader::ReadLine(std::string* out, std::size_t max, bool* truncated) {
  *truncated = false;
  bool any = false;
  std::size_t kept = 0;
  while (true) {
    if (pos_ == end_) {
      if (eof_) return any;
      NEARDUP_RETURN_IF_ERROR(Fill());
      continue;
    }
    const char* start = buffer_.get() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) + 1 : end_ - pos_;
    const std::size_t take = std::min(length, max - kept);
    out->append(start, take);
    kept += take;
    *truncated |= take < length;
    pos_ += length;
    offset_ += length;
    any = true;
    if (newline != nullptr) return true;
  }
}

Result<std::size_t> BufferedReader::ReadBytes(std::uint64_t n, std::string* out) {
  std::uint64_t done = 0;
  while (done < n) {
    if (pos_ == end_) {
      if (eof_) break;
      NEARDUP_RETURN_IF_ERROR(Fill());
      continue;
    }
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(n - done, end_ - pos_));
    out->append(buffer_.get() + pos_, take);
    pos_ += take;
    offset_ += take;
    done += take;
  }
  return static_cast<std::size_t>(done);
}

Result<int> BufferedReader::Peek() {
  while (pos_ == end_) {
    if (eof_) return -1;
    NEARDUP_RETURN_IF_ERROR(Fill());
  }
  return static_cast<int>(static_cast<unsigned char>(buffer_[pos_]));
}

Status WarcRecordReader::Open(const std::string& path, bool decode_ahead, AccessPointCache* cache,
                              const std::string& spill_dir) {
  std::shared_ptr<AccessIndex> index;
  if (cache != nullptr && !spill_dir.empty()) {
    bool record = false;
    index = cache->ForReading(path, &record);
    if (!record && index != nullptr) {
      if (std::shared_ptr<const DecodedSpill> copy = index->CompleteSpill()) {
        codec_ = copy->codec();
        reader_ = std::make_unique<BufferedReader>(NewSpillSource(std::move(copy)));
        return Status::OK();
      }
      index = nullptr;  // read before without a complete copy: decoded again
    }
  }
  Result<std::unique_ptr<ByteSource>> source = OpenDecodedFile(
      path, &codec_, nullptr, decode_ahead, index != nullptr ? spill_dir : std::string(), &spill_);
  if (!source.ok()) return source.status();
  if (spill_ != nullptr) index->SetSpill(spill_);
  reader_ = std::make_unique<BufferedReader>(std::move(source).value());
  return Status::OK();
}

void WarcRecordReader::Open(std::unique_ptr<ByteSource> source, Codec codec) {
  codec_ = codec;
  reader_ = std::make_unique<BufferedReader>(std::move(source));
}

Status WarcRecordReader::Fail(std::string detail, bool fatal) {
  fatal_ |= fatal;
  return Status::InvalidInput(std::move(detail));
}

Status WarcRecordReader::Resynchronize(std::string detail) {
  BufferedReader& in = *reader_;
  while (true) {
    std::string line;
    bool truncated = false;
    Result<bool> more = in.ReadLine(&line, kMaxWarcHeaderLine, &truncated);
    if (!more.ok()) return Fail(more.status().message(), true);
    if (!more.value()) {
      fatal_ = true;
      break;
    }
    if (line.starts_with("WARC/") && !truncated) {
      pending_line_ = std::move(line);
      break;
    }
  }
  return Fail(std::move(detail), false);
}

Result<bool> WarcRecordReader::Next(WarcRecord* record) {
  if (fatal_) return false;
  *record = WarcRecord{};
  BufferedReader& in = *reader_;
  std::string& raw = record->raw;
  bool truncated = false;
  // The version line, after any blank lines between records.
  record->offset = in.offset();
  if (!pending_line_.empty()) {
    raw.swap(pending_line_);
    pending_line_.clear();
    record->offset -= raw.size();
  } else {
    while (true) {
      record->offset = in.offset();
      Result<bool> line = in.ReadLine(&raw, kMaxWarcHeaderLine, &truncated);
      if (!line.ok()) {
        record->number = records_ + 1;
        return Fail(line.status().message(), true);
      }
      if (!line.value()) return false;
      if (!IsBlankWarcLine(raw)) break;
      raw.clear();
    }
  }
  record->number = ++records_;
  if (!raw.starts_with("WARC/") || truncated) {
    // Not a record start: skip to the next line that is one.
    return Resynchronize("not a WARC record: no \"WARC/\" version line");
  }
  // Header fields up to the blank line.
  std::optional<std::uint64_t> content_length;
  bool bad_length = false;
  while (true) {
    const std::size_t line_begin = raw.size();
    Result<bool> more = in.ReadLine(&raw, kMaxWarcHeaderLine, &truncated);
    if (!more.ok()) return Fail(more.status().message(), true);
    if (!more.value()) return Fail("WARC record cut short in its header", true);
    if (truncated || raw.size() > kMaxWarcHeaderBytes) {
      return Fail("WARC header longer than " + std::to_string(kMaxWarcHeaderBytes) + " bytes",
                  true);
    }
    const std::string_view line = std::string_view(raw).substr(line_begin);
    if (line == "\r\n" || line == "\n") break;  // the end of the header
    ReadHeaderField(line, record, &content_length, &bad_length);
  }
  if (!content_length || bad_length) {
    // Without a length the block cannot be delimited: resynchronize.
    return Resynchronize("WARC record without a valid Content-Length");
  }
  record->block_begin = raw.size();
  // Reserve no more than the stream can plausibly hold: the length is untrusted.
  raw.reserve(raw.size() + static_cast<std::size_t>(
                               std::min<std::uint64_t>(*content_length, std::uint64_t{1} << 24)));
  Result<std::size_t> got = in.ReadBytes(*content_length, &raw);
  if (!got.ok()) return Fail(got.status().message(), true);
  if (got.value() < *content_length) {
    return Fail("WARC record cut short: Content-Length " + std::to_string(*content_length) +
                    ", only " + std::to_string(got.value()) + " bytes follow",
                true);
  }
  record->block_size = got.value();
  // The two line breaks that end a record (tolerating LF only, or none).
  if (Status end = ReadRecordEnd(in, &raw); !end.ok()) return Fail(end.message(), true);
  return true;
}

}  // namespace neardup::internal
