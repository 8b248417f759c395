// Access points into gzip and zstd files, and reading lines through them.
#include "io/access_points.h"

#include <sys/stat.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace neardup::internal {

bool AccessIndex::WantsWindowAt(std::uint64_t decoded) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return decoded >= last_point_ + span_;
}

void AccessIndex::AddStart(std::uint64_t decoded, std::uint64_t raw) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!points_.empty() && decoded < last_point_ + kMinStartGap) return;
  Append(AccessPoint{decoded, raw, {}});
}

void AccessIndex::AddWindow(std::uint64_t decoded, std::uint64_t raw, std::string window) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (decoded < last_point_ + span_) return;
  window_bytes_ += window.size();
  Append(AccessPoint{decoded, raw, std::move(window)});
  if (window_bytes_ <= kMaxWindowBytes) return;
  // Over the bound: half as many windows, twice as far apart. Member and
  // frame starts stay (they cost no window).
  span_ *= 2;
  std::vector<AccessPoint> kept;
  bool drop = false;
  for (AccessPoint& p : points_) {
    if (p.InsideMember()) {
      drop = !drop;
      if (!drop) {
        window_bytes_ -= p.window.size();
        continue;
      }
    }
    kept.push_back(std::move(p));
  }
  points_ = std::move(kept);
}

void AccessIndex::Append(AccessPoint point) {
  if (!points_.empty() && point.decoded <= points_.back().decoded) return;
  last_point_ = point.decoded;
  points_.push_back(std::move(point));
}

AccessPoint AccessIndex::Before(std::uint64_t decoded) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::upper_bound(points_.begin(), points_.end(), decoded,
                             [](std::uint64_t d, const AccessPoint& p) { return d < p.decoded; });
  if (it == points_.begin()) return AccessPoint{};
  return *std::prev(it);
}

std::uint64_t AccessIndex::DecodedBefore(std::uint64_t decoded) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::upper_bound(points_.begin(), points_.end(), decoded,
                             [](std::uint64_t d, const AccessPoint& p) { return d < p.decoded; });
  return it == points_.begin() ? 0 : std::prev(it)->decoded;
}

std::uint64_t AccessIndex::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return window_bytes_ + points_.capacity() * sizeof(AccessPoint);
}

std::size_t AccessIndex::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return points_.size();
}

void AccessIndex::SetSpill(std::shared_ptr<DecodedSpill> spill) {
  std::lock_guard<std::mutex> lock(mutex_);
  spill_ = std::move(spill);
}

std::shared_ptr<const DecodedSpill> AccessIndex::CompleteSpill() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (spill_ == nullptr || !spill_->complete()) return nullptr;
  return spill_;
}

std::uint64_t AccessIndex::spill_bytes() const {
  std::shared_ptr<const DecodedSpill> spill = CompleteSpill();
  return spill != nullptr ? spill->size() : 0;
}

SeekingLineReader::SeekingLineReader(std::string path, Codec codec,
                                     std::shared_ptr<const AccessIndex> index)
    : path_(std::move(path)),
      codec_(codec),
      index_(std::move(index)),
      buffer_(new char[kIoBufferSize]) {}

Status SeekingLineReader::Fill() {
  Result<std::size_t> got = source_->Read(buffer_.get(), kIoBufferSize);
  if (!got.ok()) {
    source_.reset();  // a source must not be used after an error
    return got.status();
  }
  begin_ = 0;
  end_ = got.value();
  return Status::OK();
}

Status SeekingLineReader::LineAt(std::uint64_t offset, std::string* line) {
  line->clear();
  const AccessPoint point = index_->Before(offset);
  // Going on from the last line costs the bytes up to `offset`; a fresh
  // decoder at the point costs those from the point (and its setup).
  if (source_ == nullptr || offset < pos_ || offset - pos_ > offset - point.decoded) {
    Result<std::unique_ptr<ByteSource>> opened = OpenDecodedFileAtPoint(path_, codec_, point);
    if (!opened.ok()) return opened.status();
    source_ = std::move(opened).value();
    begin_ = end_ = 0;
    pos_ = point.decoded;
  }
  while (offset - pos_ >= end_ - begin_) {
    pos_ += end_ - begin_;
    NEARDUP_RETURN_IF_ERROR(Fill());
    if (end_ == 0) return Status::OK();  // past the end
  }
  begin_ += static_cast<std::size_t>(offset - pos_);
  pos_ = offset;
  while (true) {
    const char* start = buffer_.get() + begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    const std::size_t length =
        newline != nullptr ? static_cast<std::size_t>(newline - start) + 1 : end_ - begin_;
    line->append(start, length);
    begin_ += length;
    pos_ += length;
    if (newline != nullptr) return Status::OK();
    NEARDUP_RETURN_IF_ERROR(Fill());
    if (end_ == 0) return Status::OK();  // a last line without '\n'
  }
}

Status SeekingLineReader::LinesAt(std::span<const std::uint64_t> offsets,
                                  std::span<std::string> lines, std::size_t* read) {
  *read = 0;
  // Runs [begin, end) of increasing offsets after one access point.
  struct Run {
    std::size_t begin;
    std::size_t end;
    Status status;
    std::size_t read = 0;  // lines of the run read before status
  };
  std::vector<Run> runs;
  std::uint64_t run_point = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const std::uint64_t point = index_->DecodedBefore(offsets[i]);
    if (runs.empty() || offsets[i] < offsets[i - 1] || point != run_point) {
      runs.push_back(Run{i, i + 1, Status::OK()});
      run_point = point;
    } else {
      runs.back().end = i + 1;
    }
  }
  if (runs.size() <= 1) {
    // One run: this reader, which may go on from the line it read last.
    for (; *read < offsets.size(); ++*read) {
      NEARDUP_RETURN_IF_ERROR(LineAt(offsets[*read], &lines[*read]));
    }
    return Status::OK();
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, runs.size(), 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t r = range.begin(); r != range.end(); ++r) {
                        Run& run = runs[r];
                        SeekingLineReader own(path_, codec_, index_);
                        for (std::size_t i = run.begin; i < run.end; ++i, ++run.read) {
                          run.status = own.LineAt(offsets[i], &lines[i]);
                          if (!run.status.ok()) break;
                        }
                      }
                    });
  for (const Run& run : runs) {
    *read = run.begin + run.read;
    if (!run.status.ok()) return run.status;
  }
  return Status::OK();
}

}  // namespace neardup::internal

namespace neardup {

namespace {

bool Stat(const std::string& path, std::uint64_t* size, std::int64_t* mtime_ns,
          std::uint64_t* inode) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *size = static_cast<std::uint64_t>(st.st_size);
  *mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  *inode = static_cast<std::uint64_t>(st.st_ino);
  return true;
}

}  // namespace

std::shared_ptr<internal::AccessIndex> AccessPointCache::ForReading(const std::string& path,
                                                                    bool* record) {
  *record = false;
  Entry now;
  if (!Stat(path, &now.size, &now.mtime_ns, &now.inode)) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& entry = entries_[path];
  if (entry.index != nullptr && entry.size == now.size && entry.mtime_ns == now.mtime_ns &&
      entry.inode == now.inode) {
    return entry.index;
  }
  now.index = std::make_shared<internal::AccessIndex>();
  entry = now;
  *record = true;
  return entry.index;
}

std::shared_ptr<const internal::AccessIndex> AccessPointCache::Find(const std::string& path) const {
  Entry now;
  if (!Stat(path, &now.size, &now.mtime_ns, &now.inode)) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(path);
  if (it == entries_.end() || it->second.size != now.size || it->second.mtime_ns != now.mtime_ns ||
      it->second.inode != now.inode) {
    return nullptr;
  }
  return it->second.index;
}

std::uint64_t AccessPointCache::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [path, entry] : entries_) total += entry.index->bytes();
  return total;
}

std::uint64_t AccessPointCache::spill_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t total = 0;
  for (const auto& [path, entry] : entries_) total += entry.index->spill_bytes();
  return total;
}

std::shared_ptr<AccessPointCache> NewAccessPointCache() {
  return std::make_shared<AccessPointCache>();
}

}  // namespace neardup
