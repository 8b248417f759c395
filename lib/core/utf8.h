// UTF-8 decoding and repair shared by the stages (internal).
#ifndef NEARDUP_CORE_UTF8_H_
#define NEARDUP_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace neardup::internal {

inline constexpr char32_t kReplacementChar = 0xFFFD;

struct DecodedChar {
  char32_t code_point;   // kReplacementChar when the byte at the position is not valid UTF-8
  std::uint32_t length;  // bytes consumed: the sequence length, or 1 for an invalid byte
  bool valid;
};

// Decodes the code point starting at bytes[pos] (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF). An invalid or truncated sequence
// consumes exactly one byte, so callers resynchronize on the next byte.
// REQUIRES: pos < bytes.size()
DecodedChar DecodeUtf8(std::string_view bytes, std::size_t pos);

// See IsValidUtf8 and RepairUtf8 in neardup/normalize.h.
bool IsValidUtf8(std::string_view bytes);
std::string RepairUtf8(std::string_view bytes, std::size_t* repaired);

}  // namespace neardup::internal

#endif  // NEARDUP_CORE_UTF8_H_
