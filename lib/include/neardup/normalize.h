// Stage "normalize": original bytes -> normalized word tokens -> shingle hashes.
//
// Normalization repairs invalid UTF-8 (each invalid byte becomes U+FFFD and is
// counted), splits the text into words, and folds each word with Unicode NFKC
// and case folding. A word is a maximal run of letters, combining marks and
// digits; everything else (whitespace, punctuation, quotes, symbols, line
// breaks) only separates words. Han ideographs and kana form one-character
// words, since those scripts do not put spaces between words. Every token keeps
// the byte range of the ORIGINAL text it came from.
//
//   NormalizedText nt = Normalize("Ｔhe “Quick”\r\nfox");   // nt.text == "the quick fox"
//   TextSpan s = nt.OriginalSpan(1, 2);                      // bytes of “Quick” without quotes
//   std::vector<std::uint64_t> h;
//   ShingleHashes(nt, ShingleOptions{}, &h);                  // word 5-gram hashes
//
// Signing needs no offsets: NormalizeAndHash gives the same text with each
// token's hash, in one pass, and ShingleHashes takes that too.
//
// All functions are pure and thread-safe.
#ifndef NEARDUP_NORMALIZE_H_
#define NEARDUP_NORMALIZE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "neardup/document.h"

namespace neardup {

struct NormalizeOptions {
  bool nfkc = true;  // Unicode compatibility composition: "ﬁ" -> "fi", "Ｔ" -> "T", "①" -> "1"
  bool case_fold = true;  // Unicode case folding: "Straße" -> "strasse", "ΣΑ" -> "σα"
};

struct Token {
  std::uint32_t norm_begin;  // byte offset of the token in NormalizedText::text
  std::uint32_t norm_end;
  std::uint32_t orig_begin;  // byte range of the word in the original text
  std::uint32_t orig_end;
  bool ascii;  // the word was ASCII: normalized and original bytes correspond one to one
};

struct NormalizedText {
  std::string text;                // tokens joined by single spaces
  std::vector<Token> tokens;       // in text order
  std::size_t repaired_bytes = 0;  // invalid UTF-8 bytes replaced by U+FFFD

  std::string_view TokenText(std::size_t i) const {
    return std::string_view(text).substr(tokens[i].norm_begin,
                                         tokens[i].norm_end - tokens[i].norm_begin);
  }
  // Original byte range covered by tokens [first, last).
  // REQUIRES: first < last <= tokens.size()
  TextSpan OriginalSpan(std::size_t first, std::size_t last) const {
    return TextSpan{tokens[first].orig_begin, tokens[last - 1].orig_end};
  }
  // Maps a byte offset in `text` back to the original text. Offsets inside an
  // ASCII token map byte for byte; inside other tokens they map to the
  // token's original start (never into the middle of a character); offsets in
  // the gap between tokens map to the end of the preceding token.
  std::size_t ToOriginal(std::size_t norm_offset) const;
};

// Normalizes `original` into `*out`, reusing its buffers.
// REQUIRES: original.size() < 4 GiB (offsets are 32-bit).
void Normalize(std::string_view original, const NormalizeOptions& options, NormalizedText* out);
NormalizedText Normalize(std::string_view original, const NormalizeOptions& options = {});

// Returns true when `bytes` is well-formed UTF-8 (no overlongs, surrogates or
// code points above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

// Returns `bytes` with every byte that is not part of a well-formed UTF-8
// sequence replaced by U+FFFD; adds the number of replaced bytes to *repaired.
std::string RepairUtf8(std::string_view bytes, std::size_t* repaired);

// What signing needs of a normalized text, built in one pass over the
// original without writing the text out: token_hashes[i] equals
// HashShingleToken of token i of Normalize(original).
struct HashedText {
  std::vector<std::uint64_t> token_hashes;
  std::uint64_t seed = 0;  // the seed the token hashes were made with
  std::size_t repaired_bytes = 0;
};

// Normalizes `original` into `*out`, reusing its buffers; `seed` is the token
// hash seed (ShingleOptions::seed of the shingles to come).
// REQUIRES: original.size() < 4 GiB.
void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, HashedText* out);

struct ShingleOptions {
  int size =
      5;  // words per shingle; documents shorter than this give one shingle of all their words
  std::uint64_t seed = 0;  // seed of the token hashes and of the shingle multipliers
};

// XXH3-64 hash of one normalized token: the key of word statistics
// (stats.h) and of the story level's words.
std::uint64_t HashToken(std::string_view token, std::uint64_t seed);

// The token hash shingles are made of: XXH3-64, with seed `seed + n`, of the
// token's n bytes zero-padded to 16 when n <= 16 (one branch-free path for
// the short tokens that make up most text, about twice as fast as
// HashToken); XXH3-64 of the token with seed `seed` when longer.
std::uint64_t HashShingleToken(std::string_view token, std::uint64_t seed);

// Appends to *out (after clearing it) the hash of every run of n =
// `options.size` consecutive tokens (n = the number of tokens when fewer):
// with token hashes t (HashShingleToken) and odd multipliers m_len, m[0],
// m[1], ... taken in turn from SplitMix64 started at `options.seed` (each
// value | 1), a run t[i .. i + n) hashes to Avalanche64(n * m_len + sum_j
// m[j] * t[i + j]) mod 2^64, where Avalanche64 is XXH64's final mix. A
// document with no tokens has no shingles. Hashes may repeat.
void ShingleHashes(const NormalizedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out);
// The same shingles from already hashed tokens.
// REQUIRES: text.seed == options.seed
void ShingleHashes(const HashedText& text, const ShingleOptions& options,
                   std::vector<std::uint64_t>* out);

}  // namespace neardup

#endif  // NEARDUP_NORMALIZE_H_
