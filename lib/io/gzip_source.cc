// gzip decoding with ISA-L's igzip (isal_inflate), streaming: 2.4x zlib on
// one stream and 1.7x on a member per WARC record on this machine
// (bench/inflate/inflate_compare, docs/PERFORMANCE.md "Compressed input").
// Each member is decoded with its header parsed and its CRC and size checked
// (ISAL_GZIP). Access points inside a member are snapshots of the decoder's
// state (see access_points.h), so decoding resumes from one with the same
// decoder and the member's CRC is still checked at its end.
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

#include "io/access_points.h"
#include "io/byte_source.h"
#include "io/parallel_source.h"

namespace neardup::internal {
namespace {

// The detail zlib gave for each fault, so that messages read as before.
const char* IsalFault(int ret) {
  switch (ret) {
    case ISAL_INCORRECT_CHECKSUM:
      return "incorrect data check";
    case ISAL_INVALID_BLOCK:
      return "invalid block type";
    case ISAL_INVALID_SYMBOL:
      return "invalid code";
    case ISAL_INVALID_LOOKBACK:
      return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER:
      return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD:
      return "unknown compression method";
    case ISAL_NEED_DICT:
      return "need dictionary";
    default:
      return "inflate failed";
  }
}

// The bytes of a decoder state that matter: everything before the output
// buffer, and the part of the buffer in use (history and pending output).
std::string Snapshot(const inflate_state& state) {
  const std::size_t used = offsetof(inflate_state, tmp_out_buffer) +
                           static_cast<std::size_t>(std::max(state.tmp_out_valid, 0));
  return std::string(reinterpret_cast<const char*>(&state), used);
}

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, AccessIndex* record, const AccessPoint* start,
             const StreamPosition& at)
      : compressed_(std::move(compressed)),
        in_(new char[kIoBufferSize]),
        members_(at.after_end ? 1 : 0),
        decoded_(at.decoded),
        raw_start_(compressed_->RawOffsetOf(0)),
        record_(raw_start_ ? record : nullptr) {
    NewMember();
    if (start != nullptr && start->InsideMember()) {
      // Resumed inside a member: the state as it was there; its input
      // pointers are set on the first Refill.
      std::memcpy(&state_, start->window.data(),
                  std::min(start->window.size(), sizeof(inflate_state)));
      state_.next_in = nullptr;
      state_.avail_in = 0;
      in_member_ = true;
      member_out_ = 1;  // a fault here is not trailing garbage
    } else if (raw_start_) {
      member_starts_.emplace_back(decoded_, *raw_start_);  // no other thread yet
      if (record_ != nullptr) record_->AddStart(decoded_, *raw_start_);
    }
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    Result<std::size_t> got = Decode(buffer, n);
    if (got.ok()) decoded_ += got.value();
    return got;
  }
  std::uint64_t bytes_consumed() const override { return compressed_->bytes_consumed(); }
  // Thread-safe against Read (a prefetching source asks from another thread).
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    std::lock_guard<std::mutex> lock(starts_mutex_);
    while (!member_starts_.empty() && member_starts_.front().first < decoded) {
      member_starts_.pop_front();
    }
    if (member_starts_.empty() || member_starts_.front().first != decoded) return std::nullopt;
    return member_starts_.front().second;
  }

 private:
  void NewMember() {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;  // parse the header, check CRC and size
  }
  // File offset of the first compressed byte the decoder has not taken.
  std::uint64_t RawNext() const {
    return *raw_start_ + compressed_->bytes_consumed() - state_.avail_in;
  }

  // Read() without counting the bytes it returns.
  Result<std::size_t> Decode(char* buffer, std::size_t n) {
    if (!failure_.ok()) return failure_;
    const auto wanted = static_cast<std::uint32_t>(std::min<std::size_t>(n, kIoBufferSize));
    state_.next_out = reinterpret_cast<uint8_t*>(buffer);
    state_.avail_out = wanted;
    while (true) {
      if (state_.avail_in == 0 && !eof_) NEARDUP_RETURN_IF_ERROR(Refill());
      if (state_.avail_in == 0 && eof_ && !in_member_) return std::size_t{0};
      if (!in_member_ && members_ > 0 && state_.avail_in > 0 &&
          (padding_ || *state_.next_in == 0)) {
        if (SkipPadding()) continue;  // read on: only the end may follow
        failure_ = Status::InvalidInput("trailing garbage after zero padding of a gzip stream");
        return failure_;  // nothing is decoded yet in this call
      }
      // Input remains after a member's end: gzip allows members back to back
      // (pigz, `cat a.gz b.gz`), and they form one stream.
      in_member_ = true;
      const std::uint32_t in_before = state_.avail_in;
      const int ret = isal_inflate(&state_);
      const std::size_t produced = wanted - state_.avail_out;
      if (ret != ISAL_DECOMP_OK) {
        failure_ =
            members_ > 0 && member_out_ == 0 && produced == 0
                ? Status::InvalidInput("trailing garbage after gzip stream")
                : Status::InvalidInput(std::string("corrupt gzip stream: ") + IsalFault(ret));
        // Bytes decoded by this call precede the fault (a bad CRC is found
        // after the member's data): hand them out before the error.
        return produced > 0 ? Result<std::size_t>(produced) : failure_;
      }
      member_out_ += produced;
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        EndMember(produced);
      } else if (record_ != nullptr && produced > 0 && member_out_ > produced &&
                 record_->WantsWindowAt(decoded_ + produced)) {
        // Between two calls the decoder's state is all it needs to go on
        // (its history is in its own buffer): a point inside the member.
        record_->AddWindow(decoded_ + produced, RawNext(), Snapshot(state_));
      }
      // Return what is decoded before looking further, so a fault later in
      // the file cannot swallow data that precedes it.
      if (produced > 0) return produced;
      if (state_.avail_in == 0 && eof_ && in_before == 0) {
        return Status::InvalidInput("truncated gzip stream");
      }
    }
  }
  // Zero bytes after the last member are padding (tar and some tape and
  // archive tools write them; gzip itself ignores them). Anything after them
  // is garbage, as a non-zero byte there always is. Skips the zero bytes of
  // the input at hand; returns whether it is all taken.
  bool SkipPadding() {
    while (state_.avail_in > 0 && *state_.next_in == 0) {
      ++state_.next_in;
      --state_.avail_in;
    }
    padding_ = true;
    return state_.avail_in == 0;
  }
  // Called when a member ends in a call to isal_inflate that decoded
  // `produced` bytes: the decoder is set for the next member.
  void EndMember(std::size_t produced) {
    // The member ended and its trailer checked out.
    in_member_ = false;
    ++members_;
    member_out_ = 0;
    // A fresh state for the next member, on the same input and output
    // (isal_inflate_init clears both). ISA-L has already given back the
    // whole bytes its bit buffer took past the trailer.
    uint8_t* next = state_.next_in;
    const std::uint32_t left = state_.avail_in;
    uint8_t* out = state_.next_out;
    const std::uint32_t room = state_.avail_out;
    NewMember();
    state_.next_in = next;
    state_.avail_in = left;
    state_.next_out = out;
    state_.avail_out = room;
    // The next member, if any, starts at the first compressed byte not
    // yet inflated. Starts far behind the reader are dropped.
    if (raw_start_) {
      const std::uint64_t raw = RawNext();
      {
        std::lock_guard<std::mutex> lock(starts_mutex_);
        member_starts_.emplace_back(decoded_ + produced, raw);
        if (member_starts_.size() > kMaxMemberStarts) member_starts_.pop_front();
      }
      if (record_ != nullptr) record_->AddStart(decoded_ + produced, raw);
    }
  }
  Status Refill() {
    Result<std::size_t> got = compressed_->Read(in_.get(), kIoBufferSize);
    if (!got.ok()) return got.status();
    state_.next_in = reinterpret_cast<uint8_t*>(in_.get());
    state_.avail_in = static_cast<std::uint32_t>(got.value());
    eof_ = got.value() == 0;
    return Status::OK();
  }

  std::unique_ptr<ByteSource> compressed_;
  std::unique_ptr<char[]> in_;  // compressed bytes not yet inflated
  inflate_state state_{};
  Status failure_;                // a decoding error, returned once the bytes before it are out
  bool eof_ = false;              // compressed_ returned 0
  bool in_member_ = false;        // a member has begun and not yet ended
  bool padding_ = false;          // zero bytes follow the last member
  std::uint64_t members_ = 0;     // members completely decoded
  std::uint64_t member_out_ = 0;  // bytes decoded from the current member
  std::uint64_t decoded_ = 0;     // decoded offset of the next byte Read() returns
  // File offset of the compressed source's first byte; none when it is not
  // a file (then no member starts are kept).
  std::optional<std::uint64_t> raw_start_;
  // (decoded offset, file offset) of member starts not yet passed by
  // RawOffsetOf; the first member starts where the source does.
  static constexpr std::size_t kMaxMemberStarts = std::size_t{1} << 16;
  std::mutex starts_mutex_;  // guards member_starts_
  std::deque<std::pair<std::uint64_t, std::uint64_t>> member_starts_;
  AccessIndex* record_;  // access points go here; null: none are recorded
};

// Room for at least `room` more decoded bytes in *run, at most `max_out`
// in all; false when that is not allowed.
bool Reserve(DecodedRun* run, std::size_t room, std::size_t want, std::size_t max_out) {
  if (run->capacity - run->size >= room) return true;
  if (run->capacity >= max_out) return false;
  const std::size_t capacity = std::min(max_out, std::max({run->capacity * 2, want, room}));
  std::unique_ptr<char[]> data(new char[capacity]);
  if (run->size > 0) std::memcpy(data.get(), run->data.get(), run->size);
  run->data = std::move(data);
  run->capacity = capacity;
  return true;
}

}  // namespace

bool MayStartGzipMember(const unsigned char* data, std::size_t size) {
  return size >= 4 && data[0] == 0x1F && data[1] == 0x8B && data[2] == 8 && (data[3] & 0xE0) == 0;
}

bool DecodeGzipRun(std::string_view raw, std::uint64_t raw_begin, std::size_t max_out,
                   std::uint64_t window_span, DecodedRun* run) {
  constexpr std::size_t kMinRoom = std::size_t{64} << 10;
  // ISA-L's output per call: it returns between calls, where a window may
  // be taken, and keeps the last 32 KB in its own buffer for the next.
  constexpr std::size_t kCallOut = std::size_t{1} << 20;
  constexpr unsigned char kHeaderCrc = 0x02;  // FHCRC
  run->size = 0;
  run->ends.clear();
  run->windows.clear();
  auto* in = reinterpret_cast<uint8_t*>(const_cast<char*>(raw.data()));
  std::unique_ptr<inflate_state> state;
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> whole(
      nullptr, &libdeflate_free_decompressor);
  std::size_t pos = 0;  // offset in raw of the next member
  while (pos < raw.size()) {
    const std::size_t left = raw.size() - pos;
    // Bytes after a member that do not start one (padding, garbage): the
    // sequential decoder decides what they are.
    if (!MayStartGzipMember(in + pos, left)) return false;
    if (window_span == 0 && (in[pos + 3] & kHeaderCrc) == 0) {
      // No window wanted: libdeflate decodes the member whole, about 12%
      // less CPU than ISA-L on members of a few KB (inflate_compare; its
      // table setup is cheaper), CRC and size checked as ISA-L checks
      // them. Members with a header CRC, which libdeflate skips unchecked,
      // take ISA-L's path below.
      if (whole == nullptr) whole.reset(libdeflate_alloc_decompressor());
      if (whole == nullptr) return false;
      while (true) {
        if (!Reserve(run, kMinRoom, left * 4, max_out)) return false;
        std::size_t in_used = 0, out_used = 0;
        const libdeflate_result ret =
            libdeflate_gzip_decompress_ex(whole.get(), in + pos, left, run->data.get() + run->size,
                                          run->capacity - run->size, &in_used, &out_used);
        if (ret == LIBDEFLATE_INSUFFICIENT_SPACE) {
          // Room for twice what there was (Reserve gives no more at the bound).
          if (!Reserve(run, (run->capacity - run->size) * 2, 0, max_out)) return false;
          continue;
        }
        if (ret != LIBDEFLATE_SUCCESS) return false;
        run->size += out_used;
        pos += in_used;
        break;
      }
      run->ends.emplace_back(run->size, raw_begin + pos);
      continue;
    }
    if (state == nullptr) state = std::make_unique<inflate_state>();
    isal_inflate_init(state.get());
    state->crc_flag = ISAL_GZIP;
    state->next_in = in + pos;
    state->avail_in = static_cast<std::uint32_t>(left);
    std::uint64_t member_out = 0;          // decoded bytes of this member
    std::uint64_t last_point = run->size;  // run offset of the member start or last window
    while (true) {
      if (!Reserve(run, kMinRoom, left * 4, max_out)) return false;
      const std::size_t room = std::min(run->capacity - run->size, kCallOut);
      state->next_out = reinterpret_cast<uint8_t*>(run->data.get() + run->size);
      state->avail_out = static_cast<std::uint32_t>(room);
      const std::uint32_t in_before = state->avail_in;
      const int ret = isal_inflate(state.get());
      const std::size_t produced = room - state->avail_out;
      run->size += produced;
      member_out += produced;
      if (ret != ISAL_DECOMP_OK) return false;
      if (state->block_state == ISAL_BLOCK_FINISH) break;
      if (window_span > 0 && produced > 0 && member_out > produced &&
          run->size >= last_point + window_span) {
        run->windows.push_back(DecodedRun::Window{
            run->size, raw_begin + (raw.size() - state->avail_in), Snapshot(*state)});
        last_point = run->size;
      }
      // Neither input taken nor output made: the member is cut short here.
      if (produced == 0 && state->avail_in == in_before) return false;
    }
    // The member's trailer checked out; the next begins at the first byte
    // not taken (ISA-L gives back what its bit buffer held past it).
    pos = raw.size() - state->avail_in;
    run->ends.emplace_back(run->size, raw_begin + pos);
  }
  return !raw.empty();
}

Result<std::unique_ptr<ByteSource>> NewGzipSource(std::unique_ptr<ByteSource> compressed,
                                                  AccessIndex* record, const AccessPoint* start,
                                                  const StreamPosition& at) {
  return std::unique_ptr<ByteSource>(
      std::make_unique<GzipSource>(std::move(compressed), record, start, at));
}

}  // namespace neardup::internal
