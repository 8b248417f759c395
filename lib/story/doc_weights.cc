// A document's distinct words and their weights: tf, idf, the heaviest
// words, the whole-document vector sorted by hash.
#include <algorithm>
#include <bit>
#include <functional>

#include "story/story_text_steps.h"

namespace neardup::internal::story_text {

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

void Weigh(const TermRarity& rarity, DocWeights* d) {
  const std::size_t n = d->hash.size();
  d->idf.resize(n);
  d->uncapped_idf.resize(n);
  rarity.Idf(d->hash, d->idf, d->uncapped_idf);
  WeighLooked(d);
}

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

bool SortedTerms(const DocWeights& doc, WeightedTerms* terms, SortBuffers* buffers) {
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
  for (std::size_t k = 0; k < n; ++k) {
    const auto id = static_cast<std::uint32_t>(keys[k]);
    terms->terms[k] = WeightedTerm{static_cast<std::uint32_t>(keys[k] >> 32), doc.weight[id]};
  }
  ReleaseHuge(keys, spare);
  return true;
}

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

}  // namespace neardup::internal::story_text
