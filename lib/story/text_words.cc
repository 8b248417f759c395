// The story view's words: normalized tokens hashed, digit runs joined into
// numbers, names (capitalized words) and years told apart.
#include <utf8proc.h>

#include <algorithm>

#include "normalize/token_hash.h"
#include "story/story_text_steps.h"

namespace neardup::internal::story_text {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The first letter of `word` is a capital and some other letter is not
// (Python's word[:1].isupper() and not word.isupper()): "Teixeira", "McCain",
// not "NASA", "I", "teixeira".
bool Capitalized(std::string_view word) {
  if (word.empty()) return false;
  const auto first = static_cast<unsigned char>(word[0]);
  if (first < 0x80 && (first < 'A' || first > 'Z')) return false;  // most words
  bool upper_first = false;
  bool lower = false;
  std::size_t at = 0;
  while (at < word.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(word.data() + at),
                         static_cast<utf8proc_ssize_t>(word.size() - at), &cp);
    if (len <= 0) return false;  // invalid UTF-8: not a name
    const utf8proc_category_t category = utf8proc_category(cp);
    if (at == 0) {
      upper_first = category == UTF8PROC_CATEGORY_LU;
      if (!upper_first) return false;
    } else if (category == UTF8PROC_CATEGORY_LL) {
      lower = true;
      break;
    }
    at += static_cast<std::size_t>(len);
  }
  return upper_first && lower;
}

}  // namespace

void Words(std::string_view original, const NormalizedText& nt, std::vector<Word>* out) {
  std::vector<Word>& words = *out;
  const std::size_t n = nt.tokens.size();
  words.resize(n);  // at most one word per token: filled through a pointer, cut at the end
  Word* w = words.data();
  std::string joined;
  for (std::size_t i = 0; i < n; ++i) {
    const Token& token = nt.tokens[i];
    const std::string_view tok = nt.TokenText(i);
    // Most words start with a letter: one comparison rules a number out.
    if (tok.empty() || static_cast<unsigned char>(tok[0] - '0') > 9 || !AllDigits(tok)) {
      *w++ =
          Word{internal::TokenHash(tok, 0),
               token.orig_begin,
               token.orig_end,
               0,
               false,
               false,
               Capitalized(original.substr(token.orig_begin, token.orig_end - token.orig_begin))};
      continue;
    }
    const std::uint32_t begin = token.orig_begin;
    joined.assign(tok);
    while (i + 1 < n && AllDigits(nt.TokenText(i + 1)) &&
           nt.tokens[i + 1].orig_begin == nt.tokens[i].orig_end + 1 &&
           (original[nt.tokens[i].orig_end] == '.' || original[nt.tokens[i].orig_end] == ',')) {
      joined += original[nt.tokens[i].orig_end];
      joined += nt.TokenText(i + 1);
      ++i;
    }
    const auto digits = static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(
        255,
        std::count_if(joined.begin(), joined.end(), [](char c) { return c >= '0' && c <= '9'; })));
    const bool year = joined.size() == 4 && digits == 4 && (joined[0] == '1' || joined[0] == '2') &&
                      (joined.compare(0, 2, "19") == 0 || joined.compare(0, 2, "20") == 0);
    *w++ = Word{
        internal::TokenHash(joined, 0), begin, nt.tokens[i].orig_end, digits, true, year, false};
  }
  words.resize(static_cast<std::size_t>(w - words.data()));
}

std::vector<std::uint64_t> Numbers(std::span<const Word> words) {
  std::vector<std::uint64_t> numbers;
  for (const Word& w : words) {
    if (w.number && w.digits >= 2 && !w.year) numbers.push_back(w.hash);
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

}  // namespace neardup::internal::story_text
