// Story level: the word vectors of a run's documents at 4 bytes a term
// (internal to the story level; the pipeline builds and reads them).
//
// A finished vector (StoryText::terms) holds each term as its 32-bit hash
// and its weight, 8 bytes; the level holds the vectors of every document of
// a candidate pair from the scoring to the report (2.7 KB a document at
// 100k). Here a term is named by its class, the rank of its 32-bit hash
// among those of every term of the run's vectors (TermClasses), with its
// count: class << 9 | feature << 8 | count. The weight is computed again on
// a match, as FinishStoryText computes it (float((1 + ln count) x idf),
// x feature_weight for a name or number feature), from the class's idf.
// Classes keep the hashes' order and equality, so a vector in classes
// gives the same cosine, marks and gate as the vector in hashes, bit for
// bit (every step compares hashes for order and equality only).
//
// A count of 256 or more, or a run of more than 2^23 classes: the document
// keeps its terms with their weights (8 bytes a term, the hashes replaced
// by classes); so does any document whose packed terms do not give back
// its finished vector bit for bit (a class named by two or more words, two
// words' low 32 bits alike, holds one idf: a document whose word of that
// class has another idf). The scorer reads those weights as held.
//
//   StoryVectors vectors(std::move(classes), num_docs, options);
//   vectors.Set(d, FinishStoryText(...), word_class, feature_class, tf, feature_tf, &scratch);
//   VectorPairScorer scorer(&vectors);
//   bool gated = scorer.Score(a, b, &similarity);  // StorySimilarity, PhraseGated
#ifndef NEARDUP_STORY_STORY_VECTORS_H_
#define NEARDUP_STORY_STORY_VECTORS_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "neardup/document.h"
#include "neardup/story.h"

namespace neardup::internal {

// The terms of a run's vectors: one class per distinct 32-bit hash
// (WeightedTerm::hash) of the terms of the documents that get a vector,
// in increasing order of hash.
struct TermClasses {
  static constexpr std::uint8_t kWord = 0;     // the class of one word
  static constexpr std::uint8_t kFeature = 1;  // of one name or number feature
  static constexpr std::uint8_t kShared = 2;   // of several words or features
  std::vector<std::uint32_t> hash;             // by class: its hash, increasing
  std::vector<float> idf;          // by class: its word's idf (a feature: the marked word's)
  std::vector<std::uint8_t> kind;  // by class

  std::size_t size() const { return hash.size(); }
  // The class of `hash`. REQUIRES: a class has it.
  std::uint32_t Find(std::uint32_t hash) const;
};

// The hash of the feature term of a name or number whose word hashes to
// `word_hash` (FinishStoryText's features).
std::uint64_t FeatureTermHash(std::uint64_t word_hash);

// The vectors of a run's documents, by document. Set may run on several
// threads at once for different documents; the const methods too.
class StoryVectors {
 public:
  static constexpr int kClassBits = 23;  // packed terms: classes below 2^23

  StoryVectors() = default;
  StoryVectors(TermClasses classes, std::size_t num_docs, const StoryOptions& options);
  StoryVectors(const StoryVectors&) = delete;
  StoryVectors& operator=(const StoryVectors&) = delete;
  StoryVectors(StoryVectors&&) = default;
  StoryVectors& operator=(StoryVectors&&) = default;

  // Stores document d's vector. `text` is its finished vector
  // (FinishStoryText); the draft's distinct word i, counted tf[i] times
  // (and feature_tf[i] times as a name or number), is the term of class
  // word_class[i] (and feature_class[i]). `scratch` is a buffer.
  void Set(DocIndex d, const StoryText& text, std::span<const std::uint32_t> word_class,
           std::span<const std::uint32_t> feature_class, std::span<const std::uint32_t> tf,
           std::span<const std::uint32_t> feature_tf, std::vector<std::uint32_t>* scratch);
  bool has(DocIndex d) const { return docs_[d].data != nullptr; }
  void Release(DocIndex d) { docs_[d] = Doc{}; }
  std::size_t size() const { return docs_.size(); }
  std::uint32_t words(DocIndex d) const { return docs_[d].words; }
  Dateline dateline(DocIndex d) const { return docs_[d].dateline; }
  // Its marks (StoryText::marks) as classes, sorted.
  std::span<const std::uint32_t> marks(DocIndex d) const {
    const Doc& doc = docs_[d];
    return {doc.data.get() + doc.terms * (doc.packed ? 1 : 2), doc.marks};
  }
  // Its StoryText as FinishStoryText made it (terms, norm, marks, words and
  // dateline; not mass), each hash replaced by its class.
  StoryText Expand(DocIndex d) const;
  // StorySimilarity of the two documents' texts. REQUIRES: has(a), has(b).
  double Similarity(DocIndex a, DocIndex b) const;
  std::size_t unpacked() const;  // documents held with 8-byte terms
  // Starts loading d's slot; its terms (up to `bytes`), once the slot is in.
  void PrefetchSlot(DocIndex d) const { __builtin_prefetch(&docs_[d]); }
  void PrefetchTerms(DocIndex d, std::size_t bytes) const {
    const Doc& doc = docs_[d];
    const auto* at = reinterpret_cast<const char*>(doc.data.get());
    if (at == nullptr) return;
    const std::size_t size = std::min<std::size_t>(bytes, doc.terms * (doc.packed ? 4 : 8));
    for (std::size_t b = 0; b < size; b += 64) __builtin_prefetch(at + b);
  }

 private:
  friend class VectorPairScorer;

  struct Doc {
    // Packed: `terms` packed terms, then the marks; else `terms` pairs of
    // (class, weight's bits), then the marks.
    std::unique_ptr<std::uint32_t[]> data;
    double norm = 0;
    std::uint32_t terms = 0;
    std::uint32_t marks = 0;
    std::uint32_t words = 0;
    Dateline dateline;
    bool packed = false;
    bool distinct = false;  // its terms' classes distinct (StoryText's distinct_hashes)
  };
  // A packed term's weight, as Finish computes it.
  float Weight(std::uint32_t term) const {
    return static_cast<float>(tf_[(term >> 8) & 1][term & 0xFF] *
                              static_cast<double>(classes_.idf[term >> 9]));
  }

  TermClasses classes_;
  std::vector<Doc> docs_;
  StoryOptions options_;
  // (1 + ln count) for a word, feature_weight x that for a feature.
  std::array<std::array<double, 256>, 2> tf_{};
};

// StorySimilarity and PhraseGated of pairs of documents' vectors, as
// StoryPairScorer scores them (the same bits): pairs sharing their first
// document in a row reuse its table. Not thread-safe: one per thread.
class VectorPairScorer {
 public:
  explicit VectorPairScorer(const StoryVectors* vectors) : vectors_(vectors) {}

  // *similarity = StorySimilarity of a's and b's texts; returns PhraseGated.
  // REQUIRES: has(a), has(b).
  bool Score(DocIndex a, DocIndex b, double* similarity);

 private:
  void Index(DocIndex a);

  const StoryVectors* vectors_;
  DocIndex indexed_ = 0;
  bool has_indexed_ = false;
  bool usable_ = false;              // the table holds a's terms
  std::uint64_t scale_ = 0;          // a class's home slot: class x scale_ >> 32
  std::vector<std::uint32_t> keys_;  // by slot: a term's class, or kEmpty
  std::vector<float> weights_;       // by slot: its weight in a
  std::vector<float> idf_;           // by slot: its class's idf
  std::vector<std::uint8_t> marks_;  // by slot: 1 when it is a mark
  std::vector<double> products_;
  std::vector<double> mark_products_;
  std::optional<StoryText> expanded_;  // a's text, when a pair is scored on texts
};

}  // namespace neardup::internal

#endif  // NEARDUP_STORY_STORY_VECTORS_H_
