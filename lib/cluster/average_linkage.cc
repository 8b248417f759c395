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
                                           double threshold) {
  UnionFind reach(n);
  for (const SimilarityEdge& e : edges) {
    if (e.a != e.b && e.similarity >= threshold) reach.Union(e.a, e.b);
  }
  // Each cluster's links: (a document of another cluster, similarity sum),
  // several entries of one cluster possible. The sum of the entries whose
  // document now lies in cluster Z is the cluster's sum to Z, so a merge
  // does not touch the neighbours' lists: their entries of the two merged
  // clusters' documents now resolve to the merged one.
  std::vector<std::vector<std::pair<DocIndex, double>>> links(n);
  for (const SimilarityEdge& e : edges) {
    if (e.a == e.b || e.similarity == 0 || reach.Find(e.a) != reach.Find(e.b)) continue;
    links[e.a].emplace_back(e.b, e.similarity);
    links[e.b].emplace_back(e.a, e.similarity);
  }
  UnionFind cluster(n);  // a cluster lives in the slot of its root
  std::vector<std::uint32_t> size(n, 1);
  std::vector<DocIndex> smallest(n);  // the cluster's smallest document
  std::vector<std::uint32_t> version(n, 0);
  std::vector<bool> alive(n, true);
  for (std::size_t d = 0; d < n; ++d) smallest[d] = static_cast<DocIndex>(d);

  std::priority_queue<Entry, std::vector<Entry>, Lower> heap;
  auto push = [&](DocIndex x, DocIndex y, double sum) {
    const double average = sum / (static_cast<double>(size[x]) * static_cast<double>(size[y]));
    if (!(average >= threshold)) return;
    heap.push(Entry{average, std::min(smallest[x], smallest[y]), std::max(smallest[x], smallest[y]),
                    x, y, version[x], version[y]});
  };
  for (std::size_t d = 0; d < n; ++d) {
    for (const auto& [z, s] : links[d]) {
      if (d < z) push(static_cast<DocIndex>(d), z, s);
    }
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
    merges.push_back(SimilarityEdge{top.low, top.high, top.average});
    cluster.Union(top.x, top.y);
    const DocIndex keep = cluster.Find(top.x);
    const DocIndex gone = keep == top.x ? top.y : top.x;
    ++merge_number;
    seen.clear();
    for (const DocIndex part : {top.x, top.y}) {
      for (const auto& [d, s] : links[part]) {
        const DocIndex z = cluster.Find(d);
        if (z == keep) continue;  // now inside the cluster
        if (stamp[z] != merge_number) {
          stamp[z] = merge_number;
          sum[z] = 0.0;
          seen.push_back(z);
        }
        sum[z] += s;
      }
    }
    std::vector<std::pair<DocIndex, double>> merged;
    merged.reserve(seen.size());
    for (const DocIndex z : seen) merged.emplace_back(z, sum[z]);
    std::vector<std::pair<DocIndex, double>>().swap(links[gone]);
    links[keep] = std::move(merged);
    alive[gone] = false;
    size[keep] += size[gone];
    smallest[keep] = std::min(smallest[keep], smallest[gone]);
    ++version[keep];
    for (const auto& [z, s] : links[keep]) push(keep, z, s);
  }
  return merges;
}

}  // namespace neardup
