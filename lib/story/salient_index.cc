// SalientIndex: candidate pairs from shared salient words.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "core/hash_sort.h"
#include "neardup/story.h"

namespace neardup {

SalientIndex::SalientIndex(int min_shared, std::size_t max_posting)
    : min_shared_(std::max(1, min_shared)), max_posting_(max_posting) {}

void SalientIndex::Add(DocIndex doc, std::span<const std::uint64_t> salient_hashes) {
  for (std::uint64_t h : salient_hashes) entries_.emplace_back(h, doc);
  docs_ = std::max(docs_, doc + 1);
}

namespace {

// Entries are grouped by the word's top byte (kParts groups) before being
// sorted by word within each group.
constexpr int kPartBits = 8;
constexpr std::size_t kParts = std::size_t{1} << kPartBits;
constexpr std::size_t kChunks = 64;  // fixed: the result does not depend on the threads

std::size_t PartOf(std::uint64_t word) { return static_cast<std::size_t>(word >> 56); }

}  // namespace

void SalientIndex::AddAll(DocIndex first,
                          std::span<const std::span<const std::uint64_t>> salient_hashes) {
  if (!entries_.empty()) {  // after Add: appended in document order
    for (std::size_t i = 0; i < salient_hashes.size(); ++i) {
      Add(static_cast<DocIndex>(first + i), salient_hashes[i]);
    }
    return;
  }
  // Written grouped by the word's top byte, each group in document order:
  // what SortByWord's stable partition would make of the entries in
  // document order, so it sorts each group in place instead of copying them
  // all (the candidate step's peak memory). Chunks of documents are counted,
  // then written, each in parallel.
  const std::size_t n = salient_hashes.size();
  const std::size_t chunk = (n + kChunks - 1) / kChunks;
  std::vector<std::size_t> at(kChunks * kParts, 0);  // [chunk][part]: its next slot
  tbb::parallel_for(std::size_t{0}, kChunks, [&](std::size_t c) {
    for (std::size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
      for (const std::uint64_t h : salient_hashes[i]) ++at[c * kParts + PartOf(h)];
    }
  });
  std::size_t sum = 0;
  for (std::size_t p = 0; p < kParts; ++p) {
    for (std::size_t c = 0; c < kChunks; ++c) sum += std::exchange(at[c * kParts + p], sum);
  }
  entries_.resize(sum);
  tbb::parallel_for(std::size_t{0}, kChunks, [&](std::size_t c) {
    for (std::size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
      const auto doc = static_cast<DocIndex>(first + i);
      for (const std::uint64_t h : salient_hashes[i])
        entries_[at[c * kParts + PartOf(h)]++] = {h, doc};
    }
  });
  if (n != 0) docs_ = std::max(docs_, static_cast<DocIndex>(first + n));
}

namespace {

using Entry = std::pair<std::uint64_t, DocIndex>;

// Sorts *entries by word, stably, in parallel: a stable partition by the
// word's top byte (chunks of the input counted, then scattered, each in
// parallel), then each part sorted on its own.
void SortByWord(std::vector<Entry>* entries) {
  const auto word = [](const Entry& e) { return e.first; };
  const std::size_t n = entries->size();
  if (n < (std::size_t{1} << 15)) {
    internal::HashSortScratch<Entry> scratch;
    internal::SortByHashKey(entries, word, &scratch);
    return;
  }
  const auto part = [](const Entry& e) { return PartOf(e.first); };
  std::vector<std::size_t> part_begin(kParts + 1, 0);
  // Grouped by part already (AddAll): each part sorted through a buffer of
  // its own size, not a copy of them all.
  const bool grouped =
      std::is_sorted(entries->begin(), entries->end(),
                     [&](const Entry& x, const Entry& y) { return part(x) < part(y); });
  if (grouped) {
    for (const Entry& e : *entries) ++part_begin[part(e) + 1];
    for (std::size_t p = 0; p < kParts; ++p) part_begin[p + 1] += part_begin[p];
    tbb::enumerable_thread_specific<std::vector<Entry>> buffers;
    tbb::parallel_for(std::size_t{0}, kParts, [&](std::size_t p) {
      std::vector<Entry>& buffer = buffers.local();
      buffer.assign(entries->begin() + static_cast<std::ptrdiff_t>(part_begin[p]),
                    entries->begin() + static_cast<std::ptrdiff_t>(part_begin[p + 1]));
      std::vector<std::uint32_t> counts;
      internal::SortRangeByHashKey(buffer.data(), entries->data() + part_begin[p], buffer.size(),
                                   word, kPartBits, &counts);
    });
    return;
  }
  const std::size_t chunk = (n + kChunks - 1) / kChunks;
  std::vector<std::size_t> at(kChunks * kParts, 0);  // [chunk][part]: its next slot
  tbb::parallel_for(std::size_t{0}, kChunks, [&](std::size_t c) {
    for (std::size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
      ++at[c * kParts + part((*entries)[i])];
    }
  });
  std::size_t sum = 0;
  for (std::size_t p = 0; p < kParts; ++p) {
    part_begin[p] = sum;
    for (std::size_t c = 0; c < kChunks; ++c) sum += std::exchange(at[c * kParts + p], sum);
  }
  part_begin[kParts] = n;
  std::vector<Entry> parted(n);
  tbb::parallel_for(std::size_t{0}, kChunks, [&](std::size_t c) {
    for (std::size_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
      parted[at[c * kParts + part((*entries)[i])]++] = (*entries)[i];
    }
  });
  tbb::parallel_for(std::size_t{0}, kParts, [&](std::size_t p) {
    std::vector<std::uint32_t> counts;
    internal::SortRangeByHashKey(parted.data() + part_begin[p], entries->data() + part_begin[p],
                                 part_begin[p + 1] - part_begin[p], word, kPartBits, &counts);
  });
}

// Words grouped: entries sorted by (word, doc); each group is one word's
// posting list. Returns group boundaries.
std::vector<std::size_t> GroupBounds(const std::vector<std::pair<std::uint64_t, DocIndex>>& e) {
  std::vector<std::size_t> bounds;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (i == 0 || e[i].first != e[i - 1].first) bounds.push_back(i);
  }
  bounds.push_back(e.size());
  return bounds;
}

// A document's posting lists: docs[begin, end) of the lists' documents.
struct List {
  std::size_t begin, end;
};

// Sets (*earlier)[d] to the documents before d that share at least
// min_shared of d's lists (list_begin[d], list_begin[d + 1]) with it, in
// parallel over d. Count holds the most lists any document has.
template <class Count>
void CountShared(const std::vector<DocIndex>& docs, const std::vector<List>& lists,
                 const std::vector<std::size_t>& list_begin, std::size_t min_shared,
                 std::vector<std::vector<DocIndex>>* earlier) {
  const auto n = static_cast<DocIndex>(list_begin.size() - 1);
  struct Counter {
    std::vector<Count> count;       // per document: lists shared with the current one
    std::vector<DocIndex> touched;  // the documents counted, in order of first count
  };
  tbb::enumerable_thread_specific<Counter> counters;
  tbb::parallel_for(DocIndex{0}, n, [&](DocIndex d) {
    const std::size_t first = list_begin[d];
    const std::size_t last = list_begin[d + 1];
    if (last - first < min_shared) return;
    Counter& c = counters.local();
    if (c.count.size() < n) {
      c.count.assign(n, 0);
      c.touched.resize(n);
    }
    std::size_t touched = 0;
    for (std::size_t k = first; k < last; ++k) {
      // Lists start anywhere in `docs`, most lists are short, and a cache
      // miss costs more than counting one: fetch a later list's start now.
      constexpr std::size_t kAhead = 3;
      if (k + kAhead < last) __builtin_prefetch(&docs[lists[k + kAhead].begin]);
      for (std::size_t i = lists[k].begin; i < lists[k].end && docs[i] < d; ++i) {
        // Without a branch: whether a document is counted for the first time
        // is unpredictable. At most d documents come before d, so `touched`
        // stays within bounds.
        const DocIndex e = docs[i];
        c.touched[touched] = e;
        touched += c.count[e]++ == 0;
      }
    }
    for (std::size_t k = 0; k < touched; ++k) {
      const DocIndex e = c.touched[k];
      if (c.count[e] >= min_shared) (*earlier)[d].push_back(e);
      c.count[e] = 0;
    }
  });
}

}  // namespace

std::size_t SalientIndex::skipped_terms() const {
  if (queried_) return skipped_;
  std::vector<std::pair<std::uint64_t, DocIndex>> sorted = entries_;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<std::size_t> bounds = GroupBounds(sorted);
  std::size_t skipped = 0;
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    skipped += bounds[g + 1] - bounds[g] > max_posting_;
  }
  return skipped;
}

std::vector<std::pair<DocIndex, DocIndex>> SalientIndex::Candidates() {
  // Sorted by word, stably: documents were added in increasing order, so
  // within a word they stay in it, and the entries end sorted by (word, doc).
  SortByWord(&entries_);
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
  const std::vector<std::pair<std::uint64_t, DocIndex>>& sorted = entries_;  // until released
  const std::vector<std::size_t> bounds = GroupBounds(sorted);
  auto usable = [&](std::size_t g) {
    const std::size_t size = bounds[g + 1] - bounds[g];
    return size >= 2 && size <= max_posting_;
  };
  // Each document's usable posting lists, in one array: document d's are
  // lists[list_begin[d], list_begin[d + 1]). The lists' documents alone,
  // for the counting below.
  std::vector<std::size_t> list_begin(docs_ + 1, 0);
  std::vector<DocIndex> docs(sorted.size());
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    if (!usable(g)) continue;
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) {
      docs[i] = sorted[i].second;
      ++list_begin[docs[i] + 1];
    }
  }
  for (DocIndex d = 0; d < docs_; ++d) list_begin[d + 1] += list_begin[d];
  // The words are done with (docs and bounds hold the lists): released
  // before the lists are built, which lowers the level's peak memory.
  skipped_ = 0;
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g)
    skipped_ += bounds[g + 1] - bounds[g] > max_posting_;
  queried_ = true;
  std::vector<std::pair<std::uint64_t, DocIndex>>().swap(entries_);
  std::vector<List> lists(list_begin[docs_]);
  std::vector<std::size_t> next(list_begin.begin(), list_begin.end() - 1);
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    if (!usable(g)) continue;
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) {
      lists[next[docs[i]]++] = List{bounds[g], bounds[g + 1]};
    }
  }
  std::size_t most_lists = 0;  // a count below never exceeds it
  for (DocIndex d = 0; d < docs_; ++d) {
    most_lists = std::max(most_lists, list_begin[d + 1] - list_begin[d]);
  }
  std::vector<std::vector<DocIndex>> earlier(docs_);  // per document: partners before it
  const auto min_shared = static_cast<std::size_t>(min_shared_);
  // 16-bit counts where they do (counting in bytes was slower: 0.16 s
  // against 0.11 s at 100k documents).
  if (most_lists <= UINT16_MAX) {
    CountShared<std::uint16_t>(docs, lists, list_begin, min_shared, &earlier);
  } else {
    CountShared<std::uint32_t>(docs, lists, list_begin, min_shared, &earlier);
  }
  // Pairs (e, d) sorted by e, then d: a counting sort by e of the pairs
  // taken in increasing d.
  std::vector<std::size_t> at(docs_ + 1, 0);
  for (DocIndex d = 0; d < docs_; ++d) {
    for (DocIndex e : earlier[d]) ++at[e + 1];
  }
  for (DocIndex d = 0; d < docs_; ++d) at[d + 1] += at[d];
  std::vector<std::pair<DocIndex, DocIndex>> pairs(at[docs_]);
  for (DocIndex d = 0; d < docs_; ++d) {
    for (DocIndex e : earlier[d]) pairs[at[e]++] = {e, d};
  }
  return pairs;
}

}  // namespace neardup
