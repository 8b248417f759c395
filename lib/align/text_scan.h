// Byte-level helpers for scanning original text (internal to align).
#ifndef NEARDUP_ALIGN_TEXT_SCAN_H_
#define NEARDUP_ALIGN_TEXT_SCAN_H_

#include <cstddef>
#include <string_view>

namespace neardup::internal {

// Length in bytes of the whitespace character at text[pos] (ASCII space, tab,
// CR, LF, FF, VT, no-break space, the U+2000-U+200A spaces, U+2028/9, U+202F,
// U+3000, BOM), or 0 when text[pos] starts something else.
// REQUIRES: pos < text.size()
std::size_t SpaceLength(std::string_view text, std::size_t pos);

// Moves [*begin, *end) inwards past whitespace on both sides.
void TrimSpaces(std::string_view text, std::size_t* begin, std::size_t* end);

}  // namespace neardup::internal

#endif  // NEARDUP_ALIGN_TEXT_SCAN_H_
