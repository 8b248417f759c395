// NormalizedText's offset map from the normalized text back to the original.
#include <algorithm>

#include "neardup/normalize.h"

namespace neardup {

std::size_t NormalizedText::ToOriginal(std::size_t norm_offset) const {
  if (tokens.empty()) return 0;
  // Last token starting at or before the offset.
  auto it = std::upper_bound(tokens.begin(), tokens.end(), norm_offset,
                             [](std::size_t off, const Token& t) { return off < t.norm_begin; });
  if (it == tokens.begin()) return tokens.front().orig_begin;
  const Token& t = *(it - 1);
  if (norm_offset >= t.norm_end) return t.orig_end;
  if (t.ascii) return t.orig_begin + (norm_offset - t.norm_begin);
  return t.orig_begin;
}

}  // namespace neardup
