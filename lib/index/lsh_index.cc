#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
// Inlined: band keys are short inputs, hashed bands x documents times.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cassert>

#include "core/hash_sort.h"
#include "neardup/index.h"

namespace neardup {
namespace {

// Seeding with the band number keeps equal values in different bands from
// sharing a key.
std::uint64_t BandKey(const std::uint32_t* values, std::size_t rows, std::size_t band) {
  return XXH3_64bits_withSeed(values, rows * sizeof(std::uint32_t), band);
}

bool KeyThenDoc(std::uint64_t key_x, DocIndex doc_x, std::uint64_t key_y, DocIndex doc_y) {
  return key_x != key_y ? key_x < key_y : doc_x < doc_y;
}

// Appends the pairs of every bucket of one band's entries, sorted by (key, doc).
template <typename Entry>
void BucketPairs(const std::vector<Entry>& entries, std::vector<CandidatePair>* out) {
  for (std::size_t start = 0; start < entries.size();) {
    std::size_t end = start + 1;
    while (end < entries.size() && entries[end].key == entries[start].key) ++end;
    for (std::size_t i = start; i < end; ++i) {
      const std::size_t last = std::min(end, i + 1 + LshIndex::kMaxBucketWindow);
      for (std::size_t j = i + 1; j < last; ++j) {
        out->push_back(CandidatePair{entries[i].doc, entries[j].doc});
      }
    }
    start = end;
  }
}

void SortUnique(std::vector<CandidatePair>* pairs) {
  tbb::parallel_sort(pairs->begin(), pairs->end());
  pairs->erase(std::unique(pairs->begin(), pairs->end()), pairs->end());
}

}  // namespace

LshIndex::LshIndex(const LshParams& params)
    : params_(params), band_keys_(static_cast<std::size_t>(params.bands)) {}

void LshIndex::Add(DocIndex doc, std::span<const std::uint32_t> signature) {
  const auto rows = static_cast<std::size_t>(params_.rows);
  assert(signature.size() >= band_keys_.size() * rows);
  for (std::size_t band = 0; band < band_keys_.size(); ++band) {
    const std::uint64_t key = BandKey(signature.data() + band * rows, rows, band);
    band_keys_[band].push_back(Entry{key, doc});
  }
}

std::vector<CandidatePair> LshIndex::Candidates() {
  std::vector<std::vector<CandidatePair>> per_band(band_keys_.size());
  tbb::parallel_for(std::size_t{0}, band_keys_.size(), [&](std::size_t band) {
    std::vector<Entry>& entries = band_keys_[band];
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return KeyThenDoc(x.key, x.doc, y.key, y.doc);
    });
    BucketPairs(entries, &per_band[band]);
  });
  std::vector<CandidatePair> all;
  std::size_t total = 0;
  for (const auto& v : per_band) total += v.size();
  all.reserve(total);
  for (const auto& v : per_band) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

namespace {

// LshCandidates over band keys key(i, band) of docs[i].
template <typename KeyFn>
std::vector<CandidatePair> BandedCandidates(std::size_t bands, std::span<const DocIndex> docs,
                                            const KeyFn& key) {
  struct Entry {
    std::uint64_t key;
    DocIndex doc;
  };
  struct BandScratch {
    std::vector<Entry> entries;
    internal::HashSortScratch<Entry> sort;
  };
  // Bands are independent: each task keys, sorts and pairs whole bands.
  // Band keys are hashes, and `docs` is ascending, so a stable hash sort
  // orders each band by (key, doc).
  tbb::enumerable_thread_specific<BandScratch> scratch;
  std::vector<std::vector<CandidatePair>> per_band(bands);
  tbb::parallel_for(std::size_t{0}, bands, [&](std::size_t band) {
    BandScratch& s = scratch.local();
    s.entries.resize(docs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) s.entries[i] = Entry{key(i, band), docs[i]};
    internal::SortByHashKey(
        &s.entries, [](const Entry& e) { return e.key; }, &s.sort);
    BucketPairs(s.entries, &per_band[band]);
    SortUnique(&per_band[band]);
  });
  std::size_t total = 0;
  for (const std::vector<CandidatePair>& pairs : per_band) total += pairs.size();
  std::vector<CandidatePair> all;
  all.reserve(total);
  for (std::vector<CandidatePair>& pairs : per_band) {
    all.insert(all.end(), pairs.begin(), pairs.end());
    std::vector<CandidatePair>().swap(pairs);
  }
  SortUnique(&all);
  return all;
}

}  // namespace

void LshBandKeys(const LshParams& params, std::span<const std::uint32_t> signature,
                 std::span<std::uint64_t> keys) {
  const auto rows = static_cast<std::size_t>(params.rows);
  assert(keys.size() == static_cast<std::size_t>(params.bands));
  assert(signature.size() >= keys.size() * rows);
  for (std::size_t band = 0; band < keys.size(); ++band) {
    keys[band] = BandKey(signature.data() + band * rows, rows, band);
  }
}

std::vector<CandidatePair> LshCandidates(const LshParams& params, std::span<const DocIndex> docs,
                                         const SignatureFn& signature) {
  const auto rows = static_cast<std::size_t>(params.rows);
  const auto bands = static_cast<std::size_t>(params.bands);
  return BandedCandidates(bands, docs, [&](std::size_t i, std::size_t band) {
    const std::span<const std::uint32_t> values = signature(docs[i]);
    assert(values.size() >= bands * rows);
    return BandKey(values.data() + band * rows, rows, band);
  });
}

std::vector<CandidatePair> LshCandidatesFromKeys(const LshParams& params,
                                                 std::span<const DocIndex> docs,
                                                 const BandKeysFn& keys) {
  const auto bands = static_cast<std::size_t>(params.bands);
  return BandedCandidates(bands, docs, [&](std::size_t i, std::size_t band) {
    const std::span<const std::uint64_t> k = keys(docs[i]);
    assert(k.size() >= bands);
    return k[band];
  });
}

}  // namespace neardup
