// The story level's word vectors at 4 bytes a term (story/story_vectors.h,
// FinishVectors): each document's vector gives back the one FinishStoryText
// makes (its hashes named by classes that keep their order), and pairs
// score as StoryPairScorer scores the finished texts, bit for bit.
#include "story/story_vectors.h"

#include <neardup/story.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// The texts of corpora/stories and corpora/paraphrase, one with counts
// beyond a byte (held with 8-byte terms), and one without words.
std::vector<std::string> Texts() {
  std::vector<std::string> texts;
  for (const char* corpus : {"/corpora/stories/docs", "/corpora/paraphrase/docs"}) {
    std::vector<std::string> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(NEARDUP_SOURCE_DIR) + corpus)) {
      paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());  // directory order is the file system's
    for (const std::string& path : paths) {
      std::ifstream in(path);
      std::stringstream text;
      text << in.rdbuf();
      texts.push_back(text.str());
    }
  }
  std::string wide = "Report says. Then came";
  for (int i = 0; i < 300; ++i) wide += " Zorro";
  for (int i = 0; i < 700; ++i) wide += " alpha";
  texts.push_back(wide + ".");
  texts.emplace_back();
  return texts;
}

// The drafts of `texts` (every third one given a dateline of its own, so
// pairs with a dateline conflict are among them), compacted in one
// dictionary, and the vectors FinishStoryText makes of them.
struct Run {
  WordDictionaries dictionaries;
  std::vector<CompactDraft> drafts;
  std::vector<StoryText> finished;

  Run(const std::vector<std::string>& texts, const TermRarity& rarity,
      const StoryOptions& options) {
    WordDictionary& dictionary = dictionaries.Local();
    for (std::size_t i = 0; i < texts.size(); ++i) {
      StorySketch sketch = SketchStory(texts[i], Normalize(texts[i]), rarity, options);
      if (i % 3 == 0)
        sketch.draft.dateline = Dateline{static_cast<std::uint16_t>(1 + i * 37 % 365), 0};
      finished.push_back(FinishStoryText(sketch.draft, rarity, options));
      drafts.emplace_back(std::move(sketch.draft), sketch.salient, true, &dictionary);
    }
  }
};

TEST_CASE("Story vectors: 4-byte terms give FinishStoryText's vectors and the scorer's bits") {
  const std::vector<std::string> texts = Texts();
  REQUIRE(texts.size() > 60);
  const TermRarity rarity(DefaultBackgroundFrequencies(), nullptr);
  for (const double exempt : {0.1, 0.3, 0.6}) {
    StoryOptions o;
    o.phrase_exempt_marks = exempt;
    o.phrase_min_similarity = 0;
    Run run(texts, rarity, o);
    const std::vector<bool> needed(texts.size(), true);
    const StoryVectors vectors = FinishVectors(run.drafts, run.dictionaries, needed, rarity, o);
    CHECK(run.drafts.empty());
    REQUIRE(vectors.size() == texts.size());
    CHECK(vectors.unpacked() == 1);  // the counts beyond a byte
    // Each vector as finished, its hashes replaced by classes in the same
    // order: one class per hash, across documents.
    std::map<std::uint32_t, std::uint32_t> class_of;
    for (DocIndex d = 0; d < texts.size(); ++d) {
      REQUIRE(vectors.has(d));
      const StoryText x = vectors.Expand(d);
      const StoryText& y = run.finished[d];
      CHECK(x.terms.norm == y.terms.norm);
      CHECK(x.words == y.words);
      CHECK(x.dateline == y.dateline);
      CHECK(x.terms.distinct_hashes == y.terms.distinct_hashes);
      REQUIRE(x.terms.terms.size() == y.terms.terms.size());
      for (std::size_t k = 0; k < x.terms.terms.size(); ++k) {
        CHECK(x.terms.terms[k].weight == y.terms.terms[k].weight);
        const auto [at, fresh] = class_of.emplace(y.terms.terms[k].hash, x.terms.terms[k].hash);
        CHECK(at->second == x.terms.terms[k].hash);
      }
      REQUIRE(x.marks.size() == y.marks.size());
      for (std::size_t k = 0; k < x.marks.size(); ++k) CHECK(class_of.at(y.marks[k]) == x.marks[k]);
      const std::span<const std::uint32_t> marks = vectors.marks(d);
      CHECK(std::equal(marks.begin(), marks.end(), x.marks.begin(), x.marks.end()));
    }
    std::uint32_t previous = 0;
    for (const auto& [hash, c] : class_of) {  // increasing hashes, increasing classes
      CHECK((c > previous || c == 0));
      previous = c;
    }
    // Every ordered pair, in runs sharing their first document.
    VectorPairScorer scorer(&vectors);
    StoryPairScorer reference(o);
    std::size_t gated = 0, not_gated = 0, conflicts = 0;
    for (DocIndex a = 0; a < texts.size(); ++a) {
      for (DocIndex b = 0; b < texts.size(); ++b) {
        if (a == b) continue;
        double s = -1, expected = -2;
        const bool gate = scorer.Score(a, b, &s);
        const bool expected_gate = reference.Score(run.finished[a], run.finished[b], &expected);
        REQUIRE(s == expected);  // bit for bit
        REQUIRE(gate == expected_gate);
        CHECK(vectors.Similarity(a, b) == expected);
        (gate ? gated : not_gated) += s > 0;
        conflicts += s > 0 && DatelinesConflict(run.finished[a].dateline, run.finished[b].dateline,
                                                o.dateline_days);
      }
    }
    CHECK(gated > 100);
    CHECK(not_gated > 100);
    CHECK(conflicts > 100);
  }
}

TEST_CASE("Story vectors: a class of several words keeps the terms with their weights") {
  // Hash 9 names a word in one document and another word, of another idf,
  // elsewhere: the document holding the word whose weight the class's idf
  // does not give keeps (class, weight) terms, and scores alike; one whose
  // weight it gives packs.
  TermClasses classes;
  classes.hash = {5, 9, 20};
  classes.idf = {1.5f, 2.0f, 1.5f};
  classes.kind = {TermClasses::kWord, TermClasses::kShared, TermClasses::kFeature};
  StoryOptions o;
  StoryVectors vectors(classes, 2, o);
  StoryText shared;  // words 5 and 9, word 5 also a name (feature 20)
  shared.terms.terms = {{5, 1.5f}, {9, 2.5f}, {20, 3.0f}};  // word 9's idf: 2.5
  shared.terms.norm = 4;
  shared.marks = {20};
  shared.words = 3;
  std::vector<std::uint32_t> scratch;
  vectors.Set(0, shared, std::vector<std::uint32_t>{0, 1}, std::vector<std::uint32_t>{2, 0},
              std::vector<std::uint32_t>{1, 1}, std::vector<std::uint32_t>{1, 0}, &scratch);
  StoryText plain;  // word 5 and its name feature
  plain.terms.terms = {{5, 1.5f}, {20, 3.0f}};
  plain.terms.norm = std::sqrt(1.5 * 1.5 + 9.0);
  plain.marks = {20};
  plain.words = 2;
  vectors.Set(1, plain, std::vector<std::uint32_t>{0}, std::vector<std::uint32_t>{2},
              std::vector<std::uint32_t>{1}, std::vector<std::uint32_t>{1}, &scratch);
  CHECK(vectors.unpacked() == 1);
  const StoryText x = vectors.Expand(0);
  REQUIRE(x.terms.terms.size() == 3);
  CHECK(x.terms.terms[1].hash == 1);
  CHECK(x.terms.terms[1].weight == 2.5f);
  CHECK(x.marks == std::vector<std::uint32_t>{2});
  const StoryText y = vectors.Expand(1);
  REQUIRE(y.terms.terms.size() == 2);
  CHECK(y.terms.terms[1].hash == 2);
  CHECK(y.terms.terms[1].weight == 3.0f);  // float(2 x (1 + ln 1) x 1.5)
  VectorPairScorer scorer(&vectors);
  double s = 0;
  // Scored on the held weights (no texts made): the same bits and gate.
  const bool gated_10 = scorer.Score(1, 0, &s);
  CHECK(s == StorySimilarity(plain, shared, o));
  CHECK(gated_10 == PhraseGated(plain, shared, s, o));
  const bool gated_01 = scorer.Score(0, 1, &s);
  CHECK(s == StorySimilarity(shared, plain, o));
  CHECK(gated_01 == PhraseGated(shared, plain, s, o));

  StoryVectors packs(classes, 2, o);
  StoryText other = shared;  // the word of hash 9 whose idf the class holds
  other.terms.terms[1].weight = 2.0f;
  packs.Set(0, other, std::vector<std::uint32_t>{0, 1}, std::vector<std::uint32_t>{2, 0},
            std::vector<std::uint32_t>{1, 1}, std::vector<std::uint32_t>{1, 0}, &scratch);
  packs.Set(1, plain, std::vector<std::uint32_t>{0}, std::vector<std::uint32_t>{2},
            std::vector<std::uint32_t>{1}, std::vector<std::uint32_t>{1}, &scratch);
  CHECK(packs.unpacked() == 0);
  CHECK(packs.Expand(0).terms.terms[1].weight == 2.0f);
  CHECK(packs.Similarity(0, 1) == StorySimilarity(other, plain, o));
  VectorPairScorer packed_scorer(&packs);
  packed_scorer.Score(0, 1, &s);
  CHECK(s == StorySimilarity(other, plain, o));
}

}  // namespace
}  // namespace neardup::internal
