// The word scanner behind Normalize and NormalizeAndHash (internal): words
// found on the original code points, handed to a sink with their folded bytes
// and original offsets.
#ifndef NEARDUP_NORMALIZE_SCAN_WORDS_H_
#define NEARDUP_NORMALIZE_SCAN_WORDS_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "neardup/normalize.h"
#include "normalize/block_scan.h"
#include "normalize/char_class.h"
#include "normalize/fold.h"
#include "normalize/scan.h"

namespace neardup::internal {

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
  // The buffer is per thread on purpose: ScanWords runs once per document on
  // every thread of the signing pass, and the public Normalize and
  // NormalizeAndHash it serves take no scratch argument that could own it; a
  // string of their own would allocate once per document.
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

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_SCAN_WORDS_H_
