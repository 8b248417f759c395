// AverageLinkage: UPGMA over sparse similarities, merging the pair of
// clusters with the highest average first.
//
// Two facts keep it cheap. A merge needs an average >= threshold, so some
// pair across the two clusters reaches it: clusters never grow beyond the
// connected components of the edges that reach the threshold, and edges
// between two such components are dropped at the start. And only the
// clusters next to a merge change their average with it: each cluster keeps
// a list of its links, compacted into one sum per neighbour cluster when it
// merges (neighbours' lists are resolved through union-find, not updated),
// and a max-heap holds the averages, stale entries recognised by a
// per-cluster version and skipped when popped. O(E log E) for E edges, where
// E counts the sums pushed after merges too.
#include <algorithm>
#include <queue>
#include <utility>

#include "neardup/cluster.h"

namespace neardup {
namespace {

struct Entry {
  double average;
  DocIndex low;   // the smaller of the two clusters' smallest documents
  DocIndex high;  // the larger
  DocIndex x;     // the clusters' slots and their versions when pushed
  DocIndex y;
  std::uint32_t x_version;
  std::uint32_t y_version;
};

// Highest average on top; on ties the pair with the smallest documents.
struct Lower {
  bool operator()(const Entry& p, const Entry& q) const {
    if (p.average != q.average) return p.average < q.average;
    if (p.low != q.low) return p.low > q.low;
    return p.high > q.high;
  }
};

using Links = std::vector<std::pair<DocIndex, double>>;
using MarkCounts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;  // (mark, documents)

// One run of the linkage: the clusters' state, and the steps of a merge.
class Linkage {
 public:
  Linkage(std::size_t n, std::span<const SimilarityEdge> edges, double threshold,
          const LinkageConstraint& constraint)
      : n_(n),
        edges_(edges),
        threshold_(threshold),
        constraint_(constraint),
        merged_links_(n),
        cluster_(n),
        size_(n, 1),
        smallest_(n),
        version_(n, 0),
        alive_(n, true),
        contrast_(!constraint.marks.empty() && constraint.contrast_count > 0),
        marks_(contrast_ ? n : 0),
        sum_(n, 0.0),
        stamp_(n, 0) {
    for (std::size_t d = 0; d < n; ++d) smallest_[d] = static_cast<DocIndex>(d);
    IndexLinks();
    InitKeys();
  }

  // The merges in the order made, each as (smallest documents of the two
  // clusters, their average).
  std::vector<SimilarityEdge> Run() {
    PushSingles();
    std::vector<SimilarityEdge> merges;
    while (!heap_.empty()) {
      const Entry top = heap_.top();
      heap_.pop();
      if (!alive_[top.x] || !alive_[top.y] || version_[top.x] != top.x_version ||
          version_[top.y] != top.y_version) {
        continue;  // stale: one of the clusters has merged since
      }
      if (!keys_.empty() && Conflicting(top.x, top.y)) continue;  // cannot link
      if (contrast_ && Contrasting(top.x, top.y)) continue;
      merges.push_back(SimilarityEdge{top.low, top.high, top.average});
      Merge(top.x, top.y);
    }
    return merges;
  }

 private:
  // Each cluster's links: (a document of another cluster, similarity sum),
  // several entries of one cluster possible. The sum of the entries whose
  // document now lies in cluster Z is the cluster's sum to Z, so a merge
  // does not touch the neighbours' lists: their entries of the two merged
  // clusters' documents now resolve to the merged one.
  //
  // A single document's links are its edges, in their order: indices into
  // `edges`, every document's in one array (document d's are
  // edge_of_[link_begin_[d], link_begin_[d + 1])), 4 bytes a link where a
  // list of (document, sum) takes 16; they hold most of the linkage's
  // memory, and most documents never merge. A cluster made by a merge has a
  // list of sums (merged_links_).
  void IndexLinks() {
    UnionFind reach(n_);
    for (const SimilarityEdge& e : edges_) {
      if (e.a != e.b && e.similarity >= threshold_) reach.Union(e.a, e.b);
    }
    auto linked = [&](const SimilarityEdge& e) {
      return e.a != e.b && e.similarity != 0 && reach.Find(e.a) == reach.Find(e.b);
    };
    link_begin_.assign(n_ + 1, 0);
    for (const SimilarityEdge& e : edges_) {
      if (!linked(e)) continue;
      ++link_begin_[e.a + 1];
      ++link_begin_[e.b + 1];
    }
    for (std::size_t d = 0; d < n_; ++d) link_begin_[d + 1] += link_begin_[d];
    edge_of_.resize(link_begin_[n_]);
    std::vector<std::size_t> next(link_begin_.begin(), link_begin_.end() - 1);
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      if (!linked(edges_[i])) continue;
      edge_of_[next[edges_[i].a]++] = static_cast<std::uint32_t>(i);
      edge_of_[next[edges_[i].b]++] = static_cast<std::uint32_t>(i);
    }
  }

  // Calls fn(document, sum) for each of cluster x's links, in their order.
  template <class Fn>
  void ForEachLink(DocIndex x, Fn fn) const {
    if (size_[x] > 1) {
      for (const auto& [d, s] : merged_links_[x]) fn(d, s);
      return;
    }
    for (std::size_t k = link_begin_[x]; k < link_begin_[x + 1]; ++k) {
      const SimilarityEdge& e = edges_[edge_of_[k]];
      fn(e.a == x ? e.b : e.a, e.similarity);
    }
  }

  // Each cluster's distinct keys (constraint.keys): few, as keys are rare
  // (datelines) and a cluster holding two conflicting keys never forms.
  void InitKeys() {
    keys_.resize(constraint_.keys.empty() ? 0 : n_);
    for (std::size_t d = 0; d < keys_.size(); ++d) {
      if (constraint_.keys[d] != 0) keys_[d].push_back(constraint_.keys[d]);
    }
  }

  bool Conflicting(DocIndex x, DocIndex y) const {
    for (const std::uint32_t a : keys_[x]) {
      for (const std::uint32_t b : keys_[y]) {
        if (a != b && constraint_.conflict(a, b)) return true;
      }
    }
    return false;
  }

  // Each cluster's marks (constraint.marks) with the number of its
  // documents that carry them, sorted by mark. A single document's are made
  // when it first merges or is tested: most documents never are, and their
  // marks are already held in constraint.marks.
  MarkCounts& MarksOf(DocIndex x) {
    if (size_[x] == 1 && marks_[x].empty()) {
      marks_[x].reserve(constraint_.marks[x].size());
      for (const std::uint32_t m : constraint_.marks[x]) marks_[x].emplace_back(m, 1);
    }
    return marks_[x];
  }

  // The marks at least contrast_share of x's documents carry and none of y's.
  std::size_t Own(DocIndex x, DocIndex y) {
    const double need = constraint_.contrast_share * size_[x];
    std::size_t count = 0;
    const MarkCounts& of_y = MarksOf(y);
    auto in_y = of_y.begin();
    for (const auto& [m, c] : MarksOf(x)) {
      if (c < need) continue;
      while (in_y != of_y.end() && in_y->first < m) ++in_y;
      if (in_y == of_y.end() || in_y->first != m) ++count;
    }
    return count;
  }

  bool Contrasting(DocIndex x, DocIndex y) {
    return size_[x] >= constraint_.contrast_min_size && size_[y] >= constraint_.contrast_min_size &&
           Own(x, y) >= constraint_.contrast_count && Own(y, x) >= constraint_.contrast_count;
  }

  void Push(DocIndex x, DocIndex y, double sum) {
    const double average = sum / (static_cast<double>(size_[x]) * static_cast<double>(size_[y]));
    if (!(average >= threshold_)) return;
    heap_.push(Entry{average, std::min(smallest_[x], smallest_[y]),
                     std::max(smallest_[x], smallest_[y]), x, y, version_[x], version_[y]});
  }

  void PushSingles() {
    for (std::size_t d = 0; d < n_; ++d) {
      ForEachLink(static_cast<DocIndex>(d), [&](DocIndex z, double s) {
        if (d < z) Push(static_cast<DocIndex>(d), z, s);
      });
    }
  }

  // Merges clusters x and y into the slot union-find keeps, and pushes the
  // merged cluster's averages to its neighbours.
  void Merge(DocIndex x, DocIndex y) {
    cluster_.Union(x, y);
    const DocIndex keep = cluster_.Find(x);
    const DocIndex gone = keep == x ? y : x;
    // The sizes are still the two clusters' own: ForEachLink and MarksOf
    // read them.
    merged_links_[keep] = SumLinks(x, y, keep);
    Links().swap(merged_links_[gone]);
    if (!keys_.empty()) MergeKeys(keep, gone);
    if (contrast_) MergeMarks(keep, gone);
    alive_[gone] = false;
    size_[keep] += size_[gone];
    smallest_[keep] = std::min(smallest_[keep], smallest_[gone]);
    ++version_[keep];
    for (const auto& [z, s] : merged_links_[keep]) Push(keep, z, s);
  }

  // The merged cluster's sums by neighbour, gathered in sum_ (valid where
  // stamp_ == the merge's number) in first-seen order.
  Links SumLinks(DocIndex x, DocIndex y, DocIndex keep) {
    ++merge_number_;
    seen_.clear();
    for (const DocIndex part : {x, y}) {
      ForEachLink(part, [&](DocIndex d, double s) {
        const DocIndex z = cluster_.Find(d);
        if (z == keep) return;  // now inside the cluster
        if (stamp_[z] != merge_number_) {
          stamp_[z] = merge_number_;
          sum_[z] = 0.0;
          seen_.push_back(z);
        }
        sum_[z] += s;
      });
    }
    Links merged;
    merged.reserve(seen_.size());
    for (const DocIndex z : seen_) merged.emplace_back(z, sum_[z]);
    return merged;
  }

  void MergeKeys(DocIndex keep, DocIndex gone) {
    for (const std::uint32_t k : keys_[gone]) {
      if (std::find(keys_[keep].begin(), keys_[keep].end(), k) == keys_[keep].end()) {
        keys_[keep].push_back(k);
      }
    }
    std::vector<std::uint32_t>().swap(keys_[gone]);
  }

  // The two sorted mark lists merged, counts of a mark both carry added.
  void MergeMarks(DocIndex keep, DocIndex gone) {
    const MarkCounts& of_keep = MarksOf(keep);
    const MarkCounts& of_gone = MarksOf(gone);
    MarkCounts both;
    both.reserve(of_keep.size() + of_gone.size());
    auto a = of_keep.begin(), b = of_gone.begin();
    while (a != of_keep.end() || b != of_gone.end()) {
      if (b == of_gone.end() || (a != of_keep.end() && a->first < b->first)) {
        both.push_back(*a++);
      } else if (a == of_keep.end() || b->first < a->first) {
        both.push_back(*b++);
      } else {
        both.emplace_back(a->first, a->second + b->second);
        ++a;
        ++b;
      }
    }
    marks_[keep] = std::move(both);
    MarkCounts().swap(marks_[gone]);
  }

  const std::size_t n_;
  const std::span<const SimilarityEdge> edges_;
  const double threshold_;
  const LinkageConstraint& constraint_;
  std::vector<std::size_t> link_begin_;
  std::vector<std::uint32_t> edge_of_;
  std::vector<Links> merged_links_;
  UnionFind cluster_;  // a cluster lives in the slot of its root
  std::vector<std::uint32_t> size_;
  std::vector<DocIndex> smallest_;  // the cluster's smallest document
  std::vector<std::uint32_t> version_;
  std::vector<bool> alive_;
  std::vector<std::vector<std::uint32_t>> keys_;
  const bool contrast_;
  std::vector<MarkCounts> marks_;
  std::priority_queue<Entry, std::vector<Entry>, Lower> heap_;
  std::vector<double> sum_;
  std::vector<std::uint32_t> stamp_;
  std::vector<DocIndex> seen_;
  std::uint32_t merge_number_ = 0;
};

}  // namespace

std::vector<SimilarityEdge> AverageLinkage(std::size_t n, std::span<const SimilarityEdge> edges,
                                           double threshold, const LinkageConstraint& constraint) {
  return Linkage(n, edges, threshold, constraint).Run();
}

}  // namespace neardup
