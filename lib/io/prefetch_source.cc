// A decoder run ahead on a thread of its own (issue 20): decompression is
// a stage of the read, so it overlaps the parsing and signing that consume
// its bytes instead of adding to them.
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "io/byte_source.h"

namespace neardup::internal {
namespace {

class PrefetchingSource final : public ByteSource {
 public:
  explicit PrefetchingSource(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), thread_([this] { Produce(); }) {}
  ~PrefetchingSource() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  PrefetchingSource(const PrefetchingSource&) = delete;
  PrefetchingSource& operator=(const PrefetchingSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty(); });
    Chunk& chunk = ready_.front();
    if (chunk.taken < chunk.size) {
      const std::size_t take = std::min(n, chunk.size - chunk.taken);
      std::memcpy(buffer, chunk.data.get() + chunk.taken, take);
      chunk.taken += take;
      if (chunk.taken == chunk.size && chunk.status.ok() && !chunk.end) {
        free_.push_back(std::move(chunk.data));
        ready_.pop_front();
        lock.unlock();
        changed_.notify_all();
      }
      return take;
    }
    // The last chunk: its bytes are out, the end or the fault follows (and
    // stays, as the source is not read again after it).
    if (!chunk.status.ok()) return chunk.status;
    return std::size_t{0};
  }
  std::uint64_t bytes_consumed() const override { return consumed_.load(); }
  // The inner source's member starts are kept under its own lock
  // (REQUIRES of NewPrefetchingSource).
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    return inner_->RawOffsetOf(decoded);
  }

 private:
  // Decoded bytes per hand-over, and how many may wait: memory is bounded
  // by kChunks * kChunkSize.
  static constexpr std::size_t kChunkSize = std::size_t{1} << 20;
  static constexpr std::size_t kChunks = 4;
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t taken = 0;
    Status status;     // the inner source's fault after these bytes
    bool end = false;  // nothing follows these bytes
  };

  void Produce() {
    while (true) {
      Chunk chunk;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return stop_ || ready_.size() < kChunks; });
        if (stop_) return;
        if (!free_.empty()) {
          chunk.data = std::move(free_.back());
          free_.pop_back();
        }
      }
      if (chunk.data == nullptr) chunk.data.reset(new char[kChunkSize]);
      while (chunk.size < kChunkSize) {
        Result<std::size_t> got = inner_->Read(chunk.data.get() + chunk.size,
                                               std::min(kIoBufferSize, kChunkSize - chunk.size));
        consumed_.store(inner_->bytes_consumed());
        if (!got.ok()) {
          chunk.status = got.status();
          break;
        }
        if (got.value() == 0) {
          chunk.end = true;
          break;
        }
        chunk.size += got.value();
      }
      const bool last = chunk.end || !chunk.status.ok();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.push_back(std::move(chunk));
      }
      changed_.notify_all();
      if (last) return;
    }
  }

  std::unique_ptr<ByteSource> inner_;  // read by the thread only (but RawOffsetOf)
  std::mutex mutex_;
  std::condition_variable changed_;            // a chunk was handed over or taken, or stop_ set
  std::deque<Chunk> ready_;                    // decoded, in order; the front is being read
  std::vector<std::unique_ptr<char[]>> free_;  // buffers of chunks read out
  bool stop_ = false;                          // the source is being destroyed
  std::atomic<std::uint64_t> consumed_{0};     // inner_->bytes_consumed() as last seen
  std::thread thread_;                         // last: starts once the rest is built
};

}  // namespace

std::unique_ptr<ByteSource> NewPrefetchingSource(std::unique_ptr<ByteSource> inner) {
  return std::make_unique<PrefetchingSource>(std::move(inner));
}

}  // namespace neardup::internal
