// StoryVectors and VectorPairScorer (story_vectors.h).
#include "story/story_vectors.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#include "story/probe_window.h"
#include "story/story_text_steps.h"

namespace neardup::internal {
namespace {

constexpr std::uint32_t kFeatureBit = 1u << 8;
constexpr std::uint32_t kEmpty = UINT32_MAX;  // no class: classes are below 2^23
// As StoryPairScorer's: a term lies at most kWindow - 1 slots past its home,
// and tables grow to at most 2^kMaxBits slots (larger documents are scored
// on their texts).
constexpr std::size_t kWindow = kProbeWindow;
constexpr int kMaxBits = 20;

std::uint32_t Bits(float x) { return std::bit_cast<std::uint32_t>(x); }

// Sorts the n packed terms at `data`, of distinct classes, by class (the
// order std::sort gives them), with temp[0, n) as a buffer: a radix sort,
// least significant digit first, 6 bits of the class (bits 9 to 31) a
// pass, a pass whose digit is the same for every term skipped.
void SortByClass(std::uint32_t* data, std::uint32_t* temp, std::size_t n) {
  constexpr std::size_t kSmall = 32;  // std::sort is as fast below
  if (n < kSmall) {
    std::sort(data, data + n);
    return;
  }
  constexpr std::size_t kPasses = 4;
  constexpr int kDigitBits = 6;
  constexpr std::uint32_t kDigits = 1u << kDigitBits;
  auto digit = [](std::uint32_t term, std::size_t pass) {
    return (term >> (9 + kDigitBits * pass)) & (kDigits - 1);
  };
  std::array<std::array<std::uint32_t, kDigits>, kPasses> count{};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t pass = 0; pass < kPasses; ++pass) ++count[pass][digit(data[i], pass)];
  }
  std::uint32_t* from = data;
  std::uint32_t* to = temp;
  for (std::size_t pass = 0; pass < kPasses; ++pass) {
    std::array<std::uint32_t, kDigits>& at = count[pass];
    if (at[digit(from[0], pass)] == n) continue;
    std::uint32_t sum = 0;
    for (std::uint32_t& c : at) sum += std::exchange(c, sum);
    for (std::size_t i = 0; i < n; ++i) to[at[digit(from[i], pass)]++] = from[i];
    std::swap(from, to);
  }
  if (from != data) std::copy(from, from + n, data);
}

}  // namespace

std::uint64_t FeatureTermHash(std::uint64_t word_hash) {
  return word_hash ^ story_text::kFeatureKind;
}

std::uint32_t TermClasses::Find(std::uint32_t h) const {
  return static_cast<std::uint32_t>(std::lower_bound(hash.begin(), hash.end(), h) - hash.begin());
}

StoryVectors::StoryVectors(TermClasses classes, std::size_t num_docs, const StoryOptions& options)
    : classes_(std::move(classes)), docs_(num_docs), options_(options) {
  for (std::uint32_t count = 1; count < 256; ++count) {
    tf_[0][count] = story_text::LogTf(count);
    tf_[1][count] = options.feature_weight * story_text::LogTf(count);  // as Finish's features
  }
}

void StoryVectors::Set(DocIndex d, const StoryText& text, std::span<const std::uint32_t> word_class,
                       std::span<const std::uint32_t> feature_class,
                       std::span<const std::uint32_t> tf, std::span<const std::uint32_t> feature_tf,
                       std::vector<std::uint32_t>* scratch) {
  Doc doc;
  doc.norm = text.terms.norm;
  doc.words = static_cast<std::uint32_t>(text.words);
  doc.dateline = text.dateline;
  const std::vector<WeightedTerm>& terms = text.terms.terms;
  // The terms packed, then checked against the finished vector: the same
  // hashes in the same order, the same weights and marks.
  std::vector<std::uint32_t>& packed = *scratch;
  packed.clear();
  bool ok = classes_.size() <= (std::size_t{1} << kClassBits) && text.terms.distinct_hashes;
  for (std::size_t i = 0; ok && i < tf.size(); ++i) {
    // A class of several terms (TermClasses::kShared) packs too when the
    // check below passes: the document's term of that hash has the class's
    // weight (the class's idf), and the merges match terms by hash alone.
    ok = tf[i] < 256;
    packed.push_back(word_class[i] << 9 | tf[i]);
    if (feature_tf[i] != 0) {
      ok = ok && feature_tf[i] < 256;
      packed.push_back(feature_class[i] << 9 | kFeatureBit | feature_tf[i]);
    }
  }
  ok = ok && packed.size() == terms.size();
  bool sorted = false;  // packed holds a class for each term, in order
  if (ok) {
    const std::size_t n = packed.size();
    packed.resize(2 * n);  // the second half: the sort's buffer
    SortByClass(packed.data(), packed.data() + n, n);
    sorted = true;
    packed.resize(n);
    std::size_t mark = 0;
    for (std::size_t k = 0; ok && k < terms.size(); ++k) {
      const std::uint32_t hash = classes_.hash[packed[k] >> 9];
      ok = hash == terms[k].hash && Bits(Weight(packed[k])) == Bits(terms[k].weight);
      if (ok && (packed[k] & kFeatureBit) != 0) {
        ok = mark < text.marks.size() && text.marks[mark] == hash;
        ++mark;
      }
    }
    ok = ok && mark == text.marks.size();
  }
  doc.terms = static_cast<std::uint32_t>(terms.size());
  doc.marks = static_cast<std::uint32_t>(text.marks.size());
  doc.packed = ok;
  doc.distinct = text.terms.distinct_hashes;
  const std::size_t term_words = ok ? terms.size() : 2 * terms.size();
  doc.data = std::make_unique_for_overwrite<std::uint32_t[]>(term_words + text.marks.size() + 1);
  std::uint32_t* out = doc.data.get();
  if (ok) {
    std::copy(packed.begin(), packed.end(), out);
    out += packed.size();
    for (const std::uint32_t t : packed) {
      if ((t & kFeatureBit) != 0) *out++ = t >> 9;
    }
  } else {
    // A term's class: the packed term's in its place when that names its
    // hash (a check failed on a weight or mark only), else found.
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const WeightedTerm& t = terms[k];
      const std::uint32_t c = sorted ? packed[k] >> 9 : 0;
      *out++ = sorted && classes_.hash[c] == t.hash ? c : classes_.Find(t.hash);
      *out++ = Bits(t.weight);
    }
    // A mark's class: that of the term of its hash (the marks and terms
    // both in hash order), else found.
    const std::uint32_t* const term_classes = doc.data.get();
    std::size_t k = 0;
    for (const std::uint32_t m : text.marks) {
      while (k < terms.size() && terms[k].hash < m) ++k;
      *out++ = k < terms.size() && terms[k].hash == m ? term_classes[2 * k] : classes_.Find(m);
    }
  }
  *out = 0;  // a document without terms or marks still holds data (has())
  if (packed.capacity() > (std::size_t{1} << 16)) std::vector<std::uint32_t>().swap(packed);
  docs_[d] = std::move(doc);
}

StoryText StoryVectors::Expand(DocIndex d) const {
  const Doc& doc = docs_[d];
  StoryText text;
  text.terms.norm = doc.norm;
  text.words = doc.words;
  text.dateline = doc.dateline;
  text.terms.terms.resize(doc.terms);
  const std::uint32_t* in = doc.data.get();
  if (doc.packed) {
    for (std::uint32_t k = 0; k < doc.terms; ++k) {
      text.terms.terms[k] = WeightedTerm{in[k] >> 9, Weight(in[k])};
    }
  } else {
    for (std::uint32_t k = 0; k < doc.terms; ++k) {
      text.terms.terms[k] = WeightedTerm{in[2 * k], std::bit_cast<float>(in[2 * k + 1])};
      if (k > 0 && in[2 * k] == in[2 * k - 2]) text.terms.distinct_hashes = false;
    }
  }
  const std::span<const std::uint32_t> m = marks(d);
  text.marks.assign(m.begin(), m.end());
  return text;
}

double StoryVectors::Similarity(DocIndex a, DocIndex b) const {
  const Doc& da = docs_[a];
  const Doc& db = docs_[b];
  if (!da.packed || !db.packed) return StorySimilarity(Expand(a), Expand(b), options_);
  // Cosine's merge on the packed terms: the classes keep the hashes' order
  // and equality (a packed document's classes are distinct), the weights
  // are the ones Expand gives, and the products are added in the same
  // order (Cosine adds zeros besides, which leave the sum's bits alone).
  double cosine = 0;
  if (da.norm != 0 && db.norm != 0) {
    double dot = 0;
    const std::uint32_t* x = da.data.get();
    const std::uint32_t* y = db.data.get();
    const std::uint32_t* const x_end = x + da.terms;
    const std::uint32_t* const y_end = y + db.terms;
    while (x != x_end && y != y_end) {
      const std::uint32_t cx = *x >> 9;
      const std::uint32_t cy = *y >> 9;
      if (cx == cy) {
        dot += static_cast<double>(Weight(*x)) * static_cast<double>(Weight(*y));
      }
      x += cx <= cy;
      y += cy <= cx;
    }
    cosine = dot / (da.norm * db.norm);
  }
  const double clamped = std::clamp(cosine, 0.0, 1.0);
  return DatelinesConflict(da.dateline, db.dateline, options_.dateline_days)
             ? clamped * options_.dateline_penalty
             : clamped;
}

std::size_t StoryVectors::unpacked() const {
  return static_cast<std::size_t>(std::count_if(
      docs_.begin(), docs_.end(), [](const Doc& doc) { return doc.data && !doc.packed; }));
}

void VectorPairScorer::Index(DocIndex a) {
  indexed_ = a;
  has_indexed_ = true;
  expanded_.reset();
  const StoryVectors::Doc& doc = vectors_->docs_[a];
  // A document held with (class, weight) terms: its weights as held, a
  // term a mark when its class is among its marks (both in class order).
  usable_ = doc.distinct;
  if (!usable_) return;
  const std::uint32_t* terms = doc.data.get();
  const std::size_t stride = doc.packed ? 1 : 2;
  const std::span<const std::uint32_t> marks = vectors_->marks(a);
  const std::size_t n = doc.terms;
  const std::size_t classes = std::max<std::size_t>(1, vectors_->classes_.size());
  // At most a quarter full, and larger until no term lies kWindow or more
  // slots past its home. Homes keep the classes' order (linear probing, no
  // wrap: the table has kWindow - 1 slots past its end).
  int bits = 4;
  while ((std::size_t{1} << bits) < 4 * n) ++bits;
  for (;; ++bits) {
    if (bits > kMaxBits) {
      usable_ = false;
      return;
    }
    const std::size_t slots = (std::size_t{1} << bits) + kWindow - 1;
    scale_ = (std::uint64_t{1} << (32 + bits)) / classes;  // homes below 2^bits
    keys_.assign(slots, kEmpty);
    weights_.assign(slots, 0.0f);
    idf_.assign(slots, 0.0f);
    marks_.assign(slots, 0);
    bool placed = true;
    std::size_t mark = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t t = terms[stride * k];
      const std::uint32_t c = doc.packed ? t >> 9 : t;
      const std::size_t home = static_cast<std::size_t>((c * scale_) >> 32);
      std::size_t s = home;
      while (s < slots && keys_[s] != kEmpty) ++s;
      if (s - home >= kWindow) {
        placed = false;
        break;
      }
      keys_[s] = c;
      idf_[s] = vectors_->classes_.idf[c];
      if (doc.packed) {
        weights_[s] = vectors_->Weight(t);
        marks_[s] = (t & kFeatureBit) != 0;
      } else {
        weights_[s] = std::bit_cast<float>(terms[2 * k + 1]);
        while (mark < marks.size() && marks[mark] < c) ++mark;
        marks_[s] = mark < marks.size() && marks[mark] == c;
      }
    }
    if (placed) return;
  }
}

bool VectorPairScorer::Score(DocIndex a, DocIndex b, double* similarity) {
  if (!has_indexed_ || indexed_ != a) Index(a);
  const StoryVectors::Doc& da = vectors_->docs_[a];
  const StoryVectors::Doc& db = vectors_->docs_[b];
  const StoryOptions& options = vectors_->options_;
  if (!usable_ || !db.distinct) {  // on the texts, as StoryPairScorer does
    if (!expanded_) expanded_ = vectors_->Expand(a);
    const StoryText y = vectors_->Expand(b);
    *similarity = StorySimilarity(*expanded_, y, options);
    return PhraseGated(*expanded_, y, *similarity, options);
  }
  // StoryPairScorer::Score's loop: b's terms looked up in a's table in
  // their (class) order, b's weight computed from the class's idf in the
  // slot (the same class: the same idf) and its count.
  products_.resize(db.terms);
  mark_products_.resize(db.terms);
  double* product = products_.data();
  double* mark_product = mark_products_.data();
  const std::uint32_t* const keys = keys_.data();
  const std::uint32_t* const terms = db.data.get();
  const auto& tf = vectors_->tf_;
  if (!db.packed) {  // b's (class, weight) terms; a term a mark when its class is among b's marks
    const std::span<const std::uint32_t> b_marks = vectors_->marks(b);
    std::size_t mark = 0;
    for (std::uint32_t k = 0; k < db.terms; ++k) {
      const std::uint32_t c = terms[2 * k];
      bool found = false;
      const std::size_t home = static_cast<std::size_t>((c * scale_) >> 32);
      const std::size_t s = home + FindInWindow(keys + home, c, &found);
      while (mark < b_marks.size() && b_marks[mark] < c) ++mark;
      const bool is_mark = mark < b_marks.size() && b_marks[mark] == c;
      const double p = static_cast<double>(weights_[s]) *
                       static_cast<double>(std::bit_cast<float>(terms[2 * k + 1]));
      *product = p;
      *mark_product = p;
      product += found;
      mark_product += found & is_mark & (marks_[s] != 0);
    }
  }
  for (std::uint32_t k = 0; db.packed && k < db.terms; ++k) {
    const std::uint32_t t = terms[k];
    const std::uint32_t c = t >> 9;
    bool found = false;
    const std::size_t home = static_cast<std::size_t>((c * scale_) >> 32);
    const std::size_t s = home + FindInWindow(keys + home, c, &found);
    const std::uint32_t feature = (t >> 8) & 1;
    const auto weight = static_cast<float>(tf[feature][t & 0xFF] * static_cast<double>(idf_[s]));
    const double p = static_cast<double>(weights_[s]) * static_cast<double>(weight);
    *product = p;
    *mark_product = p;
    product += found;
    mark_product += found & (feature != 0) & (marks_[s] != 0);
  }
  double cosine = 0;
  if (da.norm != 0 && db.norm != 0) {
    double dot = 0;
    for (const double* p = products_.data(); p != product; ++p) dot += *p;
    cosine = dot / (da.norm * db.norm);
  }
  const bool conflict = DatelinesConflict(da.dateline, db.dateline, options.dateline_days);
  const double clamped = std::clamp(cosine, 0.0, 1.0);
  *similarity = conflict ? clamped * options.dateline_penalty : clamped;
  if (!PhraseGated(*similarity, 0.0, options)) return false;
  const double dot = (conflict ? cosine : *similarity) * da.norm * db.norm;
  if (dot <= 0) return false;
  const double stop = options.phrase_exempt_marks * dot;
  double marks = 0;
  for (const double* p = mark_products_.data(); p != mark_product && marks <= stop; ++p) {
    marks += *p;
  }
  return marks < stop;
}

}  // namespace neardup::internal
