// The buffers the comparison of two documents' texts reuses from one pair
// to the next (compare.cc, phrase.cc), held by whoever compares many pairs:
// one per thread, as a scratch is not safe to share. A buffer grown by a
// huge document is released after it rather than kept. Nothing a call
// returns points into the scratch.
//
//   tbb::enumerable_thread_specific<CompareScratch> scratch;
//   ... evidence[i] = CompareStories(a, b, options, scratch.local());
//
// The public functions of story.h of the same names make a scratch of
// their own per call.
#ifndef NEARDUP_STORY_PAIR_SCRATCH_H_
#define NEARDUP_STORY_PAIR_SCRATCH_H_

#include <cstdint>
#include <vector>

#include "neardup/normalize.h"
#include "neardup/story.h"

namespace neardup::internal {

// For each sentence, the best-matching sentence of the other document (the
// first one on ties) and that cosine, -1 when nothing is shared.
struct SentenceMatches {
  std::vector<float> a_cos, b_cos;
  std::vector<std::uint32_t> a_match, b_match;
};

struct CompareScratch {
  SentenceMatches matches;
  std::vector<float> cos;  // a block of the sentence cosine matrix
};

struct WordPairScratch {
  std::vector<std::uint32_t> hashed;  // the pairs' hashes in text order
  std::vector<std::uint32_t> counts;  // the sort's buckets
};

// As the functions of story.h of the same names and arguments, with the
// caller's scratch.
StoryEvidence CompareStories(const StoryText& a, const StoryText& b, const StoryOptions& options,
                             CompareScratch& scratch);
std::vector<std::uint32_t> WordPairHashes(const NormalizedText& normalized,
                                          WordPairScratch& scratch);

}  // namespace neardup::internal

#endif  // NEARDUP_STORY_PAIR_SCRATCH_H_
