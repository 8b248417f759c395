// MinHash signing. The default scheme is one permutation hashing with optimal
// densification (MinHasher::SignOnePermutation, see MinHashScheme), which
// also fills the b-bit sketch's bins from the same hash (bbit_sketch.cc
// encodes and compares sketches).
//
// The k-hash scheme (Broder, "On the resemblance and containment of documents",
// 1997): hash function i maps a shingle hash x to
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

#include "core/splitmix64.h"
#include "neardup/signature.h"
#include "signature/bbit_sketch.h"
#include "signature/minhash_kernels.h"

namespace neardup {
namespace {

using internal::Mix64;

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

const char* MinHashSchemeName(MinHashScheme scheme) {
  switch (scheme) {
    case MinHashScheme::kOnePermutation:
      return "oph";
    case MinHashScheme::kPermutations:
      return "kperm";
  }
  return "unknown";
}

MinHasher::MinHasher(const MinHashOptions& options)
    : k_(std::max(options.num_perm, 1)),
      sketch_bins_(std::clamp(options.sketch_bins / 16 * 16, 16, kMaxSketchBins)),
      scheme_(options.scheme),
      kernel_(options.scheme == MinHashScheme::kPermutations ? ResolveKernel(options.kernel)
                                                             : MinHashKernel::kScalar) {
  assert(options.num_perm >= 1);
  assert(options.sketch_bins == sketch_bins_);
  const auto k = static_cast<std::size_t>(k_);
  {
    // A stream of its own, so the k functions of a seed stay what they were.
    std::uint64_t state = options.seed ^ 0x6F6E652D7065726Dull;  // "one-perm"
    bin_seed_ = internal::SplitMix64(&state);
    densify_seed_ = internal::SplitMix64(&state);
  }
  if (scheme_ == MinHashScheme::kOnePermutation) return;
  mul_.resize(k);
  add_.resize(k);
  std::uint64_t state = options.seed;
  for (std::size_t i = 0; i < k; ++i) {
    mul_[i] = internal::SplitMix64(&state);
    add_[i] = internal::SplitMix64(&state);
  }
  if (kernel_ == MinHashKernel::kAvx2) {
    avx2_params_.resize((k + internal::kMinHashLanes - 1) / internal::kMinHashLanes *
                        internal::kMinHashBlockWords);
    internal::BuildMinHashAvx2Params(mul_.data(), add_.data(), k, avx2_params_.data());
  }
}

void MinHasher::SignOnePermutation(std::span<const std::uint64_t> shingles,
                                   std::span<std::uint32_t> out, std::uint32_t* sketch_mins) const {
  static_assert(kEmptySignatureValue == internal::kEmptySketchBin);
  const std::size_t k = out.size();
  const auto bins = static_cast<std::size_t>(sketch_bins_);
  std::fill(out.begin(), out.end(), kEmptySignatureValue);
  if (sketch_mins != nullptr) std::fill(sketch_mins, sketch_mins + bins, kEmptySignatureValue);
  if (shingles.empty()) return;
  // Bin from the high half (multiply-shift range reduction), value from the
  // low half, kept below kEmptySignatureValue so that marks empty bins only.
  // The sketch's bins cut the same range finer, so a sketch bin's minimum
  // and a signature bin's are values of one hash.
  const auto value_of = [this](std::uint64_t x, std::uint64_t* high) {
    const std::uint64_t h = Mix64(x ^ bin_seed_);
    *high = h >> 32;
    const auto value = static_cast<std::uint32_t>(h);
    return value - (value == kEmptySignatureValue);
  };
  const auto fill = [&](std::uint32_t* mins, std::size_t count) {
    for (const std::uint64_t x : shingles) {
      std::uint64_t high;
      const std::uint32_t value = value_of(x, &high);
      std::uint32_t& m = mins[(high * count) >> 32];
      m = std::min(m, value);
    }
  };
  if (sketch_mins == nullptr) {
    fill(out.data(), k);
  } else if (k > 0 && bins % k == 0) {
    // Signature bin i is sketch bins [i m, (i + 1) m) for m = bins / k:
    // floor(floor(x m) / m) = floor(x). One pass fills the sketch, and each
    // signature bin is the minimum of its m sketch bins.
    fill(sketch_mins, bins);
    const std::size_t m = bins / k;
    for (std::size_t i = 0; i < k; ++i) {
      out[i] = *std::min_element(sketch_mins + i * m, sketch_mins + (i + 1) * m);
    }
  } else {
    fill(sketch_mins, bins);
    if (k == 0) return;
    fill(out.data(), k);
  }
  // Optimal densification: an empty bin i takes the value of the first
  // filled bin in the sequence D(i, 1), D(i, 2), ..., a hash of (seed, i,
  // attempt) that is the same for every document. Filled bins are those
  // filled by shingles, not by densification, so mark them first.
  constexpr std::size_t kInlineWords = 64;  // k <= 4096 without allocating
  std::uint64_t inline_words[kInlineWords];
  std::vector<std::uint64_t> heap_words;
  std::uint64_t* filled = inline_words;
  const std::size_t words = (k + 63) / 64;
  if (words > kInlineWords) {
    heap_words.resize(words);
    filled = heap_words.data();
  }
  std::fill(filled, filled + words, 0);
  std::size_t num_filled = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (out[i] != kEmptySignatureValue) {
      filled[i / 64] |= std::uint64_t{1} << (i % 64);
      ++num_filled;
    }
  }
  if (num_filled == k) return;
  for (std::size_t i = 0; i < k; ++i) {
    if (filled[i / 64] >> (i % 64) & 1) continue;
    for (std::uint64_t attempt = 1;; ++attempt) {
      const std::uint64_t d =
          Mix64(densify_seed_ + (static_cast<std::uint64_t>(i) << 32 | attempt));
      const std::size_t donor = static_cast<std::size_t>(((d >> 32) * k) >> 32);
      if (filled[donor / 64] >> (donor % 64) & 1) {
        out[i] = out[donor];
        break;
      }
    }
  }
}

void MinHasher::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out) const {
  assert(out.size() == static_cast<std::size_t>(k_));
  if (scheme_ == MinHashScheme::kOnePermutation) {
    SignOnePermutation(shingles, out, nullptr);
    return;
  }
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

void MinHasher::Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out,
                     std::span<std::uint8_t> sketch) const {
  assert(out.size() == static_cast<std::size_t>(k_) && sketch.size() == sketch_bytes());
  std::uint32_t mins[kMaxSketchBins];
  if (scheme_ == MinHashScheme::kOnePermutation) {
    SignOnePermutation(shingles, out, mins);
  } else {
    Sign(shingles, out);
    SignOnePermutation(shingles, {}, mins);  // the sketch alone
  }
  internal::EncodeSketch(mins, sketch);
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
