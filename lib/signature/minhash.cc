// k-hash MinHash (Broder, "On the resemblance and containment of documents",
// 1997). Hash function i maps a shingle hash x to
//     h_i(x) = (a_i * x32 + b_i) >> 32   (mod 2^64)
// where x32 folds x to 32 bits and a_i, b_i are random 64-bit values: the
// multiply-add-shift scheme of Dietzfelbinger (1996), which is 2-independent
// from 32-bit keys to 32-bit values (Thorup, "High speed hashing for integers
// and strings", 2015). 32-bit values halve signature memory; the chance that
// two different shingles collide in one function is 2^-32.
#include <algorithm>
#include <cassert>
#include <iterator>

#include "neardup/signature.h"

namespace neardup {
namespace {

// splitmix64: expands the seed into the hash functions' parameters.
std::uint64_t SplitMix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

MinHasher::MinHasher(const MinHashOptions& options) {
  assert(options.num_perm >= 1);
  const auto k = static_cast<std::size_t>(std::max(options.num_perm, 1));
  mul_.resize(k);
  add_.resize(k);
  std::uint64_t state = options.seed;
  for (std::size_t i = 0; i < k; ++i) {
    mul_[i] = SplitMix64(&state);
    add_[i] = SplitMix64(&state);
  }
}

void MinHasher::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out) const {
  assert(out.size() == mul_.size());
  std::fill(out.begin(), out.end(), kEmptySignatureValue);
  const std::size_t k = out.size();
  const std::uint64_t* mul = mul_.data();
  const std::uint64_t* add = add_.data();
  std::uint32_t* sig = out.data();
  for (const std::uint64_t x : shingles) {
    const std::uint64_t x32 = (x ^ (x >> 32)) & 0xFFFFFFFFull;
    for (std::size_t i = 0; i < k; ++i) {
      const auto v = static_cast<std::uint32_t>((mul[i] * x32 + add[i]) >> 32);
      sig[i] = std::min(sig[i], v);
    }
  }
}

double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  assert(a.size() == b.size() && !a.empty());
  std::size_t equal = 0;
  bool a_empty = true, b_empty = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    equal += a[i] == b[i];
    a_empty &= a[i] == kEmptySignatureValue;
    b_empty &= b[i] == kEmptySignatureValue;
  }
  if (a_empty || b_empty) return 0.0;
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  std::vector<std::uint64_t> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  std::sort(sa.begin(), sa.end());
  sa.erase(std::unique(sa.begin(), sa.end()), sa.end());
  std::sort(sb.begin(), sb.end());
  sb.erase(std::unique(sb.begin(), sb.end()), sb.end());
  if (sa.empty() && sb.empty()) return 0.0;
  std::vector<std::uint64_t> common;
  std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(common));
  const std::size_t uni = sa.size() + sb.size() - common.size();
  return static_cast<double>(common.size()) / static_cast<double>(uni);
}

}  // namespace neardup
