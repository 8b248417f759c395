// Access points into compressed files (internal): where a decoder can start
// in the middle of a gzip or zstd file, recorded while the file is read from
// its start, so a document can later be read alone (DocumentReader::ReadAt)
// by decoding from the nearest point before it instead of from the start.
//
// gzip: a member start (a fresh decoder from there), or a place inside a
// member where the decoder (ISA-L's inflate_state) returned, with a copy of
// its state: the bits it holds of the input, its Huffman tables, its 32 KB
// history and running CRC. This is the zran technique of zlib's
// examples/zran.c (resume from a window) without having to stop at a block
// boundary, and the member's CRC is still checked at its end. zstd: frame
// starts.
#ifndef NEARDUP_IO_ACCESS_POINTS_H_
#define NEARDUP_IO_ACCESS_POINTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "io/spill.h"

namespace neardup::internal {

struct AccessPoint {
  std::uint64_t decoded = 0;  // decoded offset where decoding resumes
  std::uint64_t raw = 0;      // file offset of the first compressed byte to read
  std::string window;         // gzip inside a member: the decoder's state there (about
                              // 21 KB and the history in use); empty at a member start
  bool InsideMember() const { return !window.empty(); }
};

// The access points of one file, in increasing decoded offset. Appended to
// by the reader that reads the file first, looked up by ReadAt; both under
// a lock, so a document may be read alone while the file is still being read.
class AccessIndex {
 public:
  // Decoded bytes between window points (gzip inside a member), doubled when
  // windows would take more than kMaxWindowBytes (every other one dropped).
  static constexpr std::uint64_t kInitialSpan = std::uint64_t{1} << 20;
  static constexpr std::uint64_t kMaxWindowBytes = std::uint64_t{64} << 20;
  // Member and frame starts closer than this to the last point are not kept.
  static constexpr std::uint64_t kMinStartGap = std::uint64_t{16} << 10;

  // Whether a window point at `decoded` would be kept (worth fetching the window).
  bool WantsWindowAt(std::uint64_t decoded) const;
  // Records a member or frame start, or a point inside a member.
  void AddStart(std::uint64_t decoded, std::uint64_t raw);
  void AddWindow(std::uint64_t decoded, std::uint64_t raw, std::string window);
  // The last point at or before `decoded` (the file's start when none is).
  AccessPoint Before(std::uint64_t decoded) const;
  // Its decoded offset only (no copy of a window).
  std::uint64_t DecodedBefore(std::uint64_t decoded) const;
  // Memory held by the points.
  std::uint64_t bytes() const;
  std::size_t size() const;
  // The file's decoded copy, being written by the reader that reads it first
  // (spill.h); a copy that is not complete is never read.
  void SetSpill(std::shared_ptr<DecodedSpill> spill);
  // The copy when it is complete, else null.
  std::shared_ptr<const DecodedSpill> CompleteSpill() const;
  // Bytes the complete copy takes on disk (0 without one).
  std::uint64_t spill_bytes() const;

 private:
  void Append(AccessPoint point);  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  std::vector<AccessPoint> points_;  // by decoded offset
  std::uint64_t span_ = kInitialSpan;
  std::uint64_t window_bytes_ = 0;
  std::uint64_t last_point_ = 0;  // decoded offset of the last point kept
  std::shared_ptr<DecodedSpill> spill_;
};

// A decoder positioned at `point` of the `codec` file `path`.
Result<std::unique_ptr<ByteSource>> OpenDecodedFileAtPoint(const std::string& path, Codec codec,
                                                           const AccessPoint& point);

// Reads lines at decoded offsets of one compressed file through its access
// points, continuing from where the last line ended when that is nearer
// than any point (offsets are asked in increasing order in a second pass).
class SeekingLineReader {
 public:
  SeekingLineReader(std::string path, Codec codec, std::shared_ptr<const AccessIndex> index);
  // The line starting at decoded offset `offset`, '\n' included (none on a
  // last line without one; empty past the end). Errors are the bare detail.
  Status LineAt(std::uint64_t offset, std::string* line);
  // LineAt for each of `offsets`, lines[i] for offsets[i], with the first
  // error in order (*read: the lines before it). Runs of increasing offsets
  // that lie after different access points are decoded at once, each by a
  // decoder of its own from its point and only as far as its last line, on
  // the calling thread's TBB arena (so -j1 stays on one thread).
  // REQUIRES: lines.size() == offsets.size()
  Status LinesAt(std::span<const std::uint64_t> offsets, std::span<std::string> lines,
                 std::size_t* read);

 private:
  Status Fill();  // reads more into buffer_; end_ == begin_ after it at the end

  std::string path_;
  Codec codec_;
  std::shared_ptr<const AccessIndex> index_;
  std::unique_ptr<ByteSource> source_;  // positioned at pos_ + (end_ - begin_)
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::uint64_t pos_ = 0;  // decoded offset of buffer_[begin_]
};

}  // namespace neardup::internal

namespace neardup {

// The access points of every compressed file read with one ReaderOptions
// (shared by its copies), keyed by path and checked against the file's size,
// modification time and inode: a changed file has none. Thread-safe.
class AccessPointCache {
 public:
  // The index `path` is recorded into by the reader that reads it first:
  // a new one when the cache has none for the file as it is now (then
  // *record is true), else the existing one. Null when the file cannot be stat'ed.
  std::shared_ptr<internal::AccessIndex> ForReading(const std::string& path, bool* record);
  // The index of `path` when it is unchanged since recorded, else null.
  std::shared_ptr<const internal::AccessIndex> Find(const std::string& path) const;
  // Memory held by all indexes.
  std::uint64_t bytes() const;
  // Disk taken by the complete decoded copies (AccessIndex::spill_bytes).
  std::uint64_t spill_bytes() const;

 private:
  struct Entry {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    std::shared_ptr<internal::AccessIndex> index;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace neardup

#endif  // NEARDUP_IO_ACCESS_POINTS_H_
