// The plain-file source and the magic-byte dispatch to the decoders.
#include "io/byte_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "io/access_points.h"
#include "io/files.h"
#include "io/parallel_source.h"
#include "io/spill.h"

namespace neardup::internal {
namespace {

// Workers of a parallel decoder (OpenDecodedFile with decode_ahead): one
// decodes while the other cuts and hands over, as the reader parses.
constexpr unsigned kDecodeWorkers = 2;

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    const std::size_t got = std::min(n, bytes_.size() - pos_);
    std::memcpy(buffer, bytes_.data() + pos_, got);
    pos_ += got;
    return got;
  }
  std::uint64_t bytes_consumed() const override { return pos_; }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

class FileSource final : public ByteSource {
 public:
  // `start`: the file offset `file` is at. `first_read`: when not 0, reads
  // take at most that many bytes, then twice as many each time, so that
  // reading one record at an offset reads about that record, not a whole
  // buffer's worth.
  // `end`: the file offset where reading stops, as at the file's end.
  explicit FileSource(std::FILE* file, std::uint64_t start = 0, std::size_t first_read = 0,
                      std::uint64_t end = UINT64_MAX)
      : file_(file), start_(start), end_(end), read_limit_(first_read) {}
  ~FileSource() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  // Gives the file up to the caller; the source must not be read after.
  std::FILE* Release() { return std::exchange(file_, nullptr); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t n) override {
    if (read_limit_ != 0) {
      n = std::min(n, read_limit_);
      if (read_limit_ < kMaxReadLimit) read_limit_ *= 2;
    }
    const std::uint64_t at = start_ + consumed_;
    n = static_cast<std::size_t>(std::min<std::uint64_t>(n, end_ > at ? end_ - at : 0));
    if (n == 0) return std::size_t{0};
    errno = 0;
    const std::size_t got = std::fread(buffer, 1, n, file_);
    consumed_ += got;
    if (got == 0 && std::ferror(file_) != 0) {
      return Status::IOError(std::string("read error: ") + std::strerror(errno));
    }
    return got;
  }
  std::uint64_t bytes_consumed() const override { return consumed_; }
  std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) override {
    return start_ + decoded;
  }

 private:
  std::FILE* file_;
  std::uint64_t start_;
  std::uint64_t end_;
  static constexpr std::size_t kMaxReadLimit = std::size_t{1} << 30;
  std::size_t read_limit_;
  std::uint64_t consumed_ = 0;
};

}  // namespace

Codec CodecFromMagic(std::string_view prefix) {
  if (prefix.starts_with("\x1F\x8B")) return Codec::kGzip;
  if (prefix.starts_with("\x28\xB5\x2F\xFD")) return Codec::kZstd;
  return Codec::kNone;
}

Result<std::unique_ptr<ByteSource>> OpenDecodedFile(const std::string& path, Codec* codec,
                                                    AccessIndex* record, bool decode_ahead,
                                                    const std::string& spill_dir,
                                                    std::shared_ptr<DecodedSpill>* spill) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(ErrnoMessage(path));
  auto file = std::make_unique<FileSource>(f);
  // The magic decides, not the name, so a misnamed file is still decoded;
  // inputs are regular files, so peeking and rewinding is safe.
  char magic[4];
  const std::size_t got = std::fread(magic, 1, sizeof(magic), f);
  if (std::ferror(f) != 0 || std::fseek(f, 0, SEEK_SET) != 0) {
    return Status::IOError(ErrnoMessage(path));
  }
  *codec = CodecFromMagic(std::string_view(magic, got));
  // Decoding ahead of the reader: members or frames decoded by several
  // workers where the file has them (parallel_source.h), which needs a file
  // that pread can read (not a pipe).
  struct stat st;
  const bool parallel =
      decode_ahead && *codec != Codec::kNone && ::fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
  Result<std::unique_ptr<ByteSource>> source = std::unique_ptr<ByteSource>(std::move(file));
  switch (*codec) {
    case Codec::kNone:
      break;
    case Codec::kGzip:
    case Codec::kZstd:
      if (parallel) {
        source = NewParallelSource(static_cast<FileSource&>(*source.value()).Release(), *codec,
                                   record, kDecodeWorkers);
      } else if (*codec == Codec::kGzip) {
        source = NewGzipSource(std::move(source).value(), record);
      } else {
        source = NewZstdSource(std::move(source).value(), record);
      }
      break;
  }
  if (!source.ok()) return Status(source.status().code(), path + ": " + source.status().message());
  if (spill != nullptr && !spill_dir.empty() && *codec != Codec::kNone) {
    // No copy (no O_TMPFILE there, too many open): the file is decoded again.
    Result<std::shared_ptr<DecodedSpill>> made = DecodedSpill::Create(spill_dir, *codec);
    if (made.ok()) {
      *spill = std::move(made).value();
      source = NewSpillingSource(std::move(source).value(), *spill);
    }
  }
  // The copy is written, and a one-stream file decoded, on the prefetching
  // thread, not the reader's.
  if (decode_ahead && *codec != Codec::kNone)
    return NewPrefetchingSource(std::move(source).value());
  return source;
}

Result<std::unique_ptr<ByteSource>> OpenDecodedFileAt(const std::string& path, Codec codec,
                                                      std::uint64_t raw, std::uint64_t end) {
  if (codec == Codec::kZstd) return Status::InvalidArgument(path + ": zstd is read from its start");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(ErrnoMessage(path));
  auto file = std::make_unique<FileSource>(f, raw, std::size_t{16} << 10, end);
  if (fseeko(f, static_cast<off_t>(raw), SEEK_SET) != 0) return Status::IOError(ErrnoMessage(path));
  if (codec == Codec::kNone) return std::unique_ptr<ByteSource>(std::move(file));
  Result<std::unique_ptr<ByteSource>> source = NewGzipSource(std::move(file));
  if (!source.ok()) return Status(source.status().code(), path + ": " + source.status().message());
  return source;
}

Result<Codec> ReadCodec(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(ErrnoMessage(path));
  char magic[4];
  const std::size_t got = std::fread(magic, 1, sizeof(magic), f);
  if (std::ferror(f) != 0) {
    Status error = Status::IOError(ErrnoMessage(path));
    std::fclose(f);
    return error;
  }
  std::fclose(f);
  return CodecFromMagic(std::string_view(magic, got));
}

Result<std::unique_ptr<ByteSource>> OpenDecodedFileAtPoint(const std::string& path, Codec codec,
                                                           const AccessPoint& point) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(ErrnoMessage(path));
  auto file = std::make_unique<FileSource>(f, point.raw);
  if (fseeko(f, static_cast<off_t>(point.raw), SEEK_SET) != 0) {
    return Status::IOError(ErrnoMessage(path));
  }
  Result<std::unique_ptr<ByteSource>> source = std::unique_ptr<ByteSource>(std::move(file));
  switch (codec) {
    case Codec::kNone:
      break;
    case Codec::kGzip:
      source = NewGzipSource(std::move(source).value(), nullptr, &point);
      break;
    case Codec::kZstd:
      source = NewZstdSource(std::move(source).value());
      break;
  }
  if (!source.ok()) return Status(source.status().code(), path + ": " + source.status().message());
  return source;
}

std::unique_ptr<ByteSource> NewFileSource(std::FILE* file, std::uint64_t start) {
  return std::make_unique<FileSource>(file, start);
}

std::unique_ptr<ByteSource> NewMemorySource(std::string bytes) {
  return std::make_unique<MemorySource>(std::move(bytes));
}

}  // namespace neardup::internal
