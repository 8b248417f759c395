// Member-parallel gzip and frame-parallel zstd decoding: the runs, the
// workers that decode them, and the hand-over to the sequential decoder.
#include "io/parallel_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "io/access_points.h"
#include "io/pread.h"

namespace neardup::internal {
namespace {

// A run is cut at the first possible boundary past kRunTarget compressed
// bytes (about 1.3-2.5 MB decoded for text), and is given up (decoded
// sequentially from there) past kMaxRunRaw compressed or kMaxRunOut decoded
// bytes. At most `workers` + kQueued runs are held at once, so memory stays
// under (workers + kQueued) x (kMaxRunRaw + kMaxRunOut).
constexpr std::size_t kRunTarget = std::size_t{512} << 10;
constexpr std::size_t kMaxRunRaw = std::size_t{8} << 20;
// The first run is cut at most this far in: a one-stream gzip file, or one
// zstd frame, is handed to the sequential decoder after reading only this.
constexpr std::size_t kMaxFirstRunRaw = std::size_t{1} << 20;
constexpr std::size_t kMaxRunOut = std::size_t{16} << 20;
constexpr std::size_t kReadStep = std::size_t{256} << 10;
constexpr std::size_t kQueued = 3;
// gzip member starts kept for RawOffsetOf, as GzipSource keeps them.
constexpr std::size_t kMaxMemberStarts = std::size_t{1} << 16;

struct Run {
  std::uint64_t index = 0;      // 0 for the run at the file's start
  std::uint64_t raw_begin = 0;  // file offset of its first byte
  std::uint64_t raw_end = 0;
  std::string raw;         // its compressed bytes (released once decoded)
  bool decode = true;      // false: not a run of whole members (too big, unreadable)
  bool done = false;       // decoded, or not to be
  bool ok = false;         // decoded as whole members or frames ending at raw_end
  DecodedRun out;          // the decoded bytes, when ok
  std::size_t taken = 0;   // bytes of out handed out by Read
  bool published = false;  // its member starts and windows were recorded
};

class ParallelSource final : public ByteSource {
 public:
  ParallelSource(std::FILE* file, Codec codec, AccessIndex* record, unsigned workers)
      : file_(file), fd_(fileno(file)), codec_(codec), record_(record) {
    struct stat st;
    size_ = ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    max_runs_ = std::max(workers, 1U) + kQueued;
    for (unsigned i = 0; i < std::max(workers, 1U); ++i) workers_.emplace_back([this] { Work(); });
  }
  ~ParallelSource() override {
    StopWorkers();
    sequential_.reset();
    std::fclose(file_);
  }
  ParallelSource(const ParallelSource&) = delete;
  ParallelSource& operator=(const ParallelSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    if (sequential_ != nullptr) return ReadSequential(buffer, n);
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] { return runs_.empty() ? cut_end_ : runs_.front()->done; });
      if (runs_.empty()) return std::size_t{0};  // every run read, the file's end reached
      Run& run = *runs_.front();
      if (!run.ok) {
        const std::uint64_t index = run.index;
        const std::uint64_t raw = run.raw_begin;
        lock.unlock();
        NEARDUP_RETURN_IF_ERROR(GoSequential(index, raw));
        return ReadSequential(buffer, n);
      }
      if (!run.published) Publish(&run);
      if (run.taken < run.out.size) {
        const std::size_t take = std::min(n, run.out.size - run.taken);
        std::memcpy(buffer, run.out.data.get() + run.taken, take);
        run.taken += take;
        decoded_ += take;
        if (run.taken == run.out.size) Pop();
        return take;
      }
      Pop();  // a run of empty members
    }
  }
  std::uint64_t bytes_consumed() const override { return consumed_.load(); }
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    if (codec_ != Codec::kGzip) return std::nullopt;  // as ZstdSource
    ByteSource* sequential = nullptr;
    {
      std::lock_guard<std::mutex> lock(starts_mutex_);
      while (!member_starts_.empty() && member_starts_.front().first < decoded) {
        member_starts_.pop_front();
      }
      if (!member_starts_.empty() && member_starts_.front().first == decoded) {
        return member_starts_.front().second;
      }
      sequential = sequential_for_offsets_;
    }
    return sequential != nullptr ? sequential->RawOffsetOf(decoded) : std::nullopt;
  }

 private:
  // Worker: cut the next run, decode it, hand it over; until stopped or the
  // cutting is over.
  void Work() {
    while (true) {
      Run* run = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        // The first run alone decides whether the file is decoded in runs at
        // all (a one-stream gzip file is not): no other is cut before it is done.
        changed_.wait(lock, [this] {
          return stop_ || cut_end_ || ((runs_cut_ == 0 || first_ok_) && runs_.size() < max_runs_);
        });
        if (stop_ || cut_end_) return;
        run = Cut();
      }
      if (run->decode) {
        std::string_view raw(run->raw);
        run->ok = codec_ == Codec::kGzip
                      ? DecodeGzipRun(raw, run->raw_begin, kMaxRunOut,
                                      record_ != nullptr ? AccessIndex::kInitialSpan : 0, &run->out)
                      : DecodeZstdRun(raw, run->raw_begin, kMaxRunOut, &run->out);
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        run->done = true;
        if (!run->ok) cut_end_ = true;  // the rest is decoded sequentially
        if (run->index == 0) first_ok_ = run->ok;
      }
      changed_.notify_all();
    }
  }

  // The next run, appended to runs_. REQUIRES: mutex_ held, !cut_end_
  Run* Cut() {
    auto run = std::make_unique<Run>();
    if (!free_.empty()) {
      // A run read out lends its buffers (fresh ones cost a page fault per 4 KB).
      run->out = std::move(free_.back().out);
      run->raw = std::move(free_.back().raw);
      free_.pop_back();
    }
    run->index = runs_cut_++;
    run->raw_begin = next_raw_;
    std::size_t end = 0;
    bool whole = true;
    if (codec_ == Codec::kGzip) {
      // The first member header past the target, or the file's end.
      std::size_t from = kRunTarget;
      while (true) {
        end = FindMemberStart(from);
        if (end != 0) break;
        from = std::max(from, carry_.size() >= 3 ? carry_.size() - 3 : 0);
        if (AtEnd()) {
          end = carry_.size();
          break;
        }
        if (carry_.size() >= MaxRaw(run->index) || !ReadMore()) {
          end = carry_.size();
          whole = false;
          break;
        }
      }
    } else {
      // Whole frames, by their headers, up to the target or the file's end.
      while (end < kRunTarget && !(AtEnd() && end == carry_.size())) {
        const std::size_t frame = ZstdFrameSize(carry_.data() + end, carry_.size() - end);
        if (frame != 0) {
          end += frame;
          continue;
        }
        if (AtEnd() || carry_.size() >= MaxRaw(run->index) || !ReadMore()) {
          if (end == 0) {
            end = carry_.size();
            whole = false;
          }
          break;
        }
      }
    }
    run->raw.assign(carry_, 0, end);
    carry_.erase(0, end);
    next_raw_ += end;
    run->raw_end = next_raw_;
    run->decode = whole && end > 0;
    if (!run->decode) run->done = true;
    if (!run->decode || next_raw_ >= size_) cut_end_ = true;
    runs_.push_back(std::move(run));
    return runs_.back().get();
  }
  // Offset in carry_ at or after `from` (> 0) where a member header is, 0 when none is in it.
  std::size_t FindMemberStart(std::size_t from) const {
    const auto* data = reinterpret_cast<const unsigned char*>(carry_.data());
    for (std::size_t i = std::max<std::size_t>(from, 1); i + 4 <= carry_.size(); ++i) {
      const void* hit = std::memchr(data + i, 0x1F, carry_.size() - i);
      if (hit == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - data);
      if (MayStartGzipMember(data + i, carry_.size() - i)) return i;
    }
    return 0;
  }
  static std::size_t MaxRaw(std::uint64_t index) {
    return index == 0 ? kMaxFirstRunRaw : kMaxRunRaw;
  }
  bool AtEnd() const { return next_raw_ + carry_.size() >= size_; }
  // Appends up to kReadStep more of the file to carry_; false on a read error
  // (the sequential decoder then meets it and reports it).
  bool ReadMore() {
    const std::size_t had = carry_.size();
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kReadStep, size_ - (next_raw_ + had)));
    carry_.resize(had + want);
    const ssize_t got = PreadFull(fd_, carry_.data() + had, want, next_raw_ + had);
    if (got <= 0) {
      carry_.resize(had);
      return false;
    }
    carry_.resize(had + static_cast<std::size_t>(got));
    return true;
  }

  // Records the run's member or frame starts and windows, in decoded order,
  // as the sequential decoder records them while decoding.
  void Publish(Run* run) {
    run->published = true;
    const std::uint64_t base = decoded_ - run->taken;
    if (run->index == 0) AddStart(0, 0);
    std::size_t w = 0;
    for (const auto& [end, raw] : run->out.ends) {
      for (; w < run->out.windows.size() && run->out.windows[w].decoded < end; ++w) {
        DecodedRun::Window& window = run->out.windows[w];
        if (record_ != nullptr && record_->WantsWindowAt(base + window.decoded)) {
          record_->AddWindow(base + window.decoded, window.raw, std::move(window.state));
        }
      }
      AddStart(base + end, raw);
    }
  }
  void AddStart(std::uint64_t decoded, std::uint64_t raw) {
    if (codec_ == Codec::kGzip) {
      std::lock_guard<std::mutex> lock(starts_mutex_);
      member_starts_.emplace_back(decoded, raw);
      if (member_starts_.size() > kMaxMemberStarts) member_starts_.pop_front();
    }
    if (record_ != nullptr) record_->AddStart(decoded, raw);
  }
  // Drops the front run, read out. REQUIRES: mutex_ held
  void Pop() {
    Run& run = *runs_.front();
    consumed_.store(run.raw_end);
    free_.push_back(Buffers{std::move(run.out), std::move(run.raw)});
    runs_.pop_front();
    changed_.notify_all();
  }

  void StopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

  // From run `index` at file offset `raw` on, the sequential decoder reads
  // the file, in the state a decoder reading from the start would have there.
  Status GoSequential(std::uint64_t index, std::uint64_t raw) {
    StopWorkers();
    runs_.clear();
    consumed_.store(raw);
    const int fd = ::dup(fd_);
    std::FILE* f = fd >= 0 ? ::fdopen(fd, "rb") : nullptr;
    if (f == nullptr) {
      if (fd >= 0) ::close(fd);
      return Status::IOError(std::string("read error: ") + std::strerror(errno));
    }
    if (fseeko(f, static_cast<off_t>(raw), SEEK_SET) != 0) {
      std::fclose(f);
      return Status::IOError(std::string("read error: ") + std::strerror(errno));
    }
    const StreamPosition at{decoded_, index > 0};
    std::unique_ptr<ByteSource> file = NewFileSource(f, raw);
    Result<std::unique_ptr<ByteSource>> decoder =
        codec_ == Codec::kGzip ? NewGzipSource(std::move(file), record_, nullptr, at)
                               : NewZstdSource(std::move(file), record_, at);
    if (!decoder.ok()) return decoder.status();
    sequential_raw_ = raw;
    sequential_ = std::move(decoder).value();
    std::lock_guard<std::mutex> lock(starts_mutex_);
    sequential_for_offsets_ = sequential_.get();
    return Status::OK();
  }
  Result<std::size_t> ReadSequential(char* buffer, std::size_t n) {
    Result<std::size_t> got = sequential_->Read(buffer, n);
    consumed_.store(sequential_raw_ + sequential_->bytes_consumed());
    return got;
  }

  std::FILE* file_;
  int fd_;
  Codec codec_;
  AccessIndex* record_;
  std::uint64_t size_ = 0;  // the file's size when opened
  std::size_t max_runs_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;        // a run was cut, decoded or read out, or stop_ set
  std::deque<std::unique_ptr<Run>> runs_;  // cut and not yet read out, in file order
  std::string carry_;                      // the file's bytes from next_raw_ read so far
  struct Buffers {
    DecodedRun out;
    std::string raw;
  };
  std::vector<Buffers> free_;   // of runs read out, for the next runs
  std::uint64_t next_raw_ = 0;  // file offset where the next run begins
  std::uint64_t runs_cut_ = 0;
  bool first_ok_ = false;  // run 0 decoded as whole members or frames
  bool cut_end_ = false;   // no more runs: the file's end, or a run that did not count
  bool stop_ = false;
  std::vector<std::thread> workers_;

  std::uint64_t decoded_ = 0;  // decoded offset of the next byte Read returns
  std::atomic<std::uint64_t> consumed_{0};

  std::mutex starts_mutex_;  // guards member_starts_ and sequential_for_offsets_
  std::deque<std::pair<std::uint64_t, std::uint64_t>> member_starts_;
  ByteSource* sequential_for_offsets_ = nullptr;

  std::unique_ptr<ByteSource> sequential_;  // the decoder after the runs, if any
  std::uint64_t sequential_raw_ = 0;        // file offset it started at
};

}  // namespace

std::unique_ptr<ByteSource> NewParallelSource(std::FILE* file, Codec codec, AccessIndex* record,
                                              unsigned workers) {
  return std::make_unique<ParallelSource>(file, codec, record, workers);
}

}  // namespace neardup::internal
