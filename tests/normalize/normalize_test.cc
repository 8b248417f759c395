// Tests for Normalize, IsValidUtf8 and RepairUtf8 (lib/normalize/normalize.cc,
// lib/core/utf8.cc).
//
// Expected values are derived from the Unicode data files, not from the code:
// UnicodeData.txt (general categories, compatibility decompositions) and
// CaseFolding.txt (status C + F = default full case folding), and from the
// well-formed byte sequences of Unicode chapter 3, table 3-7 (= RFC 3629).
#include <neardup/normalize.h>
#include <utf8proc.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "../test_util.h"

namespace neardup {
namespace {

// Hex dump for failure messages, so invisible characters show up.
std::string Hex(std::string_view s) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::vector<std::string> TokenTexts(const NormalizedText& nt) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < nt.tokens.size(); ++i) out.emplace_back(nt.TokenText(i));
  return out;
}

std::vector<std::string> Tokens(std::string_view original, const NormalizeOptions& options = {}) {
  return TokenTexts(Normalize(original, options));
}

// Reference UTF-8 validator written from table 3-7 of the Unicode standard:
// returns the length of the well-formed sequence starting at s[pos], or 0.
std::size_t WellFormedLength(std::string_view s, std::size_t pos) {
  auto at = [&](std::size_t i) -> int {
    return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : -1;
  };
  auto in = [](int b, int lo, int hi) { return b >= lo && b <= hi; };
  const int b0 = at(0);
  if (in(b0, 0x00, 0x7F)) return 1;
  if (in(b0, 0xC2, 0xDF)) return in(at(1), 0x80, 0xBF) ? 2 : 0;
  int lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (in(b0, 0xE0, 0xEF)) return in(at(1), lo, hi) && in(at(2), 0x80, 0xBF) ? 3 : 0;
  lo = 0x80;
  hi = 0xBF;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  if (in(b0, 0xF0, 0xF4)) {
    return in(at(1), lo, hi) && in(at(2), 0x80, 0xBF) && in(at(3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Number of bytes that are not part of a well-formed sequence (each such
// byte is skipped on its own, as RepairUtf8's contract states).
std::size_t ReferenceInvalidBytes(std::string_view s) {
  std::size_t invalid = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t len = WellFormedLength(s, pos);
    if (len == 0) {
      ++invalid;
      ++pos;
    } else {
      pos += len;
    }
  }
  return invalid;
}

std::string ReferenceRepair(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t len = WellFormedLength(s, pos);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++pos;
    } else {
      out.append(s.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

// True when every code point of `token` is a letter, mark or digit (general
// category L*, M* or N*): the header's definition of a word character.
bool OnlyWordCharacters(std::string_view token) {
  for (std::size_t pos = 0; pos < token.size();) {
    const std::size_t len = WellFormedLength(token, pos);
    if (len == 0) return false;
    const auto b0 = static_cast<unsigned char>(token[pos]);
    char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
    for (std::size_t i = 1; i < len; ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(token[pos + i]) & 0x3Fu);
    }
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
      case UTF8PROC_CATEGORY_LU:
      case UTF8PROC_CATEGORY_LL:
      case UTF8PROC_CATEGORY_LT:
      case UTF8PROC_CATEGORY_LM:
      case UTF8PROC_CATEGORY_LO:
      case UTF8PROC_CATEGORY_MN:
      case UTF8PROC_CATEGORY_MC:
      case UTF8PROC_CATEGORY_ME:
      case UTF8PROC_CATEGORY_ND:
      case UTF8PROC_CATEGORY_NL:
      case UTF8PROC_CATEGORY_NO:
        break;
      default:
        return false;
    }
    pos += len;
  }
  return true;
}

std::vector<std::string> SplitBar(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t bar; (bar = s.find('|', start)) != std::string_view::npos; start = bar + 1) {
    out.emplace_back(s.substr(start, bar - start));
  }
  out.emplace_back(s.substr(start));
  return out;
}

// Structural invariants every NormalizedText must satisfy: text is the tokens
// joined by single spaces, tokens are non-empty and contain no space, original
// ranges lie inside the input and move forward (tokens split from one word by
// a compatibility mapping share one range).
void CheckStructure(std::string_view original, const NormalizedText& nt) {
  INFO("original: " << Hex(original));
  INFO("text: " << Hex(nt.text));
  CHECK(IsValidUtf8(nt.text));
  std::string joined;
  std::size_t prev_begin = 0, prev_end = 0;
  for (std::size_t i = 0; i < nt.tokens.size(); ++i) {
    const Token& t = nt.tokens[i];
    INFO("token " << i);
    REQUIRE(t.norm_begin < t.norm_end);
    REQUIRE(t.norm_end <= nt.text.size());
    REQUIRE(t.orig_begin < t.orig_end);
    REQUIRE(t.orig_end <= original.size());
    if (!joined.empty()) joined.push_back(' ');
    CHECK(joined.size() == t.norm_begin);
    joined.append(nt.TokenText(i));
    CHECK(nt.TokenText(i).find(' ') == std::string_view::npos);
    CHECK(OnlyWordCharacters(nt.TokenText(i)));
    if (i > 0) {
      const bool same_word = t.orig_begin == prev_begin && t.orig_end == prev_end;
      CHECK((same_word || t.orig_begin >= prev_end));
    }
    prev_begin = t.orig_begin;
    prev_end = t.orig_end;
  }
  CHECK(joined == nt.text);
}

// Offsets round trip: group the tokens by original range; the bytes of each
// range normalize to exactly the group's tokens, and the bytes between groups
// (and before the first / after the last) normalize to nothing, so no word is
// lost or invented by the offset bookkeeping.
void CheckOffsetsRoundTrip(std::string_view original) {
  const NormalizedText nt = Normalize(original);
  CheckStructure(original, nt);
  INFO("original: " << Hex(original));
  std::size_t gap_begin = 0;
  for (std::size_t i = 0; i < nt.tokens.size();) {
    std::size_t j = i + 1;
    while (j < nt.tokens.size() && nt.tokens[j].orig_begin == nt.tokens[i].orig_begin &&
           nt.tokens[j].orig_end == nt.tokens[i].orig_end) {
      ++j;
    }
    const std::size_t begin = nt.tokens[i].orig_begin, end = nt.tokens[i].orig_end;
    REQUIRE(begin >= gap_begin);
    INFO("gap [" << gap_begin << ", " << begin << ")");
    CHECK(Normalize(original.substr(gap_begin, begin - gap_begin)).tokens.empty());
    std::vector<std::string> group;
    for (std::size_t k = i; k < j; ++k) group.emplace_back(nt.TokenText(k));
    INFO("word [" << begin << ", " << end << ")");
    CHECK(Tokens(original.substr(begin, end - begin)) == group);
    gap_begin = end;
    i = j;
  }
  CHECK(Normalize(original.substr(gap_begin)).tokens.empty());
}

// ---------------------------------------------------------------------------
// Unicode forms

TEST_CASE("Normalize: NFC and NFD spellings of e-acute give the same token", "[normalize]") {
  // U+00E9 is canonically equivalent to U+0065 U+0301; NFC composes the pair.
  const std::string nfc = "caf\u00E9 au lait";
  const std::string nfd = "cafe\u0301 au lait";
  const NormalizedText a = Normalize(nfc);
  const NormalizedText b = Normalize(nfd);
  CHECK(a.text == "caf\u00E9 au lait");
  CHECK(b.text == a.text);
  REQUIRE(b.tokens.size() == 3);
  // The NFD word is one byte longer in the original: "cafe" + CC 81.
  CHECK(b.tokens[0].orig_begin == 0);
  CHECK(b.tokens[0].orig_end == 6);
  CHECK(a.tokens[0].orig_end == 5);
  // Upper-case NFD: E + U+0301 folds and composes to the same code point.
  CHECK(Normalize("CAFE\u0301").text == "caf\u00E9");
}

TEST_CASE("Normalize: NFKC compatibility mappings", "[normalize]") {
  // U+FF21..FF23 FULLWIDTH LATIN CAPITAL A..C <wide> 0041..0043, then folded.
  CHECK(Normalize("\uFF21\uFF22\uFF23").text == "abc");
  // U+FB01 LATIN SMALL LIGATURE FI <compat> 0066 0069.
  CHECK(Normalize("\uFB01le").text == "file");
  CHECK(Normalize("\uFB01").text == "fi");
  // U+2460 CIRCLED DIGIT ONE (category No, so a word character) <circle> 0031.
  CHECK(Normalize("\u2460").text == "1");
  CHECK(Normalize("step \u2460 done").text == "step 1 done");
  // U+00BD VULGAR FRACTION ONE HALF <fraction> 0031 2044 0032. U+2044 FRACTION
  // SLASH is a symbol (Sm), so the one original word yields two tokens that
  // share the original range of the whole character.
  const NormalizedText half = Normalize("x \u00BD");
  REQUIRE(TokenTexts(half) == std::vector<std::string>{"x", "1", "2"});
  CHECK(half.tokens[1].orig_begin == 2);
  CHECK(half.tokens[1].orig_end == 4);
  CHECK(half.tokens[2].orig_begin == 2);
  CHECK(half.tokens[2].orig_end == 4);
  // Mixed: U+FF34 FULLWIDTH T folds like T.
  CHECK(Normalize("\uFF34he").text == "the");
}

TEST_CASE("Normalize: Unicode default case folding", "[normalize]") {
  // CaseFolding.txt: 00DF; F; 0073 0073 (sharp s -> "ss").
  CHECK(Normalize("Stra\u00DFe").text == "strasse");
  CHECK(Normalize("STRASSE").text == "strasse");
  // 03A3; C; 03C3 and 03C2; C; 03C3: capital and final sigma both fold to
  // U+03C3, so "ΣΑΣ" and "σας" (final sigma) are the same word; 0391; C; 03B1.
  CHECK(Normalize("\u03A3\u0391\u03A3").text == "\u03C3\u03B1\u03C3");
  CHECK(Normalize("\u03C3\u03B1\u03C2").text == "\u03C3\u03B1\u03C3");
  // Turkish dotted capital I: default folding uses the F entry
  // "0130; F; 0069 0307" (the T entry 0130 -> 0069 is Turkic-only). There is
  // no precomposed i + dot above, so NFC keeps the combining U+0307.
  CHECK(Normalize("\u0130stanbul").text == "i\u0307stanbul");
  // ASCII I folds to i (0049; C; 0069), not to dotless U+0131; so the two
  // spellings of Istanbul stay different words under default folding.
  CHECK(Normalize("ISTANBUL").text == "istanbul");
  CHECK(Normalize("\u0130STANBUL").text != Normalize("ISTANBUL").text);
  // U+0131 LATIN SMALL LETTER DOTLESS I has no folding entry: unchanged.
  CHECK(Normalize("\u0131").text == "\u0131");
  // ASCII fast path.
  CHECK(Normalize("Hello WORLD mIxEd").text == "hello world mixed");
}

TEST_CASE("Normalize: options switch NFKC and case folding off", "[normalize]") {
  NormalizeOptions no_fold;
  no_fold.case_fold = false;
  CHECK(Normalize("Hello WORLD", no_fold).text == "Hello WORLD");
  CHECK(Normalize("Stra\u00DFe", no_fold).text == "Stra\u00DFe");
  CHECK(Normalize("\uFF21\uFF22", no_fold).text == "AB");  // NFKC still applies

  NormalizeOptions no_nfkc;
  no_nfkc.nfkc = false;
  // U+2460 has no case folding entry, so only NFKC would change it.
  CHECK(Normalize("\u2460", no_nfkc).text == "\u2460");
  // FF21; C; FF41: folding alone keeps the fullwidth form.
  CHECK(Normalize("\uFF21", no_nfkc).text == "\uFF41");
  // Canonical composition (NFC) is not optional.
  CHECK(Normalize("e\u0301", no_nfkc).text == "\u00E9");

  NormalizeOptions neither;
  neither.nfkc = false;
  neither.case_fold = false;
  CHECK(Normalize("\u00C9t\u00E9 \u2460 ABC", neither).text == "\u00C9t\u00E9 \u2460 ABC");
}

// ---------------------------------------------------------------------------
// Separators

TEST_CASE("Normalize: quotes and apostrophes only separate words", "[normalize]") {
  // U+201C/U+201D are Pi/Pf punctuation, like ASCII '"'.
  CHECK(Normalize("the \u201CQuick\u201D fox").text == Normalize("the \"Quick\" fox").text);
  CHECK(Normalize("the \"Quick\" fox").text == "the quick fox");
  // U+2019 (Pf) and ASCII ' (Po) both split "don't" into two words.
  CHECK(Normalize("don\u2019t").text == Normalize("don't").text);
  CHECK(Normalize("don't").text == "don t");
  // The header's example: original span of token 1 is "Quick" without quotes.
  const std::string original = "\uFF34he \u201CQuick\u201D\r\nfox";
  const NormalizedText nt = Normalize(original);
  CHECK(nt.text == "the quick fox");
  const TextSpan span = nt.OriginalSpan(1, 2);
  CHECK(original.substr(span.begin, span.size()) == "Quick");
  const TextSpan all = nt.OriginalSpan(0, 3);
  CHECK(all.begin == 0);
  CHECK(all.end == original.size());
  // Other punctuation and symbols.
  CHECK(Normalize("a,b;c.d!e?f(g)h[i]j{k}l-m_n/o\\p@q#r$s%t^u&v*w+x=y|z~0`1<2>3").tokens.size() ==
        30);  // 26 letters and 4 digits
  CHECK(Normalize("e-mail \u2014 done\u2026 \u00A9 2024").text == "e mail done 2024");
}

TEST_CASE("Normalize: whitespace variants are equivalent", "[normalize]") {
  const std::string expected = "one two three four";
  CHECK(Normalize("one two\nthree four\n").text == expected);
  CHECK(Normalize("one two\r\nthree four\r\n").text == expected);
  CHECK(Normalize("one\ttwo\rthree\vfour\f").text == expected);
  CHECK(Normalize("  one   two \n\n three\t\tfour  ").text == expected);
  // U+00A0 NO-BREAK SPACE, U+3000 IDEOGRAPHIC SPACE, U+2028 LINE SEPARATOR (Zs, Zs, Zl).
  CHECK(Normalize("one\u00A0two\u3000three\u2028four").text == expected);
  // CRLF text and LF text: same tokens, different original offsets.
  const NormalizedText crlf = Normalize("ab\r\ncd");
  const NormalizedText lf = Normalize("ab\ncd");
  CHECK(TokenTexts(crlf) == TokenTexts(lf));
  REQUIRE(crlf.tokens.size() == 2);
  CHECK(crlf.tokens[1].orig_begin == 4);
  CHECK(lf.tokens[1].orig_begin == 3);
}

TEST_CASE("Normalize: soft hyphen and zero-width joiner vanish inside a word", "[normalize]") {
  // U+00AD SOFT HYPHEN and U+200D ZERO WIDTH JOINER are Cf, Default_Ignorable.
  const std::string shy = "co\u00ADoperate now";
  const NormalizedText a = Normalize(shy);
  REQUIRE(TokenTexts(a) == std::vector<std::string>{"cooperate", "now"});
  CHECK(a.tokens[0].orig_begin == 0);
  CHECK(a.tokens[0].orig_end == 11);  // "co" + C2 AD + "operate": the whole word
  const NormalizedText b = Normalize("ab\u200Dcd");
  REQUIRE(TokenTexts(b) == std::vector<std::string>{"abcd"});
  CHECK(b.tokens[0].orig_end == 7);
  // U+FEFF (BOM / ZWNBSP, Cf) before the first word is skipped and does not
  // belong to the word's original range.
  const NormalizedText bom = Normalize("\uFEFFhello");
  REQUIRE(TokenTexts(bom) == std::vector<std::string>{"hello"});
  CHECK(bom.tokens[0].orig_begin == 3);
  CHECK(bom.tokens[0].orig_end == 8);
  // Only ignorable characters: nothing.
  CHECK(Normalize("\u00AD\u200D\uFEFF").tokens.empty());
  // U+200B ZERO WIDTH SPACE is also Cf: it joins rather than splits.
  CHECK(Normalize("ab\u200Bcd").text == "abcd");
}

TEST_CASE("Normalize: Han ideographs and kana are one token each", "[normalize]") {
  const NormalizedText han = Normalize("\u4E2D\u6587\u5B57");  // 中文字
  REQUIRE(TokenTexts(han) == std::vector<std::string>{"\u4E2D", "\u6587", "\u5B57"});
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(han.tokens[i].orig_begin == 3 * i);
    CHECK(han.tokens[i].orig_end == 3 * i + 3);
  }
  // Han next to Latin letters: the Latin run stays one word.
  CHECK(Tokens("\u6F22\u5B57abc") == std::vector<std::string>{"\u6F22", "\u5B57", "abc"});
  CHECK(Tokens("Hello\u4E16\u754C") == std::vector<std::string>{"hello", "\u4E16", "\u754C"});
  // Hiragana and katakana.
  CHECK(Tokens("\u3072\u3089\u30AB\u30CA") ==
        std::vector<std::string>{"\u3072", "\u3089", "\u30AB", "\u30CA"});
  // Supplementary-plane ideograph (CJK Extension B, U+20000, 4 bytes).
  CHECK(Tokens("\U00020000\U00020001") == std::vector<std::string>{"\U00020000", "\U00020001"});
  // Hangul uses spaces between words, so a Hangul run is one word.
  CHECK(Tokens("\uD55C\uAD6D\uC5B4 \uB9D0") ==
        std::vector<std::string>{"\uD55C\uAD6D\uC5B4", "\uB9D0"});
}

TEST_CASE("Normalize: empty and separator-only input give no tokens", "[normalize]") {
  for (const std::string& s :
       {std::string(), std::string(" "), std::string(" \t\r\n\r\n"), std::string("\u00A0\u3000"),
        std::string("...!? -- \"\""), std::string("\u00AD"), std::string("\xFF\xFE")}) {
    INFO(Hex(s));
    const NormalizedText nt = Normalize(s);
    CHECK(nt.tokens.empty());
    CHECK(nt.text.empty());
    CHECK(nt.ToOriginal(0) == 0);
  }
}

TEST_CASE("Normalize: the output object is reused without stale state", "[normalize]") {
  NormalizedText nt;
  Normalize("A long first text with \xFF invalid bytes \xC0 and many words", {}, &nt);
  CHECK(nt.repaired_bytes == 2);
  Normalize("short", {}, &nt);
  CHECK(nt.text == "short");
  CHECK(nt.tokens.size() == 1);
  CHECK(nt.repaired_bytes == 0);
  Normalize("", {}, &nt);
  CHECK(nt.text.empty());
  CHECK(nt.tokens.empty());
}

// ---------------------------------------------------------------------------
// Invalid UTF-8

TEST_CASE("Normalize: invalid UTF-8 is repaired and every invalid byte counted", "[normalize]") {
  struct Case {
    const char* name;
    std::string bad;
    std::size_t invalid;  // bytes that are not part of a well-formed sequence (table 3-7)
  };
  const std::vector<Case> cases = {
      {"lone continuation byte", "\x80", 1},
      {"overlong encoding of '/'", "\xC0\xAF",
       2},                                      // C0 is never a lead; AF is a stray continuation
      {"surrogate U+D800", "\xED\xA0\x80", 3},  // ED allows only 80..9F next
      {"truncated 4-byte sequence", "\xF0\x9F\x98", 3},  // lead + 2 continuations, no 4th byte
      {"byte 0xFF", "\xFF", 1},
      {"5-byte lead", "\xF8\x88\x80\x80\x80", 5},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      // Inside text: the invalid bytes separate "ab" from "cd".
      const std::string in_middle = "ab" + c.bad + "cd";
      const NormalizedText nt = Normalize(in_middle);
      CHECK(nt.repaired_bytes == c.invalid);
      CHECK(TokenTexts(nt) == std::vector<std::string>{"ab", "cd"});
      CHECK(IsValidUtf8(nt.text));
      CHECK_FALSE(IsValidUtf8(in_middle));
      // At the very end of the input (truncation is the common real case).
      const std::string at_end = "word " + c.bad;
      const NormalizedText e = Normalize(at_end);
      CHECK(e.repaired_bytes == c.invalid);
      CHECK(e.text == "word");
      // RepairUtf8: one U+FFFD per invalid byte, valid bytes unchanged.
      std::size_t repaired = 0;
      std::string expected = "ab";
      for (std::size_t i = 0; i < c.invalid; ++i) expected += "\xEF\xBF\xBD";
      expected += "cd";
      CHECK(RepairUtf8(in_middle, &repaired) == expected);
      CHECK(repaired == c.invalid);
    }
  }
}

TEST_CASE("IsValidUtf8: boundaries of table 3-7", "[normalize][utf8]") {
  const std::vector<std::string> valid = {
      "",
      "plain ASCII \x7F",
      "\xC2\x80",          // U+0080, smallest 2-byte
      "\xDF\xBF",          // U+07FF
      "\xE0\xA0\x80",      // U+0800, smallest 3-byte
      "\xED\x9F\xBF",      // U+D7FF, last before the surrogates
      "\xEE\x80\x80",      // U+E000, first after the surrogates
      "\xEF\xBF\xBF",      // U+FFFF
      "\xF0\x90\x80\x80",  // U+10000, smallest 4-byte
      "\xF4\x8F\xBF\xBF",  // U+10FFFF, largest code point
      "caf\xC3\xA9 \xE4\xB8\xAD\xF0\x9F\x98\x80",
  };
  const std::vector<std::string> invalid = {
      "\x80",  // continuation without lead
      "\xBF",
      "\xC0\x80",          // overlong U+0000
      "\xC1\xBF",          // overlong U+007F
      "\xE0\x9F\xBF",      // overlong U+07FF
      "\xED\xA0\x80",      // U+D800
      "\xED\xBF\xBF",      // U+DFFF
      "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  // lead above F4
      "\xC2",              // truncated 2-byte
      "\xE2\x82",          // truncated 3-byte
      "\xF0\x9F\x98",      // truncated 4-byte
      "\xC2"
      "A",             // lead followed by ASCII
      "\xE2\x28\xA1",  // second byte not a continuation
      "\xFE",
      "\xFF",
      "ok so far \xFF",
  };
  for (const std::string& s : valid) {
    INFO(Hex(s));
    CHECK(IsValidUtf8(s));
    std::size_t repaired = 0;
    CHECK(RepairUtf8(s, &repaired) == s);
    CHECK(repaired == 0);
  }
  for (const std::string& s : invalid) {
    INFO(Hex(s));
    CHECK_FALSE(IsValidUtf8(s));
  }
}

TEST_CASE("RepairUtf8: hand-computed repairs, and the count accumulates", "[normalize][utf8]") {
  const std::string fffd = "\xEF\xBF\xBD";
  std::size_t repaired = 5;  // RepairUtf8 adds to the counter
  CHECK(RepairUtf8("a\x80"
                   "b",
                   &repaired) == "a" + fffd + "b");
  CHECK(repaired == 6);
  repaired = 0;
  // E2 82 is a truncated euro sign; "x" resynchronizes.
  CHECK(RepairUtf8("\xE2\x82x", &repaired) == fffd + fffd + "x");
  CHECK(repaired == 2);
  repaired = 0;
  // A valid sequence right after an invalid byte is kept whole.
  CHECK(RepairUtf8("\xFF\xC3\xA9", &repaired) == fffd + "\xC3\xA9");
  CHECK(repaired == 1);
  repaired = 0;
  CHECK(RepairUtf8("", &repaired).empty());
  CHECK(repaired == 0);
}

TEST_CASE("IsValidUtf8 and RepairUtf8 agree with a reference on random bytes",
          "[normalize][utf8]") {
  // Bytes drawn from the interesting lead/continuation ranges, so that most
  // strings mix valid and invalid sequences.
  const unsigned char kBytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
                                  0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  testing::Rng rng(20240611);
  std::size_t valid_seen = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    std::string s;
    const std::size_t len = rng.Below(9);
    for (std::size_t i = 0; i < len; ++i) {
      s.push_back(static_cast<char>(kBytes[rng.Below(sizeof(kBytes))]));
    }
    INFO(Hex(s));
    const std::size_t invalid = ReferenceInvalidBytes(s);
    valid_seen += invalid == 0;
    REQUIRE(IsValidUtf8(s) == (invalid == 0));
    std::size_t repaired = 0;
    const std::string r = RepairUtf8(s, &repaired);
    REQUIRE(r == ReferenceRepair(s));
    REQUIRE(repaired == invalid);
    REQUIRE(IsValidUtf8(r));
  }
  CHECK(valid_seen > 100);  // both branches were exercised
}

// ---------------------------------------------------------------------------
// Offsets

TEST_CASE("Normalize: original bytes of every token normalize to that token", "[normalize]") {
  const std::vector<std::string> texts = {
      "The quick brown fox, jumps over the lazy dog!",
      "\u00C7a va? \u00C9lan caf\u00E9-cr\u00E8me, na\u00EFve r\u00E9sum\u00E9",
      "cafe\u0301 NFD and Stra\u00DFe",
      "\u6771\u4EAC\u306F\u65E5\u672C\u306E\u9996\u90FD\u3067\u3059\u3002",
      "Hello\u4E16\u754C \uFB01ne \u00BD \u2474 \uFF34he \u201CQuick\u201D",
      "ab\xFF"
      "cd \xC0\xAF"
      "ef \xED\xA0\x80gh \xF0\x9F\x98",
      "line one\r\nline two\r\n\r\nthird\tline",
      "co\u00ADoperate \uFEFFx\u200Dy \u00AD \u03A3\u0391\u03A3 \u0130",
      "",
      "   ",
  };
  for (const std::string& text : texts) CheckOffsetsRoundTrip(text);
}

TEST_CASE("NormalizedText::ToOriginal maps token boundaries back", "[normalize]") {
  SECTION("ASCII: byte for byte inside tokens, gaps map to the preceding token's end") {
    // "Hello  World" -> "hello world"; World starts at original byte 7.
    const NormalizedText nt = Normalize("Hello  World");
    REQUIRE(nt.text == "hello world");
    CHECK(nt.ToOriginal(0) == 0);
    CHECK(nt.ToOriginal(2) == 2);
    CHECK(nt.ToOriginal(5) == 5);  // the space after "hello"
    CHECK(nt.ToOriginal(6) == 7);
    CHECK(nt.ToOriginal(8) == 9);
    CHECK(nt.ToOriginal(11) == 12);  // end of text = end of "World"
  }
  SECTION("a token whose length changed maps inner offsets to its start") {
    // "cafe\u0301 bar": token "café" is 5 bytes from 6 original bytes.
    const NormalizedText nt = Normalize("cafe\u0301 bar");
    REQUIRE(nt.text == "caf\u00E9 bar");
    CHECK(nt.ToOriginal(0) == 0);
    CHECK(nt.ToOriginal(3) == 0);
    CHECK(nt.ToOriginal(5) == 6);
    CHECK(nt.ToOriginal(6) == 7);
    CHECK(nt.ToOriginal(7) == 8);
    CHECK(nt.ToOriginal(9) == 10);
  }
  SECTION("token starts and ends of mixed texts") {
    for (const std::string& text :
         {std::string("\uFF34he \u201CQuick\u201D\r\nfox"), std::string("\u4E2D\u6587 abc \u00BD"),
          std::string("x\xFFy \u00DF\u00DF z")}) {
      const NormalizedText nt = Normalize(text);
      INFO(Hex(text));
      for (std::size_t i = 0; i < nt.tokens.size(); ++i) {
        const Token& t = nt.tokens[i];
        // Split tokens ("½" -> "1" "2") share a start; the first owns it.
        if (i == 0 || nt.tokens[i - 1].orig_begin != t.orig_begin) {
          CHECK(nt.ToOriginal(t.norm_begin) == t.orig_begin);
        }
        CHECK(nt.ToOriginal(t.norm_end) == t.orig_end);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Robustness

TEST_CASE("Normalize: random byte strings keep every invariant", "[normalize]") {
  // Building blocks: ASCII, valid multi-byte characters chosen to hit every
  // code path (composition, folding, compatibility splits, ignorables,
  // singletons), and raw bytes that are often invalid.
  const std::vector<std::string> pieces = {
      "a",      "Z",      "7",      " ",          "\r\n",       "\t",     ",",      "'",
      "\u00E9", "e",      "\u0301", "\u00DF",     "\u03A3",     "\u03C2", "\u0130", "\uFB01",
      "\u2460", "\u00BD", "\u4E2D", "\u304B",     "\u00AD",     "\u200D", "\uFEFF", "\u00A0",
      "\u201C", "\u2019", "\uFF21", "\U0001F600", "\U0010FFFF", "\uD55C", "\u2474", "\u3099",
      "\uFF76", "\uFF9E", "\u30FB", "\u3192",     "\u3280",
  };
  testing::Rng rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string s;
    const std::size_t n = rng.Below(40);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t kind = rng.Below(10);
      if (kind < 3) {
        s.push_back(static_cast<char>(rng.Below(256)));  // any byte
      } else {
        s += pieces[rng.Below(pieces.size())];
      }
    }
    const NormalizedText nt = Normalize(s);
    CheckStructure(s, nt);
    INFO("input: " << Hex(s));
    REQUIRE(nt.repaired_bytes == ReferenceInvalidBytes(s));
    // Invalid bytes act as separators, exactly like the U+FFFD (a symbol)
    // that RepairUtf8 puts in their place.
    std::size_t unused = 0;
    REQUIRE(Normalize(RepairUtf8(s, &unused)).text == nt.text);
    // Every token's original range holds the token.
    for (std::size_t i = 0; i < nt.tokens.size(); ++i) {
      const Token& t = nt.tokens[i];
      const std::vector<std::string> word =
          Tokens(std::string_view(s).substr(t.orig_begin, t.orig_end - t.orig_begin));
      REQUIRE(std::find(word.begin(), word.end(), nt.TokenText(i)) != word.end());
    }
    // Normalized text is a fixed point.
    REQUIRE(Normalize(nt.text).text == nt.text);
  }
}

// ---------------------------------------------------------------------------
// Regressions. These three failed against lib/normalize/normalize.cc as first
// read (kana ranges were singletons whatever the character's category) and
// pass since the library attaches combining marks to singletons and splits
// singletons out of folded words.

// U+3099/U+309A (COMBINING KATAKANA-HIRAGANA [SEMI-]VOICED SOUND MARK, Mn) lie
// in the Hiragana block; an NFD kana (か + U+3099) was split into two tokens
// instead of composing to が. Same for halfwidth katakana + U+FF9E (NFKC ->
// U+3099).
TEST_CASE("Regression: kana with a combining voiced sound mark stays one token",
          "[normalize][regression]") {
  // が U+304C is canonically equivalent to か U+304B + U+3099.
  CHECK(Normalize("\u304B\u3099").text == "\u304C");
  CHECK(Normalize("\u304B\u3099").text == Normalize("\u304C").text);
  // ぱ U+3071 = は U+306F + U+309A (semi-voiced).
  CHECK(Normalize("\u306F\u309A").text == "\u3071");
  // ｶﾞ (U+FF76 U+FF9E) is NFKC-equivalent to ガ U+30AC.
  CHECK(Normalize("\uFF76\uFF9E").text == "\u30AC");
  // The mark belongs to the token's original range.
  const NormalizedText nt = Normalize("\u304B\u3099\u304B");
  REQUIRE(TokenTexts(nt) == std::vector<std::string>{"\u304C", "\u304B"});
  CHECK(nt.tokens[0].orig_end == 6);
  CHECK(nt.tokens[1].orig_begin == 6);
}

// U+30FB KATAKANA MIDDLE DOT is punctuation (Po) inside the Katakana block; it
// became a token, while its halfwidth form U+FF65 (NFKC -> U+30FB) separated.
TEST_CASE("Regression: katakana middle dot only separates", "[normalize][regression]") {
  const std::vector<std::string> expected = {"\u6771", "\u4EAC", "\u5927", "\u962A"};
  CHECK(Tokens("\u6771\u4EAC\u30FB\u5927\u962A") == expected);  // 東京・大阪
  CHECK(Tokens("\u6771\u4EAC\uFF65\u5927\u962A") == expected);  // 東京･大阪 (halfwidth dot)
}

// A compatibility mapping that yields a Han ideograph inside a word (U+3192
// IDEOGRAPHIC ANNOTATION ONE MARK, category No, NFKC -> 一 U+4E00) was not
// re-split, so the token held Han next to Latin letters and the normalized
// text was not a fixed point of Normalize.
TEST_CASE("Regression: Han from a compatibility mapping becomes its own token",
          "[normalize][regression]") {
  CHECK(Tokens("a\u3192b") == Tokens("a\u4E00b"));
  CHECK(Tokens("a\u3192b") == std::vector<std::string>{"a", "\u4E00", "b"});
  const std::string once = Normalize("a\u3192b").text;
  CHECK(Normalize(once).text == once);
}

// Canonically equivalent texts (same NFD) must normalize identically; the
// oracle is utf8proc's own NFC/NFD, applied to the whole text.
TEST_CASE("Normalize: canonically equivalent random texts give the same tokens", "[normalize]") {
  // Pieces separated by '|': ASCII; combining marks in both orders; Å three
  // ways (U+212B ANGSTROM SIGN); kana with voiced marks; Han and Hangul
  // (syllable and jamo); ignorable, folding and compatibility characters;
  // halfwidth kana, the katakana middle dot and U+3192.
  const std::vector<std::string> pieces = SplitBar(
      "a|E| |.|e\u0301|\u00E9|\u0301|\u0323|\u1E69|s\u0323\u0307|\u00C5|A\u030A|\u212B|"
      "\u304B|\u3099|\u304C|\u306F\u309A|\u30AB|\u4E2D|\uAC00|\u1100\u1161|"
      "\u00AD|\u03A3|\u0130|\uFB01|\u00BD|\uFF76|\uFF9E|\u30FB|\u3192");
  auto convert = [](const std::string& s, bool decompose) {
    utf8proc_uint8_t* out = nullptr;
    const int flags = UTF8PROC_STABLE | (decompose ? UTF8PROC_DECOMPOSE : UTF8PROC_COMPOSE);
    const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                            static_cast<utf8proc_ssize_t>(s.size()), &out,
                                            static_cast<utf8proc_option_t>(flags));
    std::string result =
        n >= 0 ? std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n))
               : std::string();
    std::free(out);
    return result;
  };
  testing::Rng rng(8);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string s;
    const std::size_t n = rng.Below(12);
    for (std::size_t i = 0; i < n; ++i) s += pieces[rng.Below(pieces.size())];
    const std::string nfd = convert(s, true), nfc = convert(s, false);
    INFO("input " << Hex(s) << "\nNFD " << Hex(nfd) << "\nNFC " << Hex(nfc));
    const NormalizedText a = Normalize(s);
    REQUIRE(Normalize(nfd).text == a.text);
    REQUIRE(Normalize(nfc).text == a.text);
    CheckOffsetsRoundTrip(s);
  }
}

// Regression: format characters (Cf) that are not Default_Ignorable, e.g.
// U+0600 ARABIC NUMBER SIGN or U+FFF9 INTERLINEAR ANNOTATION ANCHOR, were
// classified as ignorable, but utf8proc's IGNORE option only strips
// Default_Ignorable code points, so inside a word they stayed in the token
// ("ab\u0600cd" -> one token containing U+0600). They now separate words.
TEST_CASE("Regression: non-ignorable format characters separate words", "[normalize][regression]") {
  for (const std::string& text :
       {std::string("ab\u0600cd"), std::string("ab\uFFF9cd"), std::string("ab\u0600")}) {
    const NormalizedText nt = Normalize(text);
    INFO(Hex(text) << " -> " << Hex(nt.text));
    for (std::size_t i = 0; i < nt.tokens.size(); ++i) CHECK(OnlyWordCharacters(nt.TokenText(i)));
  }
  // Position must not matter: the character is dropped (or separates) alike.
  CHECK(Normalize("ab\u0600").text == Normalize("\u0600ab").text);
}

}  // namespace
}  // namespace neardup
