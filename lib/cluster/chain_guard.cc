// The chain guard (SplitChains): connected components re-grouped greedily
// around representatives taken in keep order, so that every member of a
// cluster is within the threshold of its representative. Single linkage
// (union-find) alone lets a chain of pairwise links join documents that are
// far apart: a template shared by many pages at a low threshold, or the
// 744k-member false clusters marin reports.
#include <utility>

#include "neardup/cluster.h"

namespace neardup {

Status SplitChains(std::vector<std::vector<DocIndex>>* groups, const WithinFn& within,
                   ChainGuardStats* stats) {
  // Groups still to settle (documents in keep order) and the index of the
  // input group each came from.
  std::vector<std::vector<DocIndex>> pending;
  std::vector<std::size_t> origin;
  std::vector<std::vector<DocIndex>> done;
  std::vector<std::size_t> parts(groups->size(), 0);  // settled parts of >= 2 per input group
  std::vector<bool> moved(groups->size(), false);     // a group of two or more, taken in
  for (std::size_t g = 0; g < groups->size(); ++g) {
    if ((*groups)[g].size() < 2) continue;
    moved[g] = true;
    pending.push_back(std::move((*groups)[g]));
    origin.push_back(g);
  }
  std::vector<bool> whole(groups->size(), false);  // the group's first round kept every member
  bool first_round = true;
  std::vector<CandidatePair> pairs;
  std::vector<bool> in;
  while (!pending.empty()) {
    pairs.clear();
    for (const std::vector<DocIndex>& g : pending) {
      for (std::size_t i = 1; i < g.size(); ++i) pairs.push_back(CandidatePair{g.front(), g[i]});
    }
    in.assign(pairs.size(), false);
    ++stats->rounds;
    NEARDUP_RETURN_IF_ERROR(within(pairs, &in));
    std::vector<std::vector<DocIndex>> next;
    std::vector<std::size_t> next_origin;
    std::size_t p = 0;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const std::vector<DocIndex>& g = pending[i];
      std::vector<DocIndex> kept{g.front()};
      std::vector<DocIndex> rest;
      for (std::size_t m = 1; m < g.size(); ++m, ++p) (in[p] ? kept : rest).push_back(g[m]);
      if (first_round && rest.empty()) whole[origin[i]] = true;
      if (kept.size() >= 2) {
        ++parts[origin[i]];
        done.push_back(std::move(kept));
      }
      if (rest.size() >= 2) {
        next.push_back(std::move(rest));
        next_origin.push_back(origin[i]);
      }
    }
    pending = std::move(next);
    origin = std::move(next_origin);
    first_round = false;
  }
  for (std::size_t g = 0; g < groups->size(); ++g) {
    if (moved[g] && !whole[g]) {
      ++stats->split_clusters;
      stats->new_clusters += parts[g];
    }
  }
  *groups = std::move(done);
  return Status::OK();
}

}  // namespace neardup
