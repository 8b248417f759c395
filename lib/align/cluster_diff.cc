// DiffCluster: every member against the representative, and the shared core;
// CompareClusterCores: two clusters through their cores.
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

ClusterDiff CompareClusterCores(std::span<const std::string_view> first,
                                std::span<const std::string_view> second,
                                const AlignOptions& options) {
  const ClusterDiff c1 = DiffCluster(first, options);
  const ClusterDiff c2 = DiffCluster(second, options);
  const std::string_view representatives[2] = {first[0], second[0]};
  ClusterDiff out = DiffCluster(representatives, options);
  auto in_core = [](const ClusterDiff& c, const DiffSpan& s) {
    for (std::size_t i = 0; i < c.representative.size(); ++i) {
      const Sentence& x = c.representative[i];
      if (c.core[i] && s.begin >= x.begin && s.end <= x.end) return true;
    }
    return false;
  };
  DocDiff& d = out.members[0];
  std::vector<DiffSpan> kept;
  for (const DiffSpan& s : d.spans) {
    if (in_core(s.doc == 0 ? c1 : c2, s)) kept.push_back(s);
  }
  d.spans = std::move(kept);
  out.core = c1.core;
  MemberSummary sums[2];
  for (const DiffSpan& s : d.spans) {
    const std::size_t w = CountWords(representatives[s.doc], s.begin, s.end);
    MemberSummary& m = sums[s.doc];
    m.words += w;
    if (s.kind == SpanKind::kShared) m.words_shared += w;
    if (s.kind == SpanKind::kAdded) m.words_added += w;
    if (s.kind == SpanKind::kDropped) sums[1].words_dropped += w;
    if (s.kind == SpanKind::kReworded) m.words_reworded += w;
    if (s.kind == SpanKind::kMoved) m.words_moved += w;
    if (s.kind == SpanKind::kNormalized) m.words_normalized += w;
  }
  std::size_t core1 = 0, covered = 0;
  for (std::size_t i = 0; i < c1.core.size(); ++i) {
    if (!c1.core[i]) continue;
    ++core1;
    covered += d.a_match[i] >= 0 ? 1u : 0u;
  }
  for (MemberSummary& m : sums) m.core_sentences = core1;
  sums[0].core_covered = core1;
  sums[0].core_share = 1;
  sums[1].core_covered = covered;
  sums[1].core_share = core1 == 0 ? 1.0 : static_cast<double>(covered) / static_cast<double>(core1);
  out.summaries = {sums[0], sums[1]};
  return out;
}

}  // namespace neardup
