#include <tbb/parallel_for.h>
#include <xxhash.h>

#include <algorithm>
#include <cassert>

#include "neardup/index.h"

namespace neardup {

LshIndex::LshIndex(const LshParams& params)
    : params_(params), band_keys_(static_cast<std::size_t>(params.bands)) {}

void LshIndex::Add(DocIndex doc, std::span<const std::uint32_t> signature) {
  const auto rows = static_cast<std::size_t>(params_.rows);
  assert(signature.size() >= band_keys_.size() * rows);
  for (std::size_t band = 0; band < band_keys_.size(); ++band) {
    // Seeding with the band number keeps equal values in different bands
    // from sharing a key.
    const std::uint64_t key =
        XXH3_64bits_withSeed(signature.data() + band * rows, rows * sizeof(std::uint32_t), band);
    band_keys_[band].push_back(Entry{key, doc});
  }
}

std::vector<CandidatePair> LshIndex::Candidates() {
  std::vector<std::vector<CandidatePair>> per_band(band_keys_.size());
  tbb::parallel_for(std::size_t{0}, band_keys_.size(), [&](std::size_t band) {
    std::vector<Entry>& entries = band_keys_[band];
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return x.key != y.key ? x.key < y.key : x.doc < y.doc;
    });
    std::vector<CandidatePair>& out = per_band[band];
    for (std::size_t start = 0; start < entries.size();) {
      std::size_t end = start + 1;
      while (end < entries.size() && entries[end].key == entries[start].key) ++end;
      for (std::size_t i = start; i < end; ++i) {
        const std::size_t last = std::min(end, i + 1 + kMaxBucketWindow);
        for (std::size_t j = i + 1; j < last; ++j) {
          out.push_back(CandidatePair{entries[i].doc, entries[j].doc});
        }
      }
      start = end;
    }
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

}  // namespace neardup
