// The steps of the story view (StoryText, story.h) of one document, shared by
// the files that hold them (internal to the story stage): the words and their
// features (text_words.cc), the dateline (dateline.cc), the sentences
// (text_segments.cc), the distinct words and their weights (doc_weights.cc),
// the draft and its finishing (story_draft.cc), the sentence vectors
// (sentence_vectors.cc); story_text.cc runs them. Each step fills buffers
// its caller owns (StoryScratch::Buffers), reused from one document to the next.
#ifndef NEARDUP_STORY_STORY_TEXT_STEPS_H_
#define NEARDUP_STORY_STORY_TEXT_STEPS_H_

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/normalize.h"
#include "neardup/story.h"

namespace neardup::internal::story_text {

// A word of the story view: a normalized token, or a run of digit tokens
// joined by single '.' or ',' in the original ("1.42", "14,200").
struct Word {
  std::uint64_t hash;
  std::uint32_t orig_begin;  // original byte range
  std::uint32_t orig_end;
  std::uint8_t digits;  // digit characters (numbers only)
  bool number;
  bool year;     // four digits, 19xx or 20xx
  bool capital;  // written with a capital first letter, not in all capitals ("Teixeira")
};

// The story view's words of a document (Word), in text order.
void Words(std::string_view original, const NormalizedText& nt, std::vector<Word>* out);

// The document's distinct numbers with two or more digits, years left out, sorted.
std::vector<std::uint64_t> Numbers(std::span<const Word> words);

// Names and numbers as features of their own: the word's hash ^ this.
constexpr std::uint64_t kFeatureKind = 0x9E3779B97F4A7C15ull;

// Scratch buffers live per thread and are reused from document to document;
// one grown by a huge document is released after it rather than kept.
template <typename... T>
inline void ReleaseHuge(std::vector<T>&... buffers) {
  constexpr std::size_t kKeep = std::size_t{1} << 16;
  ((buffers.capacity() > kKeep ? std::vector<T>().swap(buffers) : void()), ...);
}

// Document-level weights, one entry per distinct word in order of first
// occurrence: idf once per distinct word.
struct DocWeights {
  std::vector<std::uint64_t> hash;
  std::vector<std::uint32_t> tf;
  std::vector<std::uint32_t> first_word;  // index of its first occurrence in the words
  std::vector<float> idf;
  std::vector<float> uncapped_idf;     // TermRarity::UncappedIdf
  std::vector<float> weight;           // (1 + ln tf) x idf
  std::vector<float> norm_weight;      // (1 + ln tf) x uncapped idf: counts in the norm
  std::vector<std::uint32_t> word_id;  // per word of the document: its distinct index

  void ReleaseHuge() {
    story_text::ReleaseHuge(hash, tf, first_word, idf, uncapped_idf, weight, norm_weight, word_id);
  }
};

// 1 + ln(tf), the same bits as computing it, from a table for small tf.
inline double LogTf(std::uint32_t tf) {
  static const std::array<double, 64> kTable = [] {
    std::array<double, 64> t{};
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = 1.0 + std::log(static_cast<double>(i));
    return t;
  }();
  return tf < kTable.size() ? kTable[tf] : 1.0 + std::log(static_cast<double>(tf));
}

// Fills d's distinct words, their tf and first occurrence, and word_id.
void FindDistinct(std::span<const Word> words, DocWeights* d, std::vector<std::uint32_t>* slots);

// Fills d's weights from its idf, uncapped idf and tf.
void WeighLooked(DocWeights* d);

// Fills d's idf and weight from its distinct words and their tf.
void Weigh(const TermRarity& rarity, DocWeights* d);

constexpr int kHeaviestShift = 21;  // Heaviest's buckets: by sign, exponent and 2 mantissa bits

struct Ranked {
  float weight;
  std::uint64_t hash;
  std::uint32_t id;
};

// Heaviest's buffers.
struct HeaviestBuffers {
  std::array<std::uint32_t, (std::size_t{1} << (32 - kHeaviestShift))> histogram;
  std::vector<float> in_bucket;
  std::vector<Ranked> top;
};

// The distinct indexes of the k heaviest words, heaviest first, ties broken
// by hash (a total order: the hashes are distinct).
std::vector<std::uint32_t> Heaviest(const DocWeights& d, int k_max, HeaviestBuffers* buffers);

// The document's word vector, sorted by (32-bit) hash. Returns false when
// two distinct words share their low 32 bits: their order is then the one
// std::sort gives, which the caller reproduces.
struct SortBuffers {
  std::vector<std::uint64_t> keys, spare;
};
bool SortedTerms(const DocWeights& doc, WeightedTerms* terms, SortBuffers* buffers);

// Sets text->salient_hashes and text->salient: the document's heaviest
// words (at most kExplainedTerms), heaviest first, and each as first written.
// REQUIRES: d holds the distinct words of `words` (FindDistinct).
void SalientWords(std::string_view original, std::span<const Word> words, DocWeights* d,
                  const TermRarity& rarity, const StoryOptions& options, StoryText* text,
                  HeaviestBuffers* buffers);

// The document's dateline (Dateline in story.h) in its first kDatelineBytes
// bytes. The strict pattern fires on wire items and on few news articles
// (6 of 462 in ecbplus-dev, 3 of 78 in gvc-val); a looser "first date in the
// opening" also caught the dates of the events reported and cost recall
// (docs/STORY_LEVEL.md). The same rule as bench/story/proto.py's with dmy=1.
constexpr std::size_t kDatelineBytes = 250;

Dateline FindDateline(std::string_view original);

// A document's sentences (the align stage's segmentation; each word belongs
// to the sentence whose byte range holds its start; sentences without words
// left out), its lead, and its words marked as names or numbers.
struct Segments {
  std::vector<TextSpan> spans;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> words;  // each sentence's words [first, end)
  // Positions of the names (capitalized, not a sentence's first word) and of
  // the numbers (>= 2 digits, not years), rising.
  std::vector<std::uint32_t> marked;
  std::uint32_t lead_words = 0;  // words before the end of the lead

  void ReleaseHuge() { story_text::ReleaseHuge(spans, words, marked); }
};

// Fills *out with the document's sentences, its lead and its marked words.
void Segment(std::string_view original, std::span<const Word> words, const StoryOptions& options,
             Segments* out);

// The draft of a document whose words, distinct words and segments are at hand.
struct DraftBuffers {
  std::vector<std::uint32_t> tf, feature_tf;
};
StoryDraft Draft(std::string_view original, std::span<const Word> words, const DocWeights& d,
                 const Segments& segments, const StoryOptions& options, DraftBuffers* buffers);

// FinishStoryText's buffers: the draft's distinct words weighed, and more.
struct FinishBuffers {
  DocWeights doc;
  std::vector<std::uint32_t> feature_tf;
  SortBuffers sort;
};

// FinishStoryText, with buffers->doc holding the draft's words and their
// idf and uncapped idf.
StoryText Finish(StoryDraft draft, const StoryOptions& options, FinishBuffers* buffers);

// FinishStoryText, the draft's words looked up in `rarity`.
StoryText FinishWithRarity(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options,
                           FinishBuffers* buffers);

// A sentence vector's entry: (1 + ln tf) x idf within the sentence, idf
// from the document's words, over the vector's norm.
struct Posting {
  std::uint32_t id;  // distinct word
  std::uint32_t sentence;
  float weight;
};

struct HashedPosting {
  std::uint32_t hash;
  std::uint32_t sentence;
  float weight;
};

// AddSentences' buffers.
struct SentenceBuffers {
  std::vector<std::uint32_t> rank_of;
  std::vector<Posting> postings;        // in sentence order
  std::vector<std::uint32_t> per_word;  // postings of each word
  std::vector<std::uint32_t> tf_in;     // per distinct word: count in the sentence
  std::vector<std::uint32_t> earlier, fresh;
  std::vector<std::uint32_t> next;  // per word: its next posting slot
  std::vector<HashedPosting> sorted;
};

// Sets the sentence view of *out (sentences, postings, term_postings,
// sentence_numbers) and its numbers, from the document's words, distinct
// words (weighed under the rarity out->terms was) and segments.
// REQUIRES: out->terms holds the document's vector (FinishStoryText).
void AddSentences(std::span<const Word> words, const DocWeights& doc, const Segments& segments,
                  StoryText* out, SentenceBuffers* buffers);

}  // namespace neardup::internal::story_text

#endif  // NEARDUP_STORY_STORY_TEXT_STEPS_H_
