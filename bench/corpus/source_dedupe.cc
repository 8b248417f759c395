#include "source_dedupe.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "jaccard.h"
#include "random.h"

namespace neardup::gen {
namespace {

// MinHash LSH: 21 bands of 3 rows make a pair at Jaccard 0.5 a candidate
// with probability 0.94, at 0.7 with 0.99985 (1 - (1 - s^3)^21).
constexpr size_t kLshBands = 21;
constexpr size_t kLshRows = 3;
using Signature = std::array<uint64_t, kLshBands * kLshRows>;

// Each min-hash permutes the (already mixed) shingle hashes by an xor and a
// multiplication by an odd number: cheap, and enough for candidates.
constexpr Signature kMinHashSalts = [] {
  Signature salts{};
  for (size_t i = 0; i < salts.size(); ++i) salts[i] = Mix64(i);
  return salts;
}();

Signature MinHashSignature(std::string_view text) {
  Signature mins;
  mins.fill(UINT64_MAX);
  ForEachShingle(text, [&](uint64_t shingle) {
    for (size_t i = 0; i < mins.size(); ++i) {
      mins[i] = std::min(mins[i], (shingle ^ kMinHashSalts[i]) * (kMinHashSalts[i] | 1));
    }
  });
  return mins;
}

}  // namespace

size_t DropNearDuplicates(std::string_view prose, std::vector<Span>& spans) {
  struct BandKey {
    uint64_t key;
    uint32_t doc;
    auto operator<=>(const BandKey&) const = default;
  };
  std::vector<BandKey> keys;
  keys.reserve(spans.size() * kLshBands);
  for (size_t doc = 0; doc < spans.size(); ++doc) {
    const Signature mins = MinHashSignature(SpanText(prose, spans[doc]));
    for (size_t band = 0; band < kLshBands; ++band) {
      uint64_t key = Mix64(band);
      for (size_t row = 0; row < kLshRows; ++row) {
        key = Mix64(key ^ mins[band * kLshRows + row]);
      }
      keys.push_back({key, static_cast<uint32_t>(doc)});
    }
  }
  std::sort(keys.begin(), keys.end());
  // (later, earlier) document pairs that share a band.
  std::vector<std::pair<uint32_t, uint32_t>> candidates;
  for (size_t i = 0, j; i < keys.size(); i = j) {
    for (j = i + 1; j < keys.size() && keys[j].key == keys[i].key; ++j) {
      for (size_t k = i; k < j; ++k) {
        candidates.push_back({keys[j].doc, keys[k].doc});
      }
    }
  }
  // Sorted by the later document, every earlier one is decided before it.
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<bool> dropped(spans.size());
  for (const auto& [later, earlier] : candidates) {
    if (dropped[later] || dropped[earlier]) continue;
    const Jaccard j =
        Compare(Shingles(SpanText(prose, spans[earlier])), Shingles(SpanText(prose, spans[later])));
    dropped[later] = !j.AtMost(1, 2);
  }
  size_t kept = 0;
  for (size_t doc = 0; doc < spans.size(); ++doc) {
    if (!dropped[doc]) spans[kept++] = spans[doc];
  }
  spans.resize(kept);
  return dropped.size() - kept;
}

}  // namespace neardup::gen
