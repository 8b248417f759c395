// Counting is append-then-sort rather than a hash map: a document's distinct
// tokens are appended to `pending_`, and Compact() sorts and folds them into
// the sorted `entries_` array. The result, and the saved file, are therefore
// independent of the order documents were added in. (AddDistinct counts the
// words that take a slot of a small cache-sized table in place instead: the
// common ones, mostly. Compact folds those counts in too.)
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "core/hash_sort.h"
#include "neardup/stats.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

constexpr char kMagic[4] = {'N', 'D', 'D', 'F'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kEntryBytes = 12;  // u64 hash + u32 count

template <typename T>
void Put(std::string* out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out->push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xFF));
  }
}

template <typename T>
bool Get(std::string_view in, std::size_t* pos, T* value) {
  if (in.size() - *pos < sizeof(T)) return false;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[*pos + i])) << (8 * i);
  }
  *pos += sizeof(T);
  *value = static_cast<T>(v);
  return true;
}

using Counts = std::vector<std::pair<std::uint64_t, std::uint32_t>>;

// Union of two hash-sorted count arrays, counts of equal hashes added.
Counts MergeCounts(const Counts& a, const Counts& b) {
  Counts merged;
  merged.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      merged.push_back(a[i++]);
    } else if (i == a.size() || b[j].first < a[i].first) {
      merged.push_back(b[j++]);
    } else {
      merged.emplace_back(a[i].first, a[i].second + b[j].second);
      ++i;
      ++j;
    }
  }
  return merged;
}

}  // namespace

DocumentFrequencies::DocumentFrequencies(const DocumentFrequencies& other) { *this = other; }

DocumentFrequencies& DocumentFrequencies::operator=(const DocumentFrequencies& other) {
  if (this == &other) return *this;
  other.Compact();
  documents_ = other.documents_;
  entries_ = other.entries_;
  pending_.clear();
  hot_.clear();
  hot_used_ = 0;
  stale_.store(false, std::memory_order_relaxed);
  return *this;
}

DocumentFrequencies::DocumentFrequencies(DocumentFrequencies&& other) noexcept {
  *this = std::move(other);
}

DocumentFrequencies& DocumentFrequencies::operator=(DocumentFrequencies&& other) noexcept {
  if (this == &other) return *this;
  documents_ = std::exchange(other.documents_, 0);
  entries_ = std::exchange(other.entries_, {});
  pending_ = std::exchange(other.pending_, {});
  sort_scratch_ = std::exchange(other.sort_scratch_, {});
  sort_counts_ = std::exchange(other.sort_counts_, {});
  hot_ = std::exchange(other.hot_, {});
  hot_used_ = std::exchange(other.hot_used_, 0);
  stale_.store(other.stale_.exchange(false, std::memory_order_relaxed), std::memory_order_relaxed);
  return *this;
}

void DocumentFrequencies::AddDocument(const NormalizedText& text) {
  const auto start = static_cast<std::ptrdiff_t>(pending_.size());
  for (std::size_t i = 0; i < text.tokens.size(); ++i) {
    pending_.push_back(internal::TokenHash(text.TokenText(i), 0));
  }
  // Each document counts a token once.
  std::sort(pending_.begin() + start, pending_.end());
  pending_.erase(std::unique(pending_.begin() + start, pending_.end()), pending_.end());
  ++documents_;
  if (pending_.size() > (std::size_t{1} << 22)) CompactLocked();
  stale_.store(true, std::memory_order_release);
}

void DocumentFrequencies::AddDistinct(std::span<const std::uint64_t> distinct) {
  // Compacting before the pending hashes outgrow the limit, rather than
  // after, keeps them (and the sort's scratch) within it: 32 MiB each,
  // allocated once.
  constexpr std::size_t kPendingLimit = std::size_t{1} << 22;
  // Words in most documents ("the", "of") would make up most of the pending
  // hashes, and sorting them costs more than counting them where they are:
  // a word lands in slot hash % kHotSlots, which the first word to land
  // there keeps until the next Compact, and there it is counted; the others
  // are appended as before. 1 MiB: it stays in the cache.
  constexpr std::size_t kHotSlots = std::size_t{1} << 16;
  if (pending_.size() + distinct.size() > kPendingLimit) CompactLocked();
  if (pending_.capacity() < kPendingLimit) pending_.reserve(kPendingLimit);
  if (hot_.empty()) hot_.assign(kHotSlots, HotCount{0, 0});
  // Without branches: whether a word is in its slot is unpredictable.
  std::size_t end = pending_.size();
  pending_.resize(end + distinct.size());
  for (const std::uint64_t h : distinct) {
    HotCount& slot = hot_[h & (kHotSlots - 1)];
    const bool take = slot.count == 0;
    hot_used_ += take;
    slot.hash = take ? h : slot.hash;
    const bool hot = slot.hash == h;
    slot.count += hot;
    pending_[end] = h;
    end += !hot;
  }
  pending_.resize(end);
  ++documents_;
  stale_.store(true, std::memory_order_release);
}

// Double-checked: a compact table costs readers one acquire load; the first
// reader after additions sorts them in while the others wait on the mutex,
// and the release store publishes the result to later readers.
void DocumentFrequencies::Compact() const {
  if (!stale_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(compact_mutex_);
  if (!stale_.load(std::memory_order_relaxed)) return;
  CompactLocked();
  stale_.store(false, std::memory_order_release);
}

void DocumentFrequencies::CompactLocked() const {
  if (pending_.empty() && hot_used_ == 0) return;
  // Token hashes are close to uniform: the hash-bucket sort, linear in
  // expectation. Its buffers are the table's: sort_scratch_ keeps pending_'s
  // capacity, as the two trade places, and sort_counts_ its bucket counts.
  sort_scratch_.reserve(pending_.capacity());
  sort_scratch_.resize(pending_.size());
  internal::SortRangeByHashKey(
      pending_.data(), sort_scratch_.data(), pending_.size(), [](std::uint64_t h) { return h; }, 0,
      &sort_counts_);
  pending_.swap(sort_scratch_);
  Counts added;
  for (std::size_t i = 0; i < pending_.size();) {
    std::size_t j = i + 1;
    while (j < pending_.size() && pending_[j] == pending_[i]) ++j;
    added.emplace_back(pending_[i], static_cast<std::uint32_t>(j - i));
    i = j;
  }
  pending_.clear();
  Counts hot;
  hot.reserve(hot_used_);
  for (HotCount& slot : hot_) {
    if (slot.count > 0) hot.emplace_back(slot.hash, std::exchange(slot.count, 0));
  }
  hot_used_ = 0;
  std::sort(hot.begin(), hot.end());
  entries_ = MergeCounts(entries_, MergeCounts(added, hot));
}

void DocumentFrequencies::Merge(const DocumentFrequencies& other) {
  other.Compact();
  Compact();
  entries_ = MergeCounts(entries_, other.entries_);
  documents_ += other.documents_;
}

DocumentFrequencies DocumentFrequencies::FromCounts(
    std::uint64_t documents, std::vector<std::pair<std::uint64_t, std::uint32_t>> entries) {
  DocumentFrequencies df;
  df.documents_ = documents;
  df.entries_ = std::move(entries);
  return df;
}

void DocumentFrequencies::Prune(std::uint32_t min_count) {
  Compact();
  std::erase_if(entries_, [min_count](const auto& e) { return e.second < min_count; });
}

std::size_t DocumentFrequencies::size() const {
  Compact();
  return entries_.size();
}

std::uint32_t DocumentFrequencies::Count(std::uint64_t token_hash) const {
  Compact();
  auto it = std::lower_bound(entries_.begin(), entries_.end(), token_hash,
                             [](const auto& e, std::uint64_t h) { return e.first < h; });
  return it != entries_.end() && it->first == token_hash ? it->second : 0;
}

double DocumentFrequencies::Idf(std::uint64_t token_hash) const {
  return std::log((static_cast<double>(documents_) + 1.0) /
                  (static_cast<double>(Count(token_hash)) + 0.5));
}

bool operator==(const DocumentFrequencies& a, const DocumentFrequencies& b) {
  a.Compact();
  b.Compact();
  return a.documents_ == b.documents_ && a.entries_ == b.entries_;
}

std::string DocumentFrequencies::Serialize() const {
  Compact();
  std::string out(kMagic, sizeof(kMagic));
  Put(&out, kVersion);
  Put(&out, documents_);
  Put(&out, static_cast<std::uint64_t>(entries_.size()));
  for (const auto& [hash, count] : entries_) {
    Put(&out, hash);
    Put(&out, count);
  }
  return out;
}

Result<DocumentFrequencies> DocumentFrequencies::Load(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::NotFound(path + ": " + std::strerror(errno));
  std::string in;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) in.append(buf, n);
  std::fclose(f);
  return Parse(in, path);
}

Result<DocumentFrequencies> DocumentFrequencies::Parse(std::string_view in,
                                                       const std::string& path) {
  std::size_t pos = sizeof(kMagic);
  std::uint32_t version = 0;
  std::uint64_t documents = 0, entries = 0;
  if (in.size() < sizeof(kMagic) || std::memcmp(in.data(), kMagic, sizeof(kMagic)) != 0 ||
      !Get(in, &pos, &version) || !Get(in, &pos, &documents) || !Get(in, &pos, &entries)) {
    return Status::InvalidInput(path + ": not a neardup statistics file");
  }
  if (version != kVersion) {
    return Status::InvalidInput(path + ": statistics version " + std::to_string(version) +
                                " (this neardup reads " + std::to_string(kVersion) + ")");
  }
  if ((in.size() - pos) / kEntryBytes != entries || (in.size() - pos) % kEntryBytes != 0) {
    return Status::InvalidInput(path + ": truncated or padded (header says " +
                                std::to_string(entries) + " entries)");
  }
  DocumentFrequencies df;
  df.documents_ = documents;
  df.entries_.resize(entries);
  for (std::uint64_t i = 0; i < entries; ++i) {
    auto& [hash, count] = df.entries_[i];
    Get(in, &pos, &hash);
    Get(in, &pos, &count);
    if (i > 0 && hash <= df.entries_[i - 1].first) {
      return Status::InvalidInput(path + ": entries not sorted at entry " + std::to_string(i));
    }
  }
  return df;
}

}  // namespace neardup
