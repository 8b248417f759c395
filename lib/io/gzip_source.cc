// gzip decoding with zlib's inflate, streaming; access points recorded on
// the way (see access_points.h), and decoding resumed from one.
#include <zlib.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <utility>

#include "io/access_points.h"
#include "io/byte_source.h"

namespace neardup::internal {
namespace {

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, AccessIndex* record, const AccessPoint* start)
      : compressed_(std::move(compressed)),
        in_(new char[kIoBufferSize]),
        raw_start_(compressed_->RawOffsetOf(0)),
        record_(raw_start_ ? record : nullptr) {
    if (start != nullptr) {
      resumed_ = true;  // decoded offsets count from the point
    } else if (raw_start_) {
      member_starts_.emplace_back(0, *raw_start_);
      if (record_ != nullptr) record_->AddStart(0, *raw_start_);
    }
  }
  ~GzipSource() override {
    if (initialized_) inflateEnd(&stream_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Status Init(const AccessPoint* start, int prime_byte) {
    // 15 + 32: the largest window, and accept a gzip (or zlib) header.
    // Resumed inside a member: raw deflate, primed with the bits of the
    // block boundary's byte and the window before it (zlib's zran.c).
    if (inflateInit2(&stream_, start != nullptr ? -15 : 15 + 32) != Z_OK) {
      return Status::Internal("inflateInit2 failed");
    }
    initialized_ = true;
    if (start == nullptr) return Status::OK();
    in_member_ = true;
    if (start->bits != 0 &&
        inflatePrime(&stream_, start->bits, prime_byte >> (8 - start->bits)) != Z_OK) {
      return Status::Internal("inflatePrime failed");
    }
    if (!start->window.empty() &&
        inflateSetDictionary(&stream_, reinterpret_cast<const Bytef*>(start->window.data()),
                             static_cast<uInt>(start->window.size())) != Z_OK) {
      return Status::Internal("inflateSetDictionary failed");
    }
    return Status::OK();
  }

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    Result<std::size_t> got = Decode(buffer, n);
    if (got.ok()) decoded_ += got.value();
    return got;
  }
  std::uint64_t bytes_consumed() const override { return compressed_->bytes_consumed(); }
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    while (!member_starts_.empty() && member_starts_.front().first < decoded) {
      member_starts_.pop_front();
    }
    if (member_starts_.empty() || member_starts_.front().first != decoded) return std::nullopt;
    return member_starts_.front().second;
  }

 private:
  // Read() without counting the bytes it returns.
  Result<std::size_t> Decode(char* buffer, std::size_t n) {
    if (!failure_.ok()) return failure_;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, kIoBufferSize));
    const uInt wanted = stream_.avail_out;
    while (true) {
      if (stream_.avail_in == 0 && !eof_) NEARDUP_RETURN_IF_ERROR(Refill());
      if (stream_.avail_in == 0 && eof_ && !in_member_) return wanted - stream_.avail_out;
      if (!in_member_ && members_ > 0 && stream_.avail_in > 0 &&
          (padding_ || *stream_.next_in == 0)) {
        // Zero bytes after the last member are padding (tar and some tape
        // and archive tools write them; gzip itself ignores them). Anything
        // after them is garbage, as a non-zero byte there always is.
        while (stream_.avail_in > 0 && *stream_.next_in == 0) {
          ++stream_.next_in;
          --stream_.avail_in;
        }
        padding_ = true;
        if (stream_.avail_in == 0) continue;  // read on: only the end may follow
        failure_ = Status::InvalidInput("trailing garbage after zero padding of a gzip stream");
        return failure_;  // nothing is decoded yet in this call
      }
      if (trailer_left_ > 0) {
        // The trailer of the member a resumed decoder began inside.
        const uInt skip = std::min<uInt>(trailer_left_, stream_.avail_in);
        stream_.next_in += skip;
        stream_.avail_in -= skip;
        trailer_left_ -= skip;
        if (trailer_left_ > 0 && stream_.avail_in == 0 && eof_) {
          return Status::InvalidInput("truncated gzip stream");
        }
        continue;
      }
      // Input remains after a member's end: gzip allows members back to back
      // (pigz, `cat a.gz b.gz`), and they form one stream.
      in_member_ = true;
      // Near the next access point, stop at deflate block boundaries, where
      // decoding can resume from the window alone.
      const bool at_blocks = record_ != nullptr && member_out_ > 0 &&
                             record_->WantsWindowAt(decoded_ + (wanted - stream_.avail_out));
      const int ret = inflate(&stream_, at_blocks ? Z_BLOCK : Z_NO_FLUSH);
      const std::size_t produced = wanted - stream_.avail_out;
      if (at_blocks && ret == Z_OK && (stream_.data_type & 128) != 0 &&
          (stream_.data_type & 64) == 0) {
        RecordWindow(decoded_ + produced);
      }
      if (ret == Z_STREAM_END && resumed_) {
        // The raw decoder ends with the deflate data; the trailer follows.
        resumed_ = false;
        trailer_left_ = 8;
        in_member_ = false;
        ++members_;
        member_out_ = 0;
        inflateReset2(&stream_, 15 + 32);
        if (produced > 0) return produced;
        continue;
      }
      if (ret == Z_STREAM_END) {
        in_member_ = false;
        ++members_;
        member_out_ = 0;
        inflateReset(&stream_);
        // The next member, if any, starts at the first compressed byte not
        // yet inflated. Starts far behind the reader are dropped.
        if (raw_start_) {
          const std::uint64_t raw = *raw_start_ + compressed_->bytes_consumed() - stream_.avail_in;
          member_starts_.emplace_back(decoded_ + produced, raw);
          if (member_starts_.size() > kMaxMemberStarts) member_starts_.pop_front();
          if (record_ != nullptr) record_->AddStart(decoded_ + produced, raw);
        }
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
  // An access point at the block boundary inflate stopped at: the decoded
  // offset `decoded`, the unused bits of the last byte taken, the window.
  void RecordWindow(std::uint64_t decoded) {
    std::string window(32768, '\0');
    uInt length = 32768;
    if (inflateGetDictionary(&stream_, reinterpret_cast<Bytef*>(window.data()), &length) != Z_OK) {
      return;
    }
    window.resize(length);
    const std::uint64_t raw = *raw_start_ + compressed_->bytes_consumed() - stream_.avail_in;
    record_->AddWindow(decoded, raw, stream_.data_type & 7, std::move(window));
  }
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
  bool padding_ = false;          // zero bytes follow the last member
  std::uint64_t members_ = 0;     // members completely decoded
  std::uint64_t member_out_ = 0;  // bytes decoded from the current member
  std::uint64_t decoded_ = 0;     // bytes Read() returned so far
  // File offset of the compressed source's first byte; none when it is not
  // a file (then no member starts are kept).
  std::optional<std::uint64_t> raw_start_;
  // (decoded offset, file offset) of member starts not yet passed by
  // RawOffsetOf; the first member starts where the source does.
  static constexpr std::size_t kMaxMemberStarts = std::size_t{1} << 16;
  std::deque<std::pair<std::uint64_t, std::uint64_t>> member_starts_;
  AccessIndex* record_;    // access points go here; null: none are recorded
  bool resumed_ = false;   // decoding raw deflate from an access point inside a member
  uInt trailer_left_ = 0;  // bytes of that member's trailer not yet passed over
};

}  // namespace

Result<std::unique_ptr<ByteSource>> NewGzipSource(std::unique_ptr<ByteSource> compressed,
                                                  AccessIndex* record, const AccessPoint* start,
                                                  int prime_byte) {
  auto source = std::make_unique<GzipSource>(std::move(compressed), record, start);
  NEARDUP_RETURN_IF_ERROR(source->Init(start, prime_byte));
  return std::unique_ptr<ByteSource>(std::move(source));
}

}  // namespace neardup::internal
