// Text edits that turn an original into a planted copy. EditWords and
// ChangeQuotes change the word 5-gram Jaccard with the original; the others
// change bytes only, to test normalization, and leave it as it is. Each edit
// decides by hashing positions with a key, so the same key gives the same
// edits.
//
//   std::string copy = EditWords(original, vocabulary, key, 0.03, edits);
//   copy = ToCrlf(Rewrap(copy, 72));
#ifndef NEARDUP_BENCH_CORPUS_EDITS_H_
#define NEARDUP_BENCH_CORPUS_EDITS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neardup::gen {

// Substitutes, deletes or inserts words at `rate` per word, keeping lines.
// The edits made at a lower rate are a subset of those made at a higher one,
// so the Jaccard falls steadily with the rate. Words come from `vocabulary`.
// Adds the number of edits to `edits`.
// REQUIRES: !vocabulary.empty()
std::string EditWords(std::string_view text, const std::vector<std::string_view>& vocabulary,
                      uint64_t key, double rate, size_t& edits);

enum class Quotes { kKeep, kCurly, kStraight };

// Straight quotes become typographic ones (kCurly), or typographic ones
// straight (kStraight).
std::string ChangeQuotes(std::string_view text, Quotes style);

// Upper-cases heading-like short lines and a few words, in place. ASCII only:
// the Jaccard measure lower-cases ASCII, so it sees no change.
void UpperCase(std::string& text, uint64_t key);

// Re-wraps every line to at most `width` bytes (longer words stay whole),
// with blank lines between paragraphs, as in plain-text mail.
std::string Rewrap(std::string_view text, size_t width);

// Doubles the space after sentence ends (typewriter style) and a few others.
std::string DoubleSpaces(std::string_view text, uint64_t key);

// Appends one to three spaces to the first line and to some others.
std::string AddTrailingSpaces(std::string_view text, uint64_t key);

// '\n' line ends become "\r\n".
std::string ToCrlf(std::string_view text);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_EDITS_H_
