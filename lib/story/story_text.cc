// StoryText: weighted words and sentences of one document, in two steps: a
// draft of all that does not depend on word rarity (the words, the distinct
// ones, the sentences and their numbers), then the weights (FinishStoryText).
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <functional>
#include <utility>

#include "neardup/align.h"
#include "neardup/story.h"
#include "normalize/token_hash.h"
#include "story/story_scratch.h"

namespace neardup {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A word of the story view: a normalized token, or a run of digit tokens
// joined by single '.' or ',' in the original ("1.42", "14,200").
struct Word {
  std::uint64_t hash;
  std::uint32_t orig_begin;  // original byte range
  std::uint32_t orig_end;
  std::uint8_t digits;  // digit characters (numbers only)
  bool number;
  bool year;     // four digits, 19xx or 20xx
  bool capital;  // written with a capital first letter, not in all capitals ("Teixeira")
};

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

// Names and numbers as features of their own: the word's hash ^ this.
constexpr std::uint64_t kFeatureKind = 0x9E3779B97F4A7C15ull;

// Scratch buffers live per thread and are reused from document to document;
// one grown by a huge document is released after it rather than kept.
template <typename... T>
void ReleaseHuge(std::vector<T>&... buffers) {
  constexpr std::size_t kKeep = std::size_t{1} << 16;
  ((buffers.capacity() > kKeep ? std::vector<T>().swap(buffers) : void()), ...);
}

// Document-level weights, one entry per distinct word in order of first
// occurrence: idf once per distinct word.
struct DocWeights {
  std::vector<std::uint64_t> hash;
  std::vector<std::uint32_t> tf;
  std::vector<std::uint32_t> first_word;  // index of its first occurrence in the words
  std::vector<float> idf;
  std::vector<float> uncapped_idf;     // TermRarity::UncappedIdf
  std::vector<float> weight;           // (1 + ln tf) x idf
  std::vector<float> norm_weight;      // (1 + ln tf) x uncapped idf: counts in the norm
  std::vector<std::uint32_t> word_id;  // per word of the document: its distinct index

  void ReleaseHuge() {
    neardup::ReleaseHuge(hash, tf, first_word, idf, uncapped_idf, weight, norm_weight, word_id);
  }
};

// 1 + ln(tf), the same bits as computing it, from a table for small tf.
double LogTf(std::uint32_t tf) {
  static const std::array<double, 64> kTable = [] {
    std::array<double, 64> t{};
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = 1.0 + std::log(static_cast<double>(i));
    return t;
  }();
  return tf < kTable.size() ? kTable[tf] : 1.0 + std::log(static_cast<double>(tf));
}

// Fills d's distinct words, their tf and first occurrence, and word_id.
void FindDistinct(std::span<const Word> words, DocWeights* d, std::vector<std::uint32_t>* slots) {
  // Distinct words in order of first occurrence, found through a small
  // open-addressing table (linear in the words; nothing downstream needs them
  // sorted); each word learns its distinct index.
  std::size_t capacity = 16;
  while (capacity < words.size() * 2) capacity *= 2;
  const std::size_t mask = capacity - 1;
  std::vector<std::uint32_t>& slot_id = *slots;  // distinct index; UINT32_MAX: empty
  slot_id.assign(capacity, UINT32_MAX);
  // Sized for every word distinct, cut to the distinct words at the end:
  // no capacity checks in the loop.
  d->hash.resize(words.size());
  d->tf.resize(words.size());
  d->first_word.resize(words.size());
  d->word_id.resize(words.size());
  std::uint32_t distinct = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint64_t h = words[i].hash;
    std::size_t slot = static_cast<std::size_t>(h) & mask;
    while (slot_id[slot] != UINT32_MAX && d->hash[slot_id[slot]] != h) slot = (slot + 1) & mask;
    if (slot_id[slot] == UINT32_MAX) {
      slot_id[slot] = distinct;
      d->hash[distinct] = h;
      d->tf[distinct] = 0;
      d->first_word[distinct] = static_cast<std::uint32_t>(i);
      ++distinct;
    }
    ++d->tf[slot_id[slot]];
    d->word_id[i] = slot_id[slot];
  }
  d->hash.resize(distinct);
  d->tf.resize(distinct);
  d->first_word.resize(distinct);
  ReleaseHuge(slot_id);
}

// Fills d's weights from its idf, uncapped idf and tf.
void WeighLooked(DocWeights* d) {
  const std::size_t n = d->hash.size();
  d->weight.resize(n);
  d->norm_weight.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double tf = LogTf(d->tf[i]);
    d->weight[i] = static_cast<float>(tf * d->idf[i]);
    d->norm_weight[i] = static_cast<float>(tf * d->uncapped_idf[i]);
  }
}

// Fills d's idf and weight from its distinct words and their tf.
void Weigh(const TermRarity& rarity, DocWeights* d) {
  const std::size_t n = d->hash.size();
  d->idf.resize(n);
  d->uncapped_idf.resize(n);
  rarity.Idf(d->hash, d->idf, d->uncapped_idf);
  WeighLooked(d);
}

constexpr int kHeaviestShift = 21;  // Heaviest's buckets: by sign, exponent and 2 mantissa bits

struct Ranked {
  float weight;
  std::uint64_t hash;
  std::uint32_t id;
};

// Heaviest's buffers.
struct HeaviestBuffers {
  std::array<std::uint32_t, (std::size_t{1} << (32 - kHeaviestShift))> histogram;
  std::vector<float> in_bucket;
  std::vector<Ranked> top;
};

// The distinct indexes of the k heaviest words, heaviest first, ties broken
// by hash (a total order: the hashes are distinct).
std::vector<std::uint32_t> Heaviest(const DocWeights& d, int k_max, HeaviestBuffers* buffers) {
  const std::size_t n = d.hash.size();
  const std::size_t k = std::min(n, static_cast<std::size_t>(std::max(0, k_max)));
  if (k == 0) return {};
  // The k-th largest weight first, then the words that reach it, ordered in
  // full. The k-th largest by a radix select: a histogram of the weights'
  // leading bits (as order-preserving integers) finds the bucket holding it,
  // and only that bucket's few weights are ordered. Comparison-based
  // selection (a heap, nth_element) mispredicts a branch on most weights.
  auto key = [](float weight) {
    const auto bits = std::bit_cast<std::uint32_t>(weight);
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
  };
  constexpr int kShift = kHeaviestShift;
  auto& histogram = buffers->histogram;
  histogram.fill(0);
  std::uint32_t bucket = 0;  // ends as the bucket of the k-th largest weight
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t b = key(d.weight[i]) >> kShift;
    ++histogram[b];
    bucket = std::max(bucket, b);
  }
  std::size_t above = 0;  // weights in buckets above `bucket`
  while (above + histogram[bucket] < k) above += histogram[bucket--];
  // The two collections below write every weight and keep it or not
  // without a branch: which weights pass is unpredictable.
  std::vector<float>& in_bucket = buffers->in_bucket;
  in_bucket.resize(n);
  std::size_t in = 0;
  for (std::size_t i = 0; i < n; ++i) {
    in_bucket[in] = d.weight[i];
    in += key(d.weight[i]) >> kShift == bucket;
  }
  in_bucket.resize(in);
  const auto kth = in_bucket.begin() + static_cast<std::ptrdiff_t>(k - above - 1);
  std::nth_element(in_bucket.begin(), kth, in_bucket.end(), std::greater<float>());
  const float cut = *kth;
  std::vector<Ranked>& top = buffers->top;
  top.resize(n);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    top[kept] = Ranked{d.weight[i], d.hash[i], static_cast<std::uint32_t>(i)};
    kept += d.weight[i] >= cut;
  }
  top.resize(kept);
  std::sort(top.begin(), top.end(), [](const Ranked& x, const Ranked& y) {
    return x.weight != y.weight ? x.weight > y.weight : x.hash < y.hash;
  });
  std::vector<std::uint32_t> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = top[i].id;
  ReleaseHuge(in_bucket, top);
  return out;
}

// The document's distinct numbers with two or more digits, years left out, sorted.
std::vector<std::uint64_t> Numbers(std::span<const Word> words) {
  std::vector<std::uint64_t> numbers;
  for (const Word& w : words) {
    if (w.number && w.digits >= 2 && !w.year) numbers.push_back(w.hash);
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

// The document's word vector, sorted by (32-bit) hash; sets *rank_of[id] to
// each distinct word's position in it. Returns false, leaving *rank_of
// empty, when two distinct words share their low 32 bits: their order is
// then the one std::sort gives, which the caller reproduces.
struct SortBuffers {
  std::vector<std::uint64_t> keys, spare;
};
bool SortedTerms(const DocWeights& doc, WeightedTerms* terms, std::vector<std::uint32_t>* rank_of,
                 SortBuffers* buffers) {
  const std::size_t n = doc.hash.size();
  double sq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sq += static_cast<double>(doc.norm_weight[i]) * doc.norm_weight[i];
    terms->mass += doc.weight[i];
  }
  terms->norm = std::sqrt(sq);
  // Keys (hash, id) sort as one integer.
  std::vector<std::uint64_t>& keys = buffers->keys;
  keys.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(doc.hash[i])) << 32) | i;
  }
  // LSD radix sort on the hash bytes: stable, so equal hashes stay in id
  // order, as std::sort of the whole keys would leave them.
  std::vector<std::uint64_t>& spare = buffers->spare;
  spare.resize(n);
  for (int shift = 32; shift < 64; shift += 8) {
    std::array<std::uint32_t, 257> at{};
    for (std::uint64_t key : keys) ++at[((key >> shift) & 0xFF) + 1];
    for (std::size_t b = 1; b < at.size(); ++b) at[b] += at[b - 1];
    for (std::uint64_t key : keys) spare[at[(key >> shift) & 0xFF]++] = key;
    keys.swap(spare);
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((keys[k] >> 32) == (keys[k - 1] >> 32)) {
      terms->distinct_hashes = false;
      terms->terms.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        terms->terms.push_back(
            WeightedTerm{static_cast<std::uint32_t>(doc.hash[i]), doc.weight[i]});
      }
      std::sort(terms->terms.begin(), terms->terms.end(),
                [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; });
      ReleaseHuge(keys, spare);
      return false;
    }
  }
  terms->terms.resize(n);
  rank_of->resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto id = static_cast<std::uint32_t>(keys[k]);
    terms->terms[k] = WeightedTerm{static_cast<std::uint32_t>(keys[k] >> 32), doc.weight[id]};
    (*rank_of)[id] = static_cast<std::uint32_t>(k);
  }
  ReleaseHuge(keys, spare);
  return true;
}

// The document's dateline (Dateline in story.h) in its first kDatelineBytes
// bytes. The strict pattern fires on wire items and on few news articles
// (6 of 462 in ecbplus-dev, 3 of 78 in gvc-val); a looser "first date in the
// opening" also caught the dates of the events reported and cost recall
// (docs/STORY_LEVEL.md). The same rule as bench/story/proto.py's with dmy=1.
constexpr std::size_t kDatelineBytes = 250;

bool Space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }

// The length of the dash (-, en or em dash) at text[at], 0 when none.
std::size_t Dash(std::string_view text, std::size_t at) {
  if (at < text.size() && text[at] == '-') return 1;
  if (text.substr(at, 3) == "\xE2\x80\x93" || text.substr(at, 3) == "\xE2\x80\x94") return 3;
  return 0;
}

// After the day and month: [,]<spaces><4 digits>, optional; then spaces, an
// optional ')', spaces and a dash. Tries with the year first, as the regex
// does, and sets *year to it (0 without).
bool DatelineEnd(std::string_view text, std::size_t at, int* year) {
  auto tail = [&](std::size_t p) {
    while (p < text.size() && Space(text[p])) ++p;
    if (p < text.size() && text[p] == ')') ++p;
    while (p < text.size() && Space(text[p])) ++p;
    return Dash(text, p) > 0;
  };
  std::size_t p = at;
  if (p < text.size() && text[p] == ',') ++p;
  const std::size_t spaces = p;
  while (p < text.size() && Space(text[p])) ++p;
  if (p > spaces && p + 4 <= text.size() && Digit(text[p]) && Digit(text[p + 1]) &&
      Digit(text[p + 2]) && Digit(text[p + 3]) && tail(p + 4)) {
    *year = (text[p] - '0') * 1000 + (text[p + 1] - '0') * 100 + (text[p + 2] - '0') * 10 +
            (text[p + 3] - '0');
    return true;
  }
  *year = 0;
  return tail(at);
}

struct Month {
  int first_day;        // days of the year before it; -1: no month name
  std::size_t end = 0;  // where the name (and a '.' after it) ends
};

// The month name (or its abbreviation) at text[at], any case, longest first
// as the prototype's alternation.
Month MonthAt(std::string_view text, std::size_t at) {
  struct Name {
    std::string_view name;
    int first_day;
  };
  static constexpr Name kMonths[] = {
      {"september", 243}, {"february", 31}, {"november", 304}, {"december", 334}, {"january", 0},
      {"october", 273},   {"august", 212},  {"march", 59},     {"april", 90},     {"sept", 243},
      {"june", 151},      {"july", 181},    {"jan", 0},        {"feb", 31},       {"mar", 59},
      {"apr", 90},        {"may", 120},     {"jun", 151},      {"jul", 181},      {"aug", 212},
      {"sep", 243},       {"oct", 273},     {"nov", 304},      {"dec", 334}};
  for (const Name& month : kMonths) {
    if (at + month.name.size() > text.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < month.name.size() && same; ++k) {
      const char c = text[at + k];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == month.name[k];
    }
    if (!same) continue;
    std::size_t p = at + month.name.size();
    if (p < text.size() && text[p] == '.') ++p;
    return Month{month.first_day, p};
  }
  return Month{-1};
}

// One or two digits at text[at], not followed by a third: their value (the
// day), or -1.
int DayAt(std::string_view text, std::size_t at, std::size_t* end) {
  std::size_t p = at;
  while (p < text.size() && Digit(text[p]) && p - at < 3) ++p;
  if (p == at || p - at > 2) return -1;
  *end = p;
  return p - at == 1 ? text[at] - '0' : (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// A dateline starting at `at` ("June 6 -", "6 June 2014 -"): false when none;
// *day 0 when it names an impossible day.
bool DatelineAt(std::string_view text, std::size_t at, Dateline* out) {
  int day = -1;
  int first_day = -1;
  int year = 0;
  std::size_t p = at;
  if (const Month first = MonthAt(text, at); first.first_day >= 0) {  // month, day
    p = first.end;
    const std::size_t spaces = p;
    while (p < text.size() && Space(text[p])) ++p;
    if (p == spaces || (day = DayAt(text, p, &p)) < 0) return false;
    first_day = first.first_day;
  } else {  // day, month
    if ((day = DayAt(text, p, &p)) < 0) return false;
    const std::size_t spaces = p;
    while (p < text.size() && Space(text[p])) ++p;
    const Month month = MonthAt(text, p);
    if (p == spaces || month.first_day < 0) return false;
    p = month.end;
    first_day = month.first_day;
  }
  if (!DatelineEnd(text, p, &year)) return false;
  out->day = static_cast<std::uint16_t>(day >= 1 && day <= 31 ? first_day + day : 0);
  out->year = static_cast<std::uint16_t>(year);
  return true;
}

Dateline FindDateline(std::string_view original) {
  const std::string_view text = original.substr(0, std::min(original.size(), kDatelineBytes));
  Dateline found;
  for (std::size_t p = 0; p < text.size(); ++p) {
    if ((p == 0 || text[p - 1] == '\n') && DatelineAt(text, p, &found)) return found;
    if (text[p] == ',' || text[p] == '(') {
      std::size_t q = p + 1;
      while (q < text.size() && Space(text[q])) ++q;
      if (DatelineAt(text, q, &found)) return found;
    }
  }
  return Dateline{};
}

// A document's sentences (the align stage's segmentation; each word belongs
// to the sentence whose byte range holds its start; sentences without words
// left out), its lead, and its words marked as names or numbers.
struct Segments {
  std::vector<TextSpan> spans;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> words;  // each sentence's words [first, end)
  // Positions of the names (capitalized, not a sentence's first word) and of
  // the numbers (>= 2 digits, not years), rising.
  std::vector<std::uint32_t> marked;
  std::uint32_t lead_words = 0;  // words before the end of the lead

  void ReleaseHuge() { neardup::ReleaseHuge(spans, words, marked); }
};

void Segment(std::string_view original, std::span<const Word> words, const StoryOptions& options,
             Segments* out) {
  out->spans.clear();
  out->words.clear();
  out->marked.clear();
  std::size_t w = 0;
  int lead = 0;  // sentences of the lead seen
  out->lead_words = options.lead_sentences > 0 ? static_cast<std::uint32_t>(words.size()) : 0;
  for (const Sentence& s : SegmentSentences(original)) {
    while (w < words.size() && words[w].orig_begin < s.begin) ++w;
    const std::size_t first = w;
    while (w < words.size() && words[w].orig_begin < s.end) ++w;
    if (w == first) continue;
    for (std::size_t i = first; i < w; ++i) {
      const Word& word = words[i];
      if ((word.number && word.digits >= 2 && !word.year) || (word.capital && i != first)) {
        out->marked.push_back(static_cast<std::uint32_t>(i));
      }
    }
    if (++lead == options.lead_sentences) out->lead_words = static_cast<std::uint32_t>(w);
    out->spans.push_back(TextSpan{s.begin, s.end});
    out->words.emplace_back(static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(w));
  }
}

// counts in 8 bits each, those of StoryDraft::kWide or more as
// (index, count) in *wide.
void Narrow(const std::vector<std::uint32_t>& counts, std::vector<std::uint8_t>* narrow,
            std::vector<std::pair<std::uint32_t, std::uint32_t>>* wide) {
  narrow->resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < StoryDraft::kWide) {
      (*narrow)[i] = static_cast<std::uint8_t>(counts[i]);
    } else {
      (*narrow)[i] = StoryDraft::kWide;
      wide->emplace_back(static_cast<std::uint32_t>(i), counts[i]);
    }
  }
}

// Counts of StoryDraft::tf or feature_tf, widened to 32 bits.
void Widen(const std::vector<std::uint8_t>& narrow,
           const std::vector<std::pair<std::uint32_t, std::uint32_t>>& wide,
           std::vector<std::uint32_t>* counts) {
  counts->assign(narrow.begin(), narrow.end());
  for (const auto& [i, count] : wide) (*counts)[i] = count;
}

// The draft of a document whose words, distinct words and segments are at hand.
struct DraftBuffers {
  std::vector<std::uint32_t> tf, feature_tf;
};
StoryDraft Draft(std::string_view original, std::span<const Word> words, const DocWeights& d,
                 const Segments& segments, const StoryOptions& options, DraftBuffers* buffers) {
  StoryDraft draft;
  draft.hashes.assign(d.hash.begin(), d.hash.end());
  draft.words = static_cast<std::uint32_t>(words.size());
  draft.dateline = FindDateline(original);
  const std::size_t distinct = d.hash.size();
  // Term counts, a word of the lead counting lead_weight times.
  const auto lead_weight = static_cast<std::uint32_t>(std::max(1, options.lead_weight));
  const std::size_t lead_words = std::min<std::size_t>(segments.lead_words, words.size());
  std::vector<std::uint32_t>& tf = buffers->tf;
  tf.assign(d.tf.begin(), d.tf.end());
  for (std::size_t i = 0; i < lead_words; ++i) tf[d.word_id[i]] += lead_weight - 1;
  // The same counts of the words marked as names or numbers.
  std::vector<std::uint32_t>& feature_tf = buffers->feature_tf;
  feature_tf.assign(distinct, 0);
  for (const std::uint32_t at : segments.marked) {
    feature_tf[d.word_id[at]] += at < lead_words ? lead_weight : 1;
  }
  Narrow(tf, &draft.tf, &draft.wide_tf);
  Narrow(feature_tf, &draft.feature_tf, &draft.wide_feature_tf);
  ReleaseHuge(tf, feature_tf);
  return draft;
}

// Sets text->salient_hashes and text->salient: the document's heaviest
// words (at most kExplainedTerms), heaviest first, and each as first written.
// REQUIRES: d holds the distinct words of `words` (FindDistinct).
void SalientWords(std::string_view original, std::span<const Word> words, DocWeights* d,
                  const TermRarity& rarity, const StoryOptions& options, StoryText* text,
                  HeaviestBuffers* buffers) {
  Weigh(rarity, d);
  const std::vector<std::uint32_t> salient =
      Heaviest(*d, std::min(options.salient_terms, static_cast<int>(kExplainedTerms)), buffers);
  text->salient_hashes.clear();
  text->salient.clear();
  text->salient_hashes.reserve(salient.size());
  text->salient.reserve(salient.size());
  for (std::uint32_t id : salient) {
    const Word& w = words[d->first_word[id]];
    text->salient_hashes.push_back(d->hash[id]);
    text->salient.emplace_back(original.substr(w.orig_begin, w.orig_end - w.orig_begin));
  }
}

// A sentence vector's entry: (1 + ln tf) x idf within the sentence, idf
// from the document's words, over the vector's norm.
struct Posting {
  std::uint32_t id;  // distinct word
  std::uint32_t sentence;
  float weight;
};

struct HashedPosting {
  std::uint32_t hash;
  std::uint32_t sentence;
  float weight;
};

// AddSentences' buffers.
struct SentenceBuffers {
  std::vector<std::uint32_t> rank_of;
  std::vector<Posting> postings;        // in sentence order
  std::vector<std::uint32_t> per_word;  // postings of each word
  std::vector<std::uint32_t> tf_in;     // per distinct word: count in the sentence
  std::vector<std::uint32_t> earlier, fresh;
  std::vector<std::uint32_t> next;  // per word: its next posting slot
  std::vector<HashedPosting> sorted;
};

// Each distinct word's rank among the terms of *text (its own term, not its
// feature's), when the 32-bit hashes are distinct; else empty.
void RankWords(const DocWeights& doc, const StoryText& text, std::vector<std::uint32_t>* rank_of) {
  const std::vector<WeightedTerm>& sorted_terms = text.terms.terms;
  rank_of->resize(text.terms.distinct_hashes ? doc.hash.size() : 0);
  for (std::size_t id = 0; id < rank_of->size(); ++id) {
    const auto h = static_cast<std::uint32_t>(doc.hash[id]);
    (*rank_of)[id] = static_cast<std::uint32_t>(
        std::lower_bound(sorted_terms.begin(), sorted_terms.end(), h,
                         [](const WeightedTerm& t, std::uint32_t x) { return t.hash < x; }) -
        sorted_terms.begin());
  }
}

// Appends the numbers (any number word) of words[first, end) to
// out->sentence_numbers, sorted and distinct, and sets the sentence's range
// of them.
void AddSentenceNumbers(std::span<const Word> words, std::size_t first, std::size_t end,
                        StorySentence* sentence, StoryText* out) {
  const std::size_t numbers_begin = out->sentence_numbers.size();
  for (std::size_t i = first; i < end; ++i) {
    if (words[i].number) out->sentence_numbers.push_back(words[i].hash);
  }
  const auto b = out->sentence_numbers.begin() + static_cast<std::ptrdiff_t>(numbers_begin);
  std::sort(b, out->sentence_numbers.end());
  out->sentence_numbers.erase(std::unique(b, out->sentence_numbers.end()),
                              out->sentence_numbers.end());
  sentence->numbers_begin = static_cast<std::uint32_t>(numbers_begin);
  sentence->numbers_end = static_cast<std::uint32_t>(out->sentence_numbers.size());
}

// Sets out->sentences (span, numbers, mass) and out->sentence_numbers, and
// fills *postings with the sentence vectors in sentence order and, when
// `ranked`, *per_word with each distinct word's number of postings.
void SentenceVectors(std::span<const Word> words, const DocWeights& doc, const Segments& segments,
                     bool ranked, StoryText* out, SentenceBuffers* buffers) {
  std::vector<Posting>* postings = &buffers->postings;
  std::vector<std::uint32_t>* per_word = &buffers->per_word;
  const std::vector<std::uint32_t>& word_id = doc.word_id;
  // Sized for the most there can be (a posting per word; a sentence's
  // distinct words at most its words) and filled through pointers.
  postings->resize(word_id.size());
  Posting* posting = postings->data();
  per_word->assign(ranked ? doc.hash.size() : 0, 0);
  std::size_t w = 0;
  // A sentence's distinct words in increasing id (first occurrence) order,
  // without sorting them all: ids at or above `bound` first occur in this
  // sentence and come in increasing order; only the earlier ones are sorted.
  std::vector<std::uint32_t>& tf_in = buffers->tf_in;
  tf_in.assign(doc.hash.size(), 0);
  std::vector<std::uint32_t>& earlier = buffers->earlier;
  std::vector<std::uint32_t>& fresh = buffers->fresh;
  earlier.resize(word_id.size());
  fresh.resize(word_id.size());
  std::uint32_t bound = 0;  // 1 + the largest id of the words before the sentence
  out->sentences.resize(segments.spans.size());
  out->sentence_numbers.clear();
  for (std::size_t index = 0; index < out->sentences.size(); ++index) {
    const auto [first, end] = segments.words[index];
    for (; w < first; ++w) bound = std::max<std::uint32_t>(bound, word_id[w] + 1u);
    w = end;
    StorySentence& sentence = out->sentences[index];
    sentence.span = segments.spans[index];
    AddSentenceNumbers(words, first, end, &sentence, out);
    std::uint32_t* earlier_end = earlier.data();
    std::uint32_t* fresh_end = fresh.data();
    for (std::size_t i = first; i < end; ++i) {
      const std::uint32_t id = word_id[i];
      if (tf_in[id]++ == 0) *(id < bound ? earlier_end++ : fresh_end++) = id;
    }
    if (fresh_end != fresh.data()) bound = fresh_end[-1] + 1;
    std::sort(earlier.data(), earlier_end);
    // Each posting first holds the word's weight (as a float), then that
    // over the sentence vector's norm.
    Posting* const sentence_postings = posting;
    double sq = 0;
    double mass = 0;
    for (const auto& [begin, stop] :
         {std::pair(earlier.data(), earlier_end), std::pair(fresh.data(), fresh_end)}) {
      for (const std::uint32_t* at = begin; at != stop; ++at) {
        const std::uint32_t id = *at;
        const double weight = LogTf(tf_in[id]) * static_cast<double>(doc.idf[id]);
        tf_in[id] = 0;
        *posting++ = Posting{id, static_cast<std::uint32_t>(index), static_cast<float>(weight)};
        sq += weight * weight;
        mass += weight;
      }
    }
    sentence.mass = mass;
    const double norm = std::sqrt(sq);
    for (Posting* p = sentence_postings; p != posting; ++p) {
      p->weight = static_cast<float>(p->weight / norm);
      if (ranked) ++(*per_word)[p->id];
    }
  }
  postings->resize(static_cast<std::size_t>(posting - postings->data()));
  ReleaseHuge(tf_in, earlier, fresh);
}

// Postings sorted by (hash, sentence) into out->postings and
// out->term_postings, with distinct 32-bit hashes: a counting sort by the
// word's rank among the terms (sentences already in order).
void SortPostingsByRank(std::span<const Posting> postings,
                        const std::vector<std::uint32_t>& rank_of,
                        const std::vector<std::uint32_t>& per_word, StoryText* out,
                        std::vector<std::uint32_t>* next_slot) {
  // term_postings[r]: where the postings of the term ranked r begin (a
  // feature's term has none).
  std::vector<std::uint32_t>& start = out->term_postings;
  for (std::size_t id = 0; id < rank_of.size(); ++id) start[rank_of[id]] = per_word[id];
  std::uint32_t at = 0;
  for (std::uint32_t& r : start) r = std::exchange(at, at + r);
  std::vector<std::uint32_t>& next = *next_slot;  // per word: its next posting slot
  next.resize(rank_of.size());
  for (std::size_t id = 0; id < rank_of.size(); ++id) next[id] = start[rank_of[id]];
  for (const Posting& p : postings)
    out->postings[next[p.id]++] = SentencePosting{p.sentence, p.weight};
  ReleaseHuge(next);
}

// As SortPostingsByRank when hashes may collide: std::sort, whose order
// among equal hashes is what the comparisons have always seen.
void SortPostingsByHash(std::span<const Posting> postings, const DocWeights& doc, StoryText* out,
                        std::vector<HashedPosting>* buffer) {
  const std::vector<WeightedTerm>& sorted_terms = out->terms.terms;
  const std::size_t terms = sorted_terms.size();
  std::vector<HashedPosting>& sorted = *buffer;
  sorted.resize(postings.size());
  for (std::size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    sorted[i] = HashedPosting{static_cast<std::uint32_t>(doc.hash[p.id]), p.sentence, p.weight};
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
    return x.hash != y.hash ? x.hash < y.hash : x.sentence < y.sentence;
  });
  std::size_t at = 0;  // the postings of hashes below terms[k]'s
  for (std::size_t k = 0; k <= terms; ++k) {
    while (at < sorted.size() && (k == terms || sorted[at].hash < sorted_terms[k].hash)) ++at;
    out->term_postings[k] = static_cast<std::uint32_t>(at);
  }
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out->postings[i] = SentencePosting{sorted[i].sentence, sorted[i].weight};
  }
  ReleaseHuge(sorted);
}

// Sets the sentence view of *out (sentences, postings, term_postings,
// sentence_numbers) and its numbers, from the document's words, distinct
// words (weighed under the rarity out->terms was) and segments.
// REQUIRES: out->terms holds the document's vector (FinishStoryText).
void AddSentences(std::span<const Word> words, const DocWeights& doc, const Segments& segments,
                  StoryText* out, SentenceBuffers* buffers) {
  out->numbers = Numbers(words);
  const bool ranked = out->terms.distinct_hashes;
  std::vector<std::uint32_t>& rank_of = buffers->rank_of;
  RankWords(doc, *out, &rank_of);
  const std::vector<Posting>& postings = buffers->postings;
  SentenceVectors(words, doc, segments, ranked, out, buffers);
  out->postings.resize(postings.size());
  out->term_postings.assign(out->terms.terms.size() + 1, 0);
  if (ranked) {
    SortPostingsByRank(postings, rank_of, buffers->per_word, out, &buffers->next);
  } else {
    SortPostingsByHash(postings, doc, out, &buffers->sorted);
  }
  ReleaseHuge(rank_of, buffers->postings, buffers->per_word);
}

// FinishStoryText's buffers: the draft's distinct words weighed, and more.
struct FinishBuffers {
  DocWeights doc;
  std::vector<std::uint32_t> feature_tf;
  std::vector<std::uint32_t> rank_of;  // unused: the postings are not built here
  SortBuffers sort;
};

// FinishStoryText, with buffers->doc holding the draft's words and their
// idf and uncapped idf.
StoryText Finish(StoryDraft draft, const StoryOptions& options, FinishBuffers* buffers) {
  DocWeights& doc = buffers->doc;
  StoryText out;
  out.words = draft.words;
  out.dateline = draft.dateline;
  const std::size_t distinct_words = doc.hash.size();
  Widen(draft.tf, draft.wide_tf, &doc.tf);
  WeighLooked(&doc);
  // Names and numbers are also features of their own, kFeatureKind ^ the
  // word's hash, weighing feature_weight x the word's weight at that count:
  // a story's specific facts count more than its vocabulary.
  std::vector<std::uint32_t>& feature_tf = buffers->feature_tf;
  Widen(draft.feature_tf, draft.wide_feature_tf, &feature_tf);
  for (std::size_t id = 0; id < distinct_words; ++id) {
    if (feature_tf[id] == 0) continue;
    const std::uint64_t hash = doc.hash[id] ^ kFeatureKind;
    out.marks.push_back(static_cast<std::uint32_t>(hash));
    const double tf = options.feature_weight * LogTf(feature_tf[id]);
    const float idf = doc.idf[id];
    const float uncapped = doc.uncapped_idf[id];
    doc.hash.push_back(hash);
    doc.tf.push_back(feature_tf[id]);
    doc.idf.push_back(idf);
    doc.uncapped_idf.push_back(uncapped);
    doc.weight.push_back(static_cast<float>(tf * idf));
    doc.norm_weight.push_back(static_cast<float>(tf * uncapped));
  }
  std::sort(out.marks.begin(), out.marks.end());
  out.marks.erase(std::unique(out.marks.begin(), out.marks.end()), out.marks.end());
  out.marks.shrink_to_fit();
  buffers->rank_of.clear();
  SortedTerms(doc, &out.terms, &buffers->rank_of, &buffers->sort);
  ReleaseHuge(buffers->rank_of, feature_tf);
  doc.ReleaseHuge();
  return out;
}

StoryText FinishWithRarity(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options,
                           FinishBuffers* buffers) {
  DocWeights& doc = buffers->doc;
  doc.hash.swap(draft.hashes);
  doc.idf.resize(doc.hash.size());
  doc.uncapped_idf.resize(doc.hash.size());
  rarity.Idf(doc.hash, doc.idf, doc.uncapped_idf);
  return Finish(std::move(draft), options, buffers);
}

}  // namespace

namespace internal {

// One group per step; the steps of one call nest (BuildStoryText finishes
// and weighs the words WithWords holds), so no two share a buffer.
struct StoryScratch::Buffers {
  std::vector<Word> words;             // WithWords
  DocWeights doc;                      // WithWords: the distinct words
  std::vector<std::uint32_t> slot_id;  // FindDistinct
  Segments segments;                   // WithSegments
  HeaviestBuffers heaviest;
  DraftBuffers draft;
  SentenceBuffers sentences;
  FinishBuffers finish;
};

StoryScratch::StoryScratch() : buffers_(std::make_unique<Buffers>()) {}
StoryScratch::~StoryScratch() = default;
StoryScratch::StoryScratch(StoryScratch&&) noexcept = default;
StoryScratch& StoryScratch::operator=(StoryScratch&&) noexcept = default;

}  // namespace internal

namespace {

using internal::StoryScratch;

// The public functions' scratch.
StoryScratch& ThreadScratch() {
  thread_local StoryScratch scratch;
  return scratch;
}

// Calls fn(words, distinct) with the document's words (Words) and its
// distinct words (FindDistinct), in the scratch's buffers, which a huge
// document does not leave grown.
template <class Fn>
void WithWords(std::string_view original, const NormalizedText& normalized,
               StoryScratch::Buffers& b, Fn&& fn) {
  Words(original, normalized, &b.words);
  FindDistinct(b.words, &b.doc, &b.slot_id);
  fn(std::span<const Word>(b.words), b.doc);
  ReleaseHuge(b.words);
  b.doc.ReleaseHuge();
}

// Calls fn(words, distinct, segments) as WithWords does, with the
// document's segments (Segment) too.
template <class Fn>
void WithSegments(std::string_view original, const NormalizedText& normalized,
                  const StoryOptions& options, StoryScratch::Buffers& b, Fn&& fn) {
  WithWords(original, normalized, b, [&](std::span<const Word> words, DocWeights& d) {
    Segment(original, words, options, &b.segments);
    fn(words, d, static_cast<const Segments&>(b.segments));
    b.segments.ReleaseHuge();
  });
}

}  // namespace

namespace internal {

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options,
                        StoryScratch& scratch) {
  StoryScratch::Buffers& b = scratch.buffers();
  StorySketch sketch;
  WithSegments(original, normalized, options, b,
               [&](std::span<const Word> words, DocWeights& d, const Segments& segments) {
                 Weigh(rarity, &d);
                 const std::vector<std::uint32_t> heaviest =
                     Heaviest(d, options.salient_terms, &b.heaviest);
                 sketch.salient.reserve(heaviest.size());  // exact: held for every document
                 for (std::uint32_t id : heaviest) sketch.salient.push_back(d.hash[id]);
                 sketch.draft = Draft(original, words, d, segments, options, &b.draft);
               });
  return sketch;
}

StoryText BuildStoryText(std::string_view original, const NormalizedText& nt,
                         const TermRarity& rarity, const StoryOptions& options,
                         StoryScratch& scratch) {
  StoryScratch::Buffers& b = scratch.buffers();
  StoryText out;
  WithSegments(original, nt, options, b,
               [&](std::span<const Word> words, DocWeights& d, const Segments& segments) {
                 out = FinishWithRarity(Draft(original, words, d, segments, options, &b.draft),
                                        rarity, options, &b.finish);
                 SalientWords(original, words, &d, rarity, options, &out, &b.heaviest);  // weighs d
                 AddSentences(words, d, segments, &out, &b.sentences);
               });
  out.word_pairs = WordPairHashes(nt);
  return out;
}

StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options,
                          StoryScratch& scratch) {
  FinishBuffers& buffers = scratch.buffers().finish;
  DocWeights& doc = buffers.doc;
  doc.hash.swap(draft.hashes);
  doc.idf.assign(idf.begin(), idf.end());
  doc.uncapped_idf.assign(uncapped_idf.begin(), uncapped_idf.end());
  return Finish(std::move(draft), options, &buffers);
}

}  // namespace internal

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options) {
  return internal::SketchStory(original, normalized, rarity, options, ThreadScratch());
}

StoryText BuildStoryText(std::string_view original, const TermRarity& rarity,
                         const StoryOptions& options) {
  return BuildStoryText(original, Normalize(original, options.normalize), rarity, options);
}

StoryText BuildStoryText(std::string_view original, const NormalizedText& nt,
                         const TermRarity& rarity, const StoryOptions& options) {
  return internal::BuildStoryText(original, nt, rarity, options, ThreadScratch());
}

void AddSalientWords(std::string_view original, const NormalizedText& normalized,
                     const TermRarity& rarity, const StoryOptions& options, StoryText* text) {
  StoryScratch::Buffers& b = ThreadScratch().buffers();
  WithWords(original, normalized, b, [&](std::span<const Word> words, DocWeights& d) {
    SalientWords(original, words, &d, rarity, options, text, &b.heaviest);
  });
}

StoryText FinishStoryText(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options) {
  return FinishWithRarity(std::move(draft), rarity, options, &ThreadScratch().buffers().finish);
}

StoryText FinishStoryText(StoryDraft draft, std::span<const float> idf,
                          std::span<const float> uncapped_idf, const StoryOptions& options) {
  return internal::FinishStoryText(std::move(draft), idf, uncapped_idf, options, ThreadScratch());
}

}  // namespace neardup
