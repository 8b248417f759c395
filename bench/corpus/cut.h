// Cutting prose into documents at article, paragraph, sentence or word
// boundaries: base documents cut from the source in one stream, and
// recombined prose made of pieces from several places. A cut is the index of
// the whitespace byte that ends a piece (or the text's end).
//
//   std::vector<Span> base = CutBaseDocuments(source.prose, rng);
//   std::string_view first = SpanText(source.prose, base[0]);
//   std::string other = RecombinedProse(source.prose, rng, SampleDocLength(rng));
#ifndef NEARDUP_BENCH_CORPUS_CUT_H_
#define NEARDUP_BENCH_CORPUS_CUT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "random.h"

namespace neardup::gen {

// Whether the byte at `i` ends a piece of the kind.
// REQUIRES: i < text.size()
using BreakTest = bool (*)(std::string_view text, size_t i);

// Any whitespace byte.
bool IsWordBreak(std::string_view text, size_t i);

// A paragraph break, or the space after '.', '?' or '!' (maybe followed by a
// closing quote or bracket) before a capital, digit or opening quote.
bool IsSentenceBreak(std::string_view text, size_t i);

// The break nearest to `ideal` within [lo, hi], if any.
std::optional<size_t> NearestBreak(std::string_view text, size_t lo, size_t ideal, size_t hi,
                                   BreakTest test);

// Sentences of `text`, each with the whitespace byte that ends it (a space or
// a paragraph break), so that joining them gives back the text. Views into
// `text`.
std::vector<std::string_view> SplitSentences(std::string_view text);

// A document as a byte range [begin, end) of the prose.
struct Span {
  size_t begin;
  size_t end;
};

// The span's bytes without surrounding whitespace; a view into `prose`.
std::string_view SpanText(std::string_view prose, const Span& span);

// A document length in bytes: lognormal, median 2500, sigma 0.82 (mean about
// 3.5 KB), clamped to 300 B to 60 KB.
size_t SampleDocLength(Rng& rng);

// Cuts the prose into consecutive base documents of lognormal lengths, each
// ending at an article or paragraph end near its target length when there is
// one.
std::vector<Span> CutBaseDocuments(std::string_view prose, Rng& rng);

// About `target` bytes (at most 60 KB) of whole sentences from several random
// places in the prose, joined by '\n'. Every piece is a small share of the
// result, so two such texts, or one and a base document, share little: their
// Jaccard stays near 0.
std::string RecombinedProse(std::string_view prose, Rng& rng, size_t target);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_CUT_H_
