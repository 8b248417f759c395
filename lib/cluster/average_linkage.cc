// AverageLinkage: UPGMA over sparse similarities, merging the pair of
// clusters with the highest average first.
//
// Two facts keep it cheap. A merge needs an average >= threshold, so some
// pair across the two clusters reaches it: clusters never grow beyond the
// connected components of the edges that reach the threshold, and edges
// between two such components are dropped at the start. And only the
// clusters next to a merge change their average with it: each cluster keeps
// the sums of similarities to its neighbours in a hash map, the smaller map
// is folded into the larger one, and a max-heap holds the averages, stale
// entries recognised by a per-cluster version and skipped when popped.
// O(E log E) for E edges, where E counts the sums pushed after merges too.
#include <algorithm>
#include <queue>
#include <unordered_map>
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
  // A cluster lives in the slot of one of its documents.
  std::vector<std::unordered_map<DocIndex, double>> sums(n);  // neighbour slot -> sum
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
  for (const SimilarityEdge& e : edges) {
    if (e.a == e.b || e.similarity == 0 || reach.Find(e.a) != reach.Find(e.b)) continue;
    sums[e.a][e.b] += e.similarity;
    sums[e.b][e.a] += e.similarity;
  }
  for (const SimilarityEdge& e : edges) {
    if (e.a != e.b && e.similarity >= threshold) push(e.a, e.b, sums[e.a][e.b]);
  }

  std::vector<SimilarityEdge> merges;
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    if (!alive[top.x] || !alive[top.y] || version[top.x] != top.x_version ||
        version[top.y] != top.y_version) {
      continue;  // stale: one of the clusters has merged since
    }
    merges.push_back(SimilarityEdge{top.low, top.high, top.average});
    DocIndex keep = top.x;
    DocIndex gone = top.y;
    if (sums[keep].size() < sums[gone].size()) std::swap(keep, gone);
    sums[keep].erase(gone);
    for (const auto& [z, sum] : sums[gone]) {
      if (z == keep) continue;
      double& total = sums[keep][z];
      total += sum;
      auto& other = sums[z];
      other.erase(gone);
      other[keep] = total;
    }
    std::unordered_map<DocIndex, double>().swap(sums[gone]);
    alive[gone] = false;
    size[keep] += size[gone];
    smallest[keep] = std::min(smallest[keep], smallest[gone]);
    ++version[keep];
    for (const auto& [z, sum] : sums[keep]) push(keep, z, sum);
  }
  return merges;
}

}  // namespace neardup
