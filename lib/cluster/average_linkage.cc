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

}  // namespace

std::vector<SimilarityEdge> AverageLinkage(std::size_t n, std::span<const SimilarityEdge> edges,
                                           double threshold, const LinkageConstraint& constraint) {
  UnionFind reach(n);
  for (const SimilarityEdge& e : edges) {
    if (e.a != e.b && e.similarity >= threshold) reach.Union(e.a, e.b);
  }
  // Each cluster's links: (a document of another cluster, similarity sum),
  // several entries of one cluster possible. The sum of the entries whose
  // document now lies in cluster Z is the cluster's sum to Z, so a merge
  // does not touch the neighbours' lists: their entries of the two merged
  // clusters' documents now resolve to the merged one.
  //
  // A single document's links are its edges, in their order: indices into
  // `edges`, every document's in one array (document d's are
  // edge_of[link_begin[d], link_begin[d + 1])), 4 bytes a link where a list
  // of (document, sum) takes 16; they hold most of the linkage's memory, and
  // most documents never merge. A cluster made by a merge has a list of
  // sums (merged_links).
  auto linked = [&](const SimilarityEdge& e) {
    return e.a != e.b && e.similarity != 0 && reach.Find(e.a) == reach.Find(e.b);
  };
  std::vector<std::size_t> link_begin(n + 1, 0);
  for (const SimilarityEdge& e : edges) {
    if (!linked(e)) continue;
    ++link_begin[e.a + 1];
    ++link_begin[e.b + 1];
  }
  for (std::size_t d = 0; d < n; ++d) link_begin[d + 1] += link_begin[d];
  std::vector<std::uint32_t> edge_of(link_begin[n]);
  {
    std::vector<std::size_t> next(link_begin.begin(), link_begin.end() - 1);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (!linked(edges[i])) continue;
      edge_of[next[edges[i].a]++] = static_cast<std::uint32_t>(i);
      edge_of[next[edges[i].b]++] = static_cast<std::uint32_t>(i);
    }
  }
  std::vector<std::vector<std::pair<DocIndex, double>>> merged_links(n);
  UnionFind cluster(n);  // a cluster lives in the slot of its root
  std::vector<std::uint32_t> size(n, 1);
  std::vector<DocIndex> smallest(n);  // the cluster's smallest document
  std::vector<std::uint32_t> version(n, 0);
  std::vector<bool> alive(n, true);
  for (std::size_t d = 0; d < n; ++d) smallest[d] = static_cast<DocIndex>(d);
  // Calls fn(document, sum) for each of cluster x's links, in their order.
  auto for_each_link = [&](DocIndex x, auto fn) {
    if (size[x] > 1) {
      for (const auto& [d, s] : merged_links[x]) fn(d, s);
      return;
    }
    for (std::size_t k = link_begin[x]; k < link_begin[x + 1]; ++k) {
      const SimilarityEdge& e = edges[edge_of[k]];
      fn(e.a == x ? e.b : e.a, e.similarity);
    }
  };

  // Each cluster's distinct keys (constraint.keys): few, as keys are rare
  // (datelines) and a cluster holding two conflicting keys never forms.
  std::vector<std::vector<std::uint32_t>> keys(constraint.keys.empty() ? 0 : n);
  for (std::size_t d = 0; d < keys.size(); ++d) {
    if (constraint.keys[d] != 0) keys[d].push_back(constraint.keys[d]);
  }
  auto conflicting = [&](DocIndex x, DocIndex y) {
    for (const std::uint32_t a : keys[x]) {
      for (const std::uint32_t b : keys[y]) {
        if (a != b && constraint.conflict(a, b)) return true;
      }
    }
    return false;
  };

  // Each cluster's marks (constraint.marks) with the number of its
  // documents that carry them, sorted by mark. A single document's are made
  // when it first merges or is tested (MarksOf): most documents never are,
  // and their marks are already held in constraint.marks.
  using MarkCounts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  const bool contrast = !constraint.marks.empty() && constraint.contrast_count > 0;
  std::vector<MarkCounts> marks(contrast ? n : 0);
  auto marks_of = [&](DocIndex x) -> MarkCounts& {
    if (size[x] == 1 && marks[x].empty()) {
      marks[x].reserve(constraint.marks[x].size());
      for (const std::uint32_t m : constraint.marks[x]) marks[x].emplace_back(m, 1);
    }
    return marks[x];
  };
  // The marks at least contrast_share of x's documents carry and none of y's.
  auto own = [&](DocIndex x, DocIndex y) {
    const double need = constraint.contrast_share * size[x];
    std::size_t count = 0;
    const MarkCounts& of_y = marks_of(y);
    auto in_y = of_y.begin();
    for (const auto& [m, c] : marks_of(x)) {
      if (c < need) continue;
      while (in_y != of_y.end() && in_y->first < m) ++in_y;
      if (in_y == of_y.end() || in_y->first != m) ++count;
    }
    return count;
  };
  auto contrasting = [&](DocIndex x, DocIndex y) {
    return size[x] >= constraint.contrast_min_size && size[y] >= constraint.contrast_min_size &&
           own(x, y) >= constraint.contrast_count && own(y, x) >= constraint.contrast_count;
  };

  std::priority_queue<Entry, std::vector<Entry>, Lower> heap;
  auto push = [&](DocIndex x, DocIndex y, double sum) {
    const double average = sum / (static_cast<double>(size[x]) * static_cast<double>(size[y]));
    if (!(average >= threshold)) return;
    heap.push(Entry{average, std::min(smallest[x], smallest[y]), std::max(smallest[x], smallest[y]),
                    x, y, version[x], version[y]});
  };
  for (std::size_t d = 0; d < n; ++d) {
    for_each_link(static_cast<DocIndex>(d), [&](DocIndex z, double s) {
      if (d < z) push(static_cast<DocIndex>(d), z, s);
    });
  }

  // Per merge: the merged cluster's sums by neighbour, gathered in `sum`
  // (valid where stamp == the merge's number) in first-seen order.
  std::vector<double> sum(n, 0.0);
  std::vector<std::uint32_t> stamp(n, 0);
  std::vector<DocIndex> seen;
  std::uint32_t merge_number = 0;
  std::vector<SimilarityEdge> merges;
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    if (!alive[top.x] || !alive[top.y] || version[top.x] != top.x_version ||
        version[top.y] != top.y_version) {
      continue;  // stale: one of the clusters has merged since
    }
    if (!keys.empty() && conflicting(top.x, top.y)) continue;  // cannot link
    if (contrast && contrasting(top.x, top.y)) continue;
    merges.push_back(SimilarityEdge{top.low, top.high, top.average});
    cluster.Union(top.x, top.y);
    const DocIndex keep = cluster.Find(top.x);
    const DocIndex gone = keep == top.x ? top.y : top.x;
    ++merge_number;
    seen.clear();
    for (const DocIndex part : {top.x, top.y}) {
      for_each_link(part, [&](DocIndex d, double s) {
        const DocIndex z = cluster.Find(d);
        if (z == keep) return;  // now inside the cluster
        if (stamp[z] != merge_number) {
          stamp[z] = merge_number;
          sum[z] = 0.0;
          seen.push_back(z);
        }
        sum[z] += s;
      });
    }
    std::vector<std::pair<DocIndex, double>> merged;
    merged.reserve(seen.size());
    for (const DocIndex z : seen) merged.emplace_back(z, sum[z]);
    std::vector<std::pair<DocIndex, double>>().swap(merged_links[gone]);
    merged_links[keep] = std::move(merged);
    if (!keys.empty()) {
      for (const std::uint32_t k : keys[gone]) {
        if (std::find(keys[keep].begin(), keys[keep].end(), k) == keys[keep].end()) {
          keys[keep].push_back(k);
        }
      }
      std::vector<std::uint32_t>().swap(keys[gone]);
    }
    if (contrast) {
      const MarkCounts& of_keep = marks_of(keep);
      const MarkCounts& of_gone = marks_of(gone);
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
      marks[keep] = std::move(both);
      MarkCounts().swap(marks[gone]);
    }
    alive[gone] = false;
    size[keep] += size[gone];
    smallest[keep] = std::min(smallest[keep], smallest[gone]);
    ++version[keep];
    for (const auto& [z, s] : merged_links[keep]) push(keep, z, s);
  }
  return merges;
}

}  // namespace neardup
