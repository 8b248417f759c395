// WordDictionary, WordDictionaries and CompactDraft (story_words.h).
#include "pipeline/story_words.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace neardup::internal {
namespace {

constexpr std::uint32_t kEmpty = UINT32_MAX;

// The slot a hash starts its probe at: its high bits (the tag holds the low ones).
std::size_t Home(std::uint64_t hash, std::size_t mask) {
  return static_cast<std::size_t>(hash >> 32) & mask;
}

// Two sorted (hash, count) lists as one, the counts of a hash in both added.
std::vector<std::pair<std::uint64_t, std::uint32_t>> AddCounts(
    const std::vector<std::pair<std::uint64_t, std::uint32_t>>& a,
    const std::vector<std::pair<std::uint64_t, std::uint32_t>>& b) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sum;
  sum.reserve(a.size() + b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      sum.push_back(a[i++]);
    } else if (i == a.size() || b[j].first < a[i].first) {
      sum.push_back(b[j++]);
    } else {
      sum.emplace_back(a[i].first, a[i].second + b[j].second);
      ++i;
      ++j;
    }
  }
  return sum;
}

}  // namespace

void WordDictionary::Grow() {
  const std::size_t capacity = std::max<std::size_t>(1024, slots_.size() * 2);
  std::vector<Slot> old(capacity, Slot{0, kEmpty, 0});
  old.swap(slots_);
  const std::size_t mask = capacity - 1;
  for (const Slot& from : old) {
    if (from.id == kEmpty) continue;
    std::size_t s = Home(from.hash, mask);
    while (slots_[s].id != kEmpty) s = (s + 1) & mask;
    slots_[s] = from;
  }
}

// Inlined into AddDocument, which calls it for every distinct word of every
// document.
inline __attribute__((always_inline)) WordDictionary::Slot& WordDictionary::Find(
    std::uint64_t hash) {
  if ((hashes_.size() + 1) * 2 > slots_.size()) Grow();  // at most half full
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = Home(hash, mask);; s = (s + 1) & mask) {
    Slot& slot = slots_[s];
    if (slot.id == kEmpty) {
      slot = Slot{hash, static_cast<std::uint32_t>(hashes_.size()), 0};
      hashes_.push_back(hash);
      return slot;
    }
    if (slot.hash == hash) return slot;
  }
}

std::uint32_t WordDictionary::Id(std::uint64_t hash) { return Find(hash).id; }

void WordDictionary::AddDocument(std::span<const std::uint64_t> distinct,
                                 std::span<std::uint32_t> ids) {
  // The table is larger than the caches (312k words at 100k documents): the
  // next words' slots are fetched while this one is probed. A slot holds
  // all a lookup and a count read (the hash, the id and the count): one
  // cache line per word (a growth on the way only makes a hint useless).
  constexpr std::size_t kAhead = 16;
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    if (i + kAhead < distinct.size() && !slots_.empty()) {
      __builtin_prefetch(&slots_[Home(distinct[i + kAhead], slots_.size() - 1)]);
    }
    Slot& slot = Find(distinct[i]);
    ids[i] = slot.id;
    ++slot.count;
  }
  ++documents_;
}

void WordDictionary::MergeCounts(const DocumentFrequencies& counts) {
  for (const auto& [hash, count] : counts.entries()) Find(hash).count += count;
  documents_ += counts.documents();
}

std::vector<std::pair<std::uint64_t, std::uint32_t>> WordDictionary::SortedCounts() const {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> counts;
  for (const Slot& slot : slots_) {
    // Not an empty slot, nor a salient word alone.
    if (slot.id != kEmpty && slot.count > 0) counts.emplace_back(slot.hash, slot.count);
  }
  std::sort(counts.begin(), counts.end());
  return counts;
}

void WordDictionary::Rarities(std::span<const std::uint32_t> ids, const TermRarity& rarity,
                              std::span<float> idf, std::span<float> uncapped) {
  constexpr float kUnknown = std::numeric_limits<float>::quiet_NaN();
  if (rarity_generation_ != rarity.generation()) {
    rarity_generation_ = rarity.generation();
    rarities_.clear();
  }
  if (rarities_.size() < hashes_.size()) rarities_.resize(hashes_.size(), {kUnknown, kUnknown});
  constexpr std::size_t kAhead = 8;  // as AddDocument's
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i + kAhead < ids.size()) __builtin_prefetch(&rarities_[ids[i + kAhead]]);
    std::pair<float, float>& r = rarities_[ids[i]];
    if (std::isnan(r.first)) {  // idf is never NaN: -ln of a positive probability
      const std::uint64_t hash = hashes_[ids[i]];
      rarity.Idf(std::span(&hash, 1), std::span(&r.first, 1), std::span(&r.second, 1));
    }
    idf[i] = r.first;
    uncapped[i] = r.second;
  }
}

void WordDictionary::ReleaseLookup() {
  std::vector<Slot>().swap(slots_);
  rarity_generation_ = 0;
  std::vector<std::pair<float, float>>().swap(rarities_);
}

void WordDictionaries::ReleaseLookups() {
  for (WordDictionary& dictionary : all_) dictionary.ReleaseLookup();
}

WordDictionary& WordDictionaries::Local() {
  WordDictionary*& mine = mine_.local();
  if (mine == nullptr) {
    const std::lock_guard<std::mutex> lock(mutex_);
    all_.emplace_back(static_cast<std::uint32_t>(all_.size()));
    mine = &all_.back();
  }
  return *mine;
}

DocumentFrequencies WordDictionaries::Counts() const {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> total;
  std::uint64_t documents = 0;
  for (const WordDictionary& dictionary : all_) {
    total = AddCounts(total, dictionary.SortedCounts());
    documents += dictionary.documents();
  }
  return DocumentFrequencies::FromCounts(documents, std::move(total));
}

CompactDraft::CompactDraft(StoryDraft draft, std::span<const std::uint64_t> salient, bool count,
                           WordDictionary* dictionary) {
  std::vector<std::uint32_t> ids(draft.hashes.size());
  if (count) {
    dictionary->AddDocument(draft.hashes, ids);
  } else {
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = dictionary->Id(draft.hashes[i]);
  }
  *this = CompactDraft(std::move(draft), salient, ids, dictionary);
}

CompactDraft::CompactDraft(StoryDraft draft, std::span<const std::uint64_t> salient,
                           std::span<const std::uint32_t> ids, WordDictionary* dictionary) {
  std::vector<std::uint32_t> salient_ids;
  salient_ids.reserve(salient.size());  // exact: held for every document
  for (const std::uint64_t h : salient) salient_ids.push_back(dictionary->Id(h));
  *this = CompactDraft(std::move(draft), std::move(salient_ids), ids, dictionary);
}

CompactDraft::CompactDraft(StoryDraft draft, std::vector<std::uint32_t> salient_ids,
                           std::span<const std::uint32_t> ids, WordDictionary* dictionary)
    : salient_(std::move(salient_ids)),
      wide_tf_(std::move(draft.wide_tf)),
      wide_feature_tf_(std::move(draft.wide_feature_tf)),
      distinct_(static_cast<std::uint32_t>(draft.hashes.size())),
      words_(draft.words),
      dictionary_(dictionary->index()),
      dateline_(draft.dateline) {
  const std::size_t n = distinct_;
  if (n > 0) {
    packed_ = std::make_unique_for_overwrite<std::uint32_t[]>(n + (2 * n + 3) / 4);
    std::copy(ids.begin(), ids.end(), packed_.get());
    auto* bytes = reinterpret_cast<std::uint8_t*>(packed_.get() + n);
    std::memcpy(bytes, draft.tf.data(), n);
    std::memcpy(bytes + n, draft.feature_tf.data(), n);
  }
}

void CompactDraft::AppendSalient(const WordDictionaries& dictionaries,
                                 std::vector<std::uint64_t>* out) const {
  const WordDictionary& dictionary = dictionaries.at(dictionary_);
  for (const std::uint32_t id : salient_) out->push_back(dictionary.hash(id));
}

StoryDraft CompactDraft::Expand(const WordDictionaries& dictionaries) {
  StoryDraft draft;
  const WordDictionary& dictionary = dictionaries.at(dictionary_);
  const std::size_t n = distinct_;
  draft.hashes.resize(n);
  for (std::size_t i = 0; i < n; ++i) draft.hashes[i] = dictionary.hash(packed_[i]);
  if (n > 0) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(packed_.get() + n);
    draft.tf.assign(bytes, bytes + n);
    draft.feature_tf.assign(bytes + n, bytes + 2 * n);
  }
  draft.wide_tf = std::move(wide_tf_);
  draft.wide_feature_tf = std::move(wide_feature_tf_);
  draft.words = words_;
  draft.dateline = dateline_;
  *this = CompactDraft();
  return draft;
}

}  // namespace neardup::internal
