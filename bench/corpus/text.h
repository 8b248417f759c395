// Text basics shared by every stage of gen_planted. Whitespace is ASCII
// whitespace, and every cut or edit happens at ASCII bytes, so UTF-8 sequences
// are never split.
#ifndef NEARDUP_BENCH_CORPUS_TEXT_H_
#define NEARDUP_BENCH_CORPUS_TEXT_H_

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace neardup::gen {

constexpr bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}
constexpr bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
constexpr char AsciiLower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char AsciiUpper(char c) { return IsAsciiLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// `text` without leading and trailing whitespace; a view into `text`.
inline std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// Calls f on each '\n'-separated line (an empty text has one empty line).
template <typename F>
void ForEachLine(std::string_view text, F&& f) {
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t end = std::min(text.find('\n', begin), text.size());
    f(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

// Calls f on each token: a maximal run of non-whitespace bytes.
template <typename F>
void ForEachToken(std::string_view text, F&& f) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t begin = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > begin) f(text.substr(begin, i - begin));
  }
}

inline size_t CountTokens(std::string_view text) {
  size_t count = 0;
  ForEachToken(text, [&](std::string_view) { ++count; });
  return count;
}

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_TEXT_H_
