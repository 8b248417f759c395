// Decoded copies of compressed inputs (internal, issue 20): while a gzip or
// zstd file is decoded the first time, its decoded bytes are also written to
// an unlinked temporary file, so that reading the file again (the pipeline's
// exact check, a second pass) reads plain bytes with pread instead of
// decoding again. The file is made with O_TMPFILE: it has no name, so
// nothing is left behind however the process ends, and its blocks are freed
// when the last descriptor closes. Where it cannot be made (a file system
// without O_TMPFILE, no room, too many open), the input is decoded again as
// before; a copy whose writing failed, or whose file did not decode to its
// end, is never read.
#ifndef NEARDUP_IO_SPILL_H_
#define NEARDUP_IO_SPILL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "io/byte_source.h"
#include "neardup/status.h"

namespace neardup::internal {

class DecodedSpill {
 public:
  // Spills open at once in one process: half the process's limit on open
  // descriptors (RLIMIT_NOFILE, soft), at least 16, since each holds one
  // until the run ends; more inputs are decoded again instead.
  static int MaxOpen();

  // An unlinked file in directory `dir` for the decoded bytes of a `codec`
  // file. Fails when `dir` does not support O_TMPFILE or MaxOpen() are open.
  static Result<std::shared_ptr<DecodedSpill>> Create(const std::string& dir, Codec codec);
  ~DecodedSpill();
  DecodedSpill(const DecodedSpill&) = delete;
  DecodedSpill& operator=(const DecodedSpill&) = delete;

  // Appends decoded bytes (one writer thread). A failed write (disk full)
  // abandons the copy: complete() then stays false.
  void Append(const char* data, std::size_t n);
  // The decoder reached the end of the file, every byte appended; `raw` is
  // the file's compressed size (for progress when reading the copy).
  void Finish(std::uint64_t raw);
  // Gives the copy up (any thread) unless it is complete: nothing more is
  // written, its blocks are freed, and complete() stays false. For a file that turns out to be read
  // again without it (a WARC file of one gzip member per record).
  void Abandon();
  // Every decoded byte of the file is in the copy: it may be read.
  bool complete() const { return state_.load(std::memory_order_acquire) == kComplete; }
  std::uint64_t size() const { return size_.load(std::memory_order_acquire); }
  std::uint64_t raw_size() const { return raw_size_; }  // REQUIRES: complete()
  Codec codec() const { return codec_; }
  int fd() const { return fd_; }

 private:
  DecodedSpill(int fd, Codec codec) : fd_(fd), codec_(codec) {}

  int fd_;
  Codec codec_;
  std::atomic<std::uint64_t> size_{0};
  std::uint64_t raw_size_ = 0;
  enum State { kWriting, kComplete, kFailed };
  std::atomic<int> state_{kWriting};
};

// `inner` (a decoder) with every byte it returns appended to `spill`, and
// the spill finished when `inner` ends without error.
std::unique_ptr<ByteSource> NewSpillingSource(std::unique_ptr<ByteSource> inner,
                                              std::shared_ptr<DecodedSpill> spill);

// The bytes of a complete spill from its start, read with pread (a position
// of its own). bytes_consumed() counts the compressed file's bytes in
// proportion, as a decoder of the file would; RawOffsetOf is nullopt (a
// record's place in the compressed file is not known here).
// REQUIRES: spill->complete()
std::unique_ptr<ByteSource> NewSpillSource(std::shared_ptr<const DecodedSpill> spill);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_SPILL_H_
