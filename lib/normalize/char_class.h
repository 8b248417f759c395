// What a character is to the word scanner (internal): word, separator,
// ignorable or a word of its own, and the combining marks that attach to it.
#ifndef NEARDUP_NORMALIZE_CHAR_CLASS_H_
#define NEARDUP_NORMALIZE_CHAR_CLASS_H_

#include <utf8proc.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/utf8.h"

namespace neardup::internal {

enum class CharClass : std::uint8_t {
  kSeparator,  // whitespace, punctuation, symbols, control, U+FFFD
  kWord,       // letters, marks, digits
  kIgnorable,  // format characters (soft hyphen, zero-width joiners, BOM): dropped inside a word
  kSingleton,  // Han ideographs and kana: each one is a word of its own
};

constexpr std::array<CharClass, 128> MakeAsciiClasses() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    t[static_cast<std::size_t>(c)] = alnum ? CharClass::kWord : CharClass::kSeparator;
  }
  return t;
}
inline constexpr std::array<CharClass, 128> kAsciiClass = MakeAsciiClasses();

inline bool IsSingletonScript(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||  // Hiragana, Katakana
         (cp >= 0x3400 && cp <= 0x4DBF) ||  // CJK Extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK Unified Ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK Compatibility Ideographs
         (cp >= 0xFF66 && cp <= 0xFF9F) ||  // Halfwidth Katakana
         (cp >= 0x20000 && cp <= 0x323AF);  // CJK Extensions B..H
}

inline bool IsMark(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

inline CharClass ClassifyNonAscii(char32_t cp) {
  const auto category =
      static_cast<utf8proc_category_t>(utf8proc_category(static_cast<utf8proc_int32_t>(cp)));
  switch (category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      // Only letters of the space-less scripts are singletons; their
      // punctuation (the katakana middle dot) stays a separator.
      return IsSingletonScript(cp) ? CharClass::kSingleton : CharClass::kWord;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kWord;
    case UTF8PROC_CATEGORY_CF:
      // Default-ignorable format characters (soft hyphen, zero-width joiners,
      // BOM) vanish inside a word; the others (U+0600 ARABIC NUMBER SIGN)
      // separate words like punctuation.
      return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->ignorable
                 ? CharClass::kIgnorable
                 : CharClass::kSeparator;
    default:
      return CharClass::kSeparator;
  }
}

// End of the combining marks (and ignorables) that follow position `pos`:
// they belong to the character before them ("か" + U+3099 composes to "が").
inline std::size_t SkipMarks(std::string_view text, std::size_t pos) {
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) >= 0x80) {
    const DecodedChar c = DecodeUtf8(text, pos);
    if (!c.valid) break;
    const auto category = static_cast<utf8proc_category_t>(
        utf8proc_category(static_cast<utf8proc_int32_t>(c.code_point)));
    // Halfwidth voiced sound marks are letters, but NFKC turns them into
    // combining marks, so they attach like one.
    const bool halfwidth_voicing = c.code_point == 0xFF9E || c.code_point == 0xFF9F;
    const bool ignorable =
        utf8proc_get_property(static_cast<utf8proc_int32_t>(c.code_point))->ignorable;
    if (!IsMark(category) && !ignorable && !halfwidth_voicing) break;
    pos += c.length;
  }
  return pos;
}

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_CHAR_CLASS_H_
