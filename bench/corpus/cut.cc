#include "cut.h"

#include <algorithm>
#include <cmath>

#include "text.h"

namespace neardup::gen {
namespace {

// Document lengths: lognormal with this median and sigma (mean ~3.5 KB).
constexpr size_t kMinDocBytes = 300;
constexpr size_t kMaxDocBytes = 60000;
constexpr double kMedianDocBytes = 2500;
constexpr double kDocLengthSigma = 0.82;

// Recombined prose is made of pieces of about this size from random places,
// never fewer than kMinPieces so that no piece is a large share of a document.
constexpr size_t kPieceBytes = 800;
constexpr size_t kMinPieces = 4;
constexpr size_t kMaxPieces = 16;

bool IsArticleBreak(std::string_view text, size_t i) {
  return text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n';
}

bool IsParagraphBreak(std::string_view text, size_t i) { return text[i] == '\n'; }

// Where a piece meant to end near `ideal` should end: at the nearest article
// end, else paragraph break, within `slack` of it, else at the nearest sentence
// end, else at the nearest space, within [lo, hi]; the text's end if `ideal`
// is past it.
size_t FindCut(std::string_view text, size_t lo, size_t ideal, size_t hi, size_t slack) {
  if (ideal >= text.size()) return text.size();
  const size_t near_lo = std::max(lo, ideal > slack ? ideal - slack : 0);
  const size_t near_hi = std::min(hi, ideal + slack);
  for (BreakTest test : {IsArticleBreak, IsParagraphBreak}) {
    if (auto cut = NearestBreak(text, near_lo, ideal, near_hi, test)) {
      return *cut;
    }
  }
  for (BreakTest test : {IsSentenceBreak, IsWordBreak}) {
    if (auto cut = NearestBreak(text, lo, ideal, hi, test)) return *cut;
  }
  // Prose without spaces: cut inside a word, but not inside a character.
  size_t cut = std::min(hi, text.size());
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

// The first sentence start at or after `pos`, or 0 if none follows.
size_t NextSentenceStart(std::string_view text, size_t pos) {
  for (size_t i = pos; i < text.size(); ++i) {
    if (i == 0 || IsSentenceBreak(text, i - 1)) return i;
  }
  return 0;
}

}  // namespace

bool IsWordBreak(std::string_view text, size_t i) { return IsSpace(text[i]); }

// The capital, digit or opening quote after the space keeps "e.g. the" from
// ending a sentence.
bool IsSentenceBreak(std::string_view text, size_t i) {
  if (text[i] == '\n') return true;
  if (text[i] != ' ' || i < 2 || i + 1 >= text.size()) return false;
  size_t end = i - 1;
  if (text[end] == '"' || text[end] == '\'' || text[end] == ')') --end;
  if (text[end] != '.' && text[end] != '?' && text[end] != '!') return false;
  const char next = text[i + 1];
  return IsAsciiUpper(next) || IsAsciiDigit(next) || next == '"' || next == '(';
}

// Searches outwards from `ideal`, trying the later byte first at each
// distance.
std::optional<size_t> NearestBreak(std::string_view text, size_t lo, size_t ideal, size_t hi,
                                   BreakTest test) {
  if (text.empty()) return std::nullopt;
  hi = std::min(hi, text.size() - 1);
  if (lo > hi) return std::nullopt;
  ideal = std::clamp(ideal, lo, hi);
  for (size_t d = 0; ideal + d <= hi || ideal >= lo + d; ++d) {
    if (ideal + d <= hi && test(text, ideal + d)) return ideal + d;
    if (ideal >= lo + d && test(text, ideal - d)) return ideal - d;
  }
  return std::nullopt;
}

std::vector<std::string_view> SplitSentences(std::string_view text) {
  std::vector<std::string_view> sentences;
  size_t begin = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsSentenceBreak(text, i)) {
      sentences.push_back(text.substr(begin, i + 1 - begin));
      begin = i + 1;
    }
  }
  if (begin < text.size()) sentences.push_back(text.substr(begin));
  return sentences;
}

std::string_view SpanText(std::string_view prose, const Span& span) {
  return Trim(prose.substr(span.begin, span.end - span.begin));
}

// The normal deviate is an Irwin-Hall sum of 12 uniforms (tails end at 6
// sigma) rather than Box-Muller's log and cos, which libm may round
// differently on another platform; PortableExp likewise.
size_t SampleDocLength(Rng& rng) {
  double z = -6;
  for (int i = 0; i < 12; ++i) z += rng.Unit();
  const double length = kMedianDocBytes * PortableExp(kDocLengthSigma * z);
  return std::clamp<size_t>(static_cast<size_t>(std::lround(length)), kMinDocBytes, kMaxDocBytes);
}

// The prose is cut as one stream, so that article ends do not skew the
// lengths; a document ends with its article when that end is near.
std::vector<Span> CutBaseDocuments(std::string_view prose, Rng& rng) {
  std::vector<Span> spans;
  size_t begin = 0;
  while (prose.size() - begin >= kMinDocBytes) {
    const size_t length = SampleDocLength(rng);
    size_t end =
        FindCut(prose, begin + kMinDocBytes, begin + length, begin + kMaxDocBytes, length / 2);
    // A tail too short to stand alone joins this document.
    if (prose.size() - end < kMinDocBytes && prose.size() - begin <= kMaxDocBytes) {
      end = prose.size();
    }
    spans.push_back({begin, end});
    begin = end;
    while (begin < prose.size() && IsSpace(prose[begin])) ++begin;
  }
  return spans;
}

std::string RecombinedProse(std::string_view prose, Rng& rng, size_t target) {
  const size_t pieces = std::clamp(target / kPieceBytes, kMinPieces, kMaxPieces);
  std::string text;
  // Each piece aims at an equal share of the bytes still missing, so that
  // pieces cut long or short at sentence ends even out, and none may grow
  // past 1.5 times its share (or a short document's length); more pieces
  // follow only while the text is shorter than a document may be.
  for (size_t p = 0; p < pieces || text.size() < std::min(target, kMinDocBytes); ++p) {
    const size_t missing = text.size() < target ? target - text.size() : 0;
    const size_t want = std::max<size_t>(1, missing / (p < pieces ? pieces - p : 1));
    const size_t room = prose.size() > want ? prose.size() - want : 1;
    const size_t begin = NextSentenceStart(prose, rng.Below(room));
    const size_t limit = begin + std::max(want + want / 2, kMinDocBytes);
    const size_t end = FindCut(prose, begin + 1, begin + want, limit, want / 2);
    const std::string_view piece = Trim(prose.substr(begin, end - begin));
    if (piece.empty()) continue;
    if (!text.empty()) text += '\n';
    text += piece;
  }
  if (text.size() > kMaxDocBytes) {
    text.resize(FindCut(text, kMinDocBytes, kMaxDocBytes, kMaxDocBytes, 0));
  }
  return text;
}

}  // namespace neardup::gen
