// Edges as sorted neighbour lists (CSR): each document's neighbours in one
// array. Shared by the chain guard (its verified edges) and the story
// level's subject rule (the scored pairs the phrase gate tests).
#ifndef NEARDUP_CLUSTER_ADJACENCY_H_
#define NEARDUP_CLUSTER_ADJACENCY_H_

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "neardup/cluster.h"

namespace neardup {

class Adjacency {
 public:
  // The edges for which keep(edge) holds, each in both documents' lists;
  // self-loops and documents >= nodes left out. Sorted lists make a walk
  // (and so its result) independent of edge order; an edge given twice is
  // listed twice.
  template <class Keep>
  Adjacency(std::size_t nodes, std::span<const SimilarityEdge> edges, Keep keep)
      : begin_(nodes + 1, 0) {
    auto listed = [&](const SimilarityEdge& e) {
      return e.a != e.b && e.a < nodes && e.b < nodes && keep(e);
    };
    for (const SimilarityEdge& e : edges) {
      if (!listed(e)) continue;
      ++begin_[e.a + 1];
      ++begin_[e.b + 1];
    }
    for (std::size_t d = 0; d < nodes; ++d) begin_[d + 1] += begin_[d];
    next_.resize(begin_[nodes]);
    std::vector<std::size_t> fill(begin_.begin(), begin_.end() - 1);
    for (const SimilarityEdge& e : edges) {
      if (!listed(e)) continue;
      next_[fill[e.a]++] = e.b;
      next_[fill[e.b]++] = e.a;
    }
    tbb::parallel_for(std::size_t{0}, nodes, [&](std::size_t d) {
      std::sort(next_.begin() + static_cast<std::ptrdiff_t>(begin_[d]),
                next_.begin() + static_cast<std::ptrdiff_t>(begin_[d + 1]));
    });
  }
  // Every edge.
  Adjacency(std::size_t nodes, std::span<const SimilarityEdge> edges)
      : Adjacency(nodes, edges, [](const SimilarityEdge&) { return true; }) {}

  // Document d's neighbours, ascending.
  std::span<const DocIndex> Of(DocIndex d) const {
    return std::span<const DocIndex>(next_).subspan(begin_[d], begin_[d + 1] - begin_[d]);
  }

 private:
  std::vector<std::size_t> begin_;  // d's neighbours: next_[begin_[d], begin_[d + 1])
  std::vector<DocIndex> next_;
};

}  // namespace neardup

#endif  // NEARDUP_CLUSTER_ADJACENCY_H_
