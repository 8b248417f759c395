// Revisions of real text with known edits, and how a diff of them is scored
// against a plain word diff: shared by tests/align/corpus_test.cc (corpus
// texts) and bench/diff/diff_moves.cc (held-out Wikipedia articles).
#ifndef NEARDUP_TESTS_ALIGN_REVISIONS_H_
#define NEARDUP_TESTS_ALIGN_REVISIONS_H_

#include <neardup/align.h>
#include <neardup/normalize.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rng.h"

namespace neardup::testing {

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

// A revision of `text` as editors make them, never moving text: words
// replaced, deleted or inserted inside sentences, and whole sentences
// deleted or inserted (the inserted ones taken from `other`, real prose).
inline std::string Revise(const std::string& text, const std::string& other, std::uint64_t seed) {
  testing::Rng rng(seed);
  const NormalizedText words = Normalize(text);
  const std::vector<Sentence> mine = SegmentSentences(text);
  const std::vector<Sentence> theirs = SegmentSentences(other);
  // Edits as (begin, end, replacement) on disjoint ranges, applied back to front.
  struct Edit {
    std::size_t begin, end;
    std::string with;
  };
  std::vector<Edit> edits;
  auto overlaps = [&](std::size_t b, std::size_t e) {
    for (const Edit& x : edits) {
      if (b <= x.end && x.begin <= e) return true;
    }
    return false;
  };
  for (int k = 0; k < 6 && !words.tokens.empty(); ++k) {
    const Token& t = words.tokens[rng.Below(words.tokens.size())];
    const std::size_t kind = rng.Below(5);
    if (kind <= 2) {  // replace, delete or insert a word
      if (overlaps(t.orig_begin, t.orig_end)) continue;
      const std::string fresh = "revword" + std::to_string(k);
      if (kind == 0) edits.push_back({t.orig_begin, t.orig_end, fresh});
      if (kind == 1) edits.push_back({t.orig_begin, t.orig_end + 1, ""});
      if (kind == 2) edits.push_back({t.orig_end, t.orig_end, " " + fresh});
    } else {  // delete a sentence, or insert one from the other text before it
      std::size_t s = 0;
      while (s + 1 < mine.size() && mine[s + 1].begin <= t.orig_begin) ++s;
      if (mine.empty() || mine[s].kind == SentenceKind::kHeading ||
          overlaps(mine[s].begin, mine[s].end))
        continue;
      if (kind == 3) {
        edits.push_back({mine[s].begin, mine[s].end, ""});
      } else if (!theirs.empty()) {
        const Sentence& x = theirs[rng.Below(theirs.size())];
        edits.push_back(
            {mine[s].begin, mine[s].begin, other.substr(x.begin, x.end - x.begin) + " "});
      }
    }
  }
  std::sort(edits.begin(), edits.end(),
            [](const Edit& x, const Edit& y) { return x.begin > y.begin; });
  std::string out = text;
  for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.with);
  return out;
}

// A revision that moves a paragraph: `text` without one of its paragraphs
// is revised in place (Revise), and the paragraph, verbatim, is put back
// far from where it was (at the end when it was in the first half, else
// right after the first paragraph), so that more words lie between its old
// and new place than it has: the paragraph is then the lighter side of the
// move, the one a diff should call moved.
struct MovedRevision {
  std::string rest;     // `text` without the moved paragraph (and its blank line)
  std::string revised;  // `rest` revised in place: the reference for a plain word diff
  std::string text;     // `revised` with the paragraph put back: the revision
  std::size_t a_begin = 0, a_end = 0;  // the paragraph in the original
  std::size_t b_begin = 0, b_end = 0;  // the paragraph in the revision
};

// Paragraphs of `text` as byte ranges, split at "\n\n".
inline std::vector<std::pair<std::size_t, std::size_t>> Paragraphs(std::string_view text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find("\n\n", begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) out.emplace_back(begin, end);
    begin = end + 2;
  }
  return out;
}

// False when `text` has no paragraph worth moving (fewer than 4 paragraphs,
// or none of 8+ words lighter than the text it would jump over).
inline bool MoveParagraph(const std::string& text, const std::string& other, std::uint64_t seed,
                          MovedRevision* out) {
  const auto paras = Paragraphs(text);
  if (paras.size() < 4) return false;
  std::vector<std::size_t> words(paras.size());
  for (std::size_t i = 0; i < paras.size(); ++i) {
    words[i] =
        Normalize(std::string_view(text).substr(paras[i].first, paras[i].second - paras[i].first))
            .tokens.size();
  }
  auto between = [&](std::size_t i) {  // words it jumps over
    std::size_t n = 0;
    if (2 * i < paras.size()) {
      for (std::size_t k = i + 1; k < paras.size(); ++k) n += words[k];
    } else {
      for (std::size_t k = 1; k < i; ++k) n += words[k];
    }
    return n;
  };
  std::vector<std::size_t> candidates;
  for (std::size_t i = 1; i + 1 < paras.size(); ++i) {
    if (words[i] >= 8 && between(i) > words[i] &&
        text.find('\n', paras[i].first) >= paras[i].second)
      candidates.push_back(i);
  }
  if (candidates.empty()) return false;
  Rng rng(seed);
  const std::size_t i = candidates[rng.Below(candidates.size())];
  const std::string para = text.substr(paras[i].first, paras[i].second - paras[i].first);
  out->a_begin = paras[i].first;
  out->a_end = paras[i].second;
  out->rest =
      text.substr(0, paras[i].first) + text.substr(std::min(text.size(), paras[i].second + 2));
  out->revised = Revise(out->rest, other, seed);
  std::string& b = out->text;
  if (2 * i < paras.size()) {  // to the end
    b = out->revised;
    while (!b.empty() && (b.back() == '\n' || b.back() == ' ')) b.pop_back();
    b += "\n\n";
    out->b_begin = b.size();
    b += para;
    out->b_end = b.size();
    b += "\n";
  } else {  // after the first paragraph
    const auto first = Paragraphs(out->revised).front();
    b = out->revised.substr(0, first.second) + "\n\n";
    out->b_begin = b.size();
    b += para;
    out->b_end = b.size();
    b += "\n\n" + out->revised.substr(std::min(out->revised.size(), first.second + 2));
  }
  return true;
}

// How a diff of the original with a MovedRevision did.
struct MoveScore {
  std::size_t para_words = 0;     // words of the moved paragraph
  std::size_t moved_inside = 0;   // of them, reported moved
  std::size_t moved_outside = 0;  // words of the revision reported moved outside it
  std::size_t ours = 0;           // words changed outside the paragraph, by the diff
  std::size_t plain = 0;          // words changed by a plain word diff of rest and revised
};

inline MoveScore ScoreMove(const std::string& a, const MovedRevision& r, const DocDiff& d) {
  MoveScore s;
  auto words = [](std::string_view t, std::size_t b, std::size_t e) {
    return Normalize(t.substr(b, e - b)).tokens.size();
  };
  s.para_words = words(r.text, r.b_begin, r.b_end);
  for (const DiffSpan& x : d.spans) {
    const std::string_view t = x.doc == 0 ? std::string_view(a) : std::string_view(r.text);
    const bool inside = x.doc == 0 ? x.begin >= r.a_begin && x.end <= r.a_end
                                   : x.begin >= r.b_begin && x.end <= r.b_end;
    const std::size_t n = words(t, x.begin, x.end);
    if (x.kind == SpanKind::kMoved && x.doc == 1) (inside ? s.moved_inside : s.moved_outside) += n;
    const bool changed = x.kind == SpanKind::kAdded || x.kind == SpanKind::kDropped ||
                         x.kind == SpanKind::kReworded || x.kind == SpanKind::kMoved;
    if (changed && !inside) s.ours += n;
  }
  const std::size_t lcs = WordLcs(r.rest, r.revised);
  s.plain = (Normalize(r.rest).tokens.size() - lcs) + (Normalize(r.revised).tokens.size() - lcs);
  return s;
}

// MoveScores summed over many revisions.
struct MoveTally {
  std::size_t revisions = 0;
  std::size_t exact = 0;  // revisions whose changes outside the paragraph equal a plain diff's
  std::size_t fully_moved = 0;  // revisions whose whole paragraph was reported moved
  std::size_t para = 0;
  std::size_t moved = 0;
  std::size_t false_moved = 0;
  std::size_t ours = 0;
  std::size_t plain = 0;

  void Add(const MoveScore& s) {
    ++revisions;
    exact += s.ours == s.plain;
    fully_moved += s.moved_inside == s.para_words;
    para += s.para_words;
    moved += s.moved_inside;
    false_moved += s.moved_outside;
    ours += s.ours;
    plain += s.plain;
  }
};

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_ALIGN_REVISIONS_H_
