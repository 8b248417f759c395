// Stage "cluster": verified similarity edges -> clusters with a representative.
//
// Candidate pairs are kept as edges only when their similarity reaches the
// threshold (Verify). Union-find joins documents connected by edges. Clusters
// are then numbered and given a representative by a fixed rule that does not
// depend on the order edges arrive in:
//   - the representative is the cluster's first document in keep order
//     (KeepRankFn; without one, the earliest in input order);
//   - clusters are numbered 0, 1, 2, ... in input order of their representatives;
//   - members are listed representative first, then in input order.
// A chain guard (SplitChains) may split a connected component whose members
// are not all within the threshold of one center.
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
#include "neardup/status.h"

namespace neardup {

// Similarity of two documents in [0, 1]. Must be symmetric and thread-safe.
using SimilarityFn = std::function<double(DocIndex, DocIndex)>;

struct SimilarityEdge {
  DocIndex a;
  DocIndex b;
  double similarity;
};

// The candidate pairs whose similarity is >= threshold, in the order given.
// Evaluates pairs in parallel on the calling thread's TBB arena. For a
// caller with a similarity function; the pipeline's levels verify their
// candidates themselves (near: on sketches, then exact Jaccard; story: by
// StoryPairScorer) and hand the edges to the functions below.
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
  std::uint32_t id;         // 0-based, in input order of representatives
  DocIndex representative;  // first member in keep order (default: earliest in input order)
  std::vector<ClusterMember> members;  // members[0] is the representative, the rest in input order
};

// Keep order: the rank of a document; a cluster keeps (is represented by)
// its member of lowest rank, the earliest in input order among equal ranks.
// An empty function ranks every document alike (keep the earliest).
// Must be thread-safe.
using KeepRankFn = std::function<std::uint64_t(DocIndex)>;

// The connected components of `edges` with two or more documents, each in
// keep order (its first document is its representative), components in
// input order of their earliest documents.
// REQUIRES: every edge endpoint < num_docs
std::vector<std::vector<DocIndex>> ConnectedGroups(std::size_t num_docs,
                                                   std::span<const SimilarityEdge> edges,
                                                   const KeepRankFn& rank = {});

// Clusters from groups of documents, each in keep order (as ConnectedGroups
// returns them; groups of fewer than two are dropped): the first document of
// a group is its representative; `similarity` gives each member's
// similarity to it, called in parallel on the calling thread's TBB arena.
std::vector<Cluster> ClustersFromGroups(std::vector<std::vector<DocIndex>> groups,
                                        const SimilarityFn& similarity);

// Clusters of two or more documents from the connected components of `edges`
// (ClustersFromGroups of ConnectedGroups).
// REQUIRES: every edge endpoint < num_docs
std::vector<Cluster> BuildClusters(std::size_t num_docs, std::span<const SimilarityEdge> edges,
                                   const SimilarityFn& similarity, const KeepRankFn& rank = {});

// The chain guard. Union-find joins A-B and B-C even when A and C are far
// apart; a guarded cluster holds only members within the threshold of its
// center. `within` decides pairs (center, member), a = center (not
// necessarily a < b): (*within)[i] is true when pairs[i] is within the
// threshold. It is called once with every pair to decide, so
// that it can decide them together (the near level re-reads documents for
// pairs near the threshold), and not at all when there is no pair.
using WithinFn =
    std::function<Status(std::span<const CandidatePair> pairs, std::vector<bool>* within)>;

struct ChainGuardStats {
  std::uint64_t split_clusters = 0;  // groups that did not stay whole
  std::uint64_t new_clusters = 0;    // groups of two or more they became
  std::uint64_t rounds = 0;          // calls of `within` (SplitChains: 0 or 1)
  std::uint64_t anchor_pairs = 0;    // AnchorOnKept: (kept, member) pairs asked of `within`
  std::uint64_t anchor_changed = 0;  // AnchorOnKept: groups re-split or given another kept one
};

// Splits each group of `*groups` (in keep order, as ConnectedGroups returns
// them from `edges`) whose members are not all within the threshold of one
// center. Members are taken by their number of `edges` inside the group
// (most first; ties in keep order); each not yet taken becomes a center and
// takes the members it shares an edge with that are not yet taken (within:
// the edge passed verification). A center that takes none (a stray: its
// neighbours went to earlier centers) is asked of `within` against the
// centers of its neighbours, in center order, and joins the first it is
// within, or is left alone and leaves the clusters. A center and what it
// took make a part, in keep order (its first document is the one kept). A
// group whose first center takes every member stays as it is: a star of
// copies around their original, whatever the keep order, since the
// original has the most edges. Groups that split are replaced by their
// parts of two or more. `within` is called at most once, with at most one
// pair per edge. Deterministic: the result depends on the groups, the set
// of edges and the answers of `within` only (not on edge order). Returns
// the error of `within`.
// REQUIRES: each group lists distinct documents, no document is in two groups
Status SplitChains(std::vector<std::vector<DocIndex>>* groups,
                   std::span<const SimilarityEdge> edges, const WithinFn& within,
                   ChainGuardStats* stats);

// What the kept document of a guarded part (its first member) must be
// within the threshold of, after SplitChains. A part's members are within
// the threshold of its center, not always of the kept one (two copies of
// one original); the other two rules close that gap, at a price
// (kept_anchor.cc): neither is the default.
enum class KeptAnchor {
  kCenter,      // nothing more (the default)
  kResplit,     // members not within the kept document leave its part and
                // are split again (SplitChains), until every part passes
  kKeepWithin,  // the kept document becomes the first member, in keep
                // order, within the threshold of every other member (the
                // center is): the keep rule chooses only among those
};
// "center", "resplit" or "keep-within".
const char* KeptAnchorName(KeptAnchor anchor);

// Applies `anchor` to `groups` as SplitChains left them (each in keep
// order), asking `within` (a = the kept candidate) in rounds: kResplit one
// call per round of re-splitting, kKeepWithin one per doubling of the
// candidates tried (1, 2, 4, ...). Groups of fewer than two are dropped by
// kResplit, left as they are by the others. Counts pairs and changed
// groups in `stats`. Deterministic as SplitChains is. Returns the error of
// `within`.
// REQUIRES: as SplitChains
Status AnchorOnKept(std::vector<std::vector<DocIndex>>* groups,
                    std::span<const SimilarityEdge> edges, const WithinFn& within,
                    KeptAnchor anchor, ChainGuardStats* stats);

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
// constraint.marks empty or of size n; fewer than 2^32 edges.
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
