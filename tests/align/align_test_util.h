// Checks shared by the align tests.
#ifndef NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_
#define NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_

#include <neardup/align.h>
#include <neardup/normalize.h>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "align/revisions.h"

namespace neardup::testing {

// The text of every span of `doc` (0 = a, 1 = b) with the given kind, in order.
inline std::vector<std::string> SpanTexts(const DocDiff& d, std::string_view a, std::string_view b,
                                          std::uint32_t doc, SpanKind kind) {
  std::vector<std::string> out;
  for (const DiffSpan& s : d.spans) {
    if (s.doc == doc && s.kind == kind) {
      out.emplace_back((doc == 0 ? a : b).substr(s.begin, s.end - s.begin));
    }
  }
  return out;
}

// Span invariants: inside the text, sorted, disjoint, on word boundaries, and
// every word of each document in exactly one span, with the counts adding up.
inline void CheckSpans(const DocDiff& d, std::string_view a, std::string_view b) {
  for (std::uint32_t doc : {0u, 1u}) {
    const std::string_view text = doc == 0 ? a : b;
    const NormalizedText n = Normalize(text);
    std::vector<int> covered(n.tokens.size(), 0);
    std::size_t prev_end = 0;
    std::size_t words_by_kind[6] = {0, 0, 0, 0, 0, 0};
    std::size_t next = 0;  // spans are sorted and disjoint: one sweep over the words
    for (const DiffSpan& s : d.spans) {
      if (s.doc != doc) continue;
      REQUIRE(s.begin < s.end);
      REQUIRE(s.end <= text.size());
      REQUIRE(s.begin >= prev_end);
      prev_end = s.end;
      std::size_t words = 0;
      while (next < n.tokens.size() && n.tokens[next].orig_end <= s.begin) ++next;
      for (; next < n.tokens.size() && n.tokens[next].orig_begin < s.end; ++next) {
        const Token& tok = n.tokens[next];
        // No word is cut by a span boundary.
        REQUIRE((tok.orig_begin >= s.begin && tok.orig_end <= s.end));
        ++covered[next];
        ++words;
      }
      CHECK(words > 0);
      words_by_kind[static_cast<int>(s.kind)] += words;
    }
    for (std::size_t t = 0; t < covered.size(); ++t) {
      INFO("doc " << doc << " word " << n.TokenText(t) << " at " << n.tokens[t].orig_begin);
      CHECK(covered[t] == 1);
    }
    if (doc == 1) {
      CHECK(words_by_kind[static_cast<int>(SpanKind::kShared)] == d.counts.words_shared);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kAdded)] == d.counts.words_added);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kReworded)] == d.counts.words_reworded);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kMoved)] == d.counts.words_moved);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kNormalized)] == d.counts.words_normalized);
      CHECK(d.counts.words_b == n.tokens.size());
    } else {
      CHECK(words_by_kind[static_cast<int>(SpanKind::kDropped)] == d.counts.words_dropped);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kAdded)] == 0);
      // Matched words come in pairs.
      CHECK(words_by_kind[static_cast<int>(SpanKind::kShared)] == d.counts.words_shared);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kMoved)] == d.counts.words_moved);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kNormalized)] == d.counts.words_normalized);
      CHECK(d.counts.words_a == n.tokens.size());
    }
  }
  // The edit script spells out A and B byte for byte, equal pieces alike,
  // change pieces not, and kinds alternating.
  std::string a_again, b_again;
  for (std::size_t i = 0; i < d.edits.size(); ++i) {
    const EditPiece& e = d.edits[i];
    REQUIRE(e.a_begin == a_again.size());
    REQUIRE(e.b_begin == b_again.size());
    REQUIRE((e.a_end <= a.size() && e.b_end <= b.size()));
    const std::string_view x = a.substr(e.a_begin, e.a_end - e.a_begin);
    const std::string_view y = b.substr(e.b_begin, e.b_end - e.b_begin);
    CHECK((x == y) == e.equal);
    if (i > 0) CHECK(d.edits[i - 1].equal != e.equal);
    a_again += x;
    b_again += y;
  }
  CHECK(a_again == a);
  CHECK(b_again == b);
  // Groups and per-sentence matches agree.
  REQUIRE(d.a_match.size() == d.a_sentences.size());
  REQUIRE(d.b_match.size() == d.b_sentences.size());
  for (std::size_t g = 0; g < d.groups.size(); ++g) {
    CHECK(!d.groups[g].a.empty());
    CHECK(!d.groups[g].b.empty());
    for (std::uint32_t s : d.groups[g].a) CHECK(d.a_match[s] == static_cast<std::int32_t>(g));
    for (std::uint32_t s : d.groups[g].b) CHECK(d.b_match[s] == static_cast<std::int32_t>(g));
    CHECK(d.groups[g].similarity > 0);
    CHECK(d.groups[g].similarity <= 1.0 + 1e-9);
  }
  // Moved words are exactly the matched words of moved groups (reworded
  // groups report rewording whatever their place).
  for (const DiffSpan& s : d.spans) {
    if (s.group < 0) continue;
    const AlignedGroup& g = d.groups[static_cast<std::size_t>(s.group)];
    if (s.kind == SpanKind::kMoved) CHECK((g.moved && !g.reworded));
    if (s.kind == SpanKind::kShared || s.kind == SpanKind::kNormalized) CHECK(!g.moved);
  }
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_
