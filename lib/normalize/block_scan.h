// SSE2 helpers of the 64-byte block scanner, the ASCII case fold and the
// token writer (internal). kHaveBlockScanner is false where SSE2 is missing.
#ifndef NEARDUP_NORMALIZE_BLOCK_SCAN_H_
#define NEARDUP_NORMALIZE_BLOCK_SCAN_H_

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace neardup::internal {

#if defined(__SSE2__)
inline constexpr bool kHaveBlockScanner = true;

inline __m128i Load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Bytes in [lo, hi] (signed compare: bytes >= 0x80 are never in an ASCII range).
inline __m128i InRange(__m128i v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

// The 64 bytes at p, classified: bit i of `word` is set when byte i is an
// ASCII letter or digit, bit i of `high` when it is not ASCII.
struct BlockMasks {
  std::uint64_t word;
  std::uint64_t high;
};

inline BlockMasks Classify64(const char* p) {
  BlockMasks m{0, 0};
  for (int i = 0; i < 4; ++i) {
    const __m128i v = Load16(p + 16 * i);
    const __m128i letter = InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
    const auto word =
        static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(letter, InRange(v, '0', '9'))));
    const auto high = static_cast<std::uint32_t>(_mm_movemask_epi8(v));
    m.word |= std::uint64_t{word} << (16 * i);
    m.high |= std::uint64_t{high} << (16 * i);
  }
  return m;
}
#else
inline constexpr bool kHaveBlockScanner = false;
#endif

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_BLOCK_SCAN_H_
