// Word segmentation and Unicode folding, keeping original byte offsets.
//
// Words are found on the ORIGINAL code points and folded one word at a time,
// which is what lets every token carry its original byte range. Folding word
// by word is equivalent to folding the whole text because NFKC composition
// and case folding never cross a separator (whitespace or punctuation are
// starters that do not compose with their neighbours).
#include "neardup/normalize.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include "core/utf8.h"

namespace neardup {
namespace {

using internal::DecodedChar;
using internal::DecodeUtf8;

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
constexpr std::array<CharClass, 128> kAsciiClass = MakeAsciiClasses();

bool IsSingletonScript(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||  // Hiragana, Katakana
         (cp >= 0x3400 && cp <= 0x4DBF) ||  // CJK Extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||  // CJK Unified Ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK Compatibility Ideographs
         (cp >= 0xFF66 && cp <= 0xFF9F) ||  // Halfwidth Katakana
         (cp >= 0x20000 && cp <= 0x323AF);  // CJK Extensions B..H
}

bool IsMark(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

CharClass ClassifyNonAscii(char32_t cp) {
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
std::size_t SkipMarks(std::string_view text, std::size_t pos) {
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

// Appends folded words to the normalized text, one token per word.
class TokenWriter {
 public:
  TokenWriter(const NormalizeOptions& options, NormalizedText* out)
      : options_(options), out_(out) {}

  // Appends an ASCII word, lower-cased when case folding is on.
  void AddAscii(std::string_view original, std::size_t begin, std::size_t end) {
    const std::size_t norm_begin = StartToken();
    for (std::size_t i = begin; i < end; ++i) {
      char c = original[i];
      if (options_.case_fold && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      out_->text.push_back(c);
    }
    FinishToken(norm_begin, begin, end, /*ascii=*/true);
  }

  // Folds a word holding non-ASCII code points with utf8proc. Compatibility
  // mappings can produce separators ("½" -> "1⁄2") and ideographs ("㊀" ->
  // "一"), so the folded result is split again; every piece keeps the whole
  // word's original range.
  // REQUIRES: original[begin, end) is valid UTF-8.
  void AddUnicode(std::string_view original, std::size_t begin, std::size_t end) {
    int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
    if (options_.nfkc) flags |= UTF8PROC_COMPAT;
    if (options_.case_fold) flags |= UTF8PROC_CASEFOLD;
    utf8proc_uint8_t* folded = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(original.data() + begin),
        static_cast<utf8proc_ssize_t>(end - begin), &folded, static_cast<utf8proc_option_t>(flags));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(folded, &std::free);
    if (n <= 0) return;  // only ignorable characters, or (never for valid input) an error
    const std::string_view f(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
    std::size_t piece = 0;
    for (std::size_t pos = 0; pos < f.size();) {
      const DecodedChar c = DecodeUtf8(f, pos);
      const unsigned char b = static_cast<unsigned char>(f[pos]);
      const CharClass cls = b < 0x80 ? kAsciiClass[b] : ClassifyNonAscii(c.code_point);
      if (cls == CharClass::kSeparator) {
        AddPiece(f, piece, pos, begin, end);
        piece = pos + c.length;
      } else if (cls == CharClass::kSingleton) {
        AddPiece(f, piece, pos, begin, end);
        const std::size_t after = SkipMarks(f, pos + c.length);
        AddPiece(f, pos, after, begin, end);
        piece = after;
        pos = after;
        continue;
      }
      pos += c.length;
    }
    AddPiece(f, piece, f.size(), begin, end);
  }

 private:
  void AddPiece(std::string_view folded, std::size_t b, std::size_t e, std::size_t orig_begin,
                std::size_t orig_end) {
    if (b >= e) return;
    const std::size_t norm_begin = StartToken();
    out_->text.append(folded.substr(b, e - b));
    FinishToken(norm_begin, orig_begin, orig_end, /*ascii=*/false);
  }
  std::size_t StartToken() {
    if (!out_->text.empty()) out_->text.push_back(' ');
    return out_->text.size();
  }
  void FinishToken(std::size_t norm_begin, std::size_t orig_begin, std::size_t orig_end,
                   bool ascii) {
    out_->tokens.push_back(
        Token{static_cast<std::uint32_t>(norm_begin), static_cast<std::uint32_t>(out_->text.size()),
              static_cast<std::uint32_t>(orig_begin), static_cast<std::uint32_t>(orig_end), ascii});
  }

  const NormalizeOptions& options_;
  NormalizedText* out_;
};

}  // namespace

void Normalize(std::string_view original, const NormalizeOptions& options, NormalizedText* out) {
  out->text.clear();
  out->tokens.clear();
  out->repaired_bytes = 0;
  out->text.reserve(original.size());
  TokenWriter writer(options, out);

  std::size_t word_begin = 0;  // start of the current word; valid when in_word
  bool in_word = false;
  bool word_ascii = true;
  auto flush = [&](std::size_t end) {
    if (!in_word) return;
    if (word_ascii) {
      writer.AddAscii(original, word_begin, end);
    } else {
      writer.AddUnicode(original, word_begin, end);
    }
    in_word = false;
  };

  for (std::size_t pos = 0; pos < original.size();) {
    const unsigned char b = static_cast<unsigned char>(original[pos]);
    if (b < 0x80) {
      if (kAsciiClass[b] == CharClass::kWord) {
        if (!in_word) {
          in_word = true;
          word_ascii = true;
          word_begin = pos;
        }
      } else {
        flush(pos);
      }
      ++pos;
      continue;
    }
    const DecodedChar c = DecodeUtf8(original, pos);
    if (!c.valid) ++out->repaired_bytes;
    const CharClass cls = c.valid ? ClassifyNonAscii(c.code_point) : CharClass::kSeparator;
    switch (cls) {
      case CharClass::kWord:
        if (!in_word) {
          in_word = true;
          word_begin = pos;
        }
        word_ascii = false;
        break;
      case CharClass::kIgnorable:
        // Inside a word it is folded away by utf8proc; between words it separates nothing.
        if (in_word) word_ascii = false;
        break;
      case CharClass::kSingleton: {
        flush(pos);
        const std::size_t end = SkipMarks(original, pos + c.length);
        writer.AddUnicode(original, pos, end);
        pos = end;
        continue;
      }
      case CharClass::kSeparator:
        flush(pos);
        break;
    }
    pos += c.length;
  }
  flush(original.size());
}

NormalizedText Normalize(std::string_view original, const NormalizeOptions& options) {
  NormalizedText out;
  Normalize(original, options, &out);
  return out;
}

bool IsValidUtf8(std::string_view bytes) { return internal::IsValidUtf8(bytes); }

std::string RepairUtf8(std::string_view bytes, std::size_t* repaired) {
  return internal::RepairUtf8(bytes, repaired);
}

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
