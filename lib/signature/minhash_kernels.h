// MinHash signing kernels behind MinHasher::Sign (lib/signature/minhash*.cc).
//
// Every kernel computes, for each hash function i and each shingle x,
//     h_i(x) = (a_i * x32 + b_i) >> 32   (mod 2^64),  x32 = fold of x to 32 bits,
// and keeps the minimum per i; kernels differ only in instruction set and loop
// order, never in result (tests/signature/minhash_kernels_test.cc).
//
// The AVX2 kernel splits a = a_hi * 2^32 + a_lo and uses, for x < 2^32,
//     bits 32..63 of (a*x + b) = hi32(a_lo*x + b) + lo32(a_hi*x)   (mod 2^32)
// because a_hi*x*2^32 only adds lo32(a_hi*x) to the upper half. a_lo*x + b is
// a 32x32->64 multiply plus a 64-bit add (_mm256_mul_epu32, _mm256_add_epi64)
// and lo32(a_hi*x) a 32-bit multiply (_mm256_mullo_epi32).
#ifndef NEARDUP_SIGNATURE_MINHASH_KERNELS_H_
#define NEARDUP_SIGNATURE_MINHASH_KERNELS_H_

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#define NEARDUP_MINHASH_HAVE_AVX2 1  // minhash_avx2.cc is built (with -mavx2)
#else
#define NEARDUP_MINHASH_HAVE_AVX2 0
#endif

namespace neardup::internal {

// Folds a 64-bit shingle hash to the 32-bit key the hash family takes.
inline std::uint32_t MinHashFold(std::uint64_t x) {
  return static_cast<std::uint32_t>(x ^ (x >> 32));
}

// h_i(x32) for one hash function: the definition every kernel must match.
inline std::uint32_t MinHashValue(std::uint64_t a, std::uint64_t b, std::uint32_t x32) {
  return static_cast<std::uint32_t>((a * x32 + b) >> 32);
}

// The same value through the split the AVX2 kernel uses (see above); tests
// check it equals MinHashValue on edge and random values.
inline std::uint32_t MinHashValueSplit(std::uint64_t a, std::uint64_t b, std::uint32_t x32) {
  const auto a_lo = static_cast<std::uint32_t>(a);
  const auto a_hi = static_cast<std::uint32_t>(a >> 32);
  const std::uint64_t low = std::uint64_t{a_lo} * x32 + b;  // mod 2^64
  const auto hi_term = static_cast<std::uint32_t>(std::uint64_t{a_hi} * x32);
  return static_cast<std::uint32_t>(static_cast<std::uint32_t>(low >> 32) + hi_term);
}

// Parameters of 8 consecutive hash functions (one AVX2 register of outputs),
// laid out so the kernel needs no shuffles before the multiply. The two
// 32x32->64 products cover functions {0,1,4,5} ("group A") and {2,3,6,7}
// ("group B"): one _mm256_shuffle_ps of their upper halves then yields the 8
// values in natural order 0..7 (it interleaves per 128-bit half: A0 A1 B0 B1 |
// A2 A3 B2 B3).
inline constexpr std::size_t kMinHashLanes = 8;
inline constexpr std::size_t kMinHashGroupA[4] = {0, 1, 4, 5};
inline constexpr std::size_t kMinHashGroupB[4] = {2, 3, 6, 7};
// Per block of 8 functions, kMinHashBlockWords uint64 words:
//   [0, 4)   a_lo of group A, zero-extended to 64 bits
//   [4, 8)   a_lo of group B
//   [8, 12)  b of group A
//   [12, 16) b of group B
//   [16, 20) a_hi of functions 0..7 as 8 uint32 (little-endian pairs)
inline constexpr std::size_t kMinHashBlockWords = 20;

// Fills `params` (ceil(k / 8) * kMinHashBlockWords words) from the k
// multipliers and addends. Functions past k in the last block get a = b = 0;
// kernels never store their values.
void BuildMinHashAvx2Params(const std::uint64_t* mul, const std::uint64_t* add, std::size_t k,
                            std::uint64_t* params);

// Scalar reference: out[i] = min over shingles of h_i, kEmptySignatureValue
// without shingles.
void MinHashSignScalar(const std::uint64_t* mul, const std::uint64_t* add, std::size_t k,
                       const std::uint64_t* shingles, std::size_t n, std::uint32_t* out);

#if NEARDUP_MINHASH_HAVE_AVX2
// AVX2 kernel over parameters from BuildMinHashAvx2Params; same result as
// MinHashSignScalar.
// REQUIRES: the CPU supports AVX2.
void MinHashSignAvx2(const std::uint64_t* params, std::size_t k, const std::uint64_t* shingles,
                     std::size_t n, std::uint32_t* out);
#endif

}  // namespace neardup::internal

#endif  // NEARDUP_SIGNATURE_MINHASH_KERNELS_H_
