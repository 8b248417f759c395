// AVX2 MinHash kernel (see minhash_kernels.h for the arithmetic and the
// parameter layout). This file alone is compiled with -mavx2 and only runs
// when __builtin_cpu_supports("avx2") said so. It therefore uses intrinsics
// and built-in types only: an inline or template function from a shared
// header (std::min, std::span, ...) instantiated here could be emitted with
// AVX2 instructions and picked by the linker for the scalar path too.
//
// Loop order, measured on 2,000 documents of 500-900 random shingles (AMD
// EPYC Zen 4; ms to sign all of them, best of 5, k = 64/128/256; the scalar
// kernel takes 54/108/214):
//   1 shingle per pass over the k functions, running minimum in memory  17.8/24.4/43.6
//   4 shingles per pass, min-reduced before touching memory (kept)       7.8/15.1/29.8
//   shingle-chunk-inner (8 functions held in registers over 256 keys)    8.3/15.4/30.1
// With one shingle per pass each block's minimum is a store -> load chain
// from one shingle to the next; from 4 on, the multiply ports are the limit.
// Parameters are read with unaligned loads (std::vector storage is only
// 16-byte aligned); each block is loaded once per 4 shingles.
#include "signature/minhash_kernels.h"

#if NEARDUP_MINHASH_HAVE_AVX2
#include <immintrin.h>

namespace neardup::internal {
namespace {

struct Block {
  __m256i lo_a, lo_b, b_a, b_b, hi;
};

inline Block LoadBlock(const std::uint64_t* p) {
  return Block{_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
               _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4)),
               _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 8)),
               _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 12)),
               _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 16))};
}

// h_i(x) for the block's 8 functions; x holds x32 in every 32-bit lane.
inline __m256i Hash8(const Block& blk, __m256i x) {
  // hi32(a_lo * x + b) for groups A and B, in the odd 32-bit lanes.
  const __m256i pa = _mm256_add_epi64(_mm256_mul_epu32(blk.lo_a, x), blk.b_a);
  const __m256i pb = _mm256_add_epi64(_mm256_mul_epu32(blk.lo_b, x), blk.b_b);
  // Odd lanes of pa then pb per 128-bit half (imm 0xDD = lanes 1,3 | 1,3):
  // A0 A1 B0 B1 | A2 A3 B2 B3, which the group layout makes functions 0..7.
  const __m256i high = _mm256_castps_si256(
      _mm256_shuffle_ps(_mm256_castsi256_ps(pa), _mm256_castsi256_ps(pb), 0xDD));
  return _mm256_add_epi32(high, _mm256_mullo_epi32(blk.hi, x));
}

inline std::uint32_t Fold(std::uint64_t x) { return static_cast<std::uint32_t>(x ^ (x >> 32)); }

inline __m256i Broadcast(std::uint32_t x32) { return _mm256_set1_epi32(static_cast<int>(x32)); }

// Loads / stores block `blk` of the signature, which may be the partial last one.
inline __m256i LoadSig(const std::uint32_t* out, std::size_t k, std::size_t blk) {
  const std::size_t first = blk * kMinHashLanes;
  if (first + kMinHashLanes <= k) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(out + first));
  }
  alignas(32) std::uint32_t tmp[kMinHashLanes];
  for (std::size_t j = 0; j < kMinHashLanes; ++j) tmp[j] = first + j < k ? out[first + j] : 0;
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(tmp));
}

inline void StoreSig(std::uint32_t* out, std::size_t k, std::size_t blk, __m256i v) {
  const std::size_t first = blk * kMinHashLanes;
  if (first + kMinHashLanes <= k) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + first), v);
    return;
  }
  alignas(32) std::uint32_t tmp[kMinHashLanes];
  _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), v);
  for (std::size_t j = 0; first + j < k; ++j) out[first + j] = tmp[j];
}

}  // namespace

void MinHashSignAvx2(const std::uint64_t* params, std::size_t k, const std::uint64_t* shingles,
                     std::size_t n, std::uint32_t* out) {
  for (std::size_t i = 0; i < k; ++i) out[i] = 0xFFFFFFFFu;  // kEmptySignatureValue
  const std::size_t blocks = (k + kMinHashLanes - 1) / kMinHashLanes;
  std::size_t s = 0;
  // Four shingles per pass over the k functions: the block's parameters and
  // running minimum are loaded and stored once per four shingles instead of
  // once per shingle, and min-reducing the four values first keeps the
  // store -> load chain through the signature off the critical path.
  for (; s + 4 <= n; s += 4) {
    const __m256i x0 = Broadcast(Fold(shingles[s]));
    const __m256i x1 = Broadcast(Fold(shingles[s + 1]));
    const __m256i x2 = Broadcast(Fold(shingles[s + 2]));
    const __m256i x3 = Broadcast(Fold(shingles[s + 3]));
    for (std::size_t b = 0; b < blocks; ++b) {
      const Block blk = LoadBlock(params + b * kMinHashBlockWords);
      const __m256i m01 = _mm256_min_epu32(Hash8(blk, x0), Hash8(blk, x1));
      const __m256i m23 = _mm256_min_epu32(Hash8(blk, x2), Hash8(blk, x3));
      StoreSig(out, k, b, _mm256_min_epu32(LoadSig(out, k, b), _mm256_min_epu32(m01, m23)));
    }
  }
  for (; s < n; ++s) {
    const __m256i x = Broadcast(Fold(shingles[s]));
    for (std::size_t b = 0; b < blocks; ++b) {
      const Block blk = LoadBlock(params + b * kMinHashBlockWords);
      StoreSig(out, k, b, _mm256_min_epu32(LoadSig(out, k, b), Hash8(blk, x)));
    }
  }
}

}  // namespace neardup::internal

#endif  // NEARDUP_MINHASH_HAVE_AVX2
