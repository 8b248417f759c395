// Streaming byte sources and sinks under the JSONL reader and writer
// (internal): a plain file, or a gzip / zstd decoder layered on the file's
// raw bytes. Every source and sink uses fixed-size buffers, so memory does not
// grow with the file; only the line being assembled above them does.
#ifndef NEARDUP_IO_BYTE_SOURCE_H_
#define NEARDUP_IO_BYTE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "neardup/io.h"
#include "neardup/status.h"

namespace neardup::internal {

// How a file's bytes are encoded; chosen by its first bytes (CodecFromMagic).
enum class Codec {
  kNone,  // plain bytes
  kGzip,  // RFC 1952, possibly several members back to back
  kZstd,  // zstd frames, possibly several back to back
};

// Size of the read and write buffers of every source and sink.
inline constexpr std::size_t kIoBufferSize = std::size_t{1} << 16;

// gzip starts with 1F 8B, zstd frames with 28 B5 2F FD; anything else
// (including fewer bytes than the magic) is kNone.
Codec CodecFromMagic(std::string_view prefix);

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` (> 0) bytes into `buffer`; returns how many, 0 only at the
  // end. An error message is the bare detail ("truncated gzip stream"): the
  // caller knows the file and line and adds them. Bytes returned before an
  // error are valid. After an error the source must not be used again.
  virtual Result<std::size_t> Read(char* buffer, std::size_t n) = 0;
  // Raw (compressed) bytes taken from the file so far, for progress.
  virtual std::uint64_t bytes_consumed() const = 0;
  // The file offset from which a fresh decoder (OpenDecodedFileAt) yields
  // the decoded bytes that begin at `decoded`, when there is one: in a plain
  // file the offset itself, in gzip the start of a member that begins
  // exactly there. Asked in increasing order of `decoded`, for bytes already
  // read or about to be; nullopt otherwise (and always for zstd).
  virtual std::optional<std::uint64_t> RawOffsetOf(std::uint64_t decoded) {
    static_cast<void>(decoded);
    return std::nullopt;
  }
};

class AccessIndex;
struct AccessPoint;

class DecodedSpill;

// Opens `path`, reads its magic and returns a source of its decoded bytes;
// *codec receives the codec found. Errors name the path. With `record`, a
// gzip or zstd decoder adds its access points to it as it reads. With
// `decode_ahead`, a gzip or zstd file is decoded on a thread of its own, up
// to 4 MB ahead of the reader (NewPrefetchingSource), and a regular file of
// several gzip members or zstd frames by two more, run by run
// (NewParallelSource, parallel_source.h). With `spill` and a
// `spill_dir`, a gzip or zstd file's decoded bytes are also written to a
// decoded copy in that directory (spill.h; on the decoding thread), which
// *spill receives; it stays null when none could be made.
// REQUIRES: record, when given, outlives the source
Result<std::unique_ptr<ByteSource>> OpenDecodedFile(const std::string& path, Codec* codec,
                                                    AccessIndex* record = nullptr,
                                                    bool decode_ahead = false,
                                                    const std::string& spill_dir = {},
                                                    std::shared_ptr<DecodedSpill>* spill = nullptr);

// A source of the bytes decoded from `path` starting at file offset `raw`
// (from RawOffsetOf), `codec` being the file's, taking no file byte at or
// past `end`. Not for kZstd. Errors name the path.
Result<std::unique_ptr<ByteSource>> OpenDecodedFileAt(const std::string& path, Codec codec,
                                                      std::uint64_t raw,
                                                      std::uint64_t end = UINT64_MAX);

// The codec of `path` by its first bytes (CodecFromMagic); errors name the path.
Result<Codec> ReadCodec(const std::string& path);

// Where a decoder's first byte lies in the file's decoded stream: at its
// start, or (a decoder taking over from a parallel one, parallel_source.cc)
// at a member or frame start that follows a whole member or frame. The
// decoder's access points, member starts and faults are then those of a
// decoder that read the file from its start ("trailing garbage" after a
// member, zero padding).
struct StreamPosition {
  std::uint64_t decoded = 0;  // decoded offset of the first byte
  bool after_end = false;     // a whole member or frame precedes it
};

// Decoders over a source of compressed bytes; they own `compressed`, and
// add access points to `record` when given (see access_points.h).
// For gzip, `start` (when given) is an access point that `compressed`
// begins at: decoding resumes from the decoder state saved there (a point
// inside a member) or from a fresh decoder (a member start).
Result<std::unique_ptr<ByteSource>> NewGzipSource(std::unique_ptr<ByteSource> compressed,
                                                  AccessIndex* record = nullptr,
                                                  const AccessPoint* start = nullptr,
                                                  const StreamPosition& at = {});
Result<std::unique_ptr<ByteSource>> NewZstdSource(std::unique_ptr<ByteSource> compressed,
                                                  AccessIndex* record = nullptr,
                                                  const StreamPosition& at = {});

// `inner` read on a thread of its own, up to 4 MB of decoded bytes ahead of
// Read; the same bytes, end and errors as `inner` gives. bytes_consumed()
// counts what the thread took. REQUIRES: inner's RawOffsetOf is safe to call
// while another thread reads it.
std::unique_ptr<ByteSource> NewPrefetchingSource(std::unique_ptr<ByteSource> inner);

// The bytes of `file` (owned, closed with the source) from where it is
// positioned, file offset `start`.
std::unique_ptr<ByteSource> NewFileSource(std::FILE* file, std::uint64_t start);

// A source over bytes in memory (tests, fuzzing).
std::unique_ptr<ByteSource> NewMemorySource(std::string bytes);

// The encoding counterpart, writing into an AtomicFile it does not own.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status Write(std::string_view bytes) = 0;
  // Ends the stream (gzip trailer, zstd epilogue). Write() must not follow.
  virtual Status Finish() = 0;
};

// A sink that encodes with `codec` into `out`; `name` is used in error messages.
// REQUIRES: out outlives the sink
Result<std::unique_ptr<ByteSink>> NewEncodingSink(Codec codec, AtomicFile* out,
                                                  const std::string& name);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_BYTE_SOURCE_H_
