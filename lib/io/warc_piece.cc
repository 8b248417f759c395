// Byte-range parts of WARC and WET files: where a cut may fall (a record
// start), and the decoded bytes of one piece.
//
// A plain WARC file is cut only at record starts found by following the
// records' Content-Length chain from the file's start, reading headers and
// skipping blocks, so a "WARC/1.0" line inside a payload is never taken for
// a record. The walk stops at the first thing the record reader would not
// read as a clean record (no version line, no valid length, a record cut
// short, a lone '\r' between records): past it the file has no more cuts.
//
// A gzip WARC is cut only where Common Crawl's one-member-per-record layout
// shows: a candidate gzip header (1F 8B 08) is decoded, and counts only when
// its member holds exactly one whole WARC record that starts the member and
// ends where the next member starts (or the file ends), with its CRC checked.
// A file whose first member is not such a record (a single-stream .warc.gz)
// is not cut at all. Candidates alone cannot rule out a member stored
// verbatim inside another's payload; the piece reader closes that gap: a
// piece that does not end on a clean record boundary fails its part
// (PartRangeReader in lib/pipeline), and the caller reads the input whole.
#include "io/warc_piece.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "io/files.h"
#include "io/pread.h"
#include "io/readers_internal.h"
#include "io/warc_record.h"

namespace neardup::internal {
namespace {

constexpr std::size_t kScan = std::size_t{64} << 10;
// A header is usually well under this: the walk reads about one such read
// per record, not a whole scan buffer.
constexpr std::size_t kHeaderRead = std::size_t{4} << 10;

// The bytes [begin, end) of a file, by pread; raw offsets are the file's.
class RangeSource final : public ByteSource {
 public:
  RangeSource(int fd, std::string path, std::uint64_t begin, std::uint64_t end)
      : fd_(fd), path_(std::move(path)), begin_(begin), end_(end), pos_(begin) {}
  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(n, end_ - pos_));
    if (want == 0) return std::size_t{0};
    const ssize_t got = PreadFull(fd_, buffer, want, pos_);
    if (got < 0) return Status::IOError(ErrnoMessage(path_));
    pos_ += static_cast<std::uint64_t>(got);
    return static_cast<std::size_t>(got);
  }
  std::uint64_t bytes_consumed() const override { return pos_ - begin_; }
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    return begin_ + decoded;
  }

 private:
  int fd_;
  std::string path_;
  std::uint64_t begin_, end_, pos_;
};

// Lines of a file by pread, from a given offset.
class LineScanner {
 public:
  LineScanner(int fd, const std::string& path, std::uint64_t size)
      : fd_(fd), path_(path), size_(size), buffer_(kHeaderRead) {}
  // The line at `pos` (with its '\n') into *line; false at the end of the
  // file or when the line is longer than kMaxWarcHeaderLine.
  Result<bool> LineAt(std::uint64_t pos, std::string* line) {
    line->clear();
    while (pos < size_) {
      if (pos < at_ || pos >= at_ + held_) {
        const ssize_t got = PreadFull(fd_, buffer_.data(), buffer_.size(), pos);
        if (got < 0) return Status::IOError(ErrnoMessage(path_));
        if (got == 0) break;
        at_ = pos;
        held_ = static_cast<std::size_t>(got);
      }
      const char* start = buffer_.data() + (pos - at_);
      const std::size_t left = held_ - static_cast<std::size_t>(pos - at_);
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', left));
      const std::size_t take =
          newline != nullptr ? static_cast<std::size_t>(newline - start) + 1 : left;
      line->append(start, take);
      pos += take;
      if (line->size() > kMaxWarcHeaderLine) return false;
      if (newline != nullptr) return true;
    }
    return !line->empty();
  }

 private:
  int fd_;
  const std::string& path_;
  std::uint64_t size_;
  std::vector<char> buffer_;
  std::uint64_t at_ = 0;
  std::size_t held_ = 0;
};

std::unique_ptr<ByteSource> NewFileRangeSource(int fd, const std::string& path, std::uint64_t begin,
                                               std::uint64_t end) {
  return std::make_unique<RangeSource>(fd, path, begin, end);
}

}  // namespace

Result<std::uint64_t> WarcRecordStartFrom(int fd, const std::string& path, std::uint64_t at,
                                          std::uint64_t size) {
  if (at == 0 || at >= size) return std::min(at, size);
  LineScanner lines(fd, path, size);
  std::string line;
  std::uint64_t pos = 0;
  while (true) {
    // Blank lines between records, then the version line.
    Result<bool> more = lines.LineAt(pos, &line);
    if (!more.ok()) return more.status();
    if (!more.value()) return size;
    if (IsBlankWarcLine(line)) {
      pos += line.size();
      continue;
    }
    if (!line.starts_with("WARC/")) return size;
    if (pos >= at) return pos;
    // The header, up to its blank line; the block by its length.
    pos += line.size();
    std::size_t header = line.size();
    std::uint64_t length = 0;
    bool have = false, bad = false;
    while (true) {
      more = lines.LineAt(pos, &line);
      if (!more.ok()) return more.status();
      if (!more.value() || line.back() != '\n') return size;
      pos += line.size();
      header += line.size();
      if (header > kMaxWarcHeaderBytes) return size;
      if (line == "\r\n" || line == "\n") break;
      std::uint64_t n = 0;
      bool n_bad = false;
      if (WarcContentLength(line, &n, &n_bad)) {
        have = true;
        length = n;
        bad = n_bad;
      }
    }
    if (!have || bad || length > size - pos) return size;
    pos += length;
  }
}

Result<bool> IsWarcMemberStart(int fd, const std::string& path, std::uint64_t at,
                               std::uint64_t size) {
  Result<std::unique_ptr<ByteSource>> gzip = NewGzipSource(NewFileRangeSource(fd, path, at, size));
  if (!gzip.ok()) return false;
  WarcRecordReader records;
  records.Open(std::move(gzip).value(), Codec::kGzip);
  WarcRecord record;
  Result<bool> first = records.Next(&record);
  if (!first.ok() || !first.value() || record.offset != 0) return false;
  const std::uint64_t end = record.offset + record.raw.size();
  if (records.RawOffsetOf(end)) return true;
  // Not seen yet: the next member may not have been reached, or the file ends.
  WarcRecord next;
  Result<bool> second = records.Next(&next);
  if (records.RawOffsetOf(end)) return true;
  return second.ok() && !second.value() && !records.fatal();
}

Result<std::uint64_t> GzipRecordStartFrom(int fd, const std::string& path, std::uint64_t at,
                                          std::uint64_t size) {
  if (at == 0 || at >= size) return std::min(at, size);
  std::vector<char> buffer(kScan + 2);
  for (std::uint64_t pos = at; pos < size;) {
    const ssize_t got = PreadFull(fd, buffer.data(), buffer.size(), pos);
    if (got < 0) return Status::IOError(ErrnoMessage(path));
    const auto n = static_cast<std::size_t>(got);
    if (n < 3) break;
    for (std::size_t i = 0; i + 2 < n; ++i) {
      const auto b = [&](std::size_t k) { return static_cast<unsigned char>(buffer[i + k]); };
      if (b(0) != 0x1F || b(1) != 0x8B || b(2) != 0x08) continue;
      Result<bool> start = IsWarcMemberStart(fd, path, pos + i, size);
      if (!start.ok()) return start.status();
      if (start.value()) return pos + i;
    }
    pos += n - 2;  // a header may straddle two reads
  }
  return size;
}

struct WarcPieceReader::Impl {
  WarcRecordReader records;
  WarcRecord record;
  bool done = false;
};

WarcPieceReader::WarcPieceReader() : impl_(std::make_unique<Impl>()) {}
WarcPieceReader::~WarcPieceReader() = default;

Status WarcPieceReader::Open(const std::string& path, std::uint64_t begin, std::uint64_t end) {
  impl_ = std::make_unique<Impl>();
  Result<Codec> codec = ReadCodec(path);
  if (!codec.ok()) return codec.status();
  Result<std::unique_ptr<ByteSource>> source = OpenDecodedFileAt(path, codec.value(), begin, end);
  if (!source.ok()) return source.status();
  impl_->records.Open(std::move(source).value(), codec.value());
  return Status::OK();
}

Result<WarcPieceRecord> WarcPieceReader::Next(Document* doc) {
  Impl& m = *impl_;
  WarcPieceRecord out;
  if (m.done) return out;
  Result<bool> more = m.records.Next(&m.record);
  out.number = m.record.number;
  out.decoded = m.record.offset;
  out.record_id = m.record.record_id;
  if (!more.ok()) {
    out.kind = WarcPieceRecord::Kind::kBad;
    out.reason = more.status().message();
    out.code = more.status().code();
    out.fatal = m.records.fatal();
    m.done = out.fatal;
    return out;
  }
  if (!more.value()) {
    m.done = true;
    out.kind = WarcPieceRecord::Kind::kEnd;
    return out;
  }
  if (!WarcRecordText(m.record, &doc->text, &out.reason)) {
    out.kind = WarcPieceRecord::Kind::kSkipped;
    return out;
  }
  out.kind = WarcPieceRecord::Kind::kDocument;
  doc->url = m.record.target_uri;
  doc->repaired_bytes = 0;
  doc->offset = m.records.RawOffsetOf(m.record.offset).value_or(kNoOffset);
  return out;
}

std::uint64_t WarcPieceReader::bytes_read() const { return impl_->records.bytes_read(); }

}  // namespace neardup::internal
