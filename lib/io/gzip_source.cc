// gzip decoding with zlib's inflate, streaming.
#include <zlib.h>

#include <algorithm>
#include <memory>

#include "io/byte_source.h"

namespace neardup::internal {
namespace {

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> compressed)
      : compressed_(std::move(compressed)), in_(new char[kIoBufferSize]) {}
  ~GzipSource() override {
    if (initialized_) inflateEnd(&stream_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Status Init() {
    // 15 + 32: the largest window, and accept a gzip (or zlib) header.
    if (inflateInit2(&stream_, 15 + 32) != Z_OK) return Status::Internal("inflateInit2 failed");
    initialized_ = true;
    return Status::OK();
  }

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    if (!failure_.ok()) return failure_;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, kIoBufferSize));
    const uInt wanted = stream_.avail_out;
    while (true) {
      if (stream_.avail_in == 0 && !eof_) NEARDUP_RETURN_IF_ERROR(Refill());
      if (stream_.avail_in == 0 && eof_ && !in_member_) return wanted - stream_.avail_out;
      // Input remains after a member's end: gzip allows members back to back
      // (pigz, `cat a.gz b.gz`), and they form one stream.
      in_member_ = true;
      const int ret = inflate(&stream_, Z_NO_FLUSH);
      const std::size_t produced = wanted - stream_.avail_out;
      if (ret == Z_STREAM_END) {
        in_member_ = false;
        ++members_;
        member_out_ = 0;
        inflateReset(&stream_);
      } else if (ret == Z_BUF_ERROR) {
        // No progress was possible: inflate needs input the file lacks.
        if (stream_.avail_in == 0 && eof_) return Status::InvalidInput("truncated gzip stream");
      } else if (ret != Z_OK) {
        const char* detail = stream_.msg != nullptr ? stream_.msg : "inflate failed";
        failure_ = members_ > 0 && member_out_ == 0 && produced == 0
                       ? Status::InvalidInput("trailing garbage after gzip stream")
                       : Status::InvalidInput(std::string("corrupt gzip stream: ") + detail);
        // Bytes decoded by this call precede the fault (a bad CRC is found
        // after the member's data): hand them out before the error.
        return produced > 0 ? Result<std::size_t>(produced) : failure_;
      } else {
        member_out_ += produced;
      }
      // Return what is decoded before looking further, so a fault later in
      // the file cannot swallow data that precedes it.
      if (produced > 0) return produced;
    }
  }
  std::uint64_t bytes_consumed() const override { return compressed_->bytes_consumed(); }

 private:
  Status Refill() {
    Result<std::size_t> got = compressed_->Read(in_.get(), kIoBufferSize);
    if (!got.ok()) return got.status();
    stream_.next_in = reinterpret_cast<Bytef*>(in_.get());
    stream_.avail_in = static_cast<uInt>(got.value());
    eof_ = got.value() == 0;
    return Status::OK();
  }

  std::unique_ptr<ByteSource> compressed_;
  std::unique_ptr<char[]> in_;  // compressed bytes not yet inflated
  z_stream stream_{};
  bool initialized_ = false;
  Status failure_;                // a decoding error, returned once the bytes before it are out
  bool eof_ = false;              // compressed_ returned 0
  bool in_member_ = false;        // a member has begun and not yet ended
  std::uint64_t members_ = 0;     // members completely decoded
  std::uint64_t member_out_ = 0;  // bytes decoded from the current member
};

}  // namespace

Result<std::unique_ptr<ByteSource>> NewGzipSource(std::unique_ptr<ByteSource> compressed) {
  auto source = std::make_unique<GzipSource>(std::move(compressed));
  NEARDUP_RETURN_IF_ERROR(source->Init());
  return std::unique_ptr<ByteSource>(std::move(source));
}

}  // namespace neardup::internal
