// ASCII case folding of a whole text, 16 bytes at a time with SSE2.
#include "normalize/fold.h"

#include <cstring>

#include "normalize/block_scan.h"

namespace neardup::internal {

void FoldAsciiCase(std::string_view original, bool lower, std::string* out) {
  out->resize(original.size() + kFoldedSlack);
  char* dst = out->data();
  std::memset(dst + original.size(), 0, kFoldedSlack);
  if (!lower) {
    std::memcpy(dst, original.data(), original.size());
    return;
  }
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= original.size(); i += 16) {
    const __m128i v = Load16(original.data() + i);
    const __m128i upper = InRange(v, 'A', 'Z');
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  }
#endif
  for (; i < original.size(); ++i) {
    const char c = original[i];
    dst[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

}  // namespace neardup::internal
