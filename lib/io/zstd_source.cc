// zstd decoding with ZSTD_decompressStream, streaming.
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "io/access_points.h"
#include "io/byte_source.h"
#include "io/parallel_source.h"

namespace neardup::internal {
namespace {

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> compressed, AccessIndex* record, const StreamPosition& at)
      : compressed_(std::move(compressed)),
        in_(new char[kIoBufferSize]),
        frames_(at.after_end ? 1 : 0),
        decoded_(at.decoded),
        raw_start_(compressed_->RawOffsetOf(0)),
        record_(raw_start_ ? record : nullptr) {
    if (record_ != nullptr) record_->AddStart(decoded_, *raw_start_);
  }
  ~ZstdSource() override { ZSTD_freeDCtx(context_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Status Init() {
    // The default window limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 128 MB) is kept
    // on purpose: it bounds the decoder's memory whatever the file claims.
    context_ = ZSTD_createDCtx();
    if (context_ == nullptr) return Status::Internal("ZSTD_createDCtx failed");
    return Status::OK();
  }

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    if (!failure_.ok()) return failure_;
    while (true) {
      if (input_.pos == input_.size && !eof_) NEARDUP_RETURN_IF_ERROR(Refill());
      if (input_.pos == input_.size && eof_ && !in_frame_) return std::size_t{0};
      // On an error ZSTD_decompressStream does not report the bytes it wrote
      // in that call, so each call gets one unit of input only (the decoder's
      // hint: a header, a block, the checksum) and, after filling the output,
      // none at all (a pure flush). A fault then surfaces in a call that
      // decoded nothing, after every byte before it was returned.
      const bool flush_only = output_was_full_;
      const std::size_t feed =
          flush_only ? 0 : std::min(std::max<std::size_t>(hint_, 1), input_.size - input_.pos);
      ZSTD_inBuffer piece{input_.src, input_.pos + feed, input_.pos};
      ZSTD_outBuffer output{buffer, n, 0};
      // Consecutive frames are decoded one after another by the same call
      // sequence: a finished frame returns 0 and the next input starts a new one.
      const std::size_t hint = ZSTD_decompressStream(context_, &output, &piece);
      const bool consumed = piece.pos != input_.pos;
      input_.pos = piece.pos;
      if (ZSTD_isError(hint)) {
        failure_ = frames_ > 0 && !in_frame_
                       ? Status::InvalidInput("trailing garbage after zstd stream")
                       : Status::InvalidInput(std::string("corrupt zstd stream: ") +
                                              ZSTD_getErrorName(hint));
        return failure_;
      }
      hint_ = hint;
      output_was_full_ = output.pos == output.size;
      if (hint == 0) {
        in_frame_ = false;
        ++frames_;
        // The next frame, if any, starts at the first byte not yet decoded.
        if (record_ != nullptr) {
          record_->AddStart(decoded_ + output.pos, *raw_start_ + compressed_->bytes_consumed() -
                                                       (input_.size - input_.pos));
        }
      } else {
        in_frame_ = true;
      }
      // Return what is decoded before looking further, so a fault later in
      // the file cannot swallow data that precedes it.
      if (output.pos > 0) {
        decoded_ += output.pos;
        return output.pos;
      }
      if (!flush_only && !consumed && input_.pos == input_.size && eof_) {
        return Status::InvalidInput("truncated zstd stream");
      }
    }
  }
  std::uint64_t bytes_consumed() const override { return compressed_->bytes_consumed(); }

 private:
  Status Refill() {
    Result<std::size_t> got = compressed_->Read(in_.get(), kIoBufferSize);
    if (!got.ok()) return got.status();
    input_ = ZSTD_inBuffer{in_.get(), got.value(), 0};
    eof_ = got.value() == 0;
    return Status::OK();
  }

  std::unique_ptr<ByteSource> compressed_;
  std::unique_ptr<char[]> in_;  // compressed bytes not yet decoded
  ZSTD_inBuffer input_{nullptr, 0, 0};
  ZSTD_DCtx* context_ = nullptr;
  Status failure_;                // a decoding error, returned once the bytes before it are out
  bool eof_ = false;              // compressed_ returned 0
  std::size_t hint_ = 0;          // input the decoder wants next (0: a new frame)
  bool output_was_full_ = false;  // the last call may hold decoded bytes back
  bool in_frame_ = false;         // a frame has begun and not yet ended
  std::uint64_t frames_ = 0;      // frames completely decoded
  std::uint64_t decoded_ = 0;     // decoded offset of the next byte Read() returns
  std::optional<std::uint64_t> raw_start_;  // file offset of compressed_'s first byte
  AccessIndex* record_;                     // frame starts go here; null: none are recorded
};

}  // namespace

std::size_t ZstdFrameSize(const char* data, std::size_t size) {
  const std::size_t frame = ZSTD_findFrameCompressedSize(data, size);
  return ZSTD_isError(frame) ? 0 : frame;
}

bool DecodeZstdRun(std::string_view raw, std::uint64_t raw_begin, std::size_t max_out,
                   DecodedRun* run) {
  constexpr std::size_t kMinRoom = std::size_t{128} << 10;
  run->size = 0;
  run->ends.clear();
  run->windows.clear();
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (context == nullptr || raw.empty()) return false;
  ZSTD_inBuffer input{raw.data(), raw.size(), 0};
  while (true) {
    if (run->capacity - run->size < kMinRoom) {
      if (run->capacity >= max_out) return false;
      const std::size_t capacity =
          std::min(max_out, std::max({run->capacity * 2, raw.size() * 4, kMinRoom}));
      std::unique_ptr<char[]> data(new char[capacity]);
      if (run->size > 0) std::memcpy(data.get(), run->data.get(), run->size);
      run->data = std::move(data);
      run->capacity = capacity;
    }
    ZSTD_outBuffer output{run->data.get(), run->capacity, run->size};
    const std::size_t in_before = input.pos;
    const std::size_t hint = ZSTD_decompressStream(context.get(), &output, &input);
    const bool progressed = output.pos != run->size || input.pos != in_before;
    run->size = output.pos;
    if (ZSTD_isError(hint)) return false;
    if (hint == 0) {  // a frame ended, every byte of it flushed
      run->ends.emplace_back(run->size, raw_begin + input.pos);
      if (input.pos == input.size) return true;
    } else if (!progressed) {
      return false;  // the last frame is cut short
    }
  }
}

Result<std::unique_ptr<ByteSource>> NewZstdSource(std::unique_ptr<ByteSource> compressed,
                                                  AccessIndex* record, const StreamPosition& at) {
  auto source = std::make_unique<ZstdSource>(std::move(compressed), record, at);
  NEARDUP_RETURN_IF_ERROR(source->Init());
  return std::unique_ptr<ByteSource>(std::move(source));
}

}  // namespace neardup::internal
