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
//
// `constraint` adds cannot-link constraints: each document may carry a key
// (0: none), and two clusters never merge while one holds a key a and the
// other a key b with constraint.conflict(a, b): the merge is skipped and
// the next best pair is taken. (The story level keys documents by dateline,
// so reports of different days never share a cluster, however many
// undated members would link them.)
//
// It also adds a contrast test: each document may carry marks (sorted,
// distinct: the story level's names and numbers); two clusters of at least
// contrast_min_size documents each never merge when each holds at least
// contrast_count marks that at least contrast_share of its documents carry
// and no document of the other does (different events of one topic, each
// with facts its reports agree on).
// REQUIRES: endpoints < n, each unordered pair listed at most once,
// similarities in [0, 1], threshold > 0; constraint.keys empty or of size n,
// conflict set when keys are, symmetric and false for equal keys;
// constraint.marks empty or of size n.
struct LinkageConstraint {
  std::span<const std::uint32_t> keys;
  std::function<bool(std::uint32_t, std::uint32_t)> conflict;
  std::span<const std::span<const std::uint32_t>> marks;
  std::size_t contrast_min_size = 4;
  double contrast_share = 0.5;
  std::size_t contrast_count = 2;  // 0: no contrast test
};
std::vector<SimilarityEdge> AverageLinkage(std::size_t n, std::span<const SimilarityEdge> edges,
                                           double threshold,
                                           const LinkageConstraint& constraint = {});

}  // namespace neardup

#endif  // NEARDUP_CLUSTER_H_
