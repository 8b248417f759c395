// An outlet's own sections (passage_align.h, DropOwnSections).
#include <algorithm>
#include <cstddef>
#include <vector>

#include "align/passage_align.h"

namespace neardup::internal {
namespace {

// Which aligned B sentences follow the story's order: the chain of B
// sentences, in B order, whose A windows start in increasing order and whose
// scores add up to the most (a weighted longest increasing subsequence,
// O(n log n) with a Fenwick tree of prefix maxima over A positions). A
// rewrite moves a few passages, but its body follows the story, while a
// section that restates the story's facts jumps back to them. Each A start
// is taken once, so a restatement cannot outweigh the body by repeating one
// fact in several sentences (a timeline); the other parts of a split join
// their neighbour on the chain below.
std::vector<bool> InOrder(const std::vector<Match>& best, std::size_t na) {
  struct Best {
    double score = 0;
    std::size_t j = 0;  // B sentence ending the chain, + 1 (0: none)
  };
  std::vector<Best> tree(na + 1);
  std::vector<double> chain(best.size(), 0);
  std::vector<std::size_t> prev(best.size(), 0);  // predecessor + 1 (0: none)
  Best top;
  for (std::size_t j = 0; j < best.size(); ++j) {
    if (best[j].a_end == 0) continue;
    Best before;
    for (std::size_t k = best[j].a_begin; k > 0; k -= k & (~k + 1)) {
      if (tree[k].score > before.score) before = tree[k];
    }
    chain[j] = before.score + best[j].similarity;
    prev[j] = before.j;
    const Best here{chain[j], j + 1};
    for (std::size_t k = best[j].a_begin + 1; k <= na; k += k & (~k + 1)) {
      if (here.score > tree[k].score) tree[k] = here;
    }
    if (here.score > top.score) top = here;
  }
  std::vector<bool> in_order(best.size(), false);
  for (std::size_t j = top.j; j > 0; j = prev[j - 1]) in_order[j - 1] = true;
  // The chain takes one sentence per A start; the other parts of a split
  // (the next aligned B sentence, overlapping the same A window) follow it.
  auto overlap = [&](std::size_t x, std::size_t y) {
    return best[x].a_begin < best[y].a_end && best[y].a_begin < best[x].a_end;
  };
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t last = best.size();  // the previous aligned sentence in this direction
    for (std::size_t k = 0; k < best.size(); ++k) {
      const std::size_t j = pass == 0 ? k : best.size() - 1 - k;
      if (best[j].a_end == 0) continue;
      if (last != best.size() && in_order[last] && overlap(j, last)) in_order[j] = true;
      last = j;
    }
  }
  return in_order;
}

}  // namespace

// An outlet's own section (an explainer, a timeline, a background box) names
// the story's people and restates its facts, so its sentences find
// counterparts, but it carries little of the original: the facts it restates
// are already carried by the story's body elsewhere in B, or the few it alone
// carries are far shorter than the section. A rewritten section of the story
// carries about its own length (a paraphrase keeps a passage's length). So a
// section (from a heading paragraph to the next) carrying A sentences of
// fewer words than a fraction of its own, counting only A sentences that it aligns
// with in the story's order and that no in-order sentence outside it aligns
// with, is the outlet's own (AlignOptions::carried_below): only sentences
// moved into it nearly verbatim (strong_threshold) keep their counterpart. The text before the
// first heading is the story's lead and is left alone, as is the section carrying the most of A,
// which holds the story's body when the copy has a headline over it.
void DropOwnSections(const Side& a, const Side& b, const std::vector<bool>& heading,
                     const AlignOptions& options, std::vector<Match>* best) {
  const std::size_t nb = b.sentences.size();
  std::vector<std::size_t> section(nb, 0);
  std::size_t sections = 1;
  for (std::size_t j = 0; j < nb; ++j) {
    const std::uint32_t q = b.sentences[j].paragraph;
    if (heading[q] && j > 0 && !heading[b.sentences[j - 1].paragraph]) ++sections;
    section[j] = sections - 1;
  }
  const std::vector<bool> in_order = InOrder(*best, a.sentences.size());
  constexpr std::size_t kNone = static_cast<std::size_t>(-1), kMany = kNone - 1;
  std::vector<std::size_t> owner(a.sentences.size(), kNone);  // section aligning in order
  for (std::size_t j = 0; j < nb; ++j) {
    if (!in_order[j]) continue;
    for (std::size_t i = (*best)[j].a_begin; i < (*best)[j].a_end; ++i) {
      owner[i] = owner[i] == kNone || owner[i] == section[j] ? section[j] : kMany;
    }
  }
  std::vector<std::size_t> words(sections, 0), carried(sections, 0);
  for (std::size_t j = 0; j < nb; ++j) words[section[j]] += b.last[j] - b.first[j];
  for (std::size_t i = 0; i < owner.size(); ++i) {
    if (owner[i] < sections) carried[owner[i]] += a.last[i] - a.first[i];
  }
  const std::size_t body =
      static_cast<std::size_t>(std::max_element(carried.begin(), carried.end()) - carried.begin());
  for (std::size_t j = 0; j < nb; ++j) {
    const std::size_t k = section[j];
    if (k == 0 || k == body ||
        static_cast<double>(carried[k]) >= options.carried_below * static_cast<double>(words[k])) {
      continue;
    }
    if ((*best)[j].similarity < options.strong_threshold) (*best)[j] = Match{};
  }
}

}  // namespace neardup::internal
