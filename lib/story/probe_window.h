// The probe window of the story level's open-addressing tables
// (StoryPairScorer, VectorPairScorer): a key lies at most kProbeWindow - 1
// slots past its home slot, so one lookup reads the home slot and the next
// kProbeWindow - 1 at once (four 32-bit keys: one SSE2 compare).
#ifndef NEARDUP_LIB_STORY_PROBE_WINDOW_H_
#define NEARDUP_LIB_STORY_PROBE_WINDOW_H_

#include <bit>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace neardup::internal {

inline constexpr std::size_t kProbeWindow = 4;

// The slot of the window [home, home + kProbeWindow) holding `key`, and
// whether one does.
inline std::size_t FindInWindow(const std::uint32_t* window, std::uint32_t key, bool* found) {
#if defined(__SSE2__)
  const __m128i keys = _mm_loadu_si128(reinterpret_cast<const __m128i*>(window));
  const __m128i equal = _mm_cmpeq_epi32(keys, _mm_set1_epi32(static_cast<int>(key)));
  const auto mask = static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(equal)));
  *found = mask != 0;
  return static_cast<std::size_t>(std::countr_zero(mask | (1u << kProbeWindow))) &
         (kProbeWindow - 1);
#else
  std::size_t at = 0;
  *found = false;
  for (std::size_t k = kProbeWindow; k-- > 0;) {
    if (window[k] == key) {
      at = k;
      *found = true;
    }
  }
  return at;
#endif
}

}  // namespace neardup::internal

#endif  // NEARDUP_LIB_STORY_PROBE_WINDOW_H_
