// StoryScratch: the buffers the story view's steps (story_text_steps.h) reuse
// from one document to the next, held by whoever builds many story views:
// one per thread, as a scratch is not safe to share. A buffer grown by a
// huge document is released after it rather than kept. Nothing a call
// returns points into the scratch.
//
//   tbb::enumerable_thread_specific<StoryScratch> scratch;
//   ... texts[d] = BuildStoryText(text, normalized, rarity, options, scratch.local());
//
// The public functions of story.h without a scratch make one per call.
#ifndef NEARDUP_STORY_STORY_SCRATCH_H_
#define NEARDUP_STORY_STORY_SCRATCH_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "neardup/normalize.h"
#include "neardup/story.h"

namespace neardup::internal {

class StoryScratch {
 public:
  StoryScratch();
  ~StoryScratch();
  StoryScratch(StoryScratch&&) noexcept;
  StoryScratch& operator=(StoryScratch&&) noexcept;

  struct Buffers;  // story_text.cc: one group of buffers per step
  Buffers& buffers() { return *buffers_; }

 private:
  std::unique_ptr<Buffers> buffers_;
};

// Where SketchStory gets the rarity of a document's distinct words: a
// TermRarity, or a cache of its values (the signing pass's word
// dictionaries look each word up once, not once per document).
class WordRarity {
 public:
  // idf[i] and uncapped[i] as TermRarity::Idf(hashes, idf, uncapped) gives
  // them. SketchStory calls it once per document, with the document's
  // distinct words (StoryDraft::hashes, in that order).
  virtual void Idf(std::span<const std::uint64_t> hashes, std::span<float> idf,
                   std::span<float> uncapped) = 0;

 protected:
  ~WordRarity() = default;
};

// As SketchStory (below), the rarity from `rarity`. With `salient_at`, also
// sets *salient_at[i] to the place of sketch.salient[i] among the draft's
// distinct words (StoryDraft::hashes): a caller that named those words
// names the salient ones without looking them up again.
StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        WordRarity& rarity, const StoryOptions& options, StoryScratch& scratch,
                        std::vector<std::uint32_t>* salient_at = nullptr);

// As the functions of story.h of the same names and arguments, with the
// caller's scratch.
StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options,
                        StoryScratch& scratch);
StoryText BuildStoryText(std::string_view original, const NormalizedText& normalized,
                         const TermRarity& rarity, const StoryOptions& options,
                         StoryScratch& scratch);
StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options,
                          StoryScratch& scratch);
StoryText FinishStoryText(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options,
                          StoryScratch& scratch);
void AddSalientWords(std::string_view original, const NormalizedText& normalized,
                     const TermRarity& rarity, const StoryOptions& options, StoryText* text,
                     StoryScratch& scratch);

}  // namespace neardup::internal

#endif  // NEARDUP_STORY_STORY_SCRATCH_H_
