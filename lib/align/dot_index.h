// Sparse word vectors and their dot products, exact or through rare words
// (internal to align; passage_align.cc).
#ifndef NEARDUP_ALIGN_DOT_INDEX_H_
#define NEARDUP_ALIGN_DOT_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace neardup::internal {

// Sparse word vector: (token hash, weight) sorted by hash.
using Vec = std::vector<std::pair<std::uint64_t, double>>;

// Dot product of two sparse vectors (a merge).
double Dot(const Vec& a, const Vec& b);

// A row of dot products of one query with the targets, kept sparse: `dot`
// is dense scratch (one entry per target), zero except at `touched`.
struct SparseRow {
  std::vector<double> dot;
  std::vector<std::size_t> touched;  // ascending
  void Clear() {
    for (std::size_t i : touched) dot[i] = 0;
    touched.clear();
  }
};

// Dot products of a query vector with the target vectors that share a word
// with it, through postings (word -> targets holding it, in target order).
//
// Exact mode walks every posting of the query's words: every target sharing
// a word gets its dot product, and the others have none, so a row is the
// same as a dense one. That costs the sum of the postings walked (Work),
// which grows with the square of a document's length for words like "the".
// Capped mode (long documents) finds candidates through the query's rarest
// words only: whole postings lists, shortest first, up to kWalk postings in
// all, or when even the shortest list is longer, its kWalk postings nearest
// to the target `near` (a copy keeps the original's order). The kCandidates
// targets with the largest partial cosines (the nearest to `near` on ties)
// then get their exact dot product by a merge of the two vectors.
class DotIndex {
 public:
  static constexpr std::size_t kWalk = 2048;
  static constexpr std::size_t kCandidates = 32;

  // Borrows `targets`, which must outlive the index. Exact mode to start with.
  explicit DotIndex(const std::vector<Vec>& targets);
  void set_exact(bool exact) { exact_ = exact; }
  // Postings an exact row of `query` walks.
  std::size_t Work(const Vec& query) const;
  // Fills `row` (cleared, with row->dot sized to the targets). `near`: the
  // target where the query's counterpart likely is (capped mode only).
  void Row(const Vec& query, std::size_t near, SparseRow* row) const;

 private:
  using Postings = std::vector<std::pair<std::size_t, double>>;
  // (A weight may be 0, so an index can be listed twice: Unique.)
  static void Add(std::size_t i, double value, SparseRow* row) {
    if (row->dot[i] == 0) row->touched.push_back(i);
    row->dot[i] += value;
  }
  static void Unique(std::vector<std::size_t>* v);

  const std::vector<Vec>& targets_;
  std::vector<double> norms_;  // per target
  bool exact_ = true;
  std::unordered_map<std::uint64_t, Postings> postings_;
};

// Whether rows of `queries` against `index` can be exact: their total work
// stays within `budget` postings.
bool ExactWithin(const DotIndex& index, const std::vector<Vec>& queries, std::size_t budget);

// Targets whose windows of up to `w_max` targets hold one of `touched`:
// each touched index and the w_max - 1 before it, appended to *out (not
// sorted, may repeat).
void WindowStarts(const std::vector<std::size_t>& touched, std::size_t w_max,
                  std::vector<std::size_t>* out);

}  // namespace neardup::internal

#endif  // NEARDUP_ALIGN_DOT_INDEX_H_
