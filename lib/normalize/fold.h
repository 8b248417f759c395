// Unicode folding of words, and ASCII case folding of a whole text (internal).
//
// Words are found on the ORIGINAL code points and folded one word at a time,
// which is what lets every token carry its original byte range. Folding word
// by word is equivalent to folding the whole text because NFKC composition
// and case folding never cross a separator (whitespace or punctuation are
// starters that do not compose with their neighbours).
#ifndef NEARDUP_NORMALIZE_FOLD_H_
#define NEARDUP_NORMALIZE_FOLD_H_

#include <utf8proc.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "neardup/normalize.h"
#include "normalize/char_class.h"

namespace neardup::internal {

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

// Zero bytes (separators) after the folded text: the block scanner reads 64
// bytes at any position before its end, and TextWriter::AddAscii and
// HashSink::Ascii 16 from a token's start.
inline constexpr std::size_t kFoldedSlack = 64;

// `original` with ASCII A-Z lower-cased when `lower` (other bytes
// unchanged), in *out, followed by kFoldedSlack zero bytes.
void FoldAsciiCase(std::string_view original, bool lower, std::string* out);

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_FOLD_H_
