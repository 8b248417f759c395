// DiffCluster: every member against the representative, and the shared core.
#include "neardup/align.h"

namespace neardup {

ClusterDiff DiffCluster(std::span<const std::string_view> texts, const AlignOptions& options) {
  ClusterDiff out;
  if (texts.empty()) return out;
  for (std::size_t m = 1; m < texts.size(); ++m) {
    out.members.push_back(DiffDocuments(texts[0], texts[m], options));
  }
  out.representative = SegmentSentences(texts[0]);
  const std::size_t n = out.representative.size();
  // A sentence is in the core when at least half of all the documents, the
  // representative included, have it: 1 of 2 (so a pair's core is all of A
  // and coverage says how much of A the copy kept), 2 of 3 or 4, 3 of 5.
  const std::size_t others = out.members.size();
  const std::size_t needed = (texts.size() + 1) / 2 - 1;  // aligned in this many other members
  out.core.assign(n, false);
  std::vector<bool> has_words(n);
  for (std::size_t s = 0; s < n; ++s) {
    const Sentence& x = out.representative[s];
    has_words[s] = CountWords(texts[0], x.begin, x.end) > 0;
    std::size_t aligned = 0;
    for (const DocDiff& d : out.members) aligned += d.a_match[s] >= 0 ? 1u : 0u;
    out.core[s] = has_words[s] && aligned >= needed;
  }
  std::size_t core_size = 0;
  for (bool c : out.core) core_size += c ? 1 : 0;

  MemberSummary rep;
  rep.words = others > 0 ? out.members[0].counts.words_a : CountWords(texts[0], 0, texts[0].size());
  rep.words_shared = rep.words;
  rep.core_sentences = rep.core_covered = core_size;
  rep.core_share = 1;
  out.summaries.push_back(rep);
  for (const DocDiff& d : out.members) {
    MemberSummary s;
    s.words = d.counts.words_b;
    s.words_shared = d.counts.words_shared;
    s.words_added = d.counts.words_added;
    s.words_dropped = d.counts.words_dropped;
    s.words_reworded = d.counts.words_reworded;
    s.words_moved = d.counts.words_moved;
    s.words_normalized = d.counts.words_normalized;
    s.core_sentences = core_size;
    for (std::size_t i = 0; i < n; ++i)
      s.core_covered += out.core[i] && d.a_match[i] >= 0 ? 1u : 0u;
    s.core_share =
        core_size == 0 ? 1.0 : static_cast<double>(s.core_covered) / static_cast<double>(core_size);
    out.summaries.push_back(s);
  }
  return out;
}

}  // namespace neardup
