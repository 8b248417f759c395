#include "core/utf8.h"

namespace neardup {
namespace internal {
namespace {

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

DecodedChar DecodeUtf8(std::string_view bytes, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + pos;
  const std::size_t avail = bytes.size() - pos;
  const unsigned char b0 = p[0];
  const DecodedChar invalid{kReplacementChar, 1, false};
  if (b0 < 0x80) return {b0, 1, true};
  // The second byte's allowed range depends on the lead byte; narrowing it
  // here is what rejects overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
  unsigned char lo = 0x80, hi = 0xBF;
  std::uint32_t len;
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return invalid;
  }
  if (avail < len || p[1] < lo || p[1] > hi) return invalid;
  for (std::uint32_t i = 1; i < len; ++i) {
    if (!IsContinuation(p[i])) return invalid;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  return {cp, len, true};
}

bool IsValidUtf8(std::string_view bytes) {
  for (std::size_t pos = 0; pos < bytes.size();) {
    const DecodedChar c = DecodeUtf8(bytes, pos);
    if (!c.valid) return false;
    pos += c.length;
  }
  return true;
}

std::string RepairUtf8(std::string_view bytes, std::size_t* repaired) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t pos = 0; pos < bytes.size();) {
    const DecodedChar c = DecodeUtf8(bytes, pos);
    if (c.valid) {
      out.append(bytes.substr(pos, c.length));
    } else {
      out.append("\xEF\xBF\xBD");  // U+FFFD
      ++*repaired;
    }
    pos += c.length;
  }
  return out;
}

}  // namespace internal
}  // namespace neardup
