// SalientIndex: candidate pairs from shared salient words.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

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

}  // namespace

std::size_t SalientIndex::skipped_terms() const {
  std::vector<std::pair<std::uint64_t, DocIndex>> sorted = entries_;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<std::size_t> bounds = GroupBounds(sorted);
  std::size_t skipped = 0;
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    skipped += bounds[g + 1] - bounds[g] > max_posting_;
  }
  return skipped;
}

void SalientIndex::Reserve(std::size_t entries) { entries_.reserve(entries); }

std::vector<std::pair<DocIndex, DocIndex>> SalientIndex::Candidates() {
  // Sorted by word, stably: documents were added in increasing order, so
  // within a word they stay in it, and the entries end sorted by (word, doc).
  {
    internal::HashSortScratch<std::pair<std::uint64_t, DocIndex>> scratch;
    internal::SortByHashKey(
        &entries_, [](const std::pair<std::uint64_t, DocIndex>& e) { return e.first; }, &scratch);
  }
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
  const std::vector<std::pair<std::uint64_t, DocIndex>>& sorted = entries_;
  const std::vector<std::size_t> bounds = GroupBounds(sorted);
  auto usable = [&](std::size_t g) {
    const std::size_t size = bounds[g + 1] - bounds[g];
    return size >= 2 && size <= max_posting_;
  };
  // Each document's usable posting lists, in one array: document d's are
  // lists[list_begin[d], list_begin[d + 1]). The lists' documents alone,
  // for the counting below.
  struct List {
    std::size_t begin, end;  // docs[begin, end)
  };
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
  std::vector<List> lists(list_begin[docs_]);
  std::vector<std::size_t> next(list_begin.begin(), list_begin.end() - 1);
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    if (!usable(g)) continue;
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) {
      lists[next[docs[i]]++] = List{bounds[g], bounds[g + 1]};
    }
  }
  struct Counter {
    std::vector<std::uint16_t> count;  // per document: lists shared with the current one
    std::vector<DocIndex> touched;     // the documents counted, in order of first count
  };
  tbb::enumerable_thread_specific<Counter> counters;
  std::vector<std::vector<DocIndex>> earlier(docs_);  // per document: partners before it
  const auto min_shared = static_cast<std::uint16_t>(min_shared_);
  tbb::parallel_for(DocIndex{0}, docs_, [&](DocIndex d) {
    const std::size_t first = list_begin[d];
    const std::size_t last = list_begin[d + 1];
    if (last - first < min_shared) return;
    Counter& c = counters.local();
    if (c.count.size() < docs_) {
      c.count.assign(docs_, 0);
      c.touched.resize(docs_);
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
      if (c.count[e] >= min_shared) earlier[d].push_back(e);
      c.count[e] = 0;
    }
  });
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
