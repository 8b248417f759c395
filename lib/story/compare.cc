// StorySimilarity: the weighted cosine, with the dateline penalty.
// CompareStories: that, and sentence coverage and number agreement for
// explanations.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "neardup/story.h"
#include "story/pair_scratch.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace neardup {
namespace {

// Calls on_common(x, y) for each pair of elements with equal keys in two
// ranges sorted by key, matching them one to one.
template <typename RangeA, typename RangeB, typename Key, typename Fn>
void ForEachCommon(const RangeA& a, const RangeB& b, Key key, Fn on_common) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (key(*i) < key(*j)) {
      ++i;
    } else if (key(*j) < key(*i)) {
      ++j;
    } else {
      on_common(*i, *j);
      ++i;
      ++j;
    }
  }
}

#if defined(__SSE2__)
// The hashes and the weights of the four terms at t, out of their
// (hash, weight) pairs.
__m128i FourHashes(const WeightedTerm* t) {
  const __m128 low = _mm_loadu_ps(reinterpret_cast<const float*>(t));       // h0 w0 h1 w1
  const __m128 high = _mm_loadu_ps(reinterpret_cast<const float*>(t + 2));  // h2 w2 h3 w3
  return _mm_castps_si128(_mm_shuffle_ps(low, high, _MM_SHUFFLE(2, 0, 2, 0)));
}
__m128 FourWeights(const WeightedTerm* t) {
  const __m128 low = _mm_loadu_ps(reinterpret_cast<const float*>(t));
  const __m128 high = _mm_loadu_ps(reinterpret_cast<const float*>(t + 2));
  return _mm_shuffle_ps(low, high, _MM_SHUFFLE(3, 1, 3, 1));
}

// Cosine's merge four terms a side at a time, while both sides have four
// left: all 16 pairs of hashes are compared at once, and the block with the
// smaller last hash moves on (both on a tie), as the merge one term at a
// time would. x's four products (0 without a common term, which leaves the
// sum's bits alone) are added in x's order, so common terms are added in
// hash order, as that merge adds them, and the sum keeps its bits. Leaves
// *x and *y where that merge goes on.
// REQUIRES: distinct hashes on each side (a term then has one counterpart).
void DotInBlocks(const WeightedTerm** x, const WeightedTerm* x_end, const WeightedTerm** y,
                 const WeightedTerm* y_end, double* dot) {
  while (x_end - *x >= 4 && y_end - *y >= 4) {
    const __m128i x_hashes = FourHashes(*x);
    const __m128 x_weights = FourWeights(*x);
    __m128i y_hashes = FourHashes(*y);
    __m128 y_weights = FourWeights(*y);
    __m128 counterpart = _mm_setzero_ps();  // lane i: weight of y's term with x's hash i, or 0
    __m128 matched = _mm_setzero_ps();      // lane i: all ones when x's term i has a counterpart
    for (int rotation = 0; rotation < 4; ++rotation) {
      const __m128 equal = _mm_castsi128_ps(_mm_cmpeq_epi32(x_hashes, y_hashes));
      counterpart = _mm_or_ps(counterpart, _mm_and_ps(equal, y_weights));
      matched = _mm_or_ps(matched, equal);
      y_hashes = _mm_shuffle_epi32(y_hashes, _MM_SHUFFLE(0, 3, 2, 1));  // lane i takes i + 1
      y_weights = _mm_shuffle_ps(y_weights, y_weights, _MM_SHUFFLE(0, 3, 2, 1));
    }
    // The four additions are one chain of dependent adds, the merge's cost:
    // a block without a common term (most blocks) adds only zeros, which
    // leave the sum's bits alone, so it adds nothing.
    if (_mm_movemask_ps(matched) != 0) {
      // In double, as the merge multiplies: the products of lanes 0, 1 and 2, 3.
      const __m128d low = _mm_mul_pd(_mm_cvtps_pd(x_weights), _mm_cvtps_pd(counterpart));
      const __m128d high = _mm_mul_pd(_mm_cvtps_pd(_mm_movehl_ps(x_weights, x_weights)),
                                      _mm_cvtps_pd(_mm_movehl_ps(counterpart, counterpart)));
      *dot += _mm_cvtsd_f64(low);
      *dot += _mm_cvtsd_f64(_mm_unpackhi_pd(low, low));
      *dot += _mm_cvtsd_f64(high);
      *dot += _mm_cvtsd_f64(_mm_unpackhi_pd(high, high));
    }
    const std::uint32_t x_last = (*x)[3].hash;
    const std::uint32_t y_last = (*y)[3].hash;
    *x += x_last <= y_last ? 4 : 0;
    *y += y_last <= x_last ? 4 : 0;
  }
}
#endif

double Cosine(const WeightedTerms& a, const WeightedTerms& b) {
  if (a.norm == 0 || b.norm == 0) return 0;
  double dot = 0;
  const WeightedTerm* x = a.terms.data();
  const WeightedTerm* y = b.terms.data();
  const WeightedTerm* const x_end = x + a.terms.size();
  const WeightedTerm* const y_end = y + b.terms.size();
#if defined(__SSE2__)
  if (a.distinct_hashes && b.distinct_hashes) DotInBlocks(&x, x_end, &y, y_end, &dot);
#endif
  // The rest: ForEachCommon without branches on the keys, as the merge's
  // direction is unpredictable, and adding 0 for a non-match leaves the sum's
  // bits alone.
  while (x != x_end && y != y_end) {
    const std::uint32_t hx = x->hash;
    const std::uint32_t hy = y->hash;
    const double product = static_cast<double>(x->weight) * y->weight;
    dot += hx == hy ? product : 0.0;
    x += hx <= hy;
    y += hy <= hx;
  }
  return dot / (a.norm * b.norm);
}

std::size_t CommonCount(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  std::size_t common = 0;
  ForEachCommon(
      a, b, [](std::uint64_t h) { return h; },
      [&common](std::uint64_t, std::uint64_t) { ++common; });
  return common;
}

using internal::SentenceMatches;

// Sentence cosines from the postings of the words both documents hold, found
// by a merge of their terms. Rows of a are taken in blocks so the cosine
// matrix held at once stays under kMaxCells, whatever the documents' lengths.
// Fills *out (its buffers reused from call to call).
void Match(const StoryText& a, const StoryText& b, SentenceMatches* out,
           std::vector<float>* cos_buffer) {
  constexpr std::size_t kMaxCells = std::size_t{1} << 22;  // 16 MiB of floats
  const std::size_t na = a.sentences.size();
  const std::size_t nb = b.sentences.size();
  SentenceMatches& m = *out;
  m.a_cos.assign(na, -1.0f);
  m.b_cos.assign(nb, -1.0f);
  m.a_match.assign(na, 0);
  m.b_match.assign(nb, 0);
  const std::size_t rows = std::max<std::size_t>(1, kMaxCells / std::max<std::size_t>(1, nb));
  std::vector<float>& cos = *cos_buffer;
  for (std::size_t r0 = 0; r0 < na; r0 += rows) {
    const std::size_t r1 = std::min(na, r0 + rows);
    cos.assign((r1 - r0) * nb, 0.0f);
    // Common hashes from the terms (a hash's terms are adjacent, several
    // only on a collision), then their postings.
    const std::vector<WeightedTerm>& ta = a.terms.terms;
    const std::vector<WeightedTerm>& tb = b.terms.terms;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < ta.size() && j < tb.size()) {
      const std::uint32_t ha = ta[i].hash;
      const std::uint32_t hb = tb[j].hash;
      if (ha != hb) {
        i += ha < hb;
        j += hb < ha;
        continue;
      }
      std::size_t i_end = i + 1;
      while (i_end < ta.size() && ta[i_end].hash == ha) ++i_end;
      std::size_t j_end = j + 1;
      while (j_end < tb.size() && tb[j_end].hash == ha) ++j_end;
      const SentencePosting* const y_begin = b.postings.data() + b.term_postings[j];
      const SentencePosting* const y_end = b.postings.data() + b.term_postings[j_end];
      for (const SentencePosting* x = a.postings.data() + a.term_postings[i];
           x != a.postings.data() + a.term_postings[i_end]; ++x) {
        if (x->sentence < r0 || x->sentence >= r1) continue;
        float* row = &cos[(x->sentence - r0) * nb];
        for (const SentencePosting* y = y_begin; y != y_end; ++y) {
          row[y->sentence] += x->weight * y->weight;
        }
      }
      i = i_end;
      j = j_end;
    }
    // Row maxima, then column maxima (first on ties both ways); the column
    // pass has no branches, so it vectorizes.
    float* const b_cos = m.b_cos.data();
    std::uint32_t* const b_match = m.b_match.data();
    for (std::size_t r = r0; r < r1; ++r) {
      const float* row = &cos[(r - r0) * nb];
      float best = m.a_cos[r];
      std::uint32_t at = m.a_match[r];
      for (std::size_t c = 0; c < nb; ++c) {
        if (row[c] > best) {
          best = row[c];
          at = static_cast<std::uint32_t>(c);
        }
      }
      m.a_cos[r] = best;
      m.a_match[r] = at;
      const auto rr = static_cast<std::uint32_t>(r);
      for (std::size_t c = 0; c < nb; ++c) {
        const bool higher = row[c] > b_cos[c];
        b_cos[c] = higher ? row[c] : b_cos[c];
        b_match[c] = higher ? rr : b_match[c];
      }
    }
  }
}

// Share of x's sentence weight whose best match in y is a counterpart:
// cosine >= options.sentence_match and no conflicting numbers (both hold
// numbers, none in common).
double Coverage(const StoryText& x, const StoryText& y, const std::vector<float>& best_cos,
                const std::vector<std::uint32_t>& best, const StoryOptions& options,
                std::uint32_t* aligned) {
  double total = 0;
  double covered = 0;
  for (std::size_t i = 0; i < x.sentences.size(); ++i) {
    const StorySentence& s = x.sentences[i];
    total += s.mass;
    if (best_cos[i] < options.sentence_match) continue;
    const std::span<const std::uint64_t> sn = x.SentenceNumbers(i);
    const std::span<const std::uint64_t> tn = y.SentenceNumbers(best[i]);
    if (!sn.empty() && !tn.empty() && CommonCount(sn, tn) == 0) {
      continue;
    }
    covered += s.mass;
    if (aligned) ++*aligned;
  }
  return total > 0 ? covered / total : 0;
}

double Agreement(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                 const StoryOptions& options, std::size_t* common_out, std::size_t* union_out) {
  const std::size_t common = CommonCount(a, b);
  const std::size_t uni = a.size() + b.size() - common;
  if (common_out) *common_out = common;
  if (union_out) *union_out = uni;
  return (static_cast<double>(common) + options.number_prior_weight * options.number_prior) /
         (static_cast<double>(uni) + options.number_prior_weight);
}

}  // namespace

double NumberAgreement(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                       const StoryOptions& options) {
  return Agreement(a, b, options, nullptr, nullptr);
}

bool DatelinesConflict(Dateline a, Dateline b, int days) {
  if (a.day == 0 || b.day == 0) return false;
  if (a.year != 0 && b.year != 0) {  // both years given: days apart on a 365-day calendar
    return std::abs((a.year * 365 + a.day) - (b.year * 365 + b.day)) > days;
  }
  // Otherwise circular over the year: Dec 30 and Jan 2 are 3 days apart.
  const int gap = std::abs(static_cast<int>(a.day) - static_cast<int>(b.day));
  return std::min(gap, 365 - gap) > days;
}

namespace {

bool DatelineConflict(const StoryText& a, const StoryText& b, const StoryOptions& options) {
  return DatelinesConflict(a.dateline, b.dateline, options.dateline_days);
}

double Similarity(double cosine, bool dateline_conflict, const StoryOptions& options) {
  const double s = std::clamp(cosine, 0.0, 1.0);
  return dateline_conflict ? s * options.dateline_penalty : s;
}

}  // namespace

double StorySimilarity(const StoryText& a, const StoryText& b, const StoryOptions& options) {
  return Similarity(Cosine(a.terms, b.terms), DatelineConflict(a, b, options), options);
}

namespace {

// The dot product of the pair's mark features, stopping once it passes
// `stop` (it can only grow).
double MarksDot(const StoryText& a, const StoryText& b, double stop) {
  // The marks come in increasing hash order, and every term before the
  // previous mark's place has a smaller hash than the next mark: each side's
  // search starts there, and finds the term a search of all the terms would
  // (the first with that hash).
  auto weight_from = [](const WeightedTerm** from, const WeightedTerm* end, std::uint32_t hash) {
    *from = std::lower_bound(*from, end, hash,
                             [](const WeightedTerm& x, std::uint32_t h) { return x.hash < h; });
    return *from != end && (*from)->hash == hash ? (*from)->weight : 0.0f;
  };
  const WeightedTerm* in_a = a.terms.terms.data();
  const WeightedTerm* const a_end = in_a + a.terms.terms.size();
  const WeightedTerm* in_b = b.terms.terms.data();
  const WeightedTerm* const b_end = in_b + b.terms.terms.size();
  double marks = 0;
  auto i = a.marks.begin();
  auto j = b.marks.begin();
  while (i != a.marks.end() && j != b.marks.end() && marks <= stop) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      const float wa = weight_from(&in_a, a_end, *i);
      marks += static_cast<double>(wa) * weight_from(&in_b, b_end, *i);
      ++i;
      ++j;
    }
  }
  return marks;
}

}  // namespace

double WordPairContainment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t smaller = std::min(a.size(), b.size());
  if (smaller == 0) return 0;
  // ForEachCommon's count without branches on the keys (the merge's
  // direction is unpredictable): a pair is counted where both sides hold it.
  std::size_t common = 0;
  const std::uint32_t* x = a.data();
  const std::uint32_t* y = b.data();
  const std::uint32_t* const x_end = x + a.size();
  const std::uint32_t* const y_end = y + b.size();
  while (x != x_end && y != y_end) {
    const std::uint32_t hx = *x;
    const std::uint32_t hy = *y;
    common += hx == hy;
    x += hx <= hy;
    y += hy <= hx;
  }
  return static_cast<double>(common) / static_cast<double>(smaller);
}

double MarksShare(const StoryText& a, const StoryText& b) {
  return MarksShare(a, b, Cosine(a.terms, b.terms));
}

double MarksShare(const StoryText& a, const StoryText& b, double cosine) {
  const double dot = cosine * a.terms.norm * b.terms.norm;
  if (dot <= 0) return 0;
  return MarksDot(a, b, std::numeric_limits<double>::infinity()) / dot;
}

bool PhraseGated(const StoryText& a, const StoryText& b, double similarity,
                 const StoryOptions& options) {
  if (!PhraseGated(similarity, 0.0, options)) return false;
  // Marks share < phrase_exempt_marks, the marks' dot product summed only
  // until it reaches that share of the pair's.
  const double cosine = DatelineConflict(a, b, options) ? Cosine(a.terms, b.terms) : similarity;
  const double dot = cosine * a.terms.norm * b.terms.norm;
  if (dot <= 0) return false;
  const double stop = options.phrase_exempt_marks * dot;
  return MarksDot(a, b, stop) < stop;
}

StoryEvidence CompareStories(const StoryText& a, const StoryText& b, const StoryOptions& options) {
  internal::CompareScratch scratch;
  return internal::CompareStories(a, b, options, scratch);
}

StoryEvidence internal::CompareStories(const StoryText& a, const StoryText& b,
                                       const StoryOptions& options, CompareScratch& scratch) {
  StoryEvidence e;
  e.cosine = Cosine(a.terms, b.terms);
  e.dateline_conflict = DatelineConflict(a, b, options);
  e.similarity = Similarity(e.cosine, e.dateline_conflict, options);
  if (!a.sentences.empty() && !b.sentences.empty()) {
    SentenceMatches& m = scratch.matches;
    std::vector<float>& cos = scratch.cos;
    Match(a, b, &m, &cos);
    if (cos.capacity() > (std::size_t{1} << 20)) std::vector<float>().swap(cos);  // huge documents
    e.coverage_ab = Coverage(a, b, m.a_cos, m.a_match, options, &e.aligned_sentences);
    e.coverage_ba = Coverage(b, a, m.b_cos, m.b_match, options, nullptr);
  }
  e.coverage = std::min(e.coverage_ab, e.coverage_ba);
  std::size_t common = 0;
  std::size_t uni = 0;
  e.numbers = Agreement(a.numbers, b.numbers, options, &common, &uni);
  e.shared_numbers = static_cast<std::uint32_t>(common);
  e.union_numbers = static_cast<std::uint32_t>(uni);
  e.marks_share = MarksShare(a, b, e.cosine);
  e.phrase_gated = PhraseGated(e.similarity, e.marks_share, options);
  if (e.phrase_gated && !a.word_pairs.empty() && !b.word_pairs.empty()) {
    e.phrase_containment = WordPairContainment(a.word_pairs, b.word_pairs);
    e.phrase_gate = PhraseGate(e.phrase_containment, options);
  }
  return e;
}

std::vector<std::string> SharedSalientTerms(const StoryText& a, const StoryText& b) {
  std::vector<std::string> shared;
  for (std::size_t i = 0; i < a.salient.size(); ++i) {
    const auto h = static_cast<std::uint32_t>(a.salient_hashes[i]);
    const auto it =
        std::lower_bound(b.terms.terms.begin(), b.terms.terms.end(), h,
                         [](const WeightedTerm& t, std::uint32_t x) { return t.hash < x; });
    if (it != b.terms.terms.end() && it->hash == h) shared.push_back(a.salient[i]);
  }
  return shared;
}

}  // namespace neardup
