// Sentence segmentation over original bytes (SegmentSentences in align.h).
//
// Two passes. Lines are grouped into blocks: a block starts a paragraph or a
// list item, and ends at a blank line, before a list item, or after a line
// that looks like a heading (no final punctuation and short next to the
// paragraph's longest line: hard-wrapped prose fills its lines, headings do
// not). Each block is then cut at sentence-final marks.
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <span>
#include <string>

#include "align/text_scan.h"
#include "core/utf8.h"
#include "neardup/align.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace neardup {
namespace internal {

std::size_t SpaceLength(std::string_view text, std::size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return 1;
  if (c < 0xC2) return 0;
  auto at = [&](std::size_t i) {
    return pos + i < text.size() ? static_cast<unsigned char>(text[pos + i]) : 0u;
  };
  if (c == 0xC2 && at(1) == 0xA0) return 2;  // U+00A0 no-break space
  if (c == 0xE2 && at(1) == 0x80) {
    const unsigned d = at(2);
    if ((d >= 0x80 && d <= 0x8A) || d == 0xA8 || d == 0xA9 || d == 0xAF) return 3;
  }
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;  // U+3000 ideographic space
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;  // BOM
  return 0;
}

void TrimSpaces(std::string_view text, std::size_t* begin, std::size_t* end) {
  while (*begin < *end) {
    const std::size_t n = SpaceLength(text, *begin);
    if (n == 0 || *begin + n > *end) break;
    *begin += n;
  }
  while (*end > *begin) {
    std::size_t trimmed = 0;
    for (std::size_t k = 1; k <= 3 && k <= *end - *begin; ++k) {
      if (SpaceLength(text, *end - k) == k) {
        trimmed = k;
        break;
      }
    }
    if (trimmed == 0) break;
    *end -= trimmed;
  }
}

}  // namespace internal

namespace {

using internal::DecodeUtf8;
using internal::SpaceLength;

struct Line {
  std::size_t begin;    // trimmed content
  std::size_t end;      //
  std::size_t content;  // where the sentence starts: after a bullet, at an enumerator
  std::size_t scan;     // where sentence marks count: after the marker
  bool blank;
  bool list_item;
  bool punctuated;  // ends with . ! ? … ; : (before closing quotes and brackets)
  bool colon;       // ends with ':'
};

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Every multi-byte quote, bullet and ellipsis below starts with one of these
// two UTF-8 lead bytes (U+00xx: C2, U+20xx and U+25xx: E2).
bool MultiByteMarkLead(char c) { return c == '\xC2' || c == '\xE2'; }

// Closing quote or bracket at text[pos]: its length, else 0.
std::size_t CloserLength(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (c == '"' || c == '\'' || c == ')' || c == ']') return 1;
  if (!MultiByteMarkLead(c)) return 0;  // most bytes: no memcmp below
  const std::string_view rest = text.substr(pos);
  for (std::string_view q : {"\u201D", "\u2019", "\u00BB", "\u203A"}) {  // ” ’ » ›
    if (rest.starts_with(q)) return q.size();
  }
  return 0;
}

// Opening quote or bracket at text[pos]: its length, else 0.
std::size_t OpenerLength(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (c == '"' || c == '\'' || c == '(' || c == '[') return 1;
  if (!MultiByteMarkLead(c)) return 0;
  const std::string_view rest = text.substr(pos);
  for (std::string_view q : {"\u201C", "\u2018", "\u00AB", "\u2039", "\u201E"}) {  // “ ‘ « ‹ „
    if (rest.starts_with(q)) return q.size();
  }
  return 0;
}

// Sentence-final mark at text[pos] (. ! ? …): its length, else 0.
std::size_t TerminatorLength(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (c == '.' || c == '!' || c == '?') return 1;
  if (text.substr(pos).starts_with("\u2026")) return 3;  // …
  return 0;
}

// The first position in [pos, end) where a sentence-final mark may start
// (. ! ? or the lead byte of …), else `end`. Most bytes are none of these:
// with SSE2, 16 bytes are ruled out at a time; a table lookup per byte does
// the rest (and everything without SSE2).
std::size_t NextTerminatorCandidate(std::string_view text, std::size_t pos, std::size_t end) {
#if defined(__SSE2__)
  const __m128i dot = _mm_set1_epi8('.');
  const __m128i exclamation = _mm_set1_epi8('!');
  const __m128i question = _mm_set1_epi8('?');
  const __m128i ellipsis_lead = _mm_set1_epi8('\xE2');
  for (; pos + 16 <= end; pos += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, dot), _mm_cmpeq_epi8(block, exclamation)),
        _mm_or_si128(_mm_cmpeq_epi8(block, question), _mm_cmpeq_epi8(block, ellipsis_lead)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return pos + static_cast<std::size_t>(std::countr_zero(mask));
  }
#endif
  static constexpr std::array<bool, 256> kCandidate = [] {
    std::array<bool, 256> table{};
    for (char c : {'.', '!', '?', '\xE2'}) table[static_cast<unsigned char>(c)] = true;
    return table;
  }();
  while (pos < end && !kCandidate[static_cast<unsigned char>(text[pos])]) ++pos;
  return pos;
}

// The end of the line starting at `pos`: the first '\n' or '\r', else the text's end.
std::size_t LineEnd(std::string_view text, std::size_t pos) {
  // memchr for '\n', then for a rarer '\r' before it: two vectorized scans
  // instead of one byte-by-byte loop.
  const char* begin = text.data() + pos;
  const std::size_t rest = text.size() - pos;
  const void* newline = std::memchr(begin, '\n', rest);
  auto offset = [begin](const void* found) {
    return static_cast<std::size_t>(static_cast<const char*>(found) - begin);
  };
  const std::size_t line = newline ? offset(newline) : rest;
  const void* cr = std::memchr(begin, '\r', line);
  return pos + (cr ? offset(cr) : line);
}

bool IsLowercaseAt(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (static_cast<unsigned char>(c) < 0x80) return c >= 'a' && c <= 'z';
  const internal::DecodedChar d = DecodeUtf8(text, pos);
  if (!d.valid) return false;
  return utf8proc_category(static_cast<utf8proc_int32_t>(d.code_point)) == UTF8PROC_CATEGORY_LL;
}

// Length of a list marker plus the whitespace after it at the start of a
// trimmed line [pos, end), or 0.
std::size_t ListMarkerLength(std::string_view text, std::size_t pos, std::size_t end) {
  auto followed_by_space = [&](std::size_t n) -> std::size_t {
    if (pos + n >= end) return 0;  // a marker with nothing after it is not a list item
    std::size_t m = n;
    while (pos + m < end) {
      const std::size_t s = SpaceLength(text, pos + m);
      if (s == 0) break;
      m += s;
    }
    return m > n ? m : 0;
  };
  const std::string_view rest = text.substr(pos, end - pos);
  const char first = rest.empty() ? '\0' : rest[0];
  const bool bullet_lead = first == '-' || first == '*' || first == '+' || MultiByteMarkLead(first);
  for (std::string_view bullet : {"-", "*", "+", "\u2022", "\u00B7", "\u2013", "\u2023", "\u25AA",
                                  "\u25E6", "\u25CF"}) {  // • · – ‣ ▪ ◦ ●
    if (bullet_lead && rest.starts_with(bullet)) return followed_by_space(bullet.size());
  }
  // 1. 12) 3.
  std::size_t i = 0;
  while (i < rest.size() && i < 4 && IsAsciiDigit(rest[i])) ++i;
  if (i >= 1 && i <= 3 && i < rest.size() && (rest[i] == '.' || rest[i] == ')')) {
    return followed_by_space(i + 1);
  }
  // a) b. (c) (iv) (2)
  if (rest.size() >= 2 && IsAsciiAlpha(rest[0]) && rest[1] == ')') return followed_by_space(2);
  if (rest.size() >= 2 && rest[0] >= 'a' && rest[0] <= 'z' && rest[1] == '.') {
    return followed_by_space(2);
  }
  if (rest.size() >= 3 && rest[0] == '(') {
    std::size_t j = 1;
    while (j < rest.size() && j < 6 && (IsAsciiDigit(rest[j]) || IsAsciiAlpha(rest[j]))) ++j;
    const std::string_view inner = rest.substr(1, j - 1);
    const bool roman = inner.find_first_not_of("ivxIVX") == std::string_view::npos;
    const bool digits = inner.find_first_not_of("0123456789") == std::string_view::npos;
    if (j < rest.size() && rest[j] == ')' && !inner.empty() &&
        (inner.size() == 1 || roman || digits)) {
      return followed_by_space(j + 1);
    }
  }
  return 0;
}

// Never the end of a sentence, whatever follows (titles, Latin abbreviations).
constexpr std::array<std::string_view, 38> kTitles = {
    "mr",   "mrs",  "ms",  "mx",     "dr",  "prof",   "gen", "col", "lt",   "sgt",
    "capt", "cmdr", "adm", "gov",    "sen", "rep",    "rev", "hon", "pres", "supt",
    "det",  "insp", "mt",  "ft",     "st",  "messrs", "mme", "e.g", "i.e",  "cf",
    "vs",   "viz",  "al",  "approx", "ca",  "dept",   "esp", "mlle"};
// Not the end of a sentence when a number follows ("No. 5", "Jan. 12", "p. 4").
constexpr std::array<std::string_view, 22> kBeforeNumbers = {
    "no",  "nos", "vol", "fig", "p",   "pp",  "ch",   "sec", "art", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "op"};

template <std::size_t N>
constexpr std::size_t Longest(const std::array<std::string_view, N>& list) {
  std::size_t longest = 0;
  for (std::string_view w : list) longest = std::max(longest, w.size());
  return longest;
}
constexpr std::size_t kLongestListed = std::max(Longest(kTitles), Longest(kBeforeNumbers));

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// True when the '.' at text[dot] ends an abbreviation or an initial rather
// than a sentence; `next` is the first byte of the following word.
bool IsAbbreviation(std::string_view text, std::size_t block_begin, std::size_t dot,
                    std::size_t next) {
  // Back to the word's start: past bytes that neither space nor open a quote
  // or bracket (an ASCII byte decides that alone).
  const auto word_byte = [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
               c == '"' || c == '\'' || c == '(' || c == '[');
    }
    return SpaceLength(text, i) == 0 && OpenerLength(text, i) == 0;
  };
  std::size_t w = dot;
  while (w > block_begin && word_byte(w - 1)) --w;
  if (w == dot) return false;
  // Only a word as short as the longest listed one can be listed.
  if (dot - w <= kLongestListed) {
    char lower[kLongestListed];
    for (std::size_t i = w; i < dot; ++i) lower[i - w] = AsciiLower(text[i]);
    const std::string_view word(lower, dot - w);
    if (Contains(kTitles, word)) return true;
    if (Contains(kBeforeNumbers, word) && IsAsciiDigit(text[next])) return true;
  }
  // A single initial ("J. Smith") or dotted capitals ("U.S.", "U.K."): letters
  // alternating with dots, upper case in the original.
  bool initials = true;
  for (std::size_t i = w; i < dot; ++i) {
    const bool letter_slot = (i - w) % 2 == 0;
    if (letter_slot ? !(text[i] >= 'A' && text[i] <= 'Z') : text[i] != '.') initials = false;
  }
  if (initials && (dot - w) % 2 == 1) return true;
  if (dot - w == 1 && !IsAsciiAlpha(text[w])) {
    // A single non-ASCII upper-case letter is an initial too ("Ö. Yilmaz").
    return false;
  }
  if (dot > w) {
    const internal::DecodedChar d = DecodeUtf8(text, w);
    if (d.valid && d.length == dot - w && d.code_point >= 0x80 &&
        utf8proc_category(static_cast<utf8proc_int32_t>(d.code_point)) == UTF8PROC_CATEGORY_LU) {
      return true;
    }
  }
  return false;
}

SentenceKind BlockKind(const Line& first, bool single_line, bool heading_like) {
  if (first.list_item) return SentenceKind::kListItem;
  if (single_line && heading_like) return SentenceKind::kHeading;
  return SentenceKind::kSentence;
}

// Cuts the block [begin, end) at sentence-final marks from `scan` on, appending to *out.
void SplitBlock(std::string_view text, std::size_t begin, std::size_t scan, std::size_t end,
                std::uint32_t paragraph, SentenceKind kind, std::vector<Sentence>* out) {
  std::size_t start = begin;
  auto emit = [&](std::size_t b, std::size_t e) {
    internal::TrimSpaces(text, &b, &e);
    if (b < e) out->push_back(Sentence{b, e, paragraph, kind});
  };
  std::size_t i = scan;
  while ((i = NextTerminatorCandidate(text, i, end)) < end) {
    const std::size_t t = TerminatorLength(text, i);
    if (t == 0) {
      ++i;
      continue;
    }
    const bool single_period = text[i] == '.';
    std::size_t j = i + t;
    bool run = false;
    while (j < end) {
      const std::size_t more = TerminatorLength(text, j);
      if (more == 0) break;
      j += more;
      run = true;
    }
    bool closed = false;
    while (j < end) {
      const std::size_t c = CloserLength(text, j);
      if (c == 0) break;
      j += c;
      closed = true;
    }
    if (j >= end || SpaceLength(text, j) == 0) {  // "3.5", "U.S", "e.g.," or the block's end
      i = j;
      continue;
    }
    std::size_t k = j;
    while (k < end) {
      const std::size_t s = SpaceLength(text, k);
      if (s == 0) break;
      k += s;
    }
    std::size_t m = k;
    while (m < end) {
      const std::size_t o = OpenerLength(text, m);
      if (o == 0) break;
      m += o;
    }
    if (k >= end || m >= end || IsLowercaseAt(text, m) ||
        (single_period && !run && !closed && IsAbbreviation(text, begin, i, m))) {
      i = j;
      continue;
    }
    emit(start, j);
    start = k;
    i = k;
  }
  emit(start, end);
}

// The line text[pos, eol) classified for segmentation.
Line ScanLine(std::string_view text, std::size_t pos, std::size_t eol) {
  Line line{pos, eol, pos, pos, false, false, false, false};
  internal::TrimSpaces(text, &line.begin, &line.end);
  line.blank = line.begin == line.end;
  if (!line.blank) {
    line.content = line.begin + ListMarkerLength(text, line.begin, line.end);
    line.list_item = line.content > line.begin;
    line.scan = line.content;
    // An enumerator ("1.", "(c)") holds a word, so it stays in the sentence; a bullet does not.
    const char first = text[line.begin];
    if (IsAsciiDigit(first) || IsAsciiAlpha(first) || first == '(') line.content = line.begin;
    std::size_t last = line.end;
    while (last > line.begin) {  // step back over closing quotes and brackets
      std::size_t c = 0;
      for (std::size_t n = 1; n <= 3 && n <= last - line.begin; ++n) {
        if (CloserLength(text, last - n) == n) c = n;
      }
      if (c == 0) break;
      last -= c;
    }
    if (last > line.begin) {
      const char c = text[last - 1];
      line.colon = c == ':';
      line.punctuated = c == '.' || c == '!' || c == '?' || c == ';' || c == ':' ||
                        (last - line.begin >= 3 && text.substr(last - 3, 3) == "\u2026");
    }
  }
  return line;
}

// The sentences of the paragraph of lines [i, p) (none blank; `longest`
// bytes in its longest line), numbered `paragraph`, appended to *out.
void SegmentParagraph(std::string_view text, std::span<Line> lines, std::size_t i, std::size_t p,
                      std::size_t longest, std::uint32_t paragraph,
                      std::vector<Sentence>* out_sentences) {
  std::vector<Sentence>& out = *out_sentences;
  auto heading_like = [&](const Line& l) {
    const std::size_t len = l.end - l.begin;
    if (l.colon) return len <= 80;
    return !l.punctuated && (len * 5 < longest * 3 || longest < 50 || p - i == 1);
  };
  // An enumerator inside a paragraph starts a list item only after a list
  // item or a line ending in ':' ("on Sept.\n29. Under ..." is wrapped text).
  for (std::size_t k = i + 1; k < p; ++k) {
    Line& l = lines[k];
    const char first = text[l.begin];
    if (l.list_item && (IsAsciiDigit(first) || IsAsciiAlpha(first) || first == '(') &&
        !lines[k - 1].list_item && !lines[k - 1].colon) {
      l.list_item = false;
      l.scan = l.content = l.begin;
    }
  }
  std::size_t b = i;
  while (b < p) {
    std::size_t e = b;  // the block: lines b .. e
    while (e + 1 < p && !lines[e + 1].list_item && !heading_like(lines[e])) ++e;
    const bool single = e == b;
    const SentenceKind kind =
        BlockKind(lines[b], single, heading_like(lines[b]) && lines[b].end - lines[b].begin <= 160);
    SplitBlock(text, lines[b].content, lines[b].scan, lines[e].end, paragraph, kind, &out);
    b = e + 1;
  }
}

}  // namespace

const char* SentenceKindName(SentenceKind kind) {
  switch (kind) {
    case SentenceKind::kSentence:
      return "sentence";
    case SentenceKind::kHeading:
      return "heading";
    case SentenceKind::kListItem:
      return "list item";
  }
  return "sentence";
}

std::vector<Sentence> SegmentSentences(std::string_view text) {
  // Per thread and reused: the story level segments every document, on
  // every thread. A leaf of the public API with no natural owner for the
  // buffer: SegmentSentences returns only its sentences, and its callers
  // (the story level, passage alignment, cluster diffs) hold no scratch to
  // lend it, so a thread_local saves an allocation per document without
  // widening the API. The lines of a huge text are let go after it.
  constexpr std::size_t kKeepLines = std::size_t{1} << 12;
  thread_local std::vector<Line> lines;
  lines.clear();
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t eol = LineEnd(text, pos);
    lines.push_back(ScanLine(text, pos, eol));
    pos = eol;
    if (pos < text.size() && text[pos] == '\r') {
      ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
    } else if (pos < text.size()) {
      ++pos;  // '\n'
    }
  }

  std::vector<Sentence> out;
  std::uint32_t paragraph = 0;
  bool seen_content = false;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].blank) {
      ++i;
      continue;
    }
    // The paragraph: lines i .. p-1.
    std::size_t p = i;
    std::size_t longest = 0;
    while (p < lines.size() && !lines[p].blank) {
      longest = std::max(longest, lines[p].end - lines[p].begin);
      ++p;
    }
    if (seen_content) ++paragraph;
    seen_content = true;
    SegmentParagraph(text, lines, i, p, longest, paragraph, &out);
    i = p;
  }
  if (lines.capacity() > kKeepLines) std::vector<Line>().swap(lines);
  return out;
}

}  // namespace neardup
