// The story level's compact drafts (pipeline/story_words.h): a draft whose
// words are ids of a per-thread dictionary expands to the StoryDraft it was
// made from, and the dictionaries count the input's words as the frequency
// tables they replace counted them.
#include "pipeline/story_words.h"

#include <neardup/story.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// The texts of corpora/stories, and one with counts beyond a byte.
std::vector<std::string> Texts() {
  std::vector<std::string> texts;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(NEARDUP_SOURCE_DIR) +
                                                               "/corpora/stories/docs")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  std::sort(texts.begin(), texts.end());  // directory order is the file system's
  std::string wide = "Report says. Then came";
  for (int i = 0; i < 300; ++i) wide += " Zorro";
  for (int i = 0; i < 700; ++i) wide += " alpha";
  texts.push_back(wide + ".");
  texts.emplace_back();  // no words
  return texts;
}

void CheckSame(const StoryDraft& a, const StoryDraft& b) {
  CHECK(a.hashes == b.hashes);
  CHECK(a.tf == b.tf);
  CHECK(a.feature_tf == b.feature_tf);
  CHECK(a.wide_tf == b.wide_tf);
  CHECK(a.wide_feature_tf == b.wide_feature_tf);
  CHECK(a.words == b.words);
  CHECK(a.dateline == b.dateline);
}

TEST_CASE("Story words: a compact draft expands to its draft, salient words kept, rarity by id") {
  const std::vector<std::string> texts = Texts();
  REQUIRE(texts.size() > 20);
  const TermRarity background(DefaultBackgroundFrequencies(), nullptr);
  WordDictionaries dictionaries;
  WordDictionary& dictionary = dictionaries.Local();
  int wide = 0;
  for (const std::string& text : texts) {
    const StorySketch sketch = SketchStory(text, Normalize(text), background, {});
    wide += !sketch.draft.wide_tf.empty() && !sketch.draft.wide_feature_tf.empty();
    CompactDraft compact(sketch.draft, sketch.salient, true, &dictionary);
    std::vector<std::uint64_t> salient;
    compact.AppendSalient(dictionaries, &salient);
    CHECK(salient == sketch.salient);
    compact.ReleaseSalient();
    CHECK(compact.salient_size() == 0);
    // The rarity of its words by their ids, looked up once per dictionary
    // word, as the level finishes its drafts.
    CHECK(compact.dictionary() == dictionary.index());
    const std::vector<std::uint32_t> ids(compact.ids().begin(), compact.ids().end());
    std::vector<float> idf_by_id(dictionary.size()), uncapped_by_id(dictionary.size());
    background.Idf(dictionary.hashes(), idf_by_id, uncapped_by_id);
    std::vector<float> idf, uncapped;
    for (const std::uint32_t id : ids) {
      idf.push_back(idf_by_id[id]);
      uncapped.push_back(uncapped_by_id[id]);
    }
    const StoryDraft expanded = compact.Expand(dictionaries);
    CheckSame(expanded, sketch.draft);
    REQUIRE(ids.size() == expanded.hashes.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      CHECK(dictionary.hash(ids[i]) == expanded.hashes[i]);
    }
    // Expanding empties the compact draft.
    CHECK(compact.Expand(dictionaries).hashes.empty());
    // The word vector finished from it is the same, bit for bit.
    const StoryText x = FinishStoryText(expanded, background, {});
    const StoryText y = FinishStoryText(sketch.draft, background, {});
    CHECK(x.terms.norm == y.terms.norm);
    CHECK(x.marks == y.marks);
    REQUIRE(x.terms.terms.size() == y.terms.terms.size());
    for (std::size_t i = 0; i < x.terms.terms.size(); ++i) {
      CHECK(x.terms.terms[i].hash == y.terms.terms[i].hash);
      CHECK(x.terms.terms[i].weight == y.terms.terms[i].weight);
    }
    // So is the vector finished from the rarities by id.
    const StoryText z = FinishStoryText(expanded, idf, uncapped, {});
    CHECK(z.terms.norm == y.terms.norm);
    CHECK(z.terms.mass == y.terms.mass);
    CHECK(z.marks == y.marks);
    REQUIRE(z.terms.terms.size() == y.terms.terms.size());
    for (std::size_t i = 0; i < z.terms.terms.size(); ++i) {
      CHECK(z.terms.terms[i].hash == y.terms.terms[i].hash);
      CHECK(z.terms.terms[i].weight == y.terms.terms[i].weight);
    }
  }
  CHECK(wide == 1);  // the counts beyond a byte were tested
}

TEST_CASE("Story words: dictionaries of several threads count as one frequency table") {
  const std::vector<std::string> texts = Texts();
  const TermRarity background(DefaultBackgroundFrequencies(), nullptr);
  std::vector<StoryDraft> drafts;
  DocumentFrequencies expected;
  for (const std::string& text : texts) {
    drafts.push_back(SketchStory(text, Normalize(text), background, {}).draft);
    expected.AddDistinct(drafts.back().hashes);
  }
  // Three threads, each signing every third document (salient words not in
  // the document: named, not counted).
  WordDictionaries dictionaries;
  std::vector<CompactDraft> compact(drafts.size());
  const std::vector<std::uint64_t> stranger = {0x1234567890ABCDEFull};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t d = t; d < drafts.size(); d += 3) {
        compact[d] = CompactDraft(drafts[d], stranger, true, &dictionaries.Local());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const DocumentFrequencies counted = dictionaries.Counts();
  CHECK(counted.documents() == texts.size());
  CHECK(counted.Count(stranger[0]) == 0);
  CHECK(counted == expected);
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    std::vector<std::uint64_t> salient;
    compact[d].AppendSalient(dictionaries, &salient);
    CHECK(salient == stranger);
    CheckSame(compact[d].Expand(dictionaries), drafts[d]);
  }
}

TEST_CASE("Story words: a dictionary names each word once, through its growth") {
  WordDictionaries dictionaries;
  WordDictionary& dictionary = dictionaries.Local();
  // Hashes sharing their low 32 bits stay apart, and so do hashes sharing
  // their high 32 bits (one home slot: a run of probes).
  std::vector<std::uint64_t> hashes;
  for (std::uint64_t i = 0; i < 5000; ++i) hashes.push_back(i * 0x9E3779B97F4A7C15ull);
  for (std::uint64_t i = 0; i < 100; ++i) hashes.push_back((i << 32) | 7);
  for (std::uint64_t i = 0; i < 100; ++i) hashes.push_back((std::uint64_t{0x5EED} << 32) | i);
  std::vector<std::uint32_t> ids(hashes.size());
  dictionary.AddDocument(hashes, ids);
  REQUIRE(dictionary.size() == hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    CHECK(ids[i] == i);
    CHECK(dictionary.hash(ids[i]) == hashes[i]);
    CHECK(dictionary.Id(hashes[i]) == ids[i]);
  }
  CHECK(dictionary.size() == hashes.size());
  CHECK(dictionary.documents() == 1);
  // A second document counts its words once more; the counts survive the
  // growth of the table.
  std::vector<std::uint64_t> again(hashes.begin() + 4000, hashes.end());
  std::vector<std::uint32_t> again_ids(again.size());
  dictionary.AddDocument(again, again_ids);
  CHECK(dictionary.size() == hashes.size());
  const DocumentFrequencies counts = dictionaries.Counts();
  CHECK(counts.documents() == 2);
  REQUIRE(counts.entries().size() == hashes.size());
  for (const auto& [hash, count] : counts.entries()) {
    const auto at = std::find(hashes.begin(), hashes.end(), hash);
    REQUIRE(at != hashes.end());
    CHECK(count == (at - hashes.begin() >= 4000 ? 2u : 1u));
  }
  // Once the lookups are released, the words' hashes by id are still there.
  dictionaries.ReleaseLookups();
  REQUIRE(dictionary.size() == hashes.size());
  for (std::uint32_t id = 0; id < hashes.size(); ++id) CHECK(dictionary.hash(id) == hashes[id]);
}

TEST_CASE(
    "Story words: the signing pass's rarity by id is the rarity's own, and its sketches the same") {
  const std::vector<std::string> texts = Texts();
  const TermRarity background(DefaultBackgroundFrequencies(), nullptr);
  // A second rarity, with input counts, whose values differ from the first's.
  auto counts = std::make_shared<DocumentFrequencies>();
  for (const std::string& text : texts) {
    counts->AddDistinct(SketchStory(text, Normalize(text), background, {}).draft.hashes);
  }
  const TermRarity blended(DefaultBackgroundFrequencies(), counts);
  PipelineOptions options;
  options.level = Level::kStory;
  for (const bool normalize_apart : {false, true}) {
    // Apart: the story level normalizes without case folding, the counts with it.
    options.story.compare.normalize.case_fold = !normalize_apart;
    WordDictionaries direct, signing;
    WordDictionary& d = direct.Local();
    WordDictionary& s = signing.Local();
    StoryScratch scratch;
    std::vector<std::uint32_t> ids;
    for (const std::string& text : texts) {
      const NormalizedText normalized = Normalize(text, options.normalize);
      // As the signing pass did before taking the rarity from the dictionary.
      StorySketch sketch = SketchStory(text, normalized, background, options.story.compare);
      if (normalize_apart) {
        std::vector<std::uint32_t> counted(sketch.draft.hashes.size());
        d.AddDocument(sketch.draft.hashes, counted);
        sketch.draft = SketchStory(text, Normalize(text, options.story.compare.normalize),
                                   background, options.story.compare)
                           .draft;
      }
      CompactDraft expected(sketch.draft, sketch.salient, !normalize_apart, &d);
      CompactDraft got =
          SketchDocument(text, normalized, background, options, true, &s, scratch, &ids);
      std::vector<std::uint64_t> salient_expected, salient_got;
      expected.AppendSalient(direct, &salient_expected);
      got.AppendSalient(signing, &salient_got);
      CHECK(salient_got == salient_expected);
      CHECK(std::vector<std::uint32_t>(got.ids().begin(), got.ids().end()) ==
            std::vector<std::uint32_t>(expected.ids().begin(), expected.ids().end()));
      CheckSame(got.Expand(signing), expected.Expand(direct));
    }
    CHECK(signing.Counts().entries() == direct.Counts().entries());
    CHECK(signing.Counts().documents() == direct.Counts().documents());
    // Every word's cached rarity is the rarity's own; a second rarity is
    // looked up afresh, not answered from the first one's cache.
    for (const TermRarity* rarity : {&blended, &background, &background}) {
      std::vector<std::uint32_t> all(s.size());
      for (std::uint32_t id = 0; id < all.size(); ++id) all[id] = id;
      std::vector<float> idf(all.size()), uncapped(all.size());
      s.Rarities(all, *rarity, idf, uncapped);
      std::vector<float> want_idf(all.size()), want_uncapped(all.size());
      rarity->Idf(s.hashes(), want_idf, want_uncapped);
      CHECK(idf == want_idf);
      CHECK(uncapped == want_uncapped);
    }
    // The same at one address: a rarity assigned over another (as the
    // level's runner does once the input is counted) is not answered from
    // the cache of the one it replaced.
    std::optional<TermRarity> in_place = background;
    for (const TermRarity* rarity : {&background, &blended}) {
      const std::uint64_t before = in_place->generation();
      in_place = *rarity;
      CHECK(in_place->generation() == rarity->generation());
      CHECK((rarity == &background || in_place->generation() != before));
      std::vector<std::uint32_t> all(s.size());
      for (std::uint32_t id = 0; id < all.size(); ++id) all[id] = id;
      std::vector<float> idf(all.size()), uncapped(all.size());
      s.Rarities(all, *in_place, idf, uncapped);
      std::vector<float> want_idf(all.size()), want_uncapped(all.size());
      rarity->Idf(s.hashes(), want_idf, want_uncapped);
      CHECK(idf == want_idf);
      CHECK(uncapped == want_uncapped);
    }
    // A moved-from rarity takes a generation of its own.
    TermRarity moved = blended;
    const std::uint64_t generation = moved.generation();
    const TermRarity taken = std::move(moved);
    CHECK(taken.generation() == generation);
    CHECK(moved.generation() != generation);  // NOLINT(bugprone-use-after-move)
  }
}

}  // namespace
}  // namespace neardup::internal
