// Decoded copies of compressed inputs in unlinked temporary files.
#include "io/spill.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace neardup::internal {
namespace {

std::atomic<int> open_spills{0};

class SpillingSource final : public ByteSource {
 public:
  SpillingSource(std::unique_ptr<ByteSource> inner, std::shared_ptr<DecodedSpill> spill)
      : inner_(std::move(inner)), spill_(std::move(spill)) {}

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    Result<std::size_t> got = inner_->Read(buffer, n);
    if (!got.ok()) return got;
    if (got.value() > 0) {
      spill_->Append(buffer, got.value());
    } else {
      spill_->Finish(inner_->bytes_consumed());
    }
    return got;
  }
  std::uint64_t bytes_consumed() const override { return inner_->bytes_consumed(); }
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    return inner_->RawOffsetOf(decoded);
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::shared_ptr<DecodedSpill> spill_;
};

class SpillSource final : public ByteSource {
 public:
  explicit SpillSource(std::shared_ptr<const DecodedSpill> spill) : spill_(std::move(spill)) {}

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    while (true) {
      const ssize_t got = ::pread(spill_->fd(), buffer, n, static_cast<off_t>(pos_));
      if (got >= 0) {
        pos_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) {
        return Status::IOError(std::string("read error in the decoded copy: ") +
                               std::strerror(errno));
      }
    }
  }
  std::uint64_t bytes_consumed() const override {
    const std::uint64_t size = spill_->size();
    if (size == 0) return spill_->raw_size();
    return static_cast<std::uint64_t>(static_cast<double>(pos_) / static_cast<double>(size) *
                                      static_cast<double>(spill_->raw_size()));
  }

 private:
  std::shared_ptr<const DecodedSpill> spill_;
  std::uint64_t pos_ = 0;
};

}  // namespace

int DecodedSpill::MaxOpen() {
  // A fixed bound (256 before) decoded every input past it again, though a
  // process may usually hold thousands of descriptors.
  static const int max_open = [] {
    constexpr rlim_t kCeiling = rlim_t{1} << 20;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 256;
    const rlim_t soft = limit.rlim_cur == RLIM_INFINITY ? kCeiling : limit.rlim_cur;
    return static_cast<int>(std::max<rlim_t>(std::min(soft, kCeiling) / 2, 16));
  }();
  return max_open;
}

Result<std::shared_ptr<DecodedSpill>> DecodedSpill::Create(const std::string& dir, Codec codec) {
  if (open_spills.fetch_add(1) >= MaxOpen()) {
    open_spills.fetch_sub(1);
    return Status::IOError(dir + ": too many decoded copies open");
  }
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    open_spills.fetch_sub(1);
    return Status::IOError(dir + ": " + std::strerror(errno));
  }
  return std::shared_ptr<DecodedSpill>(new DecodedSpill(fd, codec));
}

DecodedSpill::~DecodedSpill() {
  ::close(fd_);
  open_spills.fetch_sub(1);
}

void DecodedSpill::Append(const char* data, std::size_t n) {
  if (state_.load(std::memory_order_relaxed) != kWriting) return;
  std::uint64_t at = size_.load(std::memory_order_relaxed);
  while (n > 0) {
    const ssize_t put = ::pwrite(fd_, data, n, static_cast<off_t>(at));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      // No room (or another write error): the copy is given up and its
      // blocks freed; the file will be decoded again instead.
      Abandon();
      return;
    }
    data += put;
    n -= static_cast<std::size_t>(put);
    at += static_cast<std::uint64_t>(put);
    size_.store(at, std::memory_order_release);
  }
}

void DecodedSpill::Abandon() {
  int writing = kWriting;
  if (!state_.compare_exchange_strong(writing, kFailed)) return;
  // A write racing with this one may still land; the copy is never read.
  static_cast<void>(::ftruncate(fd_, 0));
}

void DecodedSpill::Finish(std::uint64_t raw) {
  if (state_.load(std::memory_order_relaxed) != kWriting) return;
  raw_size_ = raw;  // published by the exchange below
  int writing = kWriting;
  state_.compare_exchange_strong(writing, kComplete, std::memory_order_acq_rel);
}

std::unique_ptr<ByteSource> NewSpillingSource(std::unique_ptr<ByteSource> inner,
                                              std::shared_ptr<DecodedSpill> spill) {
  return std::make_unique<SpillingSource>(std::move(inner), std::move(spill));
}

std::unique_ptr<ByteSource> NewSpillSource(std::shared_ptr<const DecodedSpill> spill) {
  return std::make_unique<SpillSource>(std::move(spill));
}

}  // namespace neardup::internal
