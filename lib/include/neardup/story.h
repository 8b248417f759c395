// Stage "story": do these documents report one story?
//
// Real rewrites of a story paraphrase every sentence, merge and split them
// and quote different figures; what survives is the story's specific
// content: rare words, names, numbers, the headline and lead. A different
// story of the same topic shares names and vocabulary but not the mix. So
// the story level compares documents as weighted word vectors (the design
// measured on real news, docs/STORY_LEVEL.md, "Development on real news"):
//
//   1. TermRarity: inverse document frequency of each word, from a background
//      table built from public text blended with the input's own counts
//      (the input's weight grows with its size), capped for words in more
//      than input_cap_documents documents of the input (its boilerplate).
//   2. StoryText: a document's words weighted by (1 + ln tf) x idf, tf
//      counting the lead's words twice; names (capitalized inside a
//      sentence) and numbers (>= 2 digits, not years; "1.42", "14,200" kept
//      whole) again as features of their own at twice the weight; the norm
//      taken over the uncapped weights; the dateline (day and year), if any;
//      its names and numbers as marks. Its top salient words feed the
//      candidate index (SalientIndex).
//   3. StorySimilarity: the cosine of two StoryTexts, x 0.2 when their
//      datelines are more than 3 days apart. CompareStories adds evidence
//      for explanations: sentence coverage (the share, by weight, of each
//      document's sentences with a counterpart in the other) and number
//      agreement.
//   The pipeline clusters by average linkage over these similarities
//   (AverageLinkage in cluster.h) with two vetoes (LinkageConstraint): no
//   cluster holds datelines more than 3 days apart (DatelinesConflict), and
//   two groups of >= 4 reports that each agree on >= 2 marks the other never
//   mentions stay apart (StoryOptions::contrast_*).
//
//   TermRarity rarity(background, input_counts, 10000, 15);
//   StoryText a = BuildStoryText(text_a, rarity, {}), b = BuildStoryText(text_b, rarity, {});
//   double s = StorySimilarity(a, b, {});             // in [0, 1]
//   StoryEvidence e = CompareStories(a, b, {});       // s and the supporting evidence
//   // a and b alone: the same story when s >= 0.20, the level's default threshold
#ifndef NEARDUP_STORY_H_
#define NEARDUP_STORY_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/document.h"
#include "neardup/normalize.h"
#include "neardup/stats.h"

namespace neardup {

// The background document frequencies shipped with the library: words of the
// 10,000-article English Wikipedia sample (enwiki 2015, CC BY-SA 3.0; see
// data/background/SOURCE.md), counted by `neardup stats build` and pruned to
// words in at least 2 articles. Loaded once, on first use (thread-safe);
// null if the embedded table cannot be parsed (the level then uses the
// input's own counts).
std::shared_ptr<const DocumentFrequencies> DefaultBackgroundFrequencies();

// Rarity of words: idf = -ln(p), with p the blend
//   lambda * (c_input + 0.5) / (n_input + 1) + (1 - lambda) * (c_bg + 0.5) / (n_bg + 1),
//   lambda = n_input / (n_input + input_weight_documents).
// A small input leans on the background (its own counts are dominated by the
// very stories being compared); a large one on itself. Without a background,
// lambda = 1; without either, every word weighs 1.
//
// Cap (input_cap_documents = C > 0, with input counts): a word in more than
// C documents of the input is at least as common as its count beyond C says,
//   p = max(p_blend, (c_input - C) / (n_input + 1)):
// a story is told by a bounded number of documents, and a word in many more
// is the input's boilerplate (a template's "qtly", "repurchase"), however
// rare in the background. Idf is the capped value; UncappedIdf the blend's.
// Immutable once built: its const methods may run on several threads at
// once. It shares (does not copy) the two tables it was given.
class TermRarity {
 public:
  TermRarity() = default;
  TermRarity(std::shared_ptr<const DocumentFrequencies> background,
             std::shared_ptr<const DocumentFrequencies> input,
             double input_weight_documents = 10000, double input_cap_documents = 0);
  double Idf(std::uint64_t token_hash) const;
  double UncappedIdf(std::uint64_t token_hash) const;
  // idf[i] = Idf(token_hashes[i]) as float, faster than one word at a time.
  // REQUIRES: idf.size() >= token_hashes.size().
  void Idf(std::span<const std::uint64_t> token_hashes, std::span<float> idf) const;
  // The same, and uncapped[i] = UncappedIdf(token_hashes[i]).
  // REQUIRES: idf.size(), uncapped.size() >= token_hashes.size().
  void Idf(std::span<const std::uint64_t> token_hashes, std::span<float> idf,
           std::span<float> uncapped) const;
  double lambda() const { return lambda_; }
  // Names this rarity's values: two TermRarity objects of one generation
  // give the same values (one is a copy of the other). Every construction
  // makes a new one, and so does moving from an object (the moved-from one
  // takes a new one), so a cache keyed on it cannot mistake one rarity for
  // another, wherever they live. Never 0.
  std::uint64_t generation() const { return generation_.value; }

 private:
  // A generation number a move leaves behind a new one of.
  struct Generation {
    static std::uint64_t Next();
    Generation() : value(Next()) {}
    Generation(const Generation&) = default;
    Generation& operator=(const Generation&) = default;
    Generation(Generation&& other) noexcept : value(other.value) { other.value = Next(); }
    Generation& operator=(Generation&& other) noexcept {
      value = other.value;
      other.value = Next();
      return *this;
    }
    std::uint64_t value;
  };

  // -ln(p) of the blend for a word with these counts, capped or not.
  double Value(std::uint32_t input_count, std::uint32_t background_count, bool capped) const;

  struct Entry {
    std::uint64_t key;  // word hash; 0 marks an empty slot
    float value;        // its idf (capped)
    float uncapped;     // its idf without the cap
  };
  const Entry* Find(std::uint64_t token_hash) const;  // nullptr: in neither table

  std::shared_ptr<const DocumentFrequencies> background_;
  std::shared_ptr<const DocumentFrequencies> input_;
  double lambda_ = 1;
  // Every word of the input and of the background with its idf, in an
  // open-addressing table: lookups are the story level's hot path.
  std::vector<Entry> table_;
  std::size_t mask_ = 0;
  double cap_ = 0;         // input_cap_documents; 0: no cap
  bool has_zero_ = false;  // the word hashed to 0, kept outside the table
  Entry zero_{0, 0.0f, 0.0f};
  double missing_ = 1;  // idf of a word in neither table
  Generation generation_;
};

struct StoryOptions {
  NormalizeOptions normalize;
  // Salient words per document that enter the candidate index; a pair
  // becomes a candidate when it shares min_shared_salient of them. Only
  // candidates are scored (other pairs count 0 in the averages), so these
  // set the level's recall and much of its cost. At threshold 0.20
  // (bench/story_eval.sh; docs/STORY_LEVEL.md, "The design in C++"):
  // ecbplus-dev recall 0.836 at 32 / 5, 0.946 at 48 / 4 (F1 0.911, the
  // prototype's 0.912 scoring every pair), 0.960 at 48 / 3 (F1 0.913) with
  // 2.7x the candidates on the 100k generated corpus (4.3M against 1.6M,
  // 16.4 s against 12.4 s); gvc-val 0.922 from 32 / 3 on.
  int salient_terms = 48;
  int min_shared_salient = 4;
  // The document vector (docs/STORY_LEVEL.md, "Development on real news",
  // design cap15-names2-lead2-dilute-dateline, chosen on ecbplus-dev and
  // gvc-val): words of the first lead_sentences sentences (a headline line
  // is one) count lead_weight times; names (words written with a capital
  // inside a sentence, not in all capitals) and numbers (>= 2 digits, not
  // years) are also features of their own at feature_weight x the word's
  // weight.
  int lead_sentences = 2;
  int lead_weight = 2;
  double feature_weight = 2;
  // Two documents whose datelines (StoryText::dateline) are more than
  // dateline_days apart report different days: similarity x dateline_penalty,
  // and the level never puts them in one cluster (a cannot-link constraint of
  // the average linkage: DatelinesConflict). Keeps apart template items of
  // different days ("Fed adds reserves") and the same place's earlier event
  // ("MARROWBY, 17 February 2019 -" against "MARROWBY, 6 November 2025 -").
  // Measured in docs/STORY_LEVEL.md, "Dateline veto": no pair of ecbplus-dev
  // or gvc-val is affected.
  int dateline_days = 3;
  double dateline_penalty = 0.2;
  // Two clusters of at least contrast_min_size documents each never merge
  // when each holds at least contrast_count marks (StoryText::marks: names
  // and numbers) that at least contrast_share of its members mention and no
  // member of the other does: two events of one topic (the 2008 and the 2005
  // quake on one island, one coach fired and hired) share most names, but
  // each has a few of its own that its reports agree on. Pairs and single
  // documents are not tested (two reports often share a name a third
  // lacks). 0 turns it off. Chosen on ecbplus-dev and gvc-val
  // (docs/STORY_LEVEL.md, "Contrast veto").
  int contrast_min_size = 4;
  double contrast_share = 0.5;
  int contrast_count = 2;
  // The phrase gate (PhraseGate): a pair of similarity >= phrase_min_similarity
  // whose dot product rests on generic words (names and numbers, the marks'
  // features, carry less than phrase_exempt_marks of it) keeps
  // min(1, c / phrase_floor)^phrase_power of its similarity, c the share of
  // the smaller document's adjacent word pairs that the other also has
  // (WordPairContainment). Rewrites of one text keep some of its phrasing;
  // independent texts on one subject share its vocabulary, not its word
  // pairs; reports of one event share names and are exempt. phrase_floor 0
  // turns it off. Chosen on corpora/paraphrase with ecbplus-dev and gvc-val
  // unchanged (docs/STORY_LEVEL.md, "Phrase gate").
  double phrase_floor = 0.2;
  double phrase_power = 2;
  double phrase_exempt_marks = 0.3;
  double phrase_min_similarity = 0.1;
  // The exemption is withdrawn from a pair that shares a single name or
  // number (StoryText::marks) when at least phrase_subject_share of the
  // pair's other neighbours (documents of similarity >= phrase_min_similarity
  // to either, at least 2 of them holding it) hold it too: that name is the
  // subject (every text on the Doppler effect names Doppler), not the story,
  // and the pair must show phrasing. Only when both documents have at least
  // phrase_subject_min_words words: a short report (a headline, a snippet)
  // can share only one name with its story's other reports. 0 turns it off.
  // Measured in docs/STORY_LEVEL.md, "Subject names": corpora/paraphrase
  // precision 0.61 -> 0.70, ecbplus-dev, gvc-val and corpora/stories unchanged.
  double phrase_subject_share = 0.5;
  int phrase_subject_min_words = 150;
  // Evidence for explanations only (StoryEvidence), not in the similarity:
  // sentences whose weighted-word cosine reaches this count as counterparts.
  double sentence_match = 0.4;
  // Number agreement = (shared + prior_weight * prior) / (union + prior_weight).
  double number_prior = 0.3;
  double number_prior_weight = 2;
};

// Story level (Level::kStory): documents telling the same story, rewrites
// included (above). Word rarity comes from the shipped background table
// blended with the input's own document frequencies, and capped by the
// input's counts (input_cap_documents). The input's counts are taken from
// PipelineOptions::statistics (pipeline.h) when given; else, with the
// background, they are counted during the signing pass itself; without
// either, in a counting pass over the input first. Candidates share salient
// words; every candidate pair is scored by StorySimilarity (a weighted
// cosine) on word vectors finished from what the signing pass kept of both
// documents (their StoryDraft: word counts, no sentences), and the documents
// are clustered by average linkage (AverageLinkage) over those similarities,
// cut at threshold: a document joins a cluster by its average similarity to
// all the members, so shared templates do not chain. Documents are read
// again for the phrase gate (the documents of the pairs it applies to, for
// their word pairs) and for explanations (shared_terms).
struct StoryLevelOptions {
  StoryOptions compare;
  // Measured on the real dev sets (docs/STORY_LEVEL.md, "Development on real
  // news"; bench/story_eval.sh): pairwise F1 peaks at 0.20 on ecbplus-dev and
  // is at its best there on gvc-val; 0.25 loses recall on both.
  double threshold = 0.20;
  bool use_background = true;  // blend in DefaultBackgroundFrequencies()
  // The input counts as much as the background once it has this many documents.
  double input_weight_documents = 10000;
  // A word in more than this many documents of the input is the input's
  // boilerplate: its rarity is capped by its count beyond this (TermRarity).
  // 15 against 25: the template fixture's largest cluster 5 against 8, the
  // dev sets unchanged or better (docs/STORY_LEVEL.md). 0: no cap.
  double input_cap_documents = 15;
  // Explanations: fill ClusterReport::Member::shared_terms, the salient
  // words a member shares with its representative as the representative
  // writes them, and the sentence evidence of Member::evidence (coverage,
  // aligned sentences, numbers). The clusters' documents are read a second
  // time for them; without it evidence holds the similarity, cosine and
  // dateline conflict only (coverage 0, numbers at their prior). `neardup
  // cluster` asks for them with --explain.
  bool shared_terms = true;
};

// A weighted sparse vector over words. Words are keyed by the low 32 bits of
// their hash: two documents' different words collide with odds ~1e-4 per
// pair of 600-word documents, and memory per document halves.
struct WeightedTerm {
  std::uint32_t hash;
  float weight;
};
struct WeightedTerms {
  std::vector<WeightedTerm> terms;  // sorted by hash
  // Euclidean norm of the weights under TermRarity::UncappedIdf: a word's
  // weight lost to the cap still counts here, so a document made of the
  // input's boilerplate has little left to share ("dilute") instead of
  // being rescaled to unit length.
  double norm = 0;
  double mass = 0;              // sum of the weights
  bool distinct_hashes = true;  // no two terms share a hash (false only on a collision)
};

struct StorySentence {
  TextSpan span;    // byte range in the original text
  double mass = 0;  // sum of its word weights, (1 + ln tf) x idf within the sentence
  // Hashes of its numeric words, sorted, distinct: StoryText::sentence_numbers[begin, end).
  std::uint32_t numbers_begin = 0;
  std::uint32_t numbers_end = 0;
};

// One word of one sentence, for the sentence-by-sentence comparison.
struct SentencePosting {
  std::uint32_t sentence;
  float weight;  // the word's weight in the sentence / the sentence vector's norm
};

// A dateline: a month and a day (either order), an optional year, then a
// dash, at the start of a line or after a comma or an opening parenthesis
// in the first 250 bytes ("NEW YORK, June 6 -", "KOKOMO, Ind. (June 15, 2014)
// -", "MARROWBY, 6 November 2025 -").
struct Dateline {
  std::uint16_t day = 0;   // of the year, 1-365 (February 29 counts as March 1); 0: no dateline
  std::uint16_t year = 0;  // 0: not given
  bool operator==(const Dateline&) const = default;
};

struct StoryText {
  // Whole document: (1 + ln tf) x idf per word, tf counting the lead's words
  // lead_weight times, and names and numbers again as features of their own.
  WeightedTerms terms;
  std::vector<StorySentence> sentences;  // in text order, sentences without words left out
  // Every sentence's words, by word hash, then sentence: the postings of the
  // hash of terms.terms[i] are postings[term_postings[i], term_postings[j]),
  // j the first term with a larger hash (terms.terms.size() at the end, where
  // term_postings holds postings.size()).
  std::vector<SentencePosting> postings;
  std::vector<std::uint32_t> term_postings;     // terms.terms.size() + 1 entries
  std::vector<std::uint64_t> sentence_numbers;  // every sentence's numbers, in sentence order
  std::vector<std::uint64_t> numbers;  // distinct numbers with >= 2 digits, not years; sorted
  // The names and numbers of the document as features (the hashes of the
  // feature terms: WeightedTerm::hash): sorted, distinct. The contrast veto
  // compares them.
  std::vector<std::uint32_t> marks;
  // The kExplainedTerms (at most StoryOptions::salient_terms) heaviest words'
  // hashes, heaviest first, and the same words as written (--explain).
  std::vector<std::uint64_t> salient_hashes;
  std::vector<std::string> salient;
  std::size_t words = 0;
  Dateline dateline;
  // WordPairHashes of the text: built by BuildStoryText (explanations), not
  // from drafts (the level reads the documents it gates again).
  std::vector<std::uint32_t> word_pairs;

  // The numbers of sentences[i] (see StorySentence).
  std::span<const std::uint64_t> SentenceNumbers(std::size_t i) const {
    return std::span<const std::uint64_t>(sentence_numbers)
        .subspan(sentences[i].numbers_begin, sentences[i].numbers_end - sentences[i].numbers_begin);
  }
};

// Salient words kept as text per StoryText, for explaining matches.
inline constexpr std::size_t kExplainedTerms = 12;

// Builds the story view of one document's original text. Thread-safe: each
// call has buffers of its own, as do FinishStoryText, AddSalientWords and
// SketchStory (a caller building many views reuses one set per thread
// through the library's internal scratch, story_scratch.h).
StoryText BuildStoryText(std::string_view original, const TermRarity& rarity,
                         const StoryOptions& options);
// The same when `normalized` = Normalize(original, options.normalize) is at hand.
StoryText BuildStoryText(std::string_view original, const NormalizedText& normalized,
                         const TermRarity& rarity, const StoryOptions& options);

// Two datelines more than `days` apart (DatelinesConflict): different days.
bool DatelinesConflict(Dateline a, Dateline b, int days);

// The part of a document's word vector that does not depend on word rarity:
// kept from a pass that reads the documents before the rarity is known, it is
// finished into the vector (FinishStoryText) without reading them again.
// About 10 bytes per distinct word; the sentences are not kept
// (explanations re-read the documents they show).
struct StoryDraft {
  static constexpr std::uint8_t kWide = 255;  // a count kept in wide_tf / wide_feature_tf
  std::vector<std::uint64_t> hashes;          // distinct words, in order of first occurrence
  // Per distinct word: its count, a word of the lead counting lead_weight
  // times; kWide: the count is in wide_tf.
  std::vector<std::uint8_t> tf;
  // Per distinct word: the same count of its occurrences written as a name
  // or a number (0: never); kWide: in wide_feature_tf.
  std::vector<std::uint8_t> feature_tf;
  // (distinct index, count) of the counts of kWide or more, rising index.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_tf;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_feature_tf;
  std::uint32_t words = 0;  // as StoryText::words
  Dateline dateline;        // as StoryText::dateline

  // tf and feature_tf widened to 32 bits, the counts of wide_tf and
  // wide_feature_tf put back, into *counts (replaced).
  void WidenTf(std::vector<std::uint32_t>* counts) const;
  void WidenFeatureTf(std::vector<std::uint32_t>* counts) const;
};

// The document's StoryText as BuildStoryText(original, normalized, rarity,
// options) makes it, but only what StorySimilarity and the linkage's vetoes
// read: terms, marks, words and dateline. Sentences, postings, numbers and
// salient words are left empty
// (CompareStories then reports no sentence coverage and no numbers).
// Consumes the draft.
StoryText FinishStoryText(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options);
// The same with the rarity of the draft's words looked up already: idf[i]
// and uncapped_idf[i] as TermRarity::Idf(draft.hashes, idf, uncapped_idf)
// gives them (a caller that meets each word in many drafts looks it up once).
// REQUIRES: idf and uncapped_idf of draft.hashes.size().
StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options);

// Sets text->salient_hashes and text->salient as BuildStoryText would:
// `original` is the text of the document `text` was finished from, and
// `normalized` = Normalize(original, options.normalize).
void AddSalientWords(std::string_view original, const NormalizedText& normalized,
                     const TermRarity& rarity, const StoryOptions& options, StoryText* text);

// What the candidate index and its cheap filter need of a document: its
// options.salient_terms heaviest words (under `rarity`), and its draft, whose
// numbers the filter uses and whose hashes are the document's distinct words.
struct StorySketch {
  std::vector<std::uint64_t> salient;
  StoryDraft draft;
};
StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options);

// StoryEvidence::numbers of two documents from their sorted number sets.
double NumberAgreement(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                       const StoryOptions& options);

struct StoryEvidence {
  double similarity = 0;           // StorySimilarity(a, b)
  double cosine = 0;               // of the documents' vectors (norms uncapped)
  bool dateline_conflict = false;  // both have datelines, more than dateline_days apart
  // Supporting evidence, shown by explanations, not part of the similarity:
  double coverage = 0;     // min of the two directions
  double coverage_ab = 0;  // share of a's weight covered by b
  double coverage_ba = 0;
  double numbers = 0;                   // smoothed agreement
  std::uint32_t aligned_sentences = 0;  // sentences of a with a counterpart in b
  std::uint32_t shared_numbers = 0;
  std::uint32_t union_numbers = 0;
  // The phrase gate (StoryOptions::phrase_*): the share of the dot product
  // carried by names and numbers, whether the gate applies, the word-pair
  // containment (when both texts hold their word pairs: BuildStoryText) and
  // the factor the level multiplied the similarity by (1 when exempt).
  double marks_share = 0;
  bool phrase_gated = false;
  bool phrase_subject = false;  // gated although marks_share is enough: a subject name
  double phrase_containment = 0;
  double phrase_gate = 1;
};

// All the evidence, the sentence alignment included (slower than StorySimilarity).
StoryEvidence CompareStories(const StoryText& a, const StoryText& b, const StoryOptions& options);

// The story similarity of two documents, in [0, 1]: the cosine of their
// vectors (StoryText::terms, over the uncapped norms), x dateline_penalty
// when both have datelines more than dateline_days apart (circular over the
// year). Symmetric; thread-safe.
double StorySimilarity(const StoryText& a, const StoryText& b, const StoryOptions& options);

// The phrase gate (StoryOptions::phrase_*). MarksShare: the share of the
// pair's dot product carried by their marks' features (names and numbers),
// 0 when nothing is shared. PhraseGated: whether a pair of this similarity
// and marks share needs phrasing. WordPairHashes: the distinct adjacent word
// pairs of a normalized text, hashed to 32 bits, sorted. WordPairContainment: the share
// of the smaller set the other holds (0 when either is empty). PhraseGate:
// the factor min(1, containment / phrase_floor)^phrase_power. All
// thread-safe.
double MarksShare(const StoryText& a, const StoryText& b);
// The same with the pair's cosine (StoryEvidence::cosine) at hand.
double MarksShare(const StoryText& a, const StoryText& b, double cosine);
// PhraseGated(similarity, MarksShare(a, b), options) for a pair of this
// StorySimilarity, faster: it stops summing the marks once they reach the
// exemption.
bool PhraseGated(const StoryText& a, const StoryText& b, double similarity,
                 const StoryOptions& options);
bool PhraseGated(double similarity, double marks_share, const StoryOptions& options);
std::vector<std::uint32_t> WordPairHashes(const NormalizedText& normalized);
double WordPairContainment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
double PhraseGate(double containment, const StoryOptions& options);

// StorySimilarity and PhraseGated of many pairs that share their first
// document, faster than one call each: the first document's terms go into a
// small hash table once, and each partner's terms are looked up there in
// their own (hash) order. The dot product adds the products of the common
// terms in hash order, as Cosine's merge does, and the marks' part of it
// in the same order as PhraseGated: both give the same bits (a document with
// two terms of one hash is scored by StorySimilarity and PhraseGated
// themselves). Not thread-safe: one per thread; holds a pointer to the last
// first document until a pair with another one.
class StoryPairScorer {
 public:
  explicit StoryPairScorer(const StoryOptions& options) : options_(&options) {}

  // *similarity = StorySimilarity(a, b, options); returns
  // PhraseGated(a, b, *similarity, options). Pairs with the same `a` (the
  // same object) in a row reuse its table.
  // REQUIRES: a and b are not modified while this holds a pointer to them.
  bool Score(const StoryText& a, const StoryText& b, double* similarity);

 private:
  void Index(const StoryText& a);

  const StoryOptions* options_;
  const StoryText* indexed_ = nullptr;  // whose terms the table holds
  bool usable_ = false;                 // the table holds them (distinct hashes)
  int shift_ = 32;                      // a hash's home slot: hash >> shift_
  std::vector<std::uint32_t> keys_;     // by slot: a term's hash, or empty_
  std::vector<float> weights_;          // by slot: its weight (0 where empty)
  std::vector<std::uint8_t> marks_;     // by slot: 1 when it is one of a's marks
  std::uint32_t empty_ = 0;             // a hash none of a's terms has
  std::vector<double> products_;        // per pair: the common terms' products
  std::vector<double> mark_products_;   // and the common marks'
};

// Salient words two documents share, as written in `a`, by weight.
std::vector<std::string> SharedSalientTerms(const StoryText& a, const StoryText& b);

// Candidate pairs from shared salient words: an inverted index over each
// document's top words. Words in the top lists of more than max_posting
// documents are too common at this scale to be evidence and are skipped.
// Not thread-safe; AddAll and Candidates run in parallel on the calling
// thread's TBB arena themselves.
class SalientIndex {
 public:
  explicit SalientIndex(int min_shared, std::size_t max_posting = 512);
  // Documents must be added in increasing index order.
  void Add(DocIndex doc, std::span<const std::uint64_t> salient_hashes);
  // Add(first + i, salient_hashes[i]) for every i, in parallel (an empty
  // list adds nothing).
  void AddAll(DocIndex first, std::span<const std::span<const std::uint64_t>> salient_hashes);
  // Pairs (a < b) sharing >= min_shared indexed words, sorted; runs in parallel
  // on the calling thread's TBB arena; the result does not depend on it.
  // Consumes the index's words: call it once, after the last Add.
  std::vector<std::pair<DocIndex, DocIndex>> Candidates();
  // Words in more than max_posting lists (those of the index, or of the
  // Candidates call that consumed them).
  std::size_t skipped_terms() const;

 private:
  int min_shared_;
  std::size_t max_posting_;
  std::vector<std::pair<std::uint64_t, DocIndex>> entries_;  // (word, doc), grouped at query
  DocIndex docs_ = 0;
  bool queried_ = false;     // Candidates has consumed entries_
  std::size_t skipped_ = 0;  // words it skipped
};

}  // namespace neardup

#endif  // NEARDUP_STORY_H_
