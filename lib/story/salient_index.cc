// SalientIndex: candidate pairs from shared salient words.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>

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

std::vector<std::pair<DocIndex, DocIndex>> SalientIndex::Candidates() const {
  std::vector<std::pair<std::uint64_t, DocIndex>> sorted = entries_;
  tbb::parallel_sort(sorted.begin(), sorted.end());  // equal elements are identical
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const std::vector<std::size_t> bounds = GroupBounds(sorted);
  // Each document's usable posting lists, as group numbers; the lists'
  // documents alone, for the counting below.
  std::vector<std::vector<std::uint32_t>> groups_of(docs_);
  std::vector<DocIndex> docs(sorted.size());
  for (std::size_t g = 0; g + 1 < bounds.size(); ++g) {
    if (bounds[g + 1] - bounds[g] > max_posting_ || bounds[g + 1] - bounds[g] < 2) continue;
    for (std::size_t i = bounds[g]; i < bounds[g + 1]; ++i) {
      groups_of[sorted[i].second].push_back(static_cast<std::uint32_t>(g));
      docs[i] = sorted[i].second;
    }
  }
  struct Counter {
    std::vector<std::uint16_t> count;
    std::vector<DocIndex> touched;
  };
  tbb::enumerable_thread_specific<Counter> counters;
  std::vector<std::vector<DocIndex>> earlier(docs_);  // per document: partners before it
  const auto min_shared = static_cast<std::uint16_t>(min_shared_);
  tbb::parallel_for(DocIndex{0}, docs_, [&](DocIndex d) {
    if (groups_of[d].size() < min_shared) return;
    Counter& c = counters.local();
    if (c.count.size() < docs_) c.count.assign(docs_, 0);
    for (std::uint32_t g : groups_of[d]) {
      for (std::size_t i = bounds[g]; i < bounds[g + 1] && docs[i] < d; ++i) {
        const DocIndex e = docs[i];
        if (c.count[e]++ == 0) c.touched.push_back(e);
      }
    }
    for (DocIndex e : c.touched) {
      if (c.count[e] >= min_shared) earlier[d].push_back(e);
      c.count[e] = 0;
    }
    c.touched.clear();
  });
  std::vector<std::pair<DocIndex, DocIndex>> pairs;
  for (DocIndex d = 0; d < docs_; ++d) {
    for (DocIndex e : earlier[d]) pairs.emplace_back(e, d);
  }
  tbb::parallel_sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace neardup
