// Checks shared by the align tests.
#ifndef NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_
#define NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_

#include <neardup/align.h>
#include <neardup/normalize.h>

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

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
    std::size_t words_by_kind[4] = {0, 0, 0, 0};
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
      CHECK(d.counts.words_b == n.tokens.size());
    } else {
      CHECK(words_by_kind[static_cast<int>(SpanKind::kDropped)] == d.counts.words_dropped);
      CHECK(words_by_kind[static_cast<int>(SpanKind::kAdded)] == 0);
      CHECK(d.counts.words_a == n.tokens.size());
    }
  }
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
}

// Length of a longest common subsequence of the two documents' normalized
// words (textbook dynamic programme, independent of the Myers code).
inline std::size_t WordLcs(std::string_view a, std::string_view b) {
  const NormalizedText x = Normalize(a);
  const NormalizedText y = Normalize(b);
  std::vector<std::size_t> prev(y.tokens.size() + 1, 0), cur(y.tokens.size() + 1, 0);
  for (std::size_t i = 1; i <= x.tokens.size(); ++i) {
    for (std::size_t j = 1; j <= y.tokens.size(); ++j) {
      cur[j] = x.TokenText(i - 1) == y.TokenText(j - 1) ? prev[j - 1] + 1
                                                        : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[y.tokens.size()];
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_ALIGN_ALIGN_TEST_UTIL_H_
