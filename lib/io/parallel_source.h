// Member-parallel gzip and frame-parallel zstd decoding (internal, issue 20).
//
// A gzip file of many members (Common Crawl's one member per WARC record,
// pigz's blocks, `cat a.gz b.gz`) and a zstd file of many frames are cut
// into runs of whole members or frames, which workers decode at once, each
// with a decoder of its own; the runs' bytes are handed out in file order.
//
// A cut never changes the bytes. zstd frames are cut where the frame
// headers and block headers say a frame ends (ZSTD_findFrameCompressedSize),
// so every cut is a frame boundary. A gzip member's length is written
// nowhere before its end, so a run ends at the next place that looks like a
// member header (1F 8B 08), which may also occur inside compressed data. A
// run counts only when its decoder, starting fresh at the run's first byte,
// decodes members back to back (each CRC and size checked) that end exactly
// at the run's last byte. The first run starts at the file's start, a true
// member start; a run that counts ends where a member ends, so the next run
// starts at a true member start too, and by induction every run that counts
// decodes what a decoder reading the file from its start would. At the first
// run that does not count (a false boundary, a fault, zero padding, a member
// too big for a run), the parallel decoding stops and the file is decoded on
// from that run's first byte by the sequential decoder (GzipSource,
// ZstdSource) in the state it would have there, so bytes, access points,
// member starts and every error message are those of a sequential read.
#ifndef NEARDUP_IO_PARALLEL_SOURCE_H_
#define NEARDUP_IO_PARALLEL_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/byte_source.h"

namespace neardup::internal {

// The decoded bytes of one run of whole members or frames.
struct DecodedRun {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;      // decoded bytes in data
  std::size_t capacity = 0;  // bytes allocated in data
  // (decoded offset in the run, file offset) of the end of each member or
  // frame (where the next one starts, or the file ends), in order.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ends;
  // gzip: decoder states inside members (access_points.h), in order.
  struct Window {
    std::uint64_t decoded = 0;  // offset in the run
    std::uint64_t raw = 0;      // file offset of the next compressed byte
    std::string state;
  };
  std::vector<Window> windows;
};

// Decodes `raw`, the bytes at file offset `raw_begin` of a gzip file, as
// whole members back to back ending exactly at raw's end, with a fresh
// ISA-L decoder (header parsed, CRC and size checked), into *run. False
// when they are not that: a fault, a member cut short at the end, bytes
// after a member that do not start one, or more than `max_out` decoded
// bytes. With `window_span` > 0, the decoder's state is kept in
// run->windows every `window_span` decoded bytes inside a member.
bool DecodeGzipRun(std::string_view raw, std::uint64_t raw_begin, std::size_t max_out,
                   std::uint64_t window_span, DecodedRun* run);

// Whether a gzip member may start at `data`: 1F 8B, deflate (08), and
// flags with their reserved bits clear. REQUIRES: size >= 4 (else false).
bool MayStartGzipMember(const unsigned char* data, std::size_t size);

// The same for zstd: `raw` holds whole frames (or skippable frames) back to
// back, decoded with a fresh decoder under the default window limit.
bool DecodeZstdRun(std::string_view raw, std::uint64_t raw_begin, std::size_t max_out,
                   DecodedRun* run);

// The compressed size of the zstd frame at the start of `data` when `data`
// holds all of it, else 0.
std::size_t ZstdFrameSize(const char* data, std::size_t size);

// The decoded bytes of the `codec` (gzip or zstd) regular file `file`
// (owned; read with pread), decoded by `workers` threads run by run as the
// opening comment describes, at most a few runs ahead of Read. Same bytes,
// end and errors (bare details) as NewGzipSource / NewZstdSource over the
// file give, the same access points added to `record` (gzip: member starts,
// and windows inside members bigger than a span; zstd: frame starts), and
// RawOffsetOf as GzipSource's (nullopt for zstd). RawOffsetOf is safe to
// call from another thread.
// REQUIRES: record, when given, outlives the source
std::unique_ptr<ByteSource> NewParallelSource(std::FILE* file, Codec codec, AccessIndex* record,
                                              unsigned workers);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_PARALLEL_SOURCE_H_
