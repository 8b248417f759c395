// Stage "cluster": verified similarity edges -> clusters with a representative.
//
// Candidate pairs are kept as edges only when their similarity reaches the
// threshold (Verify). Union-find joins documents connected by edges. Clusters
// are then numbered and given a representative by a fixed rule that does not
// depend on the order edges arrive in:
//   - the representative is the cluster's earliest document in input order;
//   - clusters are numbered 0, 1, 2, ... in input order of their representatives;
//   - members are listed in input order (so the representative comes first).
//
//   std::vector<SimilarityEdge> edges = Verify(pairs, similarity, 0.8);
//   std::vector<Cluster> clusters = BuildClusters(num_docs, edges, similarity);
#ifndef NEARDUP_CLUSTER_H_
#define NEARDUP_CLUSTER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "neardup/document.h"
#include "neardup/index.h"

namespace neardup {

// Similarity of two documents in [0, 1]. Must be symmetric and thread-safe.
using SimilarityFn = std::function<double(DocIndex, DocIndex)>;

struct SimilarityEdge {
  DocIndex a;
  DocIndex b;
  double similarity;
};

// The candidate pairs whose similarity is >= threshold, in the order given.
// Evaluates pairs in parallel on the calling thread's TBB arena.
std::vector<SimilarityEdge> Verify(std::span<const CandidatePair> candidates,
                                   const SimilarityFn& similarity, double threshold);

// Disjoint sets over [0, n) with path halving and union by size.
class UnionFind {
 public:
  explicit UnionFind(std::size_t n);
  DocIndex Find(DocIndex x);
  // Returns true when x and y were in different sets.
  bool Union(DocIndex x, DocIndex y);
  std::size_t SetSize(DocIndex x) { return size_[Find(x)]; }

 private:
  std::vector<DocIndex> parent_;
  std::vector<std::uint32_t> size_;
};

struct ClusterMember {
  DocIndex doc;
  double similarity;  // to the representative (1 for the representative itself)
};

struct Cluster {
  std::uint32_t id;                    // 0-based, in input order of representatives
  DocIndex representative;             // earliest member in input order
  std::vector<ClusterMember> members;  // input order; members[0] is the representative
};

// Clusters of two or more documents from the connected components of `edges`.
// `similarity` gives each member's similarity to its representative.
// REQUIRES: every edge endpoint < num_docs
std::vector<Cluster> BuildClusters(std::size_t num_docs, std::span<const SimilarityEdge> edges,
                                   const SimilarityFn& similarity);

// Average-linkage (UPGMA) clustering of the documents [0, n) over sparse
// similarities: `edges` holds the known pairs, a pair not listed counts 0.
// Starting from singletons, the two clusters with the highest average
// similarity over all their cross pairs merge, as long as that average is
// >= threshold; on equal averages the pair whose smallest documents are
// smallest (compared as (lower, higher)) merges first. Unlike single linkage
// (connected components, BuildClusters), a document joins a cluster by its
// average similarity to all its members, so a chain of pairwise links does
// not make one cluster.
// Returns one edge per merge, in merge order: the two clusters' smallest
// documents (a < b) and their average similarity at the merge. The connected
// components of the returned edges are the clusters (pass them to
// BuildClusters). Sequential and deterministic: the result depends only on
// the set of edges, not on their order.
// REQUIRES: endpoints < n, each unordered pair listed at most once,
// similarities in [0, 1], threshold > 0.
std::vector<SimilarityEdge> AverageLinkage(std::size_t n, std::span<const SimilarityEdge> edges,
                                           double threshold);

}  // namespace neardup

#endif  // NEARDUP_CLUSTER_H_
