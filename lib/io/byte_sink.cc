// Encoding sinks for WriteKept: plain, gzip (deflate) and zstd, streaming.
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

#include "io/byte_source.h"

namespace neardup::internal {
namespace {

class PlainSink final : public ByteSink {
 public:
  explicit PlainSink(AtomicFile* out) : out_(out) {}
  Status Write(std::string_view bytes) override { return out_->Write(bytes); }
  Status Finish() override { return Status::OK(); }

 private:
  AtomicFile* out_;
};

class GzipSink final : public ByteSink {
 public:
  GzipSink(AtomicFile* out, std::string name)
      : out_(out), name_(std::move(name)), buffer_(new char[kIoBufferSize]) {}
  ~GzipSink() override {
    if (initialized_) deflateEnd(&stream_);
  }
  GzipSink(const GzipSink&) = delete;
  GzipSink& operator=(const GzipSink&) = delete;

  Status Init() {
    // 15 + 16: the largest window, with a gzip header and trailer (not zlib's).
    if (deflateInit2(&stream_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return Status::Internal(name_ + ": deflateInit2 failed");
    }
    initialized_ = true;
    return Status::OK();
  }

  Status Write(std::string_view bytes) override {
    // Fed in pieces that fit uInt, so a line of any length is accepted.
    while (!bytes.empty()) {
      const std::size_t piece = std::min<std::size_t>(bytes.size(), kIoBufferSize);
      NEARDUP_RETURN_IF_ERROR(Deflate(bytes.substr(0, piece), Z_NO_FLUSH));
      bytes.remove_prefix(piece);
    }
    return Status::OK();
  }
  Status Finish() override { return Deflate({}, Z_FINISH); }

 private:
  Status Deflate(std::string_view bytes, int flush) {
    // zlib never writes through next_in; the cast only drops const.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream_.avail_in = static_cast<uInt>(bytes.size());
    while (true) {
      stream_.next_out = reinterpret_cast<Bytef*>(buffer_.get());
      stream_.avail_out = static_cast<uInt>(kIoBufferSize);
      const int ret = deflate(&stream_, flush);
      if (ret == Z_STREAM_ERROR) return Status::Internal(name_ + ": deflate failed");
      const std::size_t produced = kIoBufferSize - stream_.avail_out;
      NEARDUP_RETURN_IF_ERROR(out_->Write(std::string_view(buffer_.get(), produced)));
      if (flush == Z_FINISH ? ret == Z_STREAM_END : stream_.avail_out != 0) return Status::OK();
    }
  }

  AtomicFile* out_;
  std::string name_;
  std::unique_ptr<char[]> buffer_;  // compressed bytes on their way to out_
  z_stream stream_{};
  bool initialized_ = false;
};

class ZstdSink final : public ByteSink {
 public:
  ZstdSink(AtomicFile* out, std::string name)
      : out_(out), name_(std::move(name)), buffer_(new char[kIoBufferSize]) {}
  ~ZstdSink() override { ZSTD_freeCCtx(context_); }
  ZstdSink(const ZstdSink&) = delete;
  ZstdSink& operator=(const ZstdSink&) = delete;

  Status Init() {
    context_ = ZSTD_createCCtx();
    if (context_ == nullptr) return Status::Internal(name_ + ": ZSTD_createCCtx failed");
    // A checksum lets a later reader detect corruption, not just truncation.
    const std::size_t r = ZSTD_CCtx_setParameter(context_, ZSTD_c_checksumFlag, 1);
    if (ZSTD_isError(r)) return Status::Internal(name_ + ": " + ZSTD_getErrorName(r));
    return Status::OK();
  }

  Status Write(std::string_view bytes) override { return Compress(bytes, ZSTD_e_continue); }
  Status Finish() override { return Compress({}, ZSTD_e_end); }

 private:
  Status Compress(std::string_view bytes, ZSTD_EndDirective mode) {
    ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
    while (true) {
      ZSTD_outBuffer output{buffer_.get(), kIoBufferSize, 0};
      const std::size_t remaining = ZSTD_compressStream2(context_, &output, &input, mode);
      if (ZSTD_isError(remaining)) {
        return Status::Internal(name_ + ": " + ZSTD_getErrorName(remaining));
      }
      NEARDUP_RETURN_IF_ERROR(out_->Write(std::string_view(buffer_.get(), output.pos)));
      const bool done = mode == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
      if (done) return Status::OK();
    }
  }

  AtomicFile* out_;
  std::string name_;
  std::unique_ptr<char[]> buffer_;  // compressed bytes on their way to out_
  ZSTD_CCtx* context_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<ByteSink>> NewEncodingSink(Codec codec, AtomicFile* out,
                                                  const std::string& name) {
  switch (codec) {
    case Codec::kNone:
      return std::unique_ptr<ByteSink>(new PlainSink(out));
    case Codec::kGzip: {
      auto sink = std::make_unique<GzipSink>(out, name);
      NEARDUP_RETURN_IF_ERROR(sink->Init());
      return std::unique_ptr<ByteSink>(std::move(sink));
    }
    case Codec::kZstd: {
      auto sink = std::make_unique<ZstdSink>(out, name);
      NEARDUP_RETURN_IF_ERROR(sink->Init());
      return std::unique_ptr<ByteSink>(std::move(sink));
    }
  }
  return Status::Internal("unknown codec");
}

}  // namespace neardup::internal
