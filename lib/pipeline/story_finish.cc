// Story level: the word vectors of the documents of candidate pairs,
// finished from their drafts into StoryVectors (4 bytes a term).
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <tuple>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

constexpr std::uint8_t kAsWord = 1;
constexpr std::uint8_t kAsFeature = 2;

// A term some draft to finish holds: a dictionary's word, as a word or as
// a name or number feature.
struct Use {
  std::uint64_t hash;  // the term's hash (a feature's: FeatureTermHash)
  std::uint32_t dictionary;
  std::uint32_t id;
  std::uint8_t kind;  // TermClasses::kWord or kFeature

  // By the 32-bit hash the vectors name terms by, then the term itself.
  bool operator<(const Use& o) const {
    return std::make_tuple(static_cast<std::uint32_t>(hash), hash, kind, dictionary, id) <
           std::make_tuple(static_cast<std::uint32_t>(o.hash), o.hash, o.kind, o.dictionary, o.id);
  }
};

}  // namespace

StoryVectors FinishVectors(std::vector<CompactDraft>& drafts, const WordDictionaries& words,
                           const std::vector<bool>& needed, const TermRarity& rarity,
                           const StoryOptions& story) {
  // A word's rarity, once per dictionary that holds it (a few hundred
  // thousand lookups) rather than once per draft (tens of millions).
  struct Rarities {
    std::vector<float> idf, uncapped;  // by id
  };
  std::vector<Rarities> by_id(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::span<const std::uint64_t> hashes = words.at(static_cast<std::uint32_t>(k)).hashes();
    by_id[k].idf.resize(hashes.size());
    by_id[k].uncapped.resize(hashes.size());
    constexpr std::size_t kChunk = 4096;
    tbb::parallel_for(std::size_t{0}, (hashes.size() + kChunk - 1) / kChunk, [&](std::size_t c) {
      const std::size_t begin = c * kChunk;
      const std::size_t size = std::min(kChunk, hashes.size() - begin);
      rarity.Idf(hashes.subspan(begin, size), std::span(by_id[k].idf).subspan(begin, size),
                 std::span(by_id[k].uncapped).subspan(begin, size));
    });
  }
  // Which words the drafts to finish hold, as words and as features.
  std::vector<std::vector<std::uint8_t>> used(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) {
    used[k].assign(words.at(static_cast<std::uint32_t>(k)).size(), 0);
  }
  tbb::parallel_for(std::size_t{0}, drafts.size(), [&](std::size_t d) {
    if (!needed[d]) return;
    const CompactDraft& draft = drafts[d];
    const std::span<const std::uint32_t> ids = draft.ids();
    const std::span<const std::uint8_t> feature_tf = draft.feature_tf();
    std::vector<std::uint8_t>& flags = used[draft.dictionary()];
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::uint8_t want = feature_tf[i] != 0 ? kAsWord | kAsFeature : kAsWord;
      std::atomic_ref<std::uint8_t> flag(flags[ids[i]]);
      if ((flag.load(std::memory_order_relaxed) & want) != want) {
        flag.fetch_or(want, std::memory_order_relaxed);
      }
    }
  });
  // The classes: the terms by their 32-bit hash, each hash a class.
  std::vector<Use> uses;
  for (std::size_t k = 0; k < words.size(); ++k) {
    const WordDictionary& dictionary = words.at(static_cast<std::uint32_t>(k));
    for (std::uint32_t id = 0; id < dictionary.size(); ++id) {
      const std::uint8_t flags = used[k][id];
      const auto index = static_cast<std::uint32_t>(k);
      if (flags & kAsWord) uses.push_back({dictionary.hash(id), index, id, TermClasses::kWord});
      if (flags & kAsFeature) {
        uses.push_back({FeatureTermHash(dictionary.hash(id)), index, id, TermClasses::kFeature});
      }
    }
    std::vector<std::uint8_t>().swap(used[k]);
  }
  tbb::parallel_sort(uses.begin(), uses.end());
  TermClasses classes;
  std::vector<std::vector<std::uint32_t>> word_class(words.size());
  std::vector<std::vector<std::uint32_t>> feature_class(words.size());
  for (std::size_t k = 0; k < words.size(); ++k) {
    word_class[k].assign(words.at(static_cast<std::uint32_t>(k)).size(), 0);
    feature_class[k].assign(words.at(static_cast<std::uint32_t>(k)).size(), 0);
  }
  for (std::size_t i = 0; i < uses.size(); ++i) {
    const Use& u = uses[i];
    const auto low = static_cast<std::uint32_t>(u.hash);
    if (classes.hash.empty() || classes.hash.back() != low) {
      classes.hash.push_back(low);
      classes.idf.push_back(by_id[u.dictionary].idf[u.id]);
      classes.kind.push_back(u.kind);
    } else if (u.hash != uses[i - 1].hash || u.kind != uses[i - 1].kind) {
      classes.kind.back() = TermClasses::kShared;  // several terms of one 32-bit hash
    }
    const auto c = static_cast<std::uint32_t>(classes.hash.size() - 1);
    (u.kind == TermClasses::kWord ? word_class : feature_class)[u.dictionary][u.id] = c;
  }
  std::vector<Use>().swap(uses);

  StoryVectors vectors(std::move(classes), drafts.size(), story);
  struct Scratch {
    StoryScratch story;
    std::vector<float> idf, uncapped;           // the draft's words' rarities
    std::vector<std::uint32_t> word, feature;   // and their classes
    std::vector<std::uint32_t> tf, feature_tf;  // and counts
    std::vector<std::uint32_t> packed;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  // In blocks, the heap's free pages handed back after each: a draft freed
  // on another thread than the one that made it goes back to that thread's
  // malloc arena, where the vectors made here do not reuse it, so without
  // this the drafts and the vectors would be held at once.
  const std::size_t block = std::max<std::size_t>(4096, drafts.size() / 16);
  for (std::size_t begin = 0; begin < drafts.size(); begin += block) {
    tbb::parallel_for(begin, std::min(drafts.size(), begin + block), [&](std::size_t d) {
      CompactDraft draft = std::move(drafts[d]);
      if (!needed[d]) return;
      Scratch& local = scratch.local();
      const std::uint32_t k = draft.dictionary();
      const Rarities& of = by_id[k];
      const std::span<const std::uint32_t> ids = draft.ids();
      local.idf.resize(ids.size());
      local.uncapped.resize(ids.size());
      local.word.resize(ids.size());
      local.feature.resize(ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) {
        local.idf[i] = of.idf[ids[i]];
        local.uncapped[i] = of.uncapped[ids[i]];
        local.word[i] = word_class[k][ids[i]];
        local.feature[i] = feature_class[k][ids[i]];
      }
      StoryDraft expanded = draft.Expand(words);
      expanded.WidenTf(&local.tf);
      expanded.WidenFeatureTf(&local.feature_tf);
      const StoryText text =
          FinishStoryText(std::move(expanded), local.idf, local.uncapped, story, local.story);
      vectors.Set(static_cast<DocIndex>(d), text, local.word, local.feature, local.tf,
                  local.feature_tf, &local.packed);
    });
    ReleaseFreeMemory();
  }
  std::vector<CompactDraft>().swap(drafts);
  return vectors;
}

}  // namespace neardup::internal
