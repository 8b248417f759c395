// k-hash MinHash (Broder, "On the resemblance and containment of documents",
// 1997). Hash function i maps a shingle hash x to
//     h_i(x) = (a_i * x32 + b_i) >> 32   (mod 2^64)
// where x32 folds x to 32 bits and a_i, b_i are random 64-bit values: the
// multiply-add-shift scheme of Dietzfelbinger (1996), which is 2-independent
// from 32-bit keys to 32-bit values (Thorup, "High speed hashing for integers
// and strings", 2015). 32-bit values halve signature memory; the chance that
// two different shingles collide in one function is 2^-32.
//
// The scalar loop here is the reference; minhash_avx2.cc is the vectorized
// kernel (compiled with -mavx2, selected at run time). See minhash_kernels.h.
#include <algorithm>
#include <cassert>
#include <iterator>

#include "neardup/signature.h"
#include "signature/minhash_kernels.h"

namespace neardup {
namespace {

// splitmix64: expands the seed into the hash functions' parameters.
std::uint64_t SplitMix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

MinHashKernel ResolveKernel(MinHashKernel asked) {
  if (asked == MinHashKernel::kScalar) return MinHashKernel::kScalar;
#if NEARDUP_MINHASH_HAVE_AVX2
  __builtin_cpu_init();  // in case a MinHasher is built by a static initializer
  if (__builtin_cpu_supports("avx2")) return MinHashKernel::kAvx2;
#endif
  return MinHashKernel::kScalar;
}

}  // namespace

namespace internal {

void MinHashSignScalar(const std::uint64_t* mul, const std::uint64_t* add, std::size_t k,
                       const std::uint64_t* shingles, std::size_t n, std::uint32_t* out) {
  std::fill(out, out + k, kEmptySignatureValue);
  for (std::size_t s = 0; s < n; ++s) {
    const std::uint32_t x32 = MinHashFold(shingles[s]);
    for (std::size_t i = 0; i < k; ++i)
      out[i] = std::min(out[i], MinHashValue(mul[i], add[i], x32));
  }
}

void BuildMinHashAvx2Params(const std::uint64_t* mul, const std::uint64_t* add, std::size_t k,
                            std::uint64_t* params) {
  const std::size_t blocks = (k + kMinHashLanes - 1) / kMinHashLanes;
  for (std::size_t blk = 0; blk < blocks; ++blk) {
    std::uint64_t* p = params + blk * kMinHashBlockWords;
    const auto a = [&](std::size_t lane) {
      const std::size_t i = blk * kMinHashLanes + lane;
      return i < k ? mul[i] : 0;
    };
    const auto b = [&](std::size_t lane) {
      const std::size_t i = blk * kMinHashLanes + lane;
      return i < k ? add[i] : 0;
    };
    for (std::size_t j = 0; j < 4; ++j) {
      p[j] = a(kMinHashGroupA[j]) & 0xFFFFFFFFull;
      p[4 + j] = a(kMinHashGroupB[j]) & 0xFFFFFFFFull;
      p[8 + j] = b(kMinHashGroupA[j]);
      p[12 + j] = b(kMinHashGroupB[j]);
      // Two a_hi per word, lane 2j in the low half (x86 is little-endian).
      p[16 + j] = (a(2 * j) >> 32) | (a(2 * j + 1) & 0xFFFFFFFF00000000ull);
    }
  }
}

}  // namespace internal

const char* MinHashKernelName(MinHashKernel kernel) {
  switch (kernel) {
    case MinHashKernel::kAuto:
      return "auto";
    case MinHashKernel::kScalar:
      return "scalar";
    case MinHashKernel::kAvx2:
      return "avx2";
  }
  return "unknown";
}

MinHasher::MinHasher(const MinHashOptions& options) : kernel_(ResolveKernel(options.kernel)) {
  assert(options.num_perm >= 1);
  const auto k = static_cast<std::size_t>(std::max(options.num_perm, 1));
  mul_.resize(k);
  add_.resize(k);
  std::uint64_t state = options.seed;
  for (std::size_t i = 0; i < k; ++i) {
    mul_[i] = SplitMix64(&state);
    add_[i] = SplitMix64(&state);
  }
  if (kernel_ == MinHashKernel::kAvx2) {
    avx2_params_.resize((k + internal::kMinHashLanes - 1) / internal::kMinHashLanes *
                        internal::kMinHashBlockWords);
    internal::BuildMinHashAvx2Params(mul_.data(), add_.data(), k, avx2_params_.data());
  }
}

void MinHasher::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out) const {
  assert(out.size() == mul_.size());
#if NEARDUP_MINHASH_HAVE_AVX2
  if (kernel_ == MinHashKernel::kAvx2) {
    internal::MinHashSignAvx2(avx2_params_.data(), out.size(), shingles.data(), shingles.size(),
                              out.data());
    return;
  }
#endif
  internal::MinHashSignScalar(mul_.data(), add_.data(), out.size(), shingles.data(),
                              shingles.size(), out.data());
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
