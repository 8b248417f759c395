/*
 gen_planted: a deterministic test corpus of real prose with planted
 near-duplicates and their ground truth, to measure the recall and precision
 of neardup's near-duplicate level (and, at larger sizes, its throughput).

 It cuts real prose into base documents with a web-like length distribution
 (lognormal, median ~2.5 KB, mean ~3.5 KB, 300 B to 60 KB), drops those that
 are near-duplicates of each other in the source, takes them as originals
 (recombining prose from several places once the base documents run out),
 plants edited copies (word 5-gram Jaccard >= 0.85 with their original) and
 distractors (0.2 <= Jaccard <= 0.5), and streams all documents out in a
 seeded shuffled order. The same source and options give byte-identical
 uncompressed output on every platform.

 Options:
   --source PATH            prose: a JSONL file, gzip-compressed or not, with a
                            "text" string in every line's object, or a
                            directory of .txt files (recursive, path order)
   --out FILE               documents, one {"id": ..., "text": ...} per line;
                            a name ending in .gz writes gzip
   --labels FILE            "id<TAB>label" for every document: an original and
                            its copies share a label (the original's id), any
                            other document's label is its own id
   --pairs FILE             optional: "id_a<TAB>id_b<TAB>kind<TAB>jaccard" for
                            every planted (original, copy) and (original,
                            distractor) pair; kind is copy or distractor
   --docs N                 documents to write in all (default 10000)
   --dup-fraction F         fraction of originals given copies (default 0.3)
   --max-copies M           copies per such original, uniform in 1..M
                            (default 3)
   --distractor-fraction F  fraction of originals given one distractor
                            (default 0.05)
   --seed S                 seed of every random choice (default 1)

 Jaccard here: sets of word 5-grams, where words are maximal runs of
 non-whitespace bytes with ASCII letters lower-cased. See README.md.

 Build and example:
   g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -o /tmp/gen_planted \
       bench/corpus/gen_planted.cc -lz -lsimdjson
   /tmp/gen_planted --source ../shared/data/enwiki-2015/docs.jsonl.gz \
       --docs 10000 --seed 1 --out /tmp/planted10k.jsonl \
       --labels /tmp/planted10k.labels.tsv --pairs /tmp/planted10k.pairs.tsv
*/

#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "simdjson.h"

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

constexpr size_t kVocabularyWords = 1 << 20;
constexpr size_t kSiteCount = 20;
constexpr size_t kShingleWords = 5;

// Copy edits at full strength; the strength search scales them down.
constexpr double kMaxWordEditRate = 0.05;     // edits per word
constexpr double kMaxBoilerplateShare = 0.4;  // boilerplate words per word
// Edits that do not change the Jaccard measure.
constexpr size_t kHeadingMaxBytes = 60;
constexpr double kUpperWordRate = 0.02;
constexpr double kDoubleSpaceRate = 0.05;
constexpr double kTrailingSpaceRate = 0.3;

// Searching an edit strength for a target Jaccard.
constexpr int kMaxSearchAttempts = 6;
constexpr double kTargetTolerance = 0.02;

// Non-ASCII characters used by the edits, as UTF-8 bytes.
constexpr std::string_view kLeftSingleQuote = "\xe2\x80\x98";
constexpr std::string_view kRightSingleQuote = "\xe2\x80\x99";
constexpr std::string_view kLeftDoubleQuote = "\xe2\x80\x9c";
constexpr std::string_view kRightDoubleQuote = "\xe2\x80\x9d";
constexpr std::string_view kCopyrightSign = "\xc2\xa9";
constexpr std::string_view kEmDash = "\xe2\x80\x94";
constexpr std::string_view kMiddleDot = "\xc2\xb7";
constexpr std::string_view kGuillemet = "\xc2\xbb";
constexpr std::string_view kBullet = "\xe2\x80\xa2";

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "gen_planted: %s\n", message.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------------------
// Portable randomness. Nothing here uses std:: distributions or libm
// functions, whose results differ between standard libraries and platforms.

// splitmix64's output function: a bijective 64-bit mix.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent random streams, keyed by seed, stream and up to two indices,
// so that each document's randomness does not depend on the order of work.
enum Stream : uint64_t {
  kCutStream = 1,
  kBaseOrderStream,
  kSiteStream,
  kPlanStream,
  kRecombineStream,
  kVariantStream,
};

constexpr uint64_t StreamKey(uint64_t seed, Stream stream, uint64_t a = 0, uint64_t b = 0) {
  return Mix64(Mix64(Mix64(seed ^ Mix64(stream)) ^ a) ^ b);
}

// 53 random bits as a double in [0, 1); exact, hence the same everywhere.
constexpr double ToUnit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// A uniform in [0, 1) tied to position `i` rather than drawn from a stream, so
// that renderings at different strengths decide alike for the same position.
constexpr double UnitAt(uint64_t key, uint64_t i) { return ToUnit(Mix64(key ^ Mix64(i))); }

// xoshiro256**, seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t key) {
    for (uint64_t& word : state_) word = key = Mix64(key);
  }

  uint64_t Next() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n) for n > 0, without modulo bias: draws below 2^64 mod n
  // are rejected.
  uint64_t Below(uint64_t n) {
    const uint64_t reject_below = (0 - n) % n;
    uint64_t x;
    do {
      x = Next();
    } while (x < reject_below);
    return x % n;
  }

  double Unit() { return ToUnit(Next()); }
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_[4];
};

template <typename T>
void Shuffle(std::vector<T>& items, Rng& rng) {
  for (size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[rng.Below(i)]);
  }
}

template <typename T, size_t N>
const T& Pick(const T (&items)[N], Rng& rng) {
  return items[rng.Below(N)];
}

// exp(x) for moderate |x| from +, * and / alone, so that it gives the same
// bits everywhere (libm's exp may differ in the last bit): a Taylor series on
// x / 2^10, squared ten times. Each product is divided before it is added (a
// division by a power of two is exact), so fused multiply-adds, which
// compilers may emit, round alike.
double PortableExp(double x) {
  const double y = x / 1024;
  double term = 1;
  double sum = 1;
  for (int n = 1; n <= 8; ++n) {
    term = term * y / n;
    sum = sum + term;
  }
  for (int i = 0; i < 10; ++i) sum = sum * sum;
  return sum;
}

// A lognormal document length. The normal deviate is an Irwin-Hall sum of 12
// uniforms (tails end at 6 sigma) rather than Box-Muller's log and cos, for
// the same reason as PortableExp.
size_t SampleDocLength(Rng& rng) {
  double z = -6;
  for (int i = 0; i < 12; ++i) z += rng.Unit();
  const double length = kMedianDocBytes * PortableExp(kDocLengthSigma * z);
  return std::clamp<size_t>(static_cast<size_t>(std::lround(length)), kMinDocBytes, kMaxDocBytes);
}

// ---------------------------------------------------------------------------
// Text basics. Whitespace is ASCII whitespace, and every cut or edit happens
// at ASCII bytes, so UTF-8 sequences are never split.

constexpr bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}
constexpr bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
constexpr char AsciiLower(char c) { return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char AsciiUpper(char c) { return IsAsciiLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

std::string_view Trim(std::string_view text) {
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

size_t CountTokens(std::string_view text) {
  size_t count = 0;
  ForEachToken(text, [&](std::string_view) { ++count; });
  return count;
}

bool IsPlainWord(std::string_view token) {
  return token.size() <= 20 && std::all_of(token.begin(), token.end(), [](char c) {
           return IsAsciiLower(c) || IsAsciiUpper(c);
         });
}

// The token's trailing ASCII punctuation, kept when the word is substituted.
std::string_view TrailingPunctuation(std::string_view token) {
  size_t begin = token.size();
  while (begin > 0 &&
         std::string_view(".,;:!?)\"'").find(token[begin - 1]) != std::string_view::npos) {
    --begin;
  }
  return token.substr(begin);
}

// ---------------------------------------------------------------------------
// Source prose.

struct Source {
  // All articles, a paragraph a line, with a blank line between articles.
  std::string prose;
  size_t articles = 0;
  // Every so many plain words of the prose, for inserted and substituted
  // words that follow real word frequencies. Views into `prose`.
  std::vector<std::string_view> vocabulary;
};

// Joins the trimmed non-blank lines of `text` with '\n': a paragraph a line.
std::string NormalizeParagraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachLine(text, [&](std::string_view line) {
    line = Trim(line);
    if (line.empty()) return;
    if (!out.empty()) out += '\n';
    out += line;
  });
  return out;
}

void AddArticle(Source& source, std::string_view text) {
  const std::string article = NormalizeParagraphs(text);
  if (article.empty()) return;
  if (!source.prose.empty()) source.prose += "\n\n";
  source.prose += article;
  ++source.articles;
}

void AddJsonLine(Source& source, simdjson::dom::parser& parser, std::string_view line,
                 const std::string& path, size_t line_number) {
  if (Trim(line).empty()) return;
  simdjson::dom::element record;
  std::string_view text;
  if (parser.parse(line.data(), line.size()).get(record) != simdjson::SUCCESS ||
      record["text"].get_string().get(text) != simdjson::SUCCESS) {
    Die(path + ":" + std::to_string(line_number) +
        ": expected a JSON object with a \"text\" string");
  }
  AddArticle(source, text);
}

// Reads JSONL line by line. zlib reads files without the gzip magic bytes as
// they are, so this takes compressed and plain files whatever their names.
void LoadJsonl(const std::string& path, Source& source) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) Die("cannot open " + path);
  gzbuffer(in, 1 << 20);
  simdjson::dom::parser parser;
  std::vector<char> chunk(1 << 20);
  std::string pending;
  size_t line_number = 0;
  int n;
  while ((n = gzread(in, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0) {
    pending.append(chunk.data(), static_cast<size_t>(n));
    size_t begin = 0;
    for (size_t end; (end = pending.find('\n', begin)) != std::string::npos; begin = end + 1) {
      AddJsonLine(source, parser, std::string_view(pending).substr(begin, end - begin), path,
                  ++line_number);
    }
    pending.erase(0, begin);
  }
  int error = Z_OK;
  if (n < 0) Die(path + ": " + gzerror(in, &error));
  AddJsonLine(source, parser, pending, path, ++line_number);
  gzclose(in);
}

// Reads every .txt file under `dir`, in path order so that the result does not
// depend on the file system's listing order.
void LoadTextFiles(const std::filesystem::path& dir, Source& source) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string& bytes = text.str();
    // Output must be valid JSON, hence valid UTF-8.
    if (!simdjson::validate_utf8(bytes.data(), bytes.size())) {
      std::fprintf(stderr, "gen_planted: skipping %s: not UTF-8\n", path.c_str());
      continue;
    }
    AddArticle(source, bytes);
  }
}

void BuildVocabulary(Source& source) {
  // About 6 bytes per word with its space.
  const size_t stride = std::max<size_t>(1, source.prose.size() / 6 / kVocabularyWords);
  size_t index = 0;
  ForEachToken(source.prose, [&](std::string_view token) {
    if (index++ % stride == 0 && IsPlainWord(token)) {
      source.vocabulary.push_back(token);
    }
  });
  if (source.vocabulary.empty()) Die("the source holds no plain words");
}

Source LoadSource(const std::string& path) {
  Source source;
  if (std::filesystem::is_directory(path)) {
    LoadTextFiles(path, source);
  } else {
    LoadJsonl(path, source);
  }
  if (source.prose.empty()) Die("no prose in " + path);
  BuildVocabulary(source);
  return source;
}

// ---------------------------------------------------------------------------
// Cutting prose at article, paragraph, sentence or word boundaries. A cut is
// the index of the whitespace byte that ends a piece (or the text's end).

bool IsArticleBreak(std::string_view text, size_t i) {
  return text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n';
}

bool IsParagraphBreak(std::string_view text, size_t i) { return text[i] == '\n'; }

bool IsWordBreak(std::string_view text, size_t i) { return IsSpace(text[i]); }

// A paragraph break, or the space after '.', '?' or '!' (maybe followed by a
// closing quote or bracket) before a capital, digit or opening quote, so that
// "e.g. the" does not end a sentence.
bool IsSentenceBreak(std::string_view text, size_t i) {
  if (text[i] == '\n') return true;
  if (text[i] != ' ' || i < 2 || i + 1 >= text.size()) return false;
  size_t end = i - 1;
  if (text[end] == '"' || text[end] == '\'' || text[end] == ')') --end;
  if (text[end] != '.' && text[end] != '?' && text[end] != '!') return false;
  const char next = text[i + 1];
  return IsAsciiUpper(next) || IsAsciiDigit(next) || next == '"' || next == '(';
}

using BreakTest = bool (*)(std::string_view, size_t);

// The break nearest to `ideal` within [lo, hi], if any.
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

// Sentences of `text`, each with the whitespace byte that ends it (a space or
// a paragraph break), so that joining them gives back the text.
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

struct Span {
  size_t begin;
  size_t end;
};

std::string_view SpanText(std::string_view prose, const Span& span) {
  return Trim(prose.substr(span.begin, span.end - span.begin));
}

// Cuts the prose into consecutive base documents of lognormal lengths. The
// prose is cut as one stream, so that article ends do not skew the lengths; a
// document ends with its article when that end is near.
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

// About `target` bytes of whole sentences from several random places in the
// prose. Every piece is a small share of the result, so two such texts, or one
// and a base document, share little: their Jaccard stays near 0.
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

// ---------------------------------------------------------------------------
// The Jaccard measure: sets of word 5-gram hashes.

using ShingleSet = std::vector<uint64_t>;  // sorted, unique

// FNV-1a over the token's bytes with ASCII letters lower-cased.
uint64_t TokenHash(std::string_view token) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : token) {
    hash ^= static_cast<unsigned char>(AsciiLower(c));
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Calls f on the hash of each word 5-gram of `text`, repeats included. A text
// of fewer than five tokens is a single shingle of all of them.
template <typename F>
void ForEachShingle(std::string_view text, F&& f) {
  std::vector<uint64_t> tokens;
  ForEachToken(text, [&](std::string_view token) { tokens.push_back(TokenHash(token)); });
  const size_t width = std::min(tokens.size(), kShingleWords);
  const size_t count = tokens.empty() ? 0 : tokens.size() - width + 1;
  for (size_t i = 0; i < count; ++i) {
    uint64_t hash = 0;
    for (size_t j = 0; j < width; ++j) {
      hash = std::rotl(hash, 17) ^ tokens[i + j];
    }
    f(Mix64(hash));
  }
}

ShingleSet Shingles(std::string_view text) {
  ShingleSet shingles;
  ForEachShingle(text, [&](uint64_t hash) { shingles.push_back(hash); });
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

struct Jaccard {
  uint64_t shared = 0;  // |A and B|
  uint64_t total = 0;   // |A or B|

  double Value() const {
    return total == 0 ? 1.0 : static_cast<double>(shared) / static_cast<double>(total);
  }
  // Exact comparisons with num / den.
  bool AtLeast(uint64_t num, uint64_t den) const { return shared * den >= total * num; }
  bool AtMost(uint64_t num, uint64_t den) const { return shared * den <= total * num; }
};

Jaccard Compare(const ShingleSet& a, const ShingleSet& b) {
  uint64_t shared = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return {shared, a.size() + b.size() - shared};
}

// Four decimals, rounded half up in integers so that every platform prints
// the same digits.
std::string FormatJaccard(const Jaccard& j) {
  const uint64_t scaled = j.total == 0 ? 10000 : (j.shared * 20000 + j.total) / (2 * j.total);
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%04llu", static_cast<unsigned long long>(scaled / 10000),
                static_cast<unsigned long long>(scaled % 10000));
  return text;
}

bool IsCopyJaccard(const Jaccard& j) { return j.AtLeast(17, 20); }
bool IsDistractorJaccard(const Jaccard& j) { return j.AtLeast(1, 5) && j.AtMost(1, 2); }

// ---------------------------------------------------------------------------
// Near-duplicates within the source, found by MinHash LSH: 21 bands of 3
// rows make a pair at Jaccard 0.5 a candidate with probability 0.94, at 0.7
// with 0.9996.

constexpr size_t kLshBands = 21;
constexpr size_t kLshRows = 3;
using Signature = std::array<uint64_t, kLshBands * kLshRows>;

// Each min-hash permutes the (already mixed) shingle hashes by an xor and a
// multiplication by an odd number: cheap, and enough for candidates.
constexpr Signature kMinHashSalts = [] {
  Signature salts{};
  for (size_t i = 0; i < salts.size(); ++i) salts[i] = Mix64(i);
  return salts;
}();

Signature MinHashSignature(std::string_view text) {
  Signature mins;
  mins.fill(UINT64_MAX);
  ForEachShingle(text, [&](uint64_t shingle) {
    for (size_t i = 0; i < mins.size(); ++i) {
      mins[i] = std::min(mins[i], (shingle ^ kMinHashSalts[i]) * (kMinHashSalts[i] | 1));
    }
  });
  return mins;
}

// Drops every base document whose Jaccard with an earlier kept one exceeds
// 0.5 (Wikipedia's templated "Year 577" articles are such), so that the only
// near-duplicates in the corpus are the labelled ones. Returns the number
// dropped.
size_t DropNearDuplicates(std::string_view prose, std::vector<Span>& spans) {
  struct BandKey {
    uint64_t key;
    uint32_t doc;
    auto operator<=>(const BandKey&) const = default;
  };
  std::vector<BandKey> keys;
  keys.reserve(spans.size() * kLshBands);
  for (size_t doc = 0; doc < spans.size(); ++doc) {
    const Signature mins = MinHashSignature(SpanText(prose, spans[doc]));
    for (size_t band = 0; band < kLshBands; ++band) {
      uint64_t key = Mix64(band);
      for (size_t row = 0; row < kLshRows; ++row) {
        key = Mix64(key ^ mins[band * kLshRows + row]);
      }
      keys.push_back({key, static_cast<uint32_t>(doc)});
    }
  }
  std::sort(keys.begin(), keys.end());
  // (later, earlier) document pairs that share a band.
  std::vector<std::pair<uint32_t, uint32_t>> candidates;
  for (size_t i = 0, j; i < keys.size(); i = j) {
    for (j = i + 1; j < keys.size() && keys[j].key == keys[i].key; ++j) {
      for (size_t k = i; k < j; ++k) {
        candidates.push_back({keys[j].doc, keys[k].doc});
      }
    }
  }
  // Sorted by the later document, every earlier one is decided before it.
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::vector<bool> dropped(spans.size());
  for (const auto& [later, earlier] : candidates) {
    if (dropped[later] || dropped[earlier]) continue;
    const Jaccard j =
        Compare(Shingles(SpanText(prose, spans[earlier])), Shingles(SpanText(prose, spans[later])));
    dropped[later] = !j.AtMost(1, 2);
  }
  size_t kept = 0;
  for (size_t doc = 0; doc < spans.size(); ++doc) {
    if (!dropped[doc]) spans[kept++] = spans[doc];
  }
  spans.resize(kept);
  return dropped.size() - kept;
}

// ---------------------------------------------------------------------------
// Site boilerplate for copies.

struct SiteLine {
  std::string text;
  bool in_header;
  size_t words;
  size_t position;  // display order
};
// Lines in the order they are added as the boilerplate budget grows.
using SiteTemplate = std::vector<SiteLine>;

enum Placement : unsigned { kHeader = 1, kFooter = 2 };

constexpr std::string_view kSiteAdjectives[] = {"Daily",   "Evening",    "Northern", "Global",
                                                "Metro",   "Valley",     "Capital",  "Coastal",
                                                "Morning", "Independent"};
constexpr std::string_view kSiteNouns[] = {"Herald",   "Ledger",  "Chronicle", "Courier", "Gazette",
                                           "Observer", "Tribune", "Review",    "Digest",  "Post"};
constexpr std::string_view kSections[] = {"News",     "World",   "Local",   "Business",
                                          "Politics", "Science", "Culture", "Sport",
                                          "Travel",   "Opinion", "Health",  "Archive"};
constexpr std::string_view kRelatedHeadings[] = {
    "Related articles", "You may also like:", "Read more", "More from this section"};

std::string Headline(const std::vector<std::string_view>& vocabulary, Rng& rng) {
  const size_t words = 4 + rng.Below(5);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) text += ' ';
    text += vocabulary[rng.Below(vocabulary.size())];
  }
  text[0] = AsciiUpper(text[0]);
  return text;
}

std::string CopyrightLine(const std::string& name, const std::string& domain, Rng& rng) {
  const std::string year = std::to_string(2005 + rng.Below(11));
  const std::string sign(kCopyrightSign);
  switch (rng.Below(3)) {
    case 0:
      return sign + " " + year + " " + name + ". All rights reserved.";
    case 1:
      return "Copyright " + sign + " " + year + " " + domain + " " + std::string(kEmDash) +
             " All Rights Reserved";
    default:
      return "(c) " + year + " " + name + " Media Group | Privacy Policy | Terms of Use";
  }
}

SiteTemplate MakeSiteTemplate(std::string_view adjective, std::string_view noun,
                              const std::vector<std::string_view>& vocabulary, Rng& rng) {
  const std::string name = "The " + std::string(adjective) + " " + std::string(noun);
  std::string domain;
  for (const char c : std::string(adjective) + std::string(noun)) {
    domain += AsciiLower(c);
  }
  domain += ".com";

  const std::string nav_separators[] = {" | ", " / ", " " + std::string(kMiddleDot) + " "};
  const std::string& separator = Pick(nav_separators, rng);
  std::string nav = "Home";
  for (const std::string_view section : kSections) {
    if (rng.Chance(0.5)) nav += separator + std::string(section);
  }
  const std::string bullets[] = {std::string(kGuillemet) + " ", std::string(kBullet) + " ", "- "};
  const std::string& bullet = Pick(bullets, rng);
  const std::string share = "Share: Facebook " + std::string(kMiddleDot) + " Twitter " +
                            std::string(kMiddleDot) + " Email";

  SiteTemplate site;
  auto add = [&](const std::string& text, bool in_header, size_t position) {
    site.push_back({text, in_header, CountTokens(text), position});
  };
  add(name, true, 0);
  add(CopyrightLine(name, domain, rng), false, 100);
  add(nav, true, 1);
  const size_t links = 3 + rng.Below(3);
  for (size_t i = 0; i < links; ++i) {
    add(bullet + Headline(vocabulary, rng), false, 3 + i);
  }
  add(std::string(Pick(kRelatedHeadings, rng)), false, 2);
  add(share, false, 99);
  return site;
}

std::vector<SiteTemplate> MakeSiteTemplates(const std::vector<std::string_view>& vocabulary,
                                            Rng& rng) {
  // Distinct (adjective, noun) pairs, so no two sites share a name.
  std::vector<size_t> names(std::size(kSiteAdjectives) * std::size(kSiteNouns));
  std::iota(names.begin(), names.end(), 0);
  Shuffle(names, rng);
  std::vector<SiteTemplate> sites;
  for (size_t i = 0; i < kSiteCount; ++i) {
    sites.push_back(MakeSiteTemplate(kSiteAdjectives[names[i] % std::size(kSiteAdjectives)],
                                     kSiteNouns[names[i] / std::size(kSiteAdjectives)], vocabulary,
                                     rng));
  }
  return sites;
}

// Wraps `text` in the site's header and/or footer lines, adding lines in the
// template's order while their words fit in `word_budget`. Returns the number
// of lines added.
size_t AddBoilerplate(std::string& text, const SiteTemplate& site, unsigned placement,
                      size_t word_budget) {
  std::vector<const SiteLine*> chosen;
  size_t words = 0;
  for (const SiteLine& line : site) {
    if (!(placement & (line.in_header ? kHeader : kFooter))) continue;
    if (words + line.words > word_budget) break;
    words += line.words;
    chosen.push_back(&line);
  }
  if (chosen.empty()) return 0;
  std::sort(chosen.begin(), chosen.end(),
            [](const SiteLine* a, const SiteLine* b) { return a->position < b->position; });
  std::string page;
  for (const SiteLine* line : chosen) {
    if (line->in_header) page += line->text + '\n';
  }
  page += text;
  for (const SiteLine* line : chosen) {
    if (!line->in_header) page += '\n' + line->text;
  }
  text = std::move(page);
  return chosen.size();
}

// ---------------------------------------------------------------------------
// Copy edits.

// Substitutes, deletes or inserts words at `rate` per word, keeping lines.
// Each decision hashes the word's index, so the edits made at a lower rate are
// a subset of those made at a higher one and the Jaccard falls steadily with
// the rate. Adds the number of edits to `edits`.
std::string EditWords(std::string_view text, const std::vector<std::string_view>& vocabulary,
                      uint64_t key, double rate, size_t& edits) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  uint64_t index = 0;
  bool first_line = true;
  ForEachLine(text, [&](std::string_view line) {
    if (!first_line) out += '\n';
    first_line = false;
    bool first_word = true;
    auto append = [&](std::string_view word) {
      if (!first_word) out += ' ';
      first_word = false;
      out += word;
    };
    ForEachToken(line, [&](std::string_view word) {
      const uint64_t hash = Mix64(key ^ Mix64(index++));
      if (ToUnit(hash) >= rate) {
        append(word);
        return;
      }
      ++edits;
      const uint64_t pick = Mix64(hash);
      const std::string_view other = vocabulary[(pick >> 2) % vocabulary.size()];
      switch (pick % 4) {
        case 0:  // delete
          break;
        case 1:  // insert before
          append(other);
          append(word);
          break;
        default:  // substitute, keeping the punctuation that follows
          append(other);
          out += TrailingPunctuation(word);
      }
    });
  });
  return out;
}

enum class Quotes { kKeep, kCurly, kStraight };

bool IsOpeningContext(std::string_view text, size_t i) {
  return i == 0 || IsSpace(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '[';
}

// Straight quotes become typographic ones, or typographic ones straight.
std::string ChangeQuotes(std::string_view text, Quotes style) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (style == Quotes::kCurly && (c == '"' || c == '\'')) {
      const bool opening = IsOpeningContext(text, i);
      if (c == '"') {
        out += opening ? kLeftDoubleQuote : kRightDoubleQuote;
      } else {
        out += opening ? kLeftSingleQuote : kRightSingleQuote;
      }
      continue;
    }
    if (style == Quotes::kStraight) {
      const std::string_view rest = text.substr(i);
      if (rest.starts_with(kLeftDoubleQuote) || rest.starts_with(kRightDoubleQuote)) {
        out += '"';
        i += 2;
        continue;
      }
      if (rest.starts_with(kLeftSingleQuote) || rest.starts_with(kRightSingleQuote)) {
        out += '\'';
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// Upper-cases heading-like short lines and a few words. ASCII only: the
// Jaccard measure lower-cases ASCII, so it sees no change.
void UpperCase(std::string& text, uint64_t key) {
  uint64_t word = 0;
  size_t line_begin = 0;
  while (line_begin <= text.size()) {
    const size_t line_end = std::min(text.find('\n', line_begin), text.size());
    const bool heading = line_end - line_begin <= kHeadingMaxBytes;
    bool upper_word = false;
    for (size_t i = line_begin; i < line_end; ++i) {
      if (i == line_begin || IsSpace(text[i - 1])) {
        upper_word = UnitAt(key, word++) < kUpperWordRate;
      }
      if (heading || upper_word) text[i] = AsciiUpper(text[i]);
    }
    line_begin = line_end + 1;
  }
}

// Re-wraps every line to at most `width` bytes (longer words stay whole),
// with blank lines between paragraphs, as in plain-text mail.
std::string Rewrap(std::string_view text, size_t width) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  ForEachLine(text, [&](std::string_view line) {
    if (!out.empty()) out += "\n\n";
    size_t column = 0;
    ForEachToken(line, [&](std::string_view word) {
      if (column > 0 && column + 1 + word.size() > width) {
        out += '\n';
        column = 0;
      } else if (column > 0) {
        out += ' ';
        ++column;
      }
      out += word;
      column += word.size();
    });
  });
  return out;
}

// Doubles the space after sentence ends (typewriter style) and a few others.
std::string DoubleSpaces(std::string_view text, uint64_t key) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == ' ' && (IsSentenceBreak(text, i) || UnitAt(key, i) < kDoubleSpaceRate)) {
      out += ' ';
    }
  }
  return out;
}

// Appends one to three spaces to the first line and to some others.
std::string AddTrailingSpaces(std::string_view text, uint64_t key) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  uint64_t line = 0;
  auto pad = [&] {
    if (line == 0 || UnitAt(key, line) < kTrailingSpaceRate) {
      out.append(1 + Mix64(key + line) % 3, ' ');
    }
    ++line;
  };
  for (const char c : text) {
    if (c == '\n') pad();
    out += c;
  }
  pad();
  return out;
}

std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Planted copies and distractors.

// Edits applied to a copy, as bits, for the summary.
enum Edit : unsigned {
  kWordEdits = 1 << 0,
  kBoilerplate = 1 << 1,
  kQuoteChange = 1 << 2,
  kCaseChange = 1 << 3,
  kRewrapped = 1 << 4,
  kDoubledSpaces = 1 << 5,
  kTrailingSpaces = 1 << 6,
  kCrlf = 1 << 7,
};
constexpr std::string_view kEditNames[] = {"words",  "boilerplate",   "quotes",          "case",
                                           "rewrap", "double spaces", "trailing spaces", "crlf"};

struct Variant {
  std::string text;
  Jaccard jaccard;
  unsigned edits = 0;
  bool paired = true;  // false: a distractor that could not be made
};

struct CopyPlan {
  double target = 1;  // the Jaccard that the strength search aims at
  bool edit_words = false;
  uint64_t words_key = 0;
  const SiteTemplate* site = nullptr;  // none: no boilerplate
  unsigned placement = 0;
  Quotes quotes = Quotes::kKeep;  // changed at any strength above 0
  bool upper_case = false;
  uint64_t case_key = 0;
  size_t wrap_width = 0;  // 0: lines kept
  bool double_spaces = false;
  bool trailing_spaces = false;
  uint64_t spaces_key = 0;
  bool crlf = false;
};

// Draws which edits a copy gets. The odds are a judgement of a plausible mix
// of scraped and re-published copies.
CopyPlan DrawCopyPlan(const std::vector<SiteTemplate>& sites, Rng& rng) {
  CopyPlan plan;
  // Integer draw and one division: exact, so the same everywhere.
  plan.target = static_cast<double>(8500 + rng.Below(1501)) / 10000;
  plan.edit_words = rng.Chance(0.8);
  plan.words_key = rng.Next();
  if (rng.Chance(0.5)) {
    plan.site = &sites[rng.Below(sites.size())];
    plan.placement = static_cast<unsigned>(1 + rng.Below(3));
  }
  if (rng.Chance(0.3)) {
    plan.quotes = rng.Chance(0.8) ? Quotes::kCurly : Quotes::kStraight;
  }
  plan.upper_case = rng.Chance(0.3);
  plan.case_key = rng.Next();
  if (rng.Chance(0.25)) plan.wrap_width = 60 + rng.Below(41);
  plan.double_spaces = rng.Chance(0.2);
  plan.trailing_spaces = rng.Chance(0.2);
  plan.spaces_key = rng.Next();
  plan.crlf = rng.Chance(0.3);
  return plan;
}

// The copy at an edit strength in [0, 1]; strength 0 changes no token.
Variant RenderCopy(const Source& source, std::string_view original, size_t original_words,
                   const CopyPlan& plan, double strength) {
  Variant copy;
  copy.text = original;
  std::string& text = copy.text;
  size_t word_edits = 0;
  if (plan.edit_words && strength > 0) {
    text = EditWords(original, source.vocabulary, plan.words_key, strength * kMaxWordEditRate,
                     word_edits);
  }
  if (word_edits > 0) copy.edits |= kWordEdits;
  if (plan.quotes != Quotes::kKeep && strength > 0) {
    text = ChangeQuotes(text, plan.quotes);
    copy.edits |= kQuoteChange;
  }
  if (plan.upper_case) {
    UpperCase(text, plan.case_key);
    copy.edits |= kCaseChange;
  }
  const auto budget =
      static_cast<size_t>(strength * kMaxBoilerplateShare * static_cast<double>(original_words));
  if (plan.site && AddBoilerplate(text, *plan.site, plan.placement, budget)) {
    copy.edits |= kBoilerplate;
  }
  if (plan.wrap_width > 0) {
    text = Rewrap(text, plan.wrap_width);
    copy.edits |= kRewrapped;
  }
  if (plan.double_spaces) {
    text = DoubleSpaces(text, plan.spaces_key);
    copy.edits |= kDoubledSpaces;
  }
  if (plan.trailing_spaces) {
    text = AddTrailingSpaces(text, plan.spaces_key);
    copy.edits |= kTrailingSpaces;
  }
  if (plan.crlf) {
    text = ToCrlf(text);
    copy.edits |= kCrlf;
  }
  return copy;
}

// A render parameter x and the Jaccard that it gave (or is assumed to give).
struct Probe {
  double x;
  double jaccard;
};

// Searches the render parameter x in [0, 1] for the rendering whose Jaccard
// with the original is nearest `target` among the `acceptable` ones, starting
// at `x` within the bracket (`below`, `above`) of target. The Jaccard must move
// monotonically with x. Each product is divided before it is added, so fused
// multiply-adds round alike and every platform takes the same steps.
template <typename Render, typename Acceptable>
std::optional<Variant> SearchTarget(const Render& render, const ShingleSet& original, double target,
                                    Probe below, Probe above, double x,
                                    const Acceptable& acceptable) {
  std::optional<Variant> best;
  for (int attempt = 0; attempt < kMaxSearchAttempts; ++attempt) {
    Variant variant = render(x);
    variant.jaccard = Compare(original, Shingles(variant.text));
    const double jaccard = variant.jaccard.Value();
    const double miss = std::abs(jaccard - target);
    const bool ok = acceptable(variant.jaccard);
    if (ok && (!best || miss < std::abs(best->jaccard.Value() - target))) {
      best = std::move(variant);
    }
    if (ok && miss <= kTargetTolerance) break;
    (jaccard < target ? below : above) = {x, jaccard};
    const double width = std::abs(above.x - below.x);
    if (width < 1.0 / 32) break;
    // A secant step between the bracket's ends, or its middle where the
    // secant would only crawl along one end.
    x = below.x + (above.x - below.x) * (target - below.jaccard) / (above.jaccard - below.jaccard);
    if (std::abs(x - below.x) < width / 8 || std::abs(x - above.x) < width / 8) {
      x = (below.x + above.x) / 2;
    }
  }
  return best;
}

Variant MakeCopy(const Source& source, const std::vector<SiteTemplate>& sites,
                 std::string_view original, const ShingleSet& shingles, Rng& rng) {
  const CopyPlan plan = DrawCopyPlan(sites, rng);
  const size_t words = CountTokens(original);
  auto render = [&](double strength) {
    return RenderCopy(source, original, words, plan, strength);
  };
  // Strength 0 changes no token (Jaccard 1); full strength is tried first, as
  // the only one that weak plans can use, and assumed to reach 0 until then.
  std::optional<Variant> copy = SearchTarget(render, shingles, plan.target, /*below=*/{1, 0},
                                             /*above=*/{0, 1}, /*x=*/1, IsCopyJaccard);
  if (!copy) {
    copy = render(0);
    copy->jaccard = Compare(shingles, Shingles(copy->text));
  }
  // When every drawn edit happened to change nothing, trailing spaces make
  // the copy differ from its original all the same.
  if (copy->text == original) {
    copy->text = AddTrailingSpaces(copy->text, plan.spaces_key);
    copy->edits |= kTrailingSpaces;
  }
  return *copy;
}

enum class DistractorKind { kInterleave, kSentencePrefix, kWordPrefix };

// About `bytes` of other prose for a distractor, recombined from several
// places so that no other document shares much of it; the same for the same
// key and size.
std::string Filler(std::string_view prose, uint64_t key, size_t bytes) {
  if (bytes == 0) return "";
  Rng rng(key);
  return RecombinedProse(prose, rng, bytes);
}

// The original's sentences, each kept with probability `keep` and otherwise
// replaced by a sentence of other prose.
std::string InterleaveSentences(std::string_view original, std::string_view prose, uint64_t key,
                                double keep) {
  const std::vector<std::string_view> ours = SplitSentences(original);
  std::vector<bool> kept(ours.size());
  size_t replaced_bytes = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    kept[i] = UnitAt(key, i) < keep;
    if (!kept[i]) replaced_bytes += ours[i].size();
  }
  const std::string filler = Filler(prose, key, replaced_bytes);
  const std::vector<std::string_view> theirs = SplitSentences(filler);
  std::string out;
  out.reserve(original.size() + original.size() / 4);
  size_t next = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (kept[i]) {
      out += ours[i];
      continue;
    }
    out += Trim(theirs[next++ % theirs.size()]);
    out += IsSpace(ours[i].back()) ? ours[i].back() : ' ';
  }
  return std::string(Trim(out));
}

// The original's first `keep` share, cut at a sentence or word boundary, then
// other prose up to the original's length.
std::string PrefixThenFiller(std::string_view original, std::string_view prose, uint64_t key,
                             double keep, BreakTest boundary) {
  const auto ideal = static_cast<size_t>(keep * static_cast<double>(original.size()));
  const size_t cut = NearestBreak(original, 1, ideal, original.size(), boundary).value_or(0);
  std::string out(Trim(original.substr(0, cut)));
  if (!out.empty()) out += '\n';
  out += Filler(prose, key, original.size() - cut);
  return out;
}

// A text sharing part of the original but no near-duplicate of it. It falls
// back to word-level cuts, and then to unrelated prose (left unpaired), only
// for originals too short or too space-less for the range to be met.
Variant MakeDistractor(std::string_view prose, std::string_view original,
                       const ShingleSet& shingles, Rng& rng) {
  const double target = static_cast<double>(2500 + rng.Below(2001)) / 10000;
  const uint64_t key = rng.Next();
  const DistractorKind first =
      rng.Chance(0.5) ? DistractorKind::kInterleave : DistractorKind::kSentencePrefix;
  for (const DistractorKind kind : {first, DistractorKind::kWordPrefix}) {
    auto render = [&](double keep) {
      Variant distractor;
      switch (kind) {
        case DistractorKind::kInterleave:
          distractor.text = InterleaveSentences(original, prose, key, keep);
          break;
        case DistractorKind::kSentencePrefix:
          distractor.text = PrefixThenFiller(original, prose, key, keep, IsSentenceBreak);
          break;
        case DistractorKind::kWordPrefix:
          distractor.text = PrefixThenFiller(original, prose, key, keep, IsWordBreak);
          break;
      }
      return distractor;
    };
    // Keeping nothing gives about 0, keeping everything 1.
    if (std::optional<Variant> distractor =
            SearchTarget(render, shingles, target, /*below=*/{0, 0},
                         /*above=*/{1, 1}, /*x=*/0.5, IsDistractorJaccard)) {
      return *distractor;
    }
  }
  Variant unrelated;
  unrelated.text = Filler(prose, key, original.size());
  unrelated.jaccard = Compare(shingles, Shingles(unrelated.text));
  unrelated.paired = false;
  return unrelated;
}

// ---------------------------------------------------------------------------
// The corpus plan: which documents exist, and in what order they are written.

struct DocRef {
  uint32_t original;
  uint8_t variant;  // 0: the original; 1..copies: a copy; then the distractor
};

struct OriginalInfo {
  uint32_t slot = 0;  // where the original is written
  uint8_t copies = 0;
  bool distractor = false;
};

struct Options {
  std::string source;
  std::string out;
  std::string labels;
  std::string pairs;
  uint64_t docs = 10000;
  double dup_fraction = 0.3;
  uint64_t max_copies = 3;
  double distractor_fraction = 0.05;
  uint64_t seed = 1;
};

struct Plan {
  std::vector<DocRef> order;  // in output order
  std::vector<OriginalInfo> originals;
};

Plan MakePlan(const Options& options) {
  Rng rng(StreamKey(options.seed, kPlanStream));
  Plan plan;
  plan.order.reserve(options.docs);
  while (plan.order.size() < options.docs) {
    const auto k = static_cast<uint32_t>(plan.originals.size());
    // The last original may lose variants, so that exactly `docs` come out.
    const uint64_t room = options.docs - plan.order.size() - 1;
    OriginalInfo info;
    if (rng.Chance(options.dup_fraction)) {
      info.copies = static_cast<uint8_t>(std::min(1 + rng.Below(options.max_copies), room));
    }
    info.distractor = rng.Chance(options.distractor_fraction) && info.copies < room;
    const unsigned variants = info.copies + (info.distractor ? 1u : 0u);
    for (unsigned v = 0; v <= variants; ++v) {
      plan.order.push_back({k, static_cast<uint8_t>(v)});
    }
    plan.originals.push_back(info);
  }
  // Shuffled, so that copies are not written next to their originals.
  Shuffle(plan.order, rng);
  for (size_t slot = 0; slot < plan.order.size(); ++slot) {
    if (plan.order[slot].variant == 0) {
      plan.originals[plan.order[slot].original].slot = static_cast<uint32_t>(slot);
    }
  }
  return plan;
}

struct Material {
  Source source;
  std::vector<Span> base;   // shuffled: base[k] is original k
  size_t dropped_base = 0;  // near-duplicates within the source
  std::vector<SiteTemplate> sites;
  uint64_t seed = 0;
};

// Original k: a base document while they last, then recombined prose.
std::string OriginalText(const Material& m, uint32_t k) {
  if (k < m.base.size()) {
    return std::string(SpanText(m.source.prose, m.base[k]));
  }
  Rng rng(StreamKey(m.seed, kRecombineStream, k));
  const size_t length = SampleDocLength(rng);
  return RecombinedProse(m.source.prose, rng, length);
}

// ---------------------------------------------------------------------------
// Output.

// A buffered output file, gzip-compressed when its name ends in ".gz".
class OutputFile {
 public:
  explicit OutputFile(const std::string& path) : path_(path) {
    if (path.ends_with(".gz")) {
      // Level 1 keeps up with generation; level 6 would more than double the
      // run time for files 13% smaller.
      gz_ = gzopen(path.c_str(), "wb1");
      if (gz_ == nullptr) Die("cannot write " + path);
      gzbuffer(gz_, 1 << 20);
    } else {
      file_ = std::fopen(path.c_str(), "wb");
      if (file_ == nullptr) Die("cannot write " + path);
      std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    }
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void Write(std::string_view data) {
    const bool ok = gz_ ? gzwrite(gz_, data.data(), static_cast<unsigned>(data.size())) ==
                              static_cast<int>(data.size())
                        : std::fwrite(data.data(), 1, data.size(), file_) == data.size();
    if (!ok) Die("cannot write " + path_);
  }

  void Close() {
    const bool ok = gz_ ? gzclose(gz_) == Z_OK : std::fclose(file_) == 0;
    if (!ok) Die("cannot write " + path_);
  }

 private:
  std::string path_;
  gzFile gz_ = nullptr;
  std::FILE* file_ = nullptr;
};

// Appends `text` as a JSON string: quotes, backslashes and control characters
// escaped, everything else (UTF-8 included) as it is.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04x", c);
        out += escape;
    }
  }
  out.append(text, run);
  out += '"';
}

std::string DocId(uint64_t slot) {
  char id[32];
  std::snprintf(id, sizeof id, "d%07llu", static_cast<unsigned long long>(slot + 1));
  return id;
}

struct Stats {
  uint64_t base_originals = 0;
  uint64_t recombined_originals = 0;
  uint64_t copies = 0;
  uint64_t distractors = 0;
  uint64_t unpaired_distractors = 0;
  uint64_t text_bytes = 0;
  std::vector<uint32_t> lengths;
  double copy_min = 1;
  double copy_sum = 0;
  double distractor_min = 1;
  double distractor_max = 0;
  uint64_t edit_counts[std::size(kEditNames)] = {};

  void CountVariant(const Variant& variant, bool is_copy) {
    const double jaccard = variant.jaccard.Value();
    if (is_copy) {
      ++copies;
      copy_min = std::min(copy_min, jaccard);
      copy_sum += jaccard;
      for (size_t e = 0; e < std::size(kEditNames); ++e) {
        edit_counts[e] += (variant.edits >> e) & 1;
      }
    } else if (variant.paired) {
      ++distractors;
      distractor_min = std::min(distractor_min, jaccard);
      distractor_max = std::max(distractor_max, jaccard);
    } else {
      ++unpaired_distractors;
    }
  }

  void CountText(std::string_view text) {
    text_bytes += text.size();
    lengths.push_back(static_cast<uint32_t>(text.size()));
  }
};

// Copy or distractor `ref.variant` of its original. Its randomness is keyed by
// the original and the variant, so it does not depend on the output order.
Variant MakeVariant(const Material& m, DocRef ref, bool is_copy, std::string_view original) {
  const ShingleSet shingles = Shingles(original);
  Rng rng(StreamKey(m.seed, kVariantStream, ref.original, ref.variant));
  return is_copy ? MakeCopy(m.source, m.sites, original, shingles, rng)
                 : MakeDistractor(m.source.prose, original, shingles, rng);
}

void WriteCorpus(const Options& options, const Material& m, const Plan& plan, Stats& stats) {
  OutputFile out(options.out);
  OutputFile labels(options.labels);
  std::optional<OutputFile> pairs;
  if (!options.pairs.empty()) pairs.emplace(options.pairs);
  std::string line;
  for (size_t slot = 0; slot < plan.order.size(); ++slot) {
    const DocRef ref = plan.order[slot];
    const OriginalInfo& info = plan.originals[ref.original];
    const std::string id = DocId(slot);
    const std::string original = OriginalText(m, ref.original);
    std::string label = id;
    Variant variant;
    std::string_view text = original;
    if (ref.variant == 0) {
      ++(ref.original < m.base.size() ? stats.base_originals : stats.recombined_originals);
    } else {
      const bool is_copy = ref.variant <= info.copies;
      variant = MakeVariant(m, ref, is_copy, original);
      text = variant.text;
      stats.CountVariant(variant, is_copy);
      const std::string original_id = DocId(info.slot);
      if (is_copy) label = original_id;
      if (pairs && variant.paired) {
        pairs->Write(original_id + '\t' + id + '\t' + (is_copy ? "copy" : "distractor") + '\t' +
                     FormatJaccard(variant.jaccard) + '\n');
      }
    }
    line.clear();
    line += "{\"id\": \"" + id + "\", \"text\": ";
    AppendJsonString(line, text);
    line += "}\n";
    out.Write(line);
    labels.Write(id + '\t' + label + '\n');
    stats.CountText(text);
  }
  out.Close();
  labels.Close();
  if (pairs) pairs->Close();
}

void PrintSummary(const Options& options, const Material& m, Stats& stats, double seconds) {
  const uint64_t docs = stats.lengths.size();
  auto middle = stats.lengths.begin() + static_cast<long>(docs / 2);
  std::nth_element(stats.lengths.begin(), middle, stats.lengths.end());
  std::fprintf(stderr,
               "gen_planted: seed %llu, source %zu articles, %.1f MB, %zu base "
               "documents (%zu more dropped as near-duplicates)\n",
               static_cast<unsigned long long>(options.seed), m.source.articles,
               static_cast<double>(m.source.prose.size()) / 1e6, m.base.size(), m.dropped_base);
  std::fprintf(stderr, "  documents    %llu\n", static_cast<unsigned long long>(docs));
  std::fprintf(stderr, "  originals    %llu (%llu base documents, %llu recombined)\n",
               static_cast<unsigned long long>(stats.base_originals + stats.recombined_originals),
               static_cast<unsigned long long>(stats.base_originals),
               static_cast<unsigned long long>(stats.recombined_originals));
  std::fprintf(stderr, "  copies       %llu", static_cast<unsigned long long>(stats.copies));
  if (stats.copies > 0) {
    std::fprintf(stderr, ", Jaccard min %.4f mean %.4f", stats.copy_min,
                 stats.copy_sum / static_cast<double>(stats.copies));
  }
  std::fprintf(stderr, "\n  distractors  %llu", static_cast<unsigned long long>(stats.distractors));
  if (stats.distractors > 0) {
    std::fprintf(stderr, ", Jaccard min %.4f max %.4f", stats.distractor_min, stats.distractor_max);
  }
  if (stats.unpaired_distractors > 0) {
    std::fprintf(stderr, " (%llu out of range, written as unrelated prose)",
                 static_cast<unsigned long long>(stats.unpaired_distractors));
  }
  std::fprintf(stderr, "\n  copy edits  ");
  for (size_t e = 0; e < std::size(kEditNames); ++e) {
    std::fprintf(stderr, " %.*s %llu%s", static_cast<int>(kEditNames[e].size()),
                 kEditNames[e].data(), static_cast<unsigned long long>(stats.edit_counts[e]),
                 e + 1 < std::size(kEditNames) ? "," : "\n");
  }
  std::fprintf(stderr, "  text bytes   %llu (mean %.0f, median %u per document)\n",
               static_cast<unsigned long long>(stats.text_bytes),
               static_cast<double>(stats.text_bytes) / static_cast<double>(docs), *middle);
  std::fprintf(stderr, "  time         %.1f s\n", seconds);
}

// ---------------------------------------------------------------------------
// Command line.

constexpr std::string_view kUsage =
    "usage: gen_planted --source PATH --out FILE.jsonl[.gz] --labels FILE.tsv\n"
    "         [--pairs FILE.tsv] [--docs N] [--dup-fraction F]\n"
    "         [--max-copies M] [--distractor-fraction F] [--seed S]\n";

[[noreturn]] void UsageError(const std::string& message) {
  std::fprintf(stderr, "gen_planted: %s\n%.*s", message.c_str(), static_cast<int>(kUsage.size()),
               kUsage.data());
  std::exit(2);
}

template <typename T>
T ParseNumber(std::string_view flag, std::string_view text, T lo, T hi) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < lo || value > hi) {
    UsageError(std::string(flag) + ": bad value \"" + std::string(text) + "\"");
  }
  return value;
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::fprintf(stdout, "%.*s", static_cast<int>(kUsage.size()), kUsage.data());
      std::exit(0);
    }
    if (i + 1 == argc) UsageError(std::string(flag) + " needs a value");
    const std::string_view value = argv[++i];
    if (flag == "--source") {
      options.source = value;
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--labels") {
      options.labels = value;
    } else if (flag == "--pairs") {
      options.pairs = value;
    } else if (flag == "--docs") {
      options.docs = ParseNumber<uint64_t>(flag, value, 1, UINT32_MAX);
    } else if (flag == "--dup-fraction") {
      options.dup_fraction = ParseNumber(flag, value, 0.0, 1.0);
    } else if (flag == "--max-copies") {
      options.max_copies = ParseNumber<uint64_t>(flag, value, 1, 100);
    } else if (flag == "--distractor-fraction") {
      options.distractor_fraction = ParseNumber(flag, value, 0.0, 1.0);
    } else if (flag == "--seed") {
      options.seed = ParseNumber<uint64_t>(flag, value, 0, UINT64_MAX);
    } else {
      UsageError("unknown option " + std::string(flag));
    }
  }
  if (options.source.empty() || options.out.empty() || options.labels.empty()) {
    UsageError("--source, --out and --labels are required");
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  const Options options = ParseOptions(argc, argv);

  Material m;
  m.seed = options.seed;
  m.source = LoadSource(options.source);
  Rng cut_rng(StreamKey(m.seed, kCutStream));
  m.base = CutBaseDocuments(m.source.prose, cut_rng);
  m.dropped_base = DropNearDuplicates(m.source.prose, m.base);
  // Originals are drawn from all over the source, not from its first articles.
  Rng order_rng(StreamKey(m.seed, kBaseOrderStream));
  Shuffle(m.base, order_rng);
  Rng site_rng(StreamKey(m.seed, kSiteStream));
  m.sites = MakeSiteTemplates(m.source.vocabulary, site_rng);

  const Plan plan = MakePlan(options);
  Stats stats;
  stats.lengths.reserve(plan.order.size());
  WriteCorpus(options, m, plan, stats);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  PrintSummary(options, m, stats, elapsed.count());
  return 0;
}
