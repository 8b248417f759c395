// libFuzzer target: sentence segmentation, passage alignment and word diff of
// arbitrary bytes split into two documents (at the first 0xFF byte, else in
// the middle), at most 16 KB each. Checks the contracts of align.h, not only
// that nothing crashes: sentences are trimmed, ordered, disjoint and inside
// the text; spans are inside their text, sorted, disjoint per document, on
// word boundaries, and every word of each document lies in exactly one span;
// the counts add up; groups and per-sentence matches agree. Also the word
// diff with a tiny edit budget is a valid script of both sequences.
#include <neardup/align.h>
#include <neardup/normalize.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "align/word_diff.h"

namespace {

constexpr std::size_t kMaxText = 16 * 1024;

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckSentences(const std::vector<neardup::Sentence>& sentences, std::string_view text) {
  std::size_t prev_end = 0;
  std::uint32_t prev_paragraph = 0;
  for (const neardup::Sentence& s : sentences) {
    Check(s.begin < s.end && s.end <= text.size());
    Check(s.begin >= prev_end);
    Check(s.paragraph >= prev_paragraph);
    prev_end = s.end;
    prev_paragraph = s.paragraph;
  }
}

void CheckSpans(const neardup::DocDiff& d, std::string_view a, std::string_view b) {
  std::size_t by_kind[2][6] = {};
  for (std::uint32_t doc : {0u, 1u}) {
    const std::string_view text = doc == 0 ? a : b;
    const neardup::NormalizedText n = neardup::Normalize(text);
    std::vector<int> covered(n.tokens.size(), 0);
    std::size_t prev_end = 0, next = 0;
    for (const neardup::DiffSpan& s : d.spans) {
      if (s.doc > 1) std::abort();
      if (s.doc != doc) continue;
      Check(s.begin < s.end && s.end <= text.size());
      Check(s.begin >= prev_end);  // sorted, disjoint
      prev_end = s.end;
      Check(s.at <= (doc == 0 ? b : a).size());
      Check(s.group < static_cast<std::int32_t>(d.groups.size()));
      Check(doc == 0 ? s.kind != neardup::SpanKind::kAdded : s.kind != neardup::SpanKind::kDropped);
      std::size_t words = 0;
      while (next < n.tokens.size() && n.tokens[next].orig_end <= s.begin) ++next;
      for (; next < n.tokens.size() && n.tokens[next].orig_begin < s.end; ++next) {
        Check(n.tokens[next].orig_begin >= s.begin && n.tokens[next].orig_end <= s.end);
        ++covered[next];
        ++words;
      }
      Check(words > 0);
      by_kind[doc][static_cast<int>(s.kind)] += words;
    }
    for (int c : covered) Check(c == 1);  // every word in exactly one span
    Check((doc == 0 ? d.counts.words_a : d.counts.words_b) == n.tokens.size());
  }
  using K = neardup::SpanKind;
  Check(by_kind[1][static_cast<int>(K::kShared)] == d.counts.words_shared);
  Check(by_kind[1][static_cast<int>(K::kAdded)] == d.counts.words_added);
  Check(by_kind[1][static_cast<int>(K::kReworded)] == d.counts.words_reworded);
  Check(by_kind[0][static_cast<int>(K::kDropped)] == d.counts.words_dropped);
  Check(by_kind[0][static_cast<int>(K::kShared)] == d.counts.words_shared);
  Check(by_kind[1][static_cast<int>(K::kMoved)] == d.counts.words_moved);
  Check(by_kind[0][static_cast<int>(K::kMoved)] == d.counts.words_moved);
  Check(by_kind[1][static_cast<int>(K::kNormalized)] == d.counts.words_normalized);
  Check(by_kind[0][static_cast<int>(K::kNormalized)] == d.counts.words_normalized);
  // The edit script spells out both texts; equal pieces are the same bytes.
  std::size_t pa = 0, pb = 0;
  for (std::size_t i = 0; i < d.edits.size(); ++i) {
    const neardup::EditPiece& e = d.edits[i];
    Check(e.a_begin == pa && e.b_begin == pb && e.a_end >= pa && e.b_end >= pb);
    Check(e.a_end <= a.size() && e.b_end <= b.size());
    Check((a.substr(pa, e.a_end - pa) == b.substr(pb, e.b_end - pb)) == e.equal);
    Check(i == 0 || d.edits[i - 1].equal != e.equal);
    pa = e.a_end;
    pb = e.b_end;
  }
  Check(pa == a.size() && pb == b.size());
  Check(d.a_match.size() == d.a_sentences.size() && d.b_match.size() == d.b_sentences.size());
  Check(d.b_similarity.size() == d.b_sentences.size());
  for (std::size_t g = 0; g < d.groups.size(); ++g) {
    const neardup::AlignedGroup& group = d.groups[g];
    Check(!group.a.empty() && !group.b.empty());
    for (std::uint32_t s : group.a) Check(d.a_match[s] == static_cast<std::int32_t>(g));
    for (std::uint32_t s : group.b) Check(d.b_match[s] == static_cast<std::int32_t>(g));
    Check(group.similarity > 0 && group.similarity <= 1.0 + 1e-9);
  }
}

void CheckScript(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                 const std::vector<neardup::internal::EditOp>& ops) {
  using neardup::internal::EditOp;
  std::size_t i = 0, j = 0;
  for (EditOp op : ops) {
    if (op == EditOp::kEqual) {
      Check(i < a.size() && j < b.size() && a[i] == b[j]);
      ++i, ++j;
    } else if (op == EditOp::kDelete) {
      Check(i < a.size());
      ++i;
    } else {
      Check(j < b.size());
      ++j;
    }
  }
  Check(i == a.size() && j == b.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t cut = input.find('\xFF');
  std::string_view a, b;
  if (cut == std::string_view::npos) {
    a = input.substr(0, size / 2);
    b = input.substr(size / 2);
  } else {
    a = input.substr(0, cut);
    b = input.substr(cut + 1);
  }
  if (a.size() > kMaxText || b.size() > kMaxText) return 0;

  CheckSentences(neardup::SegmentSentences(a), a);
  CheckSentences(neardup::SegmentSentences(b), b);
  const neardup::DocDiff d = neardup::DiffDocuments(a, b);
  CheckSentences(d.a_sentences, a);
  CheckSentences(d.b_sentences, b);
  CheckSpans(d, a, b);
  // A text against itself is all shared, even with repeated or near-identical
  // passages (each sentence aligns with its own copy: the nearest of tied
  // counterparts, the smallest of tied windows).
  const neardup::DocDiff same = neardup::DiffDocuments(a, a);
  CheckSpans(same, a, a);
  Check(same.counts.words_shared == same.counts.words_b);
  Check(same.edits.size() <= 1 && (same.edits.empty() || same.edits[0].equal));

  // Word diff with a tiny budget, over bytes as elements.
  std::vector<std::uint64_t> x(a.begin(), a.end()), y(b.begin(), b.end());
  if (x.size() > 2048) x.resize(2048);
  if (y.size() > 2048) y.resize(2048);
  CheckScript(x, y, neardup::internal::MyersDiff(x, y, 1 + (size % 7)));
  return 0;
}
