// After the chain guard (SplitChains): rules that make every member of a
// part within the threshold of the part's kept document (its first member),
// not only of its center (AnchorOnKept in cluster.h).
//
// Why neither is the default: copies of one original are each within the
// threshold of it but not always of each other, and the kept document
// (--keep) is often a copy. On gen_planted's 10,000 documents at 0.8 (seed
// 1) 50 members are below 0.8 against the kept document, all within it of
// their center; either rule changes those clusters (kResplit splits them,
// kKeepWithin keeps another document), where the center anchor leaves
// them as they are. README.md, "Chained clusters", has the figures.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "neardup/cluster.h"

namespace neardup {
namespace {

// True when the answers in[first, first + count) are all "within".
bool AllWithin(const std::vector<bool>& in, std::size_t first, std::size_t count) {
  for (std::size_t j = first; j < first + count; ++j) {
    if (!in[j]) return false;
  }
  return true;
}

// kKeepWithin: candidates in keep order, tried in rounds of 1, 2, 4, ...
// per group (so a group whose center is its n-th member costs at most 2n
// candidates' pairs and log2(n) calls of `within`); the first candidate
// within every other member is moved to the front. The center passes, so
// every group finds one; a group that would not is left as it was.
Status KeepWithin(std::vector<std::vector<DocIndex>>* groups, const WithinFn& within,
                  ChainGuardStats* stats) {
  std::vector<std::size_t> next(groups->size(), 0);  // next candidate to try
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < groups->size(); ++i) {
    if ((*groups)[i].size() >= 2) pending.push_back(i);
  }
  for (std::size_t width = 1; !pending.empty(); width *= 2) {
    std::vector<CandidatePair> pairs;
    for (std::size_t i : pending) {
      const std::vector<DocIndex>& g = (*groups)[i];
      const std::size_t end = std::min(g.size(), next[i] + width);
      for (std::size_t c = next[i]; c < end; ++c) {
        for (std::size_t m = 0; m < g.size(); ++m) {
          if (m != c) pairs.push_back(CandidatePair{g[c], g[m]});
        }
      }
    }
    std::vector<bool> in(pairs.size(), false);
    ++stats->rounds;
    NEARDUP_RETURN_IF_ERROR(within(pairs, &in));
    stats->anchor_pairs += pairs.size();
    std::vector<std::size_t> still;
    std::size_t at = 0;
    for (std::size_t i : pending) {
      std::vector<DocIndex>& g = (*groups)[i];
      const std::size_t end = std::min(g.size(), next[i] + width);
      std::size_t chosen = g.size();
      for (std::size_t c = next[i]; c < end; ++c, at += g.size() - 1) {
        if (chosen == g.size() && AllWithin(in, at, g.size() - 1)) chosen = c;
      }
      if (chosen < g.size()) {
        if (chosen > 0) {
          std::rotate(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(chosen),
                      g.begin() + static_cast<std::ptrdiff_t>(chosen) + 1);
          ++stats->anchor_changed;
        }
      } else if (end < g.size()) {
        next[i] = end;
        still.push_back(i);
      }
    }
    pending = std::move(still);
  }
  return Status::OK();
}

// kResplit: each group's members not within its first member leave it; they
// are grouped again by SplitChains (in keep order), and the new parts are
// checked in the next round, until every part passes.
Status Resplit(std::vector<std::vector<DocIndex>>* groups, std::span<const SimilarityEdge> edges,
               const WithinFn& within, ChainGuardStats* stats) {
  std::vector<std::vector<DocIndex>> done;
  std::vector<std::vector<DocIndex>> check = std::move(*groups);
  while (!check.empty()) {
    std::vector<CandidatePair> pairs;
    for (const std::vector<DocIndex>& g : check) {
      for (std::size_t m = 1; m < g.size(); ++m) pairs.push_back(CandidatePair{g[0], g[m]});
    }
    std::vector<bool> in(pairs.size(), false);
    if (!pairs.empty()) {
      ++stats->rounds;
      NEARDUP_RETURN_IF_ERROR(within(pairs, &in));
      stats->anchor_pairs += pairs.size();
    }
    std::vector<std::vector<DocIndex>> again;
    std::size_t at = 0;
    for (std::vector<DocIndex>& g : check) {
      if (g.size() < 2) continue;
      std::vector<DocIndex> kept{g[0]};
      std::vector<DocIndex> out;
      for (std::size_t m = 1; m < g.size(); ++m, ++at) (in[at] ? kept : out).push_back(g[m]);
      if (!out.empty()) ++stats->anchor_changed;
      if (kept.size() >= 2) done.push_back(std::move(kept));
      if (out.size() >= 2) again.push_back(std::move(out));
    }
    ChainGuardStats inner;
    if (!again.empty()) NEARDUP_RETURN_IF_ERROR(SplitChains(&again, edges, within, &inner));
    stats->rounds += inner.rounds;
    check = std::move(again);
  }
  *groups = std::move(done);
  return Status::OK();
}

}  // namespace

const char* KeptAnchorName(KeptAnchor anchor) {
  switch (anchor) {
    case KeptAnchor::kCenter:
      return "center";
    case KeptAnchor::kResplit:
      return "resplit";
    case KeptAnchor::kKeepWithin:
      return "keep-within";
  }
  return "?";
}

Status AnchorOnKept(std::vector<std::vector<DocIndex>>* groups,
                    std::span<const SimilarityEdge> edges, const WithinFn& within,
                    KeptAnchor anchor, ChainGuardStats* stats) {
  switch (anchor) {
    case KeptAnchor::kCenter:
      return Status::OK();
    case KeptAnchor::kResplit:
      return Resplit(groups, edges, within, stats);
    case KeptAnchor::kKeepWithin:
      return KeepWithin(groups, within, stats);
  }
  return Status::OK();
}

}  // namespace neardup
