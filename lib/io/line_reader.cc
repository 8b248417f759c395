// LineReader: lines out of a (possibly decompressing) byte source.
#include "io/line_reader.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "io/access_points.h"

namespace neardup::internal {

// Zero-initialized, padding included: a line viewed in place may be read
// up to kLinePadding bytes past its end.
LineReader::LineReader() : buffer_(new char[kLineBufferSize + kLinePadding]()) {}

LineReader::~LineReader() = default;

Status LineReader::Open(const std::string& path, const std::string& display,
                        AccessPointCache* cache, bool decode_ahead, const std::string& spill_dir) {
  path_ = display.empty() ? path : display;
  bool record = false;
  if (cache != nullptr) index_ = cache->ForReading(path, &record);
  if (!record && index_ != nullptr) {
    // Read before, unchanged since, and copied whole: no decoding again.
    if (std::shared_ptr<const DecodedSpill> copy = index_->CompleteSpill()) {
      codec_ = copy->codec();
      source_ = NewSpillSource(std::move(copy));
      return Status::OK();
    }
  }
  std::shared_ptr<DecodedSpill> spill;
  Result<std::unique_ptr<ByteSource>> source =
      OpenDecodedFile(path, &codec_, record ? index_.get() : nullptr, decode_ahead,
                      record ? spill_dir : std::string(), &spill);
  if (!source.ok()) return source.status();
  if (spill != nullptr) index_->SetSpill(std::move(spill));
  source_ = std::move(source).value();
  return Status::OK();
}

std::uint64_t LineReader::bytes_read() const {
  return source_ != nullptr ? source_->bytes_consumed() : 0;
}

namespace {

bool IsBlank(const char* data, std::size_t size) {
  return std::all_of(data, data + size,
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

}  // namespace

Result<bool> LineReader::NextLine(std::string* line, bool* blank) {
  line->clear();
  *blank = true;
  while (true) {
    if (pos_ == end_) {
      if (eof_) return !line->empty();
      // A partial line before a fault is dropped: it was never complete.
      auto fault = [&](const Status& status) {
        error_detail_ = status.message();
        return Status(status.code(),
                      path_ + ":" + std::to_string(line_number_) + ": " + status.message());
      };
      Result<std::size_t> got = source_->Read(buffer_.get(), kLineBufferSize);
      if (!got.ok()) return fault(got.status());
      buffer_offset_ += end_;
      pos_ = 0;
      end_ = got.value();
      eof_ = end_ == 0;
      if (buffer_offset_ == 0 && !eof_) {
        // The file's first bytes: a UTF-8 byte order mark (as Windows tools
        // write) belongs to no line, and line 1 starts after it.
        constexpr std::string_view kBom = "\xEF\xBB\xBF";
        while (end_ < kBom.size()) {
          Result<std::size_t> more = source_->Read(buffer_.get() + end_, kLineBufferSize - end_);
          if (!more.ok()) return fault(more.status());
          if (more.value() == 0) break;
          end_ += more.value();
        }
        if (std::string_view(buffer_.get(), end_).starts_with(kBom)) pos_ = kBom.size();
        line_offset_ = pos_;
      }
      continue;
    }
    const char* start = buffer_.get() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) + 1 : end_ - pos_;
    line->append(start, length);
    if (*blank) *blank = IsBlank(start, length);
    pos_ += length;
    if (newline != nullptr) return true;
  }
}

Result<bool> LineReader::NextLineView(std::string_view* line, bool* blank) {
  line_offset_ = buffer_offset_ + pos_;
  if (pos_ < end_) {
    const char* start = buffer_.get() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    if (newline != nullptr) {  // the whole line is in the buffer
      const auto length = static_cast<std::size_t>(newline - start) + 1;
      *line = std::string_view(start, length);
      *blank = IsBlank(start, length);
      pos_ += length;
      return true;
    }
  }
  // The line runs past the buffer, or the buffer is used up: assemble it.
  Result<bool> more = NextLine(&spill_, blank);
  spill_.reserve(spill_.size() + kLinePadding);
  *line = spill_;
  return more;
}

Result<bool> LineReader::NextNonBlankView(std::string_view* line, std::uint64_t* line_number) {
  while (true) {
    bool blank = true;
    Result<bool> more = NextLineView(line, &blank);
    if (!more.ok() || !more.value()) return more;
    ++line_number_;
    if (blank) continue;
    *line_number = line_number_;
    return true;
  }
}

Result<bool> LineReader::NextNonBlank(std::string* line, std::uint64_t* line_number) {
  std::string_view view;
  Result<bool> more = NextNonBlankView(&view, line_number);
  if (line != nullptr) {
    line->clear();
    if (more.ok() && more.value()) line->assign(view);
  }
  return more;
}

}  // namespace neardup::internal
