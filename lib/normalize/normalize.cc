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
#include <bit>
#include <cstdlib>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/utf8.h"
#include "normalize/scan.h"
#include "normalize/token_hash.h"

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

// Folds the non-ASCII word original[begin, end) with utf8proc and calls
// on_piece for every piece of the result. Compatibility mappings can produce
// separators ("½" -> "1⁄2") and ideographs ("㊀" -> "一"), so the folded word
// is split again.
// REQUIRES: original[begin, end) is valid UTF-8.
template <class OnPiece>
void FoldWord(std::string_view original, std::size_t begin, std::size_t end,
              const NormalizeOptions& options, OnPiece&& on_piece) {
  int flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_IGNORE;
  if (options.nfkc) flags |= UTF8PROC_COMPAT;
  if (options.case_fold) flags |= UTF8PROC_CASEFOLD;
  utf8proc_uint8_t* folded = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(original.data() + begin),
      static_cast<utf8proc_ssize_t>(end - begin), &folded, static_cast<utf8proc_option_t>(flags));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(folded, &std::free);
  if (n <= 0) return;  // only ignorable characters, or (never for valid input) an error
  const std::string_view f(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
  const auto piece = [&](std::size_t b, std::size_t e) {
    if (b < e) on_piece(f.substr(b, e - b));
  };
  std::size_t piece_begin = 0;
  for (std::size_t pos = 0; pos < f.size();) {
    const DecodedChar c = DecodeUtf8(f, pos);
    const unsigned char b = static_cast<unsigned char>(f[pos]);
    const CharClass cls = b < 0x80 ? kAsciiClass[b] : ClassifyNonAscii(c.code_point);
    if (cls == CharClass::kSeparator) {
      piece(piece_begin, pos);
      piece_begin = pos + c.length;
    } else if (cls == CharClass::kSingleton) {
      piece(piece_begin, pos);
      const std::size_t after = SkipMarks(f, pos + c.length);
      piece(pos, after);
      piece_begin = after;
      pos = after;
      continue;
    }
    pos += c.length;
  }
  piece(piece_begin, f.size());
}

#if defined(__SSE2__)
constexpr bool kHaveBlockScanner = true;

__m128i Load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// Bytes in [lo, hi] (signed compare: bytes >= 0x80 are never in an ASCII range).
__m128i InRange(__m128i v, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

// The 64 bytes at p, classified: bit i of `word` is set when byte i is an
// ASCII letter or digit, bit i of `high` when it is not ASCII.
struct BlockMasks {
  std::uint64_t word;
  std::uint64_t high;
};

BlockMasks Classify64(const char* p) {
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
constexpr bool kHaveBlockScanner = false;
#endif

// Bytes writable past the end of the normalized text: ASCII words of up to
// 16 bytes move with one 16-byte store (TextWriter).
constexpr std::size_t kSlack = 16;
// Zero bytes (separators) after the folded text: the block scanner reads 64
// bytes at any position before its end, and TextWriter::AddAscii and
// HashSink::Ascii 16 from a token's start.
constexpr std::size_t kFoldedSlack = 64;

// `original` with ASCII A-Z lower-cased when `lower` (other bytes
// unchanged), in *out, followed by kFoldedSlack zero bytes.
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

// Finds the words of `original` and hands them to `sink` in order:
// sink.Ascii(folded, begin, end) for an ASCII word original[begin, end)
// (`folded` is its case-folded bytes), sink.Piece(folded, begin, end) for
// each piece of a folded non-ASCII word. Returns the number of invalid UTF-8
// bytes (each one separates words, like the U+FFFD it stands for).
// One piece on purpose: the 64-byte block scanner and the scalar step hand
// an open word to each other at every non-ASCII byte (in_word, word_begin,
// word_ascii, shared with flush). Split into functions, that state would go
// through an object on every word of the signing pass's hottest loop; a
// split is a change to measure first (docs/PERFORMANCE.md), not a move.
template <class Sink>
std::size_t ScanWords(std::string_view original, const NormalizeOptions& options,
                      internal::ScanKernel kernel, Sink& sink) {
  // Case folding of ASCII words is lower-casing, done for the whole text at once.
  thread_local std::string folded_buffer;
  FoldAsciiCase(original, options.case_fold, &folded_buffer);
  const std::string_view ascii_folded(folded_buffer.data(), original.size());

  std::size_t repaired = 0;
  std::size_t word_begin = 0;  // start of the current word; valid when in_word
  bool in_word = false;
  bool word_ascii = true;
  const auto flush = [&](std::size_t end) {
    if (!in_word) return;
    if (word_ascii) {
      // Followed by kFoldedSlack readable bytes.
      sink.Ascii(ascii_folded.substr(word_begin, end - word_begin), word_begin, end);
    } else {
      const std::size_t begin = word_begin;
      FoldWord(original, begin, end, options,
               [&](std::string_view piece) { sink.Piece(piece, begin, end); });
    }
    in_word = false;
  };
  // One character at original[pos]; returns the position after it.
  const auto step = [&](std::size_t pos) -> std::size_t {
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
      return pos + 1;
    }
    const DecodedChar c = DecodeUtf8(original, pos);
    if (!c.valid) ++repaired;
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
        FoldWord(original, pos, end, options,
                 [&](std::string_view piece) { sink.Piece(piece, pos, end); });
        return end;
      }
      case CharClass::kSeparator:
        flush(pos);
        break;
    }
    return pos + c.length;
  };

  const std::size_t n = original.size();
  std::size_t pos = 0;
#if defined(__SSE2__)
  if (kernel == internal::ScanKernel::kAuto) {
    // 64 bytes at a time up to the next non-ASCII byte, which takes one
    // scalar step. The folded text is followed by kFoldedSlack zero bytes
    // (separators), so every position before its end can load 64.
    const char* folded = folded_buffer.data();
    while (pos < n) {
      const BlockMasks m = Classify64(folded + pos);
      const std::size_t avail = n - pos;
      const std::uint64_t in_text =
          avail >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << avail) - 1;
      const std::uint64_t high = m.high & in_text;
      const auto k = static_cast<unsigned>(
          high != 0 ? std::countr_zero(high) : static_cast<int>(std::min<std::size_t>(avail, 64)));
      if (k == 0) {
        pos = step(pos);
        continue;
      }
      // The first k bytes are ASCII. Bit i of `starts` is a word byte after
      // a non-word byte, bit i of `ends` the reverse: starts and ends
      // alternate, after the end of a word already open.
      const std::uint64_t keep = k == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1;
      const std::uint64_t word = m.word & keep;
      const std::uint64_t before = (word << 1) | (in_word ? 1u : 0u);
      std::uint64_t starts = word & ~before;
      std::uint64_t ends = ~word & before & keep;
      if (in_word && ends != 0) {
        flush(pos + static_cast<std::size_t>(std::countr_zero(ends)));
        ends &= ends - 1;
      }
      for (; ends != 0; ends &= ends - 1, starts &= starts - 1) {
        const std::size_t begin = pos + static_cast<std::size_t>(std::countr_zero(starts));
        const std::size_t end = pos + static_cast<std::size_t>(std::countr_zero(ends));
        sink.Ascii(ascii_folded.substr(begin, end - begin), begin, end);
      }
      if (starts != 0) {  // a word runs on past these k bytes
        in_word = true;
        word_ascii = true;
        word_begin = pos + static_cast<std::size_t>(std::countr_zero(starts));
      }
      pos += k;
    }
  }
#else
  (void)kernel;
#endif
  while (pos < n) pos = step(pos);
  flush(n);
  return repaired;
}

// Appends tokens to a text, separated by single spaces. Writes through a
// pointer into a buffer kept kSlack bytes longer than the text, and shrinks
// the string to the text in its destructor.
class TextWriter {
 public:
  TextWriter(std::string* text, std::size_t expected) : text_(text) {
    text_->resize(expected + kSlack);
  }
  ~TextWriter() { text_->resize(size_); }
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;

  // Appends `token`; returns its offset in the text.
  // REQUIRES: kSlack bytes past the end of `token` are readable.
  std::size_t AddAscii(std::string_view token) {
    char* at = Start(token.size());
#if defined(__SSE2__)
    if (token.size() <= 16) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(at), Load16(token.data()));
      return Finish(token.size());
    }
#endif
    std::memcpy(at, token.data(), token.size());
    return Finish(token.size());
  }
  std::size_t Add(std::string_view token) {
    char* at = Start(token.size());
    std::memcpy(at, token.data(), token.size());
    return Finish(token.size());
  }

 private:
  // Room for a space, the token and kSlack; returns where the token goes.
  char* Start(std::size_t token_size) {
    const std::size_t need = size_ + 1 + token_size + kSlack;
    if (need > text_->size()) text_->resize(std::max(need, 2 * text_->size()));
    char* p = text_->data();
    if (size_ != 0) p[size_++] = ' ';
    return p + size_;
  }
  std::size_t Finish(std::size_t token_size) {
    const std::size_t offset = size_;
    size_ += token_size;
    return offset;
  }

  std::string* text_;
  std::size_t size_ = 0;
};

// Builds a NormalizedText: the text and every token's offsets.
class TokenSink {
 public:
  TokenSink(NormalizedText* out, std::size_t expected) : out_(out), writer_(&out->text, expected) {}
  void Ascii(std::string_view folded, std::size_t begin, std::size_t end) {
    AddToken(writer_.AddAscii(folded), folded.size(), begin, end, /*ascii=*/true);
  }
  void Piece(std::string_view folded, std::size_t begin, std::size_t end) {
    AddToken(writer_.Add(folded), folded.size(), begin, end, /*ascii=*/false);
  }

 private:
  void AddToken(std::size_t at, std::size_t size, std::size_t begin, std::size_t end, bool ascii) {
    out_->tokens.push_back(
        Token{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + size),
              static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), ascii});
  }
  NormalizedText* out_;
  TextWriter writer_;
};

// Builds a HashedText: every token's hash.
class HashSink {
 public:
  explicit HashSink(HashedText* out) : out_(out) {}
  // An ASCII word is followed by kFoldedSlack readable bytes.
  NEARDUP_HASH_INLINE void Ascii(std::string_view folded, std::size_t, std::size_t) {
    out_->token_hashes.push_back(
        internal::ShingleTokenHashPadded(folded.data(), folded.size(), out_->seed));
  }
  void Piece(std::string_view folded, std::size_t, std::size_t) {
    out_->token_hashes.push_back(internal::ShingleTokenHash(folded, out_->seed));
  }

 private:
  HashedText* out_;
};

}  // namespace

namespace internal {

bool HaveBlockScanner() { return kHaveBlockScanner; }

void Normalize(std::string_view original, const NormalizeOptions& options, ScanKernel kernel,
               NormalizedText* out) {
  out->tokens.clear();
  TokenSink sink(out, original.size());
  out->repaired_bytes = ScanWords(original, options, kernel, sink);
}

void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, ScanKernel kernel, HashedText* out) {
  out->token_hashes.clear();
  out->seed = seed;
  HashSink sink(out);
  out->repaired_bytes = ScanWords(original, options, kernel, sink);
}

}  // namespace internal

void Normalize(std::string_view original, const NormalizeOptions& options, NormalizedText* out) {
  internal::Normalize(original, options, internal::ScanKernel::kAuto, out);
}

void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, HashedText* out) {
  internal::NormalizeAndHash(original, options, seed, internal::ScanKernel::kAuto, out);
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
