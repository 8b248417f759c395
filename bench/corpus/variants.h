// Planted variants of an original: copies (word 5-gram Jaccard >= 0.85 with
// it, aiming at a target uniform in 0.85 to 1.0) and distractors (Jaccard 0.2
// to 0.5, aiming at 0.25 to 0.45). Each draws its edits from `rng` and then
// searches an edit strength for its target Jaccard.
//
//   const ShingleSet shingles = Shingles(original);
//   Variant copy = MakeCopy(source, sites, original, shingles, rng);
//   Variant distractor = MakeDistractor(source.prose, original, shingles, rng);
#ifndef NEARDUP_BENCH_CORPUS_VARIANTS_H_
#define NEARDUP_BENCH_CORPUS_VARIANTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "boilerplate.h"
#include "jaccard.h"
#include "random.h"
#include "source.h"

namespace neardup::gen {

// Edits applied to a copy, as bits, for the summary.
enum Edit : unsigned {
  kWordEdits = 1 << 0,
  kBoilerplate = 1 << 1,
  kQuoteChange = 1 << 2,
  kCaseChange = 1 << 3,
  kRewrapped = 1 << 4,
  kDoubledSpaces = 1 << 5,
  kTrailingSpaces = 1 << 6,
  kCrlf = 1 << 7,
};
// The summary's name of each Edit bit, lowest bit first.
constexpr std::string_view kEditNames[] = {"words",  "boilerplate",   "quotes",          "case",
                                           "rewrap", "double spaces", "trailing spaces", "crlf"};

struct Variant {
  std::string text;
  Jaccard jaccard;     // with the original
  unsigned edits = 0;  // Edit bits; copies only
  bool paired = true;  // false: a distractor that could not be made
};

// A copy of `original`, whose shingles are `shingles`, with words from the
// source's vocabulary and boilerplate from one of `sites`. It always differs
// from the original in some byte. Its Jaccard is at least 0.85: when no
// strength the search tries stays there, it keeps no token edit (Jaccard 1).
Variant MakeCopy(const Source& source, const std::vector<SiteTemplate>& sites,
                 std::string_view original, const ShingleSet& shingles, Rng& rng);

// A text sharing part of `original` (its first sentences, or some of its
// sentences interleaved with others) but no near-duplicate of it, the rest
// made of other `prose`. When the range cannot be met (only for originals too
// short or too space-less), the result is unrelated prose with paired false.
Variant MakeDistractor(std::string_view prose, std::string_view original,
                       const ShingleSet& shingles, Rng& rng);

// A trimmed copy: `original` with 30% to `max_cut`% (60 by default) of its
// bytes cut (its end, its start, or a stretch of its middle, at
// whitespace), as a page that shows only part of another one. Its shingles
// are nearly all in the original.
Variant MakeTrimmed(std::string_view original, const ShingleSet& shingles, Rng& rng,
                    uint64_t max_cut = 60);

// An extended copy: `original` with 50% to `max_added`% (150 by default) of
// its length in other `prose` added after it, before it or both (a comment
// thread, a preface). The original's shingles are nearly all in it.
Variant MakeExtended(std::string_view prose, std::string_view original, const ShingleSet& shingles,
                     Rng& rng, uint64_t max_added = 150);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_VARIANTS_H_
