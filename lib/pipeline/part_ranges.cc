// Byte-range parts: which lines and files a part reads (PlanPartPieces), and
// the reader of those alone (PartRangeReader).
//
// A plain JSONL file is cut at line starts: part k's lines are those that
// start in its span of the inputs laid end to end, found by reading one line
// past each cut, so that neighbouring parts agree without talking. A line is
// parsed by the input's own reader (ReadAt) so that documents, errors and
// skipped records are the ones a whole read gives; only the line numbers are
// the piece's own, which LoadSignedParts shifts by the lines of the parts
// before it (the part files carry each piece's line count). A worker never
// reads what lies before its piece, except to name the line of an error.
#include "pipeline/part_ranges.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "io/byte_source.h"
#include "io/pread.h"

namespace neardup::internal {
namespace {

constexpr std::size_t kScanBytes = std::size_t{1} << 20;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(const char* data, std::size_t size) {
  return std::all_of(data, data + size,
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

Status ErrnoStatus(const std::string& path) {
  return Status::IOError(path + ": " + std::strerror(errno));
}

// pread until `n` bytes or the end of the file; the bytes read.
Result<std::size_t> ReadFull(int fd, const std::string& path, std::uint64_t offset, char* buffer,
                             std::size_t n) {
  const ssize_t got = PreadFull(fd, buffer, n, offset);
  if (got < 0) return ErrnoStatus(path);
  return static_cast<std::size_t>(got);
}

// The first line start at or after `at` in a file of `size` bytes: 0, the
// byte after a '\n', or `size`.
Result<std::uint64_t> LineStartFrom(int fd, const std::string& path, std::uint64_t at,
                                    std::uint64_t size) {
  if (at == 0 || at >= size) return std::min(at, size);
  std::vector<char> buffer(std::size_t{64} << 10);
  for (std::uint64_t pos = at - 1; pos < size;) {
    Result<std::size_t> got = ReadFull(fd, path, pos, buffer.data(), buffer.size());
    if (!got.ok()) return got.status();
    if (got.value() == 0) break;
    const void* newline = std::memchr(buffer.data(), '\n', got.value());
    if (newline != nullptr) {
      return pos + static_cast<std::uint64_t>(static_cast<const char*>(newline) - buffer.data()) +
             1;
    }
    pos += got.value();
  }
  return size;
}

}  // namespace

namespace {

enum class Cut { kLines, kWarc, kWarcGzip };

struct SizedInput {
  bool split = false;  // a plain JSONL file, cut at line starts, or a WARC file cut at records
  Cut cut = Cut::kLines;
  bool directory = false;  // counted as 0 bytes
  std::uint64_t size = 0;
};

Result<std::vector<SizedInput>> SizeInputs(const std::vector<std::string>& inputs) {
  std::vector<SizedInput> sized;
  for (const std::string& path : inputs) {
    if (path == "-") return Status::InvalidArgument("-: standard input cannot be read in parts");
    Result<InputFormat> format = DetectFormat(path);
    if (!format.ok()) return format.status();
    SizedInput in;
    in.directory = format.value() == InputFormat::kDirectory;
    if (!in.directory) {
      std::error_code ec;
      in.size = std::filesystem::file_size(path, ec);
      if (ec) return Status::IOError(path + ": " + ec.message());
    }
    if (format.value() == InputFormat::kJsonl || format.value() == InputFormat::kWarc) {
      // The codec is judged from the first bytes, as the reader judges it.
      Fd fd;
      NEARDUP_RETURN_IF_ERROR(fd.Open(path));
      char magic[4] = {};
      Result<std::size_t> got = ReadFull(fd.get(), path, 0, magic, sizeof(magic));
      if (!got.ok()) return got.status();
      const Codec codec = CodecFromMagic(std::string_view(magic, got.value()));
      in.split = codec == Codec::kNone;
      if (format.value() == InputFormat::kWarc) {
        in.cut = Cut::kWarc;
        if (codec == Codec::kGzip) {
          // One member per record (Common Crawl) can be cut; one stream cannot.
          in.cut = Cut::kWarcGzip;
          Result<bool> per_record = IsWarcMemberStart(fd.get(), path, 0, in.size);
          if (!per_record.ok()) return per_record.status();
          in.split = per_record.value();
        }
      }
    }
    sized.push_back(in);
  }
  return sized;
}

}  // namespace

Result<std::vector<PartPiece>> PlanPartPieces(const std::vector<std::string>& inputs,
                                              std::size_t part, std::size_t parts,
                                              std::uint64_t* total) {
  Result<std::vector<SizedInput>> sizing = SizeInputs(inputs);
  if (!sizing.ok()) return sizing.status();
  const std::vector<SizedInput>& sized = sizing.value();
  *total = 0;
  for (const SizedInput& in : sized) *total += in.size;
  // floor(total * k / parts) without overflow.
  const std::uint64_t n = *total;
  const auto cut = [&](std::size_t k) { return n / parts * k + n % parts * k / parts; };
  const std::uint64_t from = cut(part);
  const bool last = part + 1 == parts;
  const std::uint64_t to = last ? n : cut(part + 1);
  std::vector<PartPiece> pieces;
  std::uint64_t start = 0;  // of input i, inputs laid end to end
  for (std::size_t i = 0; i < inputs.size(); start += sized[i].size, ++i) {
    const std::uint64_t size = sized[i].size;
    if (!sized[i].split) {
      // Read whole by the part whose span holds its first byte.
      if (start >= from && (last || start < to)) pieces.push_back(PartPiece{i, true, 0, 0});
      continue;
    }
    const auto local = [&](std::uint64_t at) {
      return at <= start ? 0 : std::min(size, at - start);
    };
    const std::uint64_t lo = part == 0 ? 0 : local(from);
    const std::uint64_t hi = last ? size : local(to);
    if (lo == hi) continue;
    Fd fd;
    NEARDUP_RETURN_IF_ERROR(fd.Open(inputs[i]));
    const auto cut_at = [&](std::uint64_t at) {
      switch (sized[i].cut) {
        case Cut::kWarc:
          return WarcRecordStartFrom(fd.get(), inputs[i], at, size);
        case Cut::kWarcGzip:
          return GzipRecordStartFrom(fd.get(), inputs[i], at, size);
        case Cut::kLines:
          break;
      }
      return LineStartFrom(fd.get(), inputs[i], at, size);
    };
    Result<std::uint64_t> begin = cut_at(lo);
    if (!begin.ok()) return begin.status();
    Result<std::uint64_t> end = cut_at(hi);
    if (!end.ok()) return end.status();
    if (begin.value() < end.value()) {
      const bool warc = sized[i].cut != Cut::kLines;
      pieces.push_back(PartPiece{i, false, begin.value(), end.value(), warc, end.value() == size});
    }
  }
  return pieces;
}

PartRangeReader::PartRangeReader(std::vector<std::string> inputs, const ReaderOptions& options,
                                 std::vector<PartPiece> pieces)
    : inputs_(std::move(inputs)),
      options_(options),
      pieces_(std::move(pieces)),
      piece_lines_(inputs_.size(), 0) {
  for (const PartPiece& p : pieces_) bytes_total_ += p.end - p.begin;
}

Status Fd::Open(const std::string& path) {
  Close();
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd_ < 0 ? ErrnoStatus(path) : Status::OK();
}

void Fd::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<bool> PartRangeReader::Next(Document* doc) {
  while (next_piece_ < pieces_.size()) {
    const PartPiece& piece = pieces_[next_piece_];
    Result<bool> more = piece.whole  ? NextFromWhole(piece, doc)
                        : piece.warc ? NextFromWarc(piece, doc)
                                     : NextFromRange(piece, doc);
    if (!more.ok()) return more;
    if (more.value()) {
      ++documents_;
      return true;
    }
    ++next_piece_;
    in_piece_ = false;
    whole_.reset();
    at_.reset();
    warc_.reset();
    fd_.Close();
  }
  return false;
}

Result<bool> PartRangeReader::NextFromWhole(const PartPiece& piece, Document* doc) {
  if (!in_piece_) {
    Result<std::unique_ptr<DocumentReader>> opened = OpenReader({inputs_[piece.input]}, options_);
    if (!opened.ok()) return opened.status();
    whole_ = std::move(opened).value();
    absorbed_ = 0;
    in_piece_ = true;
  }
  Result<bool> more = whole_->Next(doc);
  // Records skipped during this call precede the document it returns.
  const std::vector<SkippedRecord>& records = whole_->skipped();
  for (; absorbed_ < records.size(); ++absorbed_) {
    SkippedRecord& r = skipped_.emplace_back(records[absorbed_]);
    r.input = piece.input;
    r.documents_before = documents_;
    skipped_flags_.push_back(0);
  }
  if (!more.ok()) return more;
  if (more.value()) {
    doc->input = piece.input;
    document_flags_.push_back(0);
  } else {
    bytes_read_ += whole_->bytes_read();
  }
  return more;
}

Result<bool> PartRangeReader::NextFromRange(const PartPiece& piece, Document* doc) {
  const std::string& path = inputs_[piece.input];
  if (!in_piece_) {
    NEARDUP_RETURN_IF_ERROR(fd_.Open(path));
    ReaderOptions one = options_;
    one.decode_ahead = false;
    one.access_points = nullptr;
    Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, one);
    if (!opened.ok()) return opened.status();
    at_ = std::move(opened).value();
    chunk_.resize(kScanBytes);
    chunk_offset_ = piece.begin;
    chunk_pos_ = chunk_end_ = 0;
    lines_ = 0;
    if (piece.begin == 0) {
      // A UTF-8 byte order mark belongs to no line (LineReader): line 1 starts after it.
      char head[3] = {};
      Result<std::size_t> got = ReadFull(fd_.get(), path, 0, head, sizeof(head));
      if (!got.ok()) return got.status();
      if (std::string_view(head, got.value()) == kBom && piece.end >= kBom.size()) {
        chunk_offset_ = kBom.size();
      }
    }
    line_start_ = chunk_offset_;
    in_piece_ = true;
  }
  while (true) {
    std::uint64_t offset = 0, line = 0;
    Result<bool> more = NextLine(&offset, &line);
    if (!more.ok()) return more.status();
    if (!more.value()) {
      piece_lines_[piece.input] = lines_;
      return false;
    }
    const SourceLocation where{path, line};
    Status read = at_->ReadAt(0, offset, line, doc);
    if (read.ok()) {
      doc->input = piece.input;
      std::uint8_t flags = kLineInPiece;
      if (doc->id == where.ToString()) {
        // The id the reader makes up from the line, or an id field that
        // reads the same: under another line number only the first changes.
        Document again;
        const Status reread = at_->ReadAt(0, offset, line + (std::uint64_t{1} << 40), &again);
        if (!reread.ok()) return reread;
        if (again.id != doc->id) flags |= kIdFromLine;
      }
      document_flags_.push_back(flags);
      return true;
    }
    if (read.code() != StatusCode::kInvalidInput) return read;
    if (!options_.skip_bad) {
      // The error as the whole read reports it: with the line in the file.
      Result<std::uint64_t> file_line = FileLine(piece, line);
      if (!file_line.ok()) return file_line.status();
      const Status again = at_->ReadAt(0, offset, file_line.value(), doc);
      return again.ok() ? read : again;
    }
    std::string reason = read.message();
    const std::string prefix = where.ToString() + ": ";
    if (reason.starts_with(prefix)) reason.erase(0, prefix.size());
    skipped_.push_back(
        SkippedRecord{where.ToString(), where, piece.input, std::move(reason), true, documents_});
    skipped_flags_.push_back(kLineInPiece | kIdFromLine);
  }
}

// The records of a WARC piece as the whole file's reader reads them from a
// record start, numbered from the piece's first. A fault in a piece that
// does not reach the file's end means the cut did not fall on a clean
// record boundary, or that the whole read would resynchronize across it:
// the part fails as a bad input (exit 2), and the Dask driver then runs the
// whole input in one process. Cuts are found so that this should not happen
// on a well-formed file (io/warc_piece.h).
Result<bool> PartRangeReader::NextFromWarc(const PartPiece& piece, Document* doc) {
  const std::string& path = inputs_[piece.input];
  if (!in_piece_) {
    warc_ = std::make_unique<WarcPieceReader>();
    NEARDUP_RETURN_IF_ERROR(warc_->Open(path, piece.begin, piece.end));
    lines_ = 0;
    in_piece_ = true;
  }
  while (true) {
    Result<WarcPieceRecord> next = warc_->Next(doc);
    if (!next.ok()) return next.status();
    const WarcPieceRecord& r = next.value();
    if (r.kind == WarcPieceRecord::Kind::kEnd) break;
    lines_ = std::max(lines_, r.number);
    const SourceLocation where{path, r.number};
    const bool made_up = r.record_id.empty();
    const auto flags = static_cast<std::uint8_t>(kLineInPiece | (made_up ? kIdFromLine : 0));
    std::string id = made_up ? where.ToString() : r.record_id;
    if (r.kind == WarcPieceRecord::Kind::kBad) {
      if (!piece.to_end) {
        return Status::InvalidInput(
            path + ": cannot be read in byte ranges: bytes " + std::to_string(piece.begin) +
            " to " + std::to_string(piece.end) + " do not hold whole WARC records (" + r.reason +
            "); read it whole");
      }
      if (!options_.skip_bad) {
        // Worded as the whole read words it when the piece starts the file;
        // otherwise the record is counted from the piece's start.
        const std::string after =
            piece.begin == 0 ? std::string() : " after file byte " + std::to_string(piece.begin);
        return Status(r.code, where.ToString() + ": " + r.reason + " (WARC record " +
                                  std::to_string(r.number) + after + " at decoded byte " +
                                  std::to_string(r.decoded) + ")");
      }
      std::string reason = r.reason;
      if (r.fatal) reason += " (rest of file abandoned)";
      skipped_.push_back(
          SkippedRecord{std::move(id), where, piece.input, std::move(reason), true, documents_});
      skipped_flags_.push_back(flags);
      continue;
    }
    if (r.kind == WarcPieceRecord::Kind::kSkipped) {
      skipped_.push_back(
          SkippedRecord{std::move(id), where, piece.input, r.reason, false, documents_});
      skipped_flags_.push_back(flags);
      continue;
    }
    doc->id = std::move(id);
    doc->source = where;
    doc->input = piece.input;
    document_flags_.push_back(flags);
    return true;
  }
  piece_lines_[piece.input] = lines_;
  bytes_read_ += warc_->bytes_read();
  return false;
}

Result<bool> PartRangeReader::NextLine(std::uint64_t* offset, std::uint64_t* line) {
  const PartPiece& piece = pieces_[next_piece_];
  const std::string& path = inputs_[piece.input];
  bool blank = true;
  while (true) {
    if (chunk_pos_ == chunk_end_) {
      const std::uint64_t at = chunk_offset_ + chunk_end_;
      std::size_t got = 0;
      if (at < piece.end) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk_.size(), piece.end - at));
        Result<std::size_t> read = ReadFull(fd_.get(), path, at, chunk_.data(), want);
        if (!read.ok()) return read.status();
        got = read.value();
      }
      if (got == 0) {
        // The piece's end; the file's last line may lack its '\n'.
        if (line_start_ >= at) return false;
        const std::uint64_t start = line_start_;
        line_start_ = at;
        if (blank) return false;
        *offset = start;
        *line = lines_ + 1;
        return true;
      }
      chunk_offset_ = at;
      chunk_pos_ = 0;
      chunk_end_ = got;
      bytes_read_ += got;
    }
    const char* start = chunk_.data() + chunk_pos_;
    const auto* newline =
        static_cast<const char*>(std::memchr(start, '\n', chunk_end_ - chunk_pos_));
    const std::size_t length = newline != nullptr ? static_cast<std::size_t>(newline - start) + 1
                                                  : chunk_end_ - chunk_pos_;
    if (blank) blank = IsBlank(start, length);
    chunk_pos_ += length;
    if (newline == nullptr) continue;
    ++lines_;
    const std::uint64_t begun = line_start_;
    line_start_ = chunk_offset_ + chunk_pos_;
    if (!blank) {
      *offset = begun;
      *line = lines_;
      return true;
    }
    blank = true;
  }
}

Result<std::uint64_t> PartRangeReader::FileLine(const PartPiece& piece, std::uint64_t line) {
  const std::string& path = inputs_[piece.input];
  std::vector<char> buffer(kScanBytes);
  std::uint64_t before = 0;
  for (std::uint64_t pos = 0; pos < piece.begin;) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), piece.begin - pos));
    Result<std::size_t> got = ReadFull(fd_.get(), path, pos, buffer.data(), want);
    if (!got.ok()) return got.status();
    if (got.value() == 0) break;
    before +=
        static_cast<std::uint64_t>(std::count(buffer.data(), buffer.data() + got.value(), '\n'));
    pos += got.value();
  }
  return before + line;
}

}  // namespace neardup::internal

namespace neardup {

Result<bool> RangesBalance(const std::vector<std::string>& inputs, std::size_t parts) {
  Result<std::vector<internal::SizedInput>> sized = internal::SizeInputs(inputs);
  if (!sized.ok()) return sized.status();
  std::uint64_t total = 0;
  for (const internal::SizedInput& in : sized.value()) total += in.size;
  const std::uint64_t share = total / std::max<std::size_t>(parts, 1);
  for (const internal::SizedInput& in : sized.value()) {
    if (in.directory || (!in.split && in.size > share)) return false;
  }
  return true;
}

}  // namespace neardup
