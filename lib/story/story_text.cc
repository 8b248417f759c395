// StoryText: weighted words and sentences of one document, in two steps: a
// draft of all that does not depend on word rarity (the words, the distinct
// ones, the sentences and their numbers), then the weights (FinishStoryText).
#include <memory>

#include "neardup/story.h"
#include "story/pair_scratch.h"
#include "story/story_scratch.h"
#include "story/story_text_steps.h"

namespace neardup {

namespace internal {

using story_text::DocWeights;
using story_text::DraftBuffers;
using story_text::FinishBuffers;
using story_text::HeaviestBuffers;
using story_text::ReleaseHuge;
using story_text::Segments;
using story_text::SentenceBuffers;
using story_text::Word;
// The steps.
using story_text::AddSentences;
using story_text::Draft;
using story_text::FindDistinct;
using story_text::Finish;
using story_text::FinishWithRarity;
using story_text::Heaviest;
using story_text::SalientWords;
using story_text::Segment;
using story_text::WeighLooked;
using story_text::Words;

// One group per step; the steps of one call nest (BuildStoryText finishes
// and weighs the words WithWords holds), so no two share a buffer.
struct StoryScratch::Buffers {
  std::vector<Word> words;             // WithWords
  DocWeights doc;                      // WithWords: the distinct words
  std::vector<std::uint32_t> slot_id;  // FindDistinct
  Segments segments;                   // WithSegments
  HeaviestBuffers heaviest;
  DraftBuffers draft;
  SentenceBuffers sentences;
  FinishBuffers finish;
  WordPairScratch pairs;  // BuildStoryText's word pairs
};

StoryScratch::StoryScratch() : buffers_(std::make_unique<Buffers>()) {}
StoryScratch::~StoryScratch() = default;
StoryScratch::StoryScratch(StoryScratch&&) noexcept = default;
StoryScratch& StoryScratch::operator=(StoryScratch&&) noexcept = default;

namespace {

// Calls fn(words, distinct) with the document's words (Words) and its
// distinct words (FindDistinct), in the scratch's buffers, which a huge
// document does not leave grown.
template <class Fn>
void WithWords(std::string_view original, const NormalizedText& normalized,
               StoryScratch::Buffers& b, Fn&& fn) {
  Words(original, normalized, &b.words);
  FindDistinct(b.words, &b.doc, &b.slot_id);
  fn(std::span<const Word>(b.words), b.doc);
  ReleaseHuge(b.words);
  b.doc.ReleaseHuge();
}

// Calls fn(words, distinct, segments) as WithWords does, with the
// document's segments (Segment) too.
template <class Fn>
void WithSegments(std::string_view original, const NormalizedText& normalized,
                  const StoryOptions& options, StoryScratch::Buffers& b, Fn&& fn) {
  WithWords(original, normalized, b, [&](std::span<const Word> words, DocWeights& d) {
    Segment(original, words, options, &b.segments);
    fn(words, d, static_cast<const Segments&>(b.segments));
    b.segments.ReleaseHuge();
  });
}

}  // namespace

namespace {

// A TermRarity as a WordRarity.
class LookedUp final : public WordRarity {
 public:
  explicit LookedUp(const TermRarity& rarity) : rarity_(rarity) {}
  void Idf(std::span<const std::uint64_t> hashes, std::span<float> idf,
           std::span<float> uncapped) override {
    rarity_.Idf(hashes, idf, uncapped);
  }

 private:
  const TermRarity& rarity_;
};

}  // namespace

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options,
                        StoryScratch& scratch) {
  LookedUp looked_up(rarity);
  return SketchStory(original, normalized, looked_up, options, scratch);
}

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        WordRarity& rarity, const StoryOptions& options, StoryScratch& scratch,
                        std::vector<std::uint32_t>* salient_at) {
  StoryScratch::Buffers& b = scratch.buffers();
  StorySketch sketch;
  WithSegments(original, normalized, options, b,
               [&](std::span<const Word> words, DocWeights& d, const Segments& segments) {
                 d.idf.resize(d.hash.size());
                 d.uncapped_idf.resize(d.hash.size());
                 rarity.Idf(d.hash, d.idf, d.uncapped_idf);
                 WeighLooked(&d);
                 const std::vector<std::uint32_t> heaviest =
                     Heaviest(d, options.salient_terms, &b.heaviest);
                 sketch.salient.reserve(heaviest.size());  // exact: held for every document
                 for (std::uint32_t id : heaviest) sketch.salient.push_back(d.hash[id]);
                 if (salient_at != nullptr) salient_at->assign(heaviest.begin(), heaviest.end());
                 sketch.draft = Draft(original, words, d, segments, options, &b.draft);
               });
  return sketch;
}

StoryText BuildStoryText(std::string_view original, const NormalizedText& nt,
                         const TermRarity& rarity, const StoryOptions& options,
                         StoryScratch& scratch) {
  StoryScratch::Buffers& b = scratch.buffers();
  StoryText out;
  WithSegments(original, nt, options, b,
               [&](std::span<const Word> words, DocWeights& d, const Segments& segments) {
                 out = FinishWithRarity(Draft(original, words, d, segments, options, &b.draft),
                                        rarity, options, &b.finish);
                 SalientWords(original, words, &d, rarity, options, &out, &b.heaviest);  // weighs d
                 AddSentences(words, d, segments, &out, &b.sentences);
               });
  out.word_pairs = WordPairHashes(nt, b.pairs);
  return out;
}

StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options,
                          StoryScratch& scratch) {
  FinishBuffers& buffers = scratch.buffers().finish;
  DocWeights& doc = buffers.doc;
  doc.hash.swap(draft.hashes);
  doc.idf.assign(idf.begin(), idf.end());
  doc.uncapped_idf.assign(uncapped_idf.begin(), uncapped_idf.end());
  return Finish(std::move(draft), options, &buffers);
}

// As the public AddSalientWords and FinishStoryText(draft, rarity, options).
void AddSalientWords(std::string_view original, const NormalizedText& normalized,
                     const TermRarity& rarity, const StoryOptions& options, StoryText* text,
                     StoryScratch& scratch) {
  StoryScratch::Buffers& b = scratch.buffers();
  WithWords(original, normalized, b, [&](std::span<const Word> words, DocWeights& d) {
    SalientWords(original, words, &d, rarity, options, text, &b.heaviest);
  });
}

StoryText FinishStoryText(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options,
                          StoryScratch& scratch) {
  return FinishWithRarity(std::move(draft), rarity, options, &scratch.buffers().finish);
}

}  // namespace internal

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options) {
  internal::StoryScratch scratch;
  return internal::SketchStory(original, normalized, rarity, options, scratch);
}

StoryText BuildStoryText(std::string_view original, const TermRarity& rarity,
                         const StoryOptions& options) {
  return BuildStoryText(original, Normalize(original, options.normalize), rarity, options);
}

StoryText BuildStoryText(std::string_view original, const NormalizedText& nt,
                         const TermRarity& rarity, const StoryOptions& options) {
  internal::StoryScratch scratch;
  return internal::BuildStoryText(original, nt, rarity, options, scratch);
}

void AddSalientWords(std::string_view original, const NormalizedText& normalized,
                     const TermRarity& rarity, const StoryOptions& options, StoryText* text) {
  internal::StoryScratch scratch;
  internal::AddSalientWords(original, normalized, rarity, options, text, scratch);
}

StoryText FinishStoryText(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options) {
  internal::StoryScratch scratch;
  return internal::FinishStoryText(std::move(draft), rarity, options, scratch);
}

StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options) {
  internal::StoryScratch scratch;
  return internal::FinishStoryText(std::move(draft), idf, uncapped_idf, options, scratch);
}

}  // namespace neardup
