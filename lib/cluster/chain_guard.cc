// The chain guard (SplitChains): connected components re-grouped around
// centers, so that every member of a cluster is within the threshold of its
// center. Single linkage (union-find) alone lets a chain of pairwise links
// join documents that are far apart: a template shared by many pages at a
// low threshold, or the 744k-member false clusters marin reports.
//
// Why a center and not the kept document: copies of one original are each
// within the threshold of it but not always of each other (two 0.85 copies
// can be 0.74 apart), and the kept document (--keep) is often a copy. The
// member with the most verified pairs in its component is the original of
// such a star, and every copy is within it; a chain has no member within
// the threshold of both of its ends, so it is cut.
//
// Cost: one pass. Centers take their verified neighbours (within by
// verification) without a check; only a member left without a center (all
// its neighbours taken by others) is checked, against the centers two edges
// away, so at most one pair per verified edge is asked of `within`, in one
// call.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "cluster/adjacency.h"
#include "neardup/cluster.h"

namespace neardup {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// One run's state: per document its group (kNone: in none of two or
// more) and the center that took it (kNone: none yet); per group its
// centers.
struct Guard {
  Adjacency adj;
  std::vector<std::uint32_t> owner;
  std::vector<DocIndex> center_of;
  std::vector<std::uint32_t> center_rank;  // a center's place in its group's order
  std::vector<std::uint8_t> taken_any;     // a center that took a neighbour
  std::vector<std::vector<DocIndex>> centers;

  Guard(std::size_t nodes, std::span<const SimilarityEdge> edges,
        const std::vector<std::vector<DocIndex>>& groups)
      : adj(nodes, edges),
        owner(nodes, kNone),
        center_of(nodes, kNone),
        center_rank(nodes, 0),
        taken_any(nodes, 0),
        centers(groups.size()) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].size() < 2) continue;
      for (const DocIndex d : groups[i]) owner[d] = static_cast<std::uint32_t>(i);
    }
  }

  // Group i's centers: members by their verified pairs inside the group
  // (most first; ties in keep order); each member not yet taken becomes a
  // center and takes its neighbours not yet taken. A center that takes none
  // (its neighbours all went to earlier centers) is a stray.
  void ChooseCenters(std::size_t i, const std::vector<DocIndex>& g) {
    const auto gi = static_cast<std::uint32_t>(i);
    std::vector<std::pair<std::size_t, std::uint32_t>> order;  // (-degree, position)
    order.reserve(g.size());
    for (std::size_t p = 0; p < g.size(); ++p) {
      std::size_t degree = 0;
      for (DocIndex y : adj.Of(g[p])) degree += owner[y] == gi;
      order.emplace_back(std::numeric_limits<std::size_t>::max() - degree,
                         static_cast<std::uint32_t>(p));
    }
    std::sort(order.begin(), order.end());
    for (const auto& [unused, p] : order) {
      const DocIndex c = g[p];
      if (center_of[c] != kNone) continue;
      center_of[c] = c;
      center_rank[c] = static_cast<std::uint32_t>(centers[i].size());
      centers[i].push_back(c);
      for (DocIndex y : adj.Of(c)) {
        if (owner[y] != gi || center_of[y] != kNone) continue;
        center_of[y] = c;
        taken_any[c] = 1;
      }
    }
  }

  // No two strays are neighbours, so a stray joins the first center two
  // edges away (in center order) that it is within, or is left alone: the
  // strays' pairs go to `within` in one call.
  Status PlaceStrays(const WithinFn& within, ChainGuardStats* stats) {
    // pairs[first[s], first[s + 1]) are stray s's, in center order.
    std::vector<DocIndex> strays;
    std::vector<std::size_t> first{0};
    std::vector<CandidatePair> pairs;
    std::vector<DocIndex> near;
    for (std::size_t i = 0; i < centers.size(); ++i) {
      for (DocIndex s : centers[i]) {
        if (taken_any[s]) continue;
        near.clear();
        for (DocIndex y : adj.Of(s)) {
          if (owner[y] == static_cast<std::uint32_t>(i)) near.push_back(center_of[y]);
        }
        std::sort(near.begin(), near.end(),
                  [&](DocIndex x, DocIndex y) { return center_rank[x] < center_rank[y]; });
        near.erase(std::unique(near.begin(), near.end()), near.end());
        for (DocIndex c : near) pairs.push_back(CandidatePair{c, s});
        strays.push_back(s);
        first.push_back(pairs.size());
      }
    }
    std::vector<bool> in(pairs.size(), false);
    if (!pairs.empty()) {
      ++stats->rounds;
      NEARDUP_RETURN_IF_ERROR(within(pairs, &in));
    }
    for (std::size_t s = 0; s < strays.size(); ++s) {
      center_of[strays[s]] = kNone;  // alone unless a center takes it
      for (std::size_t j = first[s]; j < first[s + 1]; ++j) {
        if (in[j]) {
          center_of[strays[s]] = pairs[j].a;
          break;
        }
      }
    }
    return Status::OK();
  }

  // Group i's parts: each center with what it took, in keep order, moved to
  // `done` (the group whole when nothing was cut).
  void Cut(std::size_t i, std::vector<DocIndex>* g, std::vector<std::vector<DocIndex>>* done,
           ChainGuardStats* stats) const {
    std::vector<std::vector<DocIndex>> parts(centers[i].size());
    for (DocIndex d : *g) {  // keep order
      if (center_of[d] != kNone) parts[center_rank[center_of[d]]].push_back(d);
    }
    std::erase_if(parts, [](const std::vector<DocIndex>& part) { return part.size() < 2; });
    if (parts.size() == 1 && parts.front().size() == g->size()) {
      done->push_back(std::move(*g));
      return;
    }
    ++stats->split_clusters;
    stats->new_clusters += parts.size();
    for (std::vector<DocIndex>& part : parts) done->push_back(std::move(part));
  }
};

}  // namespace

Status SplitChains(std::vector<std::vector<DocIndex>>* groups,
                   std::span<const SimilarityEdge> edges, const WithinFn& within,
                   ChainGuardStats* stats) {
  std::size_t nodes = 0;
  for (const std::vector<DocIndex>& g : *groups) {
    for (DocIndex d : g) nodes = std::max<std::size_t>(nodes, std::size_t{d} + 1);
  }
  Guard guard(nodes, edges, *groups);
  for (std::size_t i = 0; i < groups->size(); ++i) {
    if ((*groups)[i].size() >= 2) guard.ChooseCenters(i, (*groups)[i]);
  }
  NEARDUP_RETURN_IF_ERROR(guard.PlaceStrays(within, stats));
  std::vector<std::vector<DocIndex>> done;
  for (std::size_t i = 0; i < groups->size(); ++i) {
    if ((*groups)[i].size() >= 2) guard.Cut(i, &(*groups)[i], &done, stats);
  }
  *groups = std::move(done);
  return Status::OK();
}

}  // namespace neardup
