// Story level, signing pass: drafts that name their words by 32-bit ids of
// per-thread dictionaries instead of 64-bit hashes (internal).
//
// Every document's draft (StoryDraft) is held from the signing pass until
// the rarity is known and the candidates are found; its 64-bit hashes were
// 8 of its 10 bytes per distinct word. The vocabulary is small beside the
// drafts (312k distinct words in 100k documents), so each signing thread
// keeps a dictionary of the words it met (WordDictionary), and a draft holds
// 4-byte ids of its thread's dictionary (CompactDraft). The dictionaries
// count the documents holding each word too, replacing the per-thread
// frequency tables of the input's counts. Expanding a draft gives back the
// StoryDraft it was made from, so the word vectors finished from it are
// the same, bit for bit.
#ifndef NEARDUP_PIPELINE_STORY_WORDS_H_
#define NEARDUP_PIPELINE_STORY_WORDS_H_

#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "neardup/stats.h"
#include "neardup/story.h"

namespace neardup::internal {

// The distinct words one thread met, each with an id (0, 1, ... in order of
// first sight) and the number of documents that hold it. Not thread-safe:
// one per thread (WordDictionaries).
class WordDictionary {
 public:
  explicit WordDictionary(std::uint32_t index) : index_(index) {}
  WordDictionary(const WordDictionary&) = delete;
  WordDictionary& operator=(const WordDictionary&) = delete;

  std::uint32_t index() const { return index_; }  // its place in WordDictionaries
  // The id of `hash`, added (held by no document yet) when new.
  std::uint32_t Id(std::uint64_t hash);
  // ids[i] = Id(distinct[i]), and counts one more document holding each.
  // REQUIRES: `distinct` holds no hash twice; ids.size() >= distinct.size().
  void AddDocument(std::span<const std::uint64_t> distinct, std::span<std::uint32_t> ids);
  std::uint64_t hash(std::uint32_t id) const { return hashes_[id]; }
  std::span<const std::uint64_t> hashes() const { return hashes_; }  // by id
  std::size_t size() const { return hashes_.size(); }
  std::uint64_t documents() const { return documents_; }
  // Counts `counts` in as if this dictionary had met their documents: each
  // word's count and counts.documents() documents (a part's counts, loaded
  // from its part file by LoadSignedParts).
  void MergeCounts(const DocumentFrequencies& counts);
  // Every (hash, documents) of a word some document holds, sorted by hash.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> SortedCounts() const;
  // idf[i] and uncapped[i] of the word ids[i], as rarity.Idf gives them for
  // its hash: each word is looked up in `rarity` once, when first asked for,
  // and kept by id (for one rarity: another one, by its generation, starts
  // the cache afresh, even at the same address).
  void Rarities(std::span<const std::uint32_t> ids, const TermRarity& rarity, std::span<float> idf,
                std::span<float> uncapped);
  // Frees what finding a word's id takes (and the counts), keeping the
  // words' hashes by id. REQUIRES: no call but hash, hashes, size and
  // documents from here on.
  void ReleaseLookup();

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint32_t id;     // UINT32_MAX: empty
    std::uint32_t count;  // documents holding the word
  };
  void Grow();
  // The slot of `hash`, added (id hashes_.size(), count 0) when new.
  Slot& Find(std::uint64_t hash);

  std::uint32_t index_;
  std::uint64_t documents_ = 0;
  std::vector<std::uint64_t> hashes_;  // by id
  std::vector<Slot> slots_;            // open addressing on the hash's high bits
  // Rarities' cache: by id, the idf and uncapped idf under the rarity of
  // this generation (TermRarity::generation; 0: none yet) (NaN: not looked
  // up yet; ids past its end neither).
  std::uint64_t rarity_generation_ = 0;
  std::vector<std::pair<float, float>> rarities_;
};

// One WordDictionary per thread of the signing pass, with stable addresses.
class WordDictionaries {
 public:
  // The calling thread's dictionary (made on its first call). Thread-safe.
  WordDictionary& Local();
  const WordDictionary& at(std::uint32_t index) const { return all_[index]; }
  std::size_t size() const { return all_.size(); }
  // The input's document frequencies: every dictionary's counts added (the
  // same whichever thread met which document), and the documents counted.
  DocumentFrequencies Counts() const;
  // WordDictionary::ReleaseLookup of each.
  void ReleaseLookups();

 private:
  std::mutex mutex_;  // guards all_'s growth
  std::deque<WordDictionary> all_;
  tbb::enumerable_thread_specific<WordDictionary*> mine_{nullptr};
};

// A document's StoryDraft and salient words, its words named by ids of the
// dictionary of the thread that signed it: 6 bytes per distinct word (the
// id and two count bytes, in one allocation) instead of 10.
class CompactDraft {
 public:
  CompactDraft() = default;
  // Consumes `draft`; its words and `salient` get ids of `dictionary`; with
  // `count`, the draft's words count one more document there.
  CompactDraft(StoryDraft draft, std::span<const std::uint64_t> salient, bool count,
               WordDictionary* dictionary);
  // The same with the ids of the draft's words in `dictionary` at hand (and
  // counted there, if they are to be): ids[i] = dictionary->Id(draft.hashes[i]).
  // REQUIRES: ids.size() == draft.hashes.size().
  CompactDraft(StoryDraft draft, std::span<const std::uint64_t> salient,
               std::span<const std::uint32_t> ids, WordDictionary* dictionary);
  // The same with the salient words' ids at hand too: salient_ids[i] =
  // dictionary->Id(salient[i]).
  CompactDraft(StoryDraft draft, std::vector<std::uint32_t> salient_ids,
               std::span<const std::uint32_t> ids, WordDictionary* dictionary);

  // The salient words' hashes, appended to *out.
  void AppendSalient(const WordDictionaries& dictionaries, std::vector<std::uint64_t>* out) const;
  std::size_t salient_size() const { return salient_.size(); }
  void ReleaseSalient() { std::vector<std::uint32_t>().swap(salient_); }
  // Its dictionary (an index into WordDictionaries) and the ids there of
  // its distinct words, in the order of the hashes Expand gives back.
  std::uint32_t dictionary() const { return dictionary_; }
  std::span<const std::uint32_t> ids() const { return {packed_.get(), distinct_}; }
  // Per distinct word, its StoryDraft::feature_tf byte (0: never a name or number).
  std::span<const std::uint8_t> feature_tf() const {
    return {reinterpret_cast<const std::uint8_t*>(packed_.get() + distinct_) + distinct_,
            distinct_};
  }
  // The StoryDraft this was made from; leaves this empty.
  StoryDraft Expand(const WordDictionaries& dictionaries);

 private:
  // ids of the distinct words, in their draft's order, then their tf bytes
  // and their feature_tf bytes (StoryDraft), four to an element.
  std::unique_ptr<std::uint32_t[]> packed_;
  std::vector<std::uint32_t> salient_;                                    // ids, heaviest first
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_tf_;          // StoryDraft::wide_tf
  std::vector<std::pair<std::uint32_t, std::uint32_t>> wide_feature_tf_;  // and wide_feature_tf
  std::uint32_t distinct_ = 0;
  std::uint32_t words_ = 0;
  std::uint32_t dictionary_ = 0;
  Dateline dateline_;
};

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_STORY_WORDS_H_
