// LineReader: lines out of a (possibly decompressing) byte source.
#include <cstring>

#include "io/io_internal.h"

namespace neardup::internal {

LineReader::LineReader() : buffer_(new char[kIoBufferSize]) {}

LineReader::~LineReader() = default;

Status LineReader::Open(const std::string& path, const std::string& display) {
  path_ = display.empty() ? path : display;
  Result<std::unique_ptr<ByteSource>> source = OpenDecodedFile(path, &codec_);
  if (!source.ok()) return source.status();
  source_ = std::move(source).value();
  return Status::OK();
}

std::uint64_t LineReader::bytes_read() const {
  return source_ != nullptr ? source_->bytes_consumed() : 0;
}

Result<bool> LineReader::NextLine(std::string* line) {
  line->clear();
  while (true) {
    if (pos_ == end_) {
      if (eof_) return !line->empty();
      Result<std::size_t> got = source_->Read(buffer_.get(), kIoBufferSize);
      if (!got.ok()) {
        // A partial line before the fault is dropped: it was never complete.
        error_detail_ = got.status().message();
        return Status(got.status().code(),
                      path_ + ":" + std::to_string(line_number_) + ": " + got.status().message());
      }
      pos_ = 0;
      end_ = got.value();
      eof_ = end_ == 0;
      continue;
    }
    const char* start = buffer_.get() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) + 1 : end_ - pos_;
    line->append(start, length);
    pos_ += length;
    if (newline != nullptr) return true;
  }
}

Result<bool> LineReader::NextNonBlank(std::string* line, std::uint64_t* line_number) {
  while (true) {
    Result<bool> more = NextLine(line);
    if (!more.ok() || !more.value()) return more;
    ++line_number_;
    if (line->find_first_not_of(" \t\r\n") == std::string::npos) continue;
    *line_number = line_number_;
    return true;
  }
}

}  // namespace neardup::internal
