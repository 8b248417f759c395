// StoryPairScorer: StorySimilarity and PhraseGated of the pairs of one
// document, by lookups of the partners' terms in a table of its terms.
//
// Cosine merges two sorted term lists: about 680 steps for two documents of
// 340 terms, most of them between terms the other document lacks. The
// level scores 1.6M candidate pairs at 100k documents (the generated
// corpus), and they come sorted by their first document, which has 20 or so
// partners on average: its terms go into a table once, and each partner's
// terms are looked up there, 340 lookups without a branch on their outcome.
//
// Same bits: Cosine's dot product is the sum, in increasing hash order, of
// double(weight in a) x double(weight in b) over the common hashes (its
// zeros for terms without a counterpart leave the sum alone: it is never
// -0). The partner's terms come in increasing hash order, so its matched
// products, kept in that order and summed, are that sum. The marks' dot
// product (PhraseGated) is the same sum over the common marks, whose terms
// are among those matched; it stops as PhraseGated's does.
#include <algorithm>
#include <bit>
#include <limits>

#include "neardup/story.h"
#include "story/probe_window.h"

namespace neardup {
namespace {

// A term lies at most this many slots past its home slot, so a lookup reads
// the home slot and the next kWindow - 1 at once.
constexpr std::size_t kWindow = internal::kProbeWindow;
// Tables grow to at most 2^kMaxBits slots (a document of 250k terms);
// larger documents are scored by StorySimilarity and PhraseGated.
constexpr int kMaxBits = 20;

}  // namespace

void StoryPairScorer::Index(const StoryText& a) {
  indexed_ = &a;
  const std::vector<WeightedTerm>& terms = a.terms.terms;
  usable_ = a.terms.distinct_hashes;
  if (!usable_) return;
  // The smallest hash no term has marks the empty slots: a partner's term
  // of that hash finds an empty slot, of weight 0, and adds a product of 0.
  empty_ = 0;
  for (const WeightedTerm& t : terms) {
    if (t.hash != empty_) break;
    ++empty_;
  }
  // At most a quarter full, and larger until no term lies kWindow or more
  // slots past its home (linear probing, no wrap: the table has kWindow - 1
  // slots past its end).
  int bits = 4;
  while ((std::size_t{1} << bits) < 4 * terms.size()) ++bits;
  for (;; ++bits) {
    if (bits > kMaxBits) {
      usable_ = false;
      return;
    }
    const std::size_t slots = (std::size_t{1} << bits) + kWindow - 1;
    shift_ = 32 - bits;
    keys_.assign(slots, empty_);
    weights_.assign(slots, 0.0f);
    marks_.assign(slots, 0);
    bool placed = true;
    auto mark = a.marks.begin();
    for (const WeightedTerm& t : terms) {
      const std::size_t home = t.hash >> shift_;
      std::size_t s = home;
      while (s < slots && keys_[s] != empty_) ++s;
      if (s - home >= kWindow) {
        placed = false;
        break;
      }
      keys_[s] = t.hash;
      weights_[s] = t.weight;
      // The marks are sorted and each is a term's hash.
      while (mark != a.marks.end() && *mark < t.hash) ++mark;
      marks_[s] = mark != a.marks.end() && *mark == t.hash;
    }
    if (placed) return;
  }
}

bool StoryPairScorer::Score(const StoryText& a, const StoryText& b, double* similarity) {
  if (indexed_ != &a) Index(a);
  if (!usable_ || !b.terms.distinct_hashes) {
    *similarity = StorySimilarity(a, b, *options_);
    return PhraseGated(a, b, *similarity, *options_);
  }
  const std::vector<WeightedTerm>& terms = b.terms.terms;
  products_.resize(terms.size());
  mark_products_.resize(terms.size());
  double* product = products_.data();
  double* mark_product = mark_products_.data();
  auto mark = b.marks.begin();
  const auto marks_end = b.marks.end();
  const std::uint32_t* const keys = keys_.data();
  for (const WeightedTerm& t : terms) {
    bool found = false;
    const std::size_t home = t.hash >> shift_;
    const std::size_t s = home + internal::FindInWindow(keys + home, t.hash, &found);
    // b's marks are sorted and each is one of its terms' hashes: the next
    // one is this term's when it is a mark.
    const bool b_mark = mark != marks_end && *mark == t.hash;
    mark += b_mark;
    const double p = static_cast<double>(weights_[s]) * static_cast<double>(t.weight);
    *product = p;
    *mark_product = p;
    product += found;
    mark_product += found & b_mark & (marks_[s] != 0);
  }
  double cosine = 0;
  if (a.terms.norm != 0 && b.terms.norm != 0) {
    double dot = 0;
    for (const double* p = products_.data(); p != product; ++p) dot += *p;
    cosine = dot / (a.terms.norm * b.terms.norm);
  }
  // StorySimilarity and PhraseGated, from this cosine and these marks.
  const bool conflict = DatelinesConflict(a.dateline, b.dateline, options_->dateline_days);
  const double clamped = std::clamp(cosine, 0.0, 1.0);
  *similarity = conflict ? clamped * options_->dateline_penalty : clamped;
  if (!PhraseGated(*similarity, 0.0, *options_)) return false;
  const double dot = (conflict ? cosine : *similarity) * a.terms.norm * b.terms.norm;
  if (dot <= 0) return false;
  const double stop = options_->phrase_exempt_marks * dot;
  double marks = 0;
  for (const double* p = mark_products_.data(); p != mark_product && marks <= stop; ++p) {
    marks += *p;
  }
  return marks < stop;
}

}  // namespace neardup
