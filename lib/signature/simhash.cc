// SimHash kernels. The scalar loop is the reference; the Eigen kernel keeps
// the 64 bit totals in one fixed-size array and adds each feature's 64 votes
// as one vector operation, expanding the hash a byte at a time through a
// table of 256 x 8 precomputed 0/1 lanes. Both add the same float values in
// the same order per bit, so their totals, and fingerprints, are identical.
#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>

#include "neardup/signature.h"

namespace neardup {
namespace {

using Votes = Eigen::Array<float, 64, 1>;
using Lanes8 = Eigen::Array<float, 8, 1>;

// kByteBits[b](j) = bit j of byte b, as 0.0f or 1.0f.
const std::array<Lanes8, 256>& ByteBits() {
  static const std::array<Lanes8, 256> table = [] {
    std::array<Lanes8, 256> t;
    for (int b = 0; b < 256; ++b) {
      for (int j = 0; j < 8; ++j)
        t[static_cast<std::size_t>(b)](j) = static_cast<float>((b >> j) & 1);
    }
    return t;
  }();
  return table;
}

}  // namespace

float CountWeight(std::size_t occurrences, FeatureWeight weight) {
  const auto count = static_cast<float>(occurrences);
  switch (weight) {
    case FeatureWeight::kBinary:
      return 1.0f;
    case FeatureWeight::kTermFrequency:
      return count;
    case FeatureWeight::kLogTermFrequency:
      return 1.0f + std::log(count);
  }
  return 1.0f;
}

std::vector<WeightedFeature> CountFeatures(std::span<const std::uint64_t> hashes,
                                           FeatureWeight weight) {
  std::vector<std::uint64_t> sorted(hashes.begin(), hashes.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<WeightedFeature> out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    out.push_back(WeightedFeature{sorted[i], CountWeight(j - i, weight)});
    i = j;
  }
  return out;
}

std::uint64_t SimHashScalar(std::span<const WeightedFeature> features) {
  // Sum of weights over features with bit j set; bit j is set in the
  // fingerprint when that beats half the total weight (+w/-w voting).
  std::array<float, 64> set{};
  float total = 0;
  for (const WeightedFeature& f : features) {
    for (int j = 0; j < 64; ++j)
      set[static_cast<std::size_t>(j)] += ((f.hash >> j) & 1) ? f.weight : 0.0f;
    total += f.weight;
  }
  std::uint64_t fp = 0;
  for (int j = 0; j < 64; ++j) {
    if (2 * set[static_cast<std::size_t>(j)] > total) fp |= std::uint64_t{1} << j;
  }
  return fp;
}

std::uint64_t SimHash(std::span<const WeightedFeature> features) {
  const std::array<Lanes8, 256>& bits = ByteBits();
  Votes set = Votes::Zero();
  float total = 0;
  for (const WeightedFeature& f : features) {
    for (int byte = 0; byte < 8; ++byte) {
      const auto b = static_cast<std::size_t>((f.hash >> (8 * byte)) & 0xFF);
      set.segment<8>(8 * byte) += f.weight * bits[b];
    }
    total += f.weight;
  }
  std::uint64_t fp = 0;
  for (int j = 0; j < 64; ++j) {
    if (2 * set(j) > total) fp |= std::uint64_t{1} << j;
  }
  return fp;
}

}  // namespace neardup
