// StoryText: weighted words and sentences of one document.
#include <algorithm>
#include <cmath>

#include "neardup/align.h"
#include "neardup/story.h"

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
  bool year;  // four digits, 19xx or 20xx
};

std::vector<Word> Words(std::string_view original, const NormalizedText& nt) {
  std::vector<Word> words;
  words.reserve(nt.tokens.size());
  std::string joined;
  for (std::size_t i = 0; i < nt.tokens.size(); ++i) {
    const std::string_view tok = nt.TokenText(i);
    const std::uint32_t begin = nt.tokens[i].orig_begin;
    if (!AllDigits(tok)) {
      words.push_back(Word{HashToken(tok, 0), begin, nt.tokens[i].orig_end, 0, false, false});
      continue;
    }
    joined.assign(tok);
    while (i + 1 < nt.tokens.size() && AllDigits(nt.TokenText(i + 1)) &&
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
    words.push_back(Word{HashToken(joined, 0), begin, nt.tokens[i].orig_end, digits, true, year});
  }
  return words;
}

// (1 + ln tf) x idf over words [first, last).
// The k heaviest of the counted words (weights parallel to counts),
// heaviest first, ties broken by hash.
std::vector<std::uint64_t> Heaviest(
    const std::vector<std::pair<std::uint64_t, std::uint32_t>>& counts,
    const std::vector<float>& weights, int k_max) {
  std::vector<std::pair<float, std::uint64_t>> by_weight(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) by_weight[i] = {weights[i], counts[i].first};
  const std::size_t k = std::min(by_weight.size(), static_cast<std::size_t>(std::max(0, k_max)));
  std::partial_sort(by_weight.begin(), by_weight.begin() + static_cast<std::ptrdiff_t>(k),
                    by_weight.end(), [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  std::vector<std::uint64_t> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = by_weight[i].second;
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

// Document-level weights: idf once per distinct word.
struct DocWeights {
  std::vector<std::pair<std::uint64_t, std::uint32_t>>
      counts;                          // (hash, tf), first occurrence order
  std::vector<float> idf;              // parallel to counts
  std::vector<float> weight;           // (1 + ln tf) x idf
  std::vector<std::uint32_t> word_id;  // per word of the document: its index in counts
};

DocWeights WeighDocument(std::span<const Word> words, const TermRarity& rarity) {
  DocWeights d;
  // Distinct words in order of first occurrence, found through a small
  // open-addressing table (linear in the words; nothing downstream needs them
  // sorted); each word learns its distinct index.
  std::size_t capacity = 16;
  while (capacity < words.size() * 2) capacity *= 2;
  const std::size_t mask = capacity - 1;
  std::vector<std::uint32_t> slot_id(capacity, UINT32_MAX);
  d.word_id.resize(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint64_t h = words[i].hash;
    std::size_t slot = static_cast<std::size_t>(h) & mask;
    while (slot_id[slot] != UINT32_MAX && d.counts[slot_id[slot]].first != h) {
      slot = (slot + 1) & mask;
    }
    if (slot_id[slot] == UINT32_MAX) {
      slot_id[slot] = static_cast<std::uint32_t>(d.counts.size());
      d.counts.emplace_back(h, 0);
    }
    ++d.counts[slot_id[slot]].second;
    d.word_id[i] = slot_id[slot];
  }
  d.idf.resize(d.counts.size());
  d.weight.resize(d.counts.size());
  for (std::size_t i = 0; i < d.counts.size(); ++i) {
    d.idf[i] = static_cast<float>(rarity.Idf(d.counts[i].first));
    d.weight[i] =
        static_cast<float>((1.0 + std::log(static_cast<double>(d.counts[i].second))) * d.idf[i]);
  }
  return d;
}

}  // namespace

StorySketch SketchStory(std::string_view original, const NormalizedText& normalized,
                        const TermRarity& rarity, const StoryOptions& options,
                        std::vector<std::uint64_t>* distinct) {
  const std::vector<Word> words = Words(original, normalized);
  const DocWeights d = WeighDocument(words, rarity);
  if (distinct) {
    distinct->clear();
    for (const auto& [hash, tf] : d.counts) distinct->push_back(hash);
  }
  return StorySketch{Heaviest(d.counts, d.weight, options.salient_terms), Numbers(words)};
}

StoryText BuildStoryText(std::string_view original, const TermRarity& rarity,
                         const StoryOptions& options) {
  return BuildStoryText(original, Normalize(original, options.normalize), rarity, options);
}

StoryText BuildStoryText(std::string_view original, const NormalizedText& nt,
                         const TermRarity& rarity, const StoryOptions& options) {
  StoryText out;
  const std::vector<Word> words = Words(original, nt);
  out.words = words.size();
  const DocWeights doc = WeighDocument(words, rarity);
  {
    double sq = 0;
    out.terms.terms.reserve(doc.counts.size());
    for (std::size_t i = 0; i < doc.counts.size(); ++i) {
      out.terms.terms.push_back(
          WeightedTerm{static_cast<std::uint32_t>(doc.counts[i].first), doc.weight[i]});
      sq += static_cast<double>(doc.weight[i]) * doc.weight[i];
      out.terms.mass += doc.weight[i];
    }
    out.terms.norm = std::sqrt(sq);
    std::sort(out.terms.terms.begin(), out.terms.terms.end(),
              [](const WeightedTerm& x, const WeightedTerm& y) { return x.hash < y.hash; });
  }

  out.numbers = Numbers(words);

  // Salient words: the heaviest of the document.
  out.salient_hashes = Heaviest(doc.counts, doc.weight, options.salient_terms);
  for (std::size_t i = 0; i < out.salient_hashes.size() && i < kExplainedTerms; ++i) {
    const std::uint64_t h = out.salient_hashes[i];
    const auto w =
        std::find_if(words.begin(), words.end(), [h](const Word& x) { return x.hash == h; });
    out.salient.emplace_back(original.substr(w->orig_begin, w->orig_end - w->orig_begin));
  }

  // Sentences: the align stage's segmentation; each word belongs to the
  // sentence whose byte range holds its start.
  std::size_t w = 0;
  std::vector<std::uint32_t> ids;
  std::vector<std::pair<std::uint32_t, float>> weights;  // (word id, weight) in one sentence
  for (const Sentence& s : SegmentSentences(original)) {
    while (w < words.size() && words[w].orig_begin < s.begin) ++w;
    const std::size_t first = w;
    while (w < words.size() && words[w].orig_begin < s.end) ++w;
    if (w == first) continue;
    StorySentence sentence;
    sentence.span = TextSpan{s.begin, s.end};
    const std::span<const Word> sw(words.data() + first, w - first);
    // (1 + ln tf) x idf within the sentence, idf from the document's words.
    ids.assign(doc.word_id.begin() + static_cast<std::ptrdiff_t>(first),
               doc.word_id.begin() + static_cast<std::ptrdiff_t>(w));
    std::sort(ids.begin(), ids.end());
    weights.clear();
    double sq = 0;
    for (std::size_t i = 0; i < ids.size();) {
      std::size_t j = i + 1;
      while (j < ids.size() && ids[j] == ids[i]) ++j;
      const double weight =
          (1.0 + std::log(static_cast<double>(j - i))) * static_cast<double>(doc.idf[ids[i]]);
      weights.emplace_back(ids[i], static_cast<float>(weight));
      sq += weight * weight;
      sentence.mass += weight;
      i = j;
    }
    const double norm = std::sqrt(sq);
    const auto index = static_cast<std::uint32_t>(out.sentences.size());
    for (const auto& [id, weight] : weights) {
      out.postings.push_back(SentencePosting{static_cast<std::uint32_t>(doc.counts[id].first),
                                             index, static_cast<float>(weight / norm)});
    }
    for (const Word& x : sw) {
      if (x.number) sentence.numbers.push_back(x.hash);
    }
    std::sort(sentence.numbers.begin(), sentence.numbers.end());
    sentence.numbers.erase(std::unique(sentence.numbers.begin(), sentence.numbers.end()),
                           sentence.numbers.end());
    out.sentences.push_back(std::move(sentence));
  }
  std::sort(out.postings.begin(), out.postings.end(), [](const auto& x, const auto& y) {
    return x.hash != y.hash ? x.hash < y.hash : x.sentence < y.sentence;
  });
  return out;
}

}  // namespace neardup
