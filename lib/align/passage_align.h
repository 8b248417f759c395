// Passage alignment between two documents (internal to align): sentences
// as IDF-weighted word vectors, each sentence of B matched to its best
// sentence or window of A. DiffDocuments (diff_documents.cc) builds on it.
#ifndef NEARDUP_ALIGN_PASSAGE_ALIGN_H_
#define NEARDUP_ALIGN_PASSAGE_ALIGN_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "neardup/align.h"
#include "neardup/normalize.h"

namespace neardup::internal {

// A document cut into sentences, with each sentence's tokens.
struct Side {
  std::string_view text;
  NormalizedText norm;
  std::vector<Sentence> sentences;
  std::vector<std::uint64_t> hashes;  // per token
  std::vector<std::uint64_t> stems;   // per token: hash of its stem (passage_align.cc)
  std::vector<std::size_t> first;     // per sentence: its first token
  std::vector<std::size_t> last;      // per sentence: one past its last token
};

// Normalizes and segments `text` and assigns tokens to sentences. `side`
// borrows `text`, which must outlive it.
void PrepareSide(std::string_view text, Side* side);

// The A window [a_begin, a_end) a B sentence aligns with, and its score.
struct Match {
  std::size_t a_begin = 0;  // A window [a_begin, a_end)
  std::size_t a_end = 0;
  double similarity = 0;
};

// Best A window for every B sentence; an empty window (a_end == 0) and
// similarity 0 when none clears AlignOptions' thresholds.
std::vector<Match> AlignSentences(const Side& a, const Side& b, const AlignOptions& options);

// Clears the counterparts (below AlignOptions::strong_threshold) of B
// sentences in an outlet's own sections: sections, from one heading
// paragraph to the next, carrying less of A than AlignOptions::carried_below
// of their length (own_sections.cc). `heading` marks B's heading paragraphs.
void DropOwnSections(const Side& a, const Side& b, const std::vector<bool>& heading,
                     const AlignOptions& options, std::vector<Match>* best);

}  // namespace neardup::internal

#endif  // NEARDUP_ALIGN_PASSAGE_ALIGN_H_
