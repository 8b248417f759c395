// Story level, the phrase gate's exemption withdrawn from pairs that share
// only the subject's name (StoryOptions::phrase_subject_*): every text on
// the Doppler effect names Doppler, so two of them sharing that one name
// says nothing about one being a rewrite of the other; they must show
// phrasing like any pair resting on generic words.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "cluster/adjacency.h"
#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

namespace {

// The one mark (StoryText::marks) two documents share, or false when they
// share none or more than one.
bool SingleSharedMark(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b,
                      std::uint32_t* mark) {
  std::size_t shared = 0;
  for (auto x = a.begin(), y = b.begin(); x != a.end() && y != b.end();) {
    if (*x < *y) {
      ++x;
    } else if (*y < *x) {
      ++y;
    } else {
      if (++shared > 1) return false;
      *mark = *x;
      ++x;
      ++y;
    }
  }
  return shared == 1;
}

}  // namespace

std::uint64_t WithdrawSubjectExemptions(std::span<const SimilarityEdge> scored,
                                        const SubjectView& documents, const StoryOptions& story,
                                        std::vector<std::uint8_t>* gated,
                                        std::vector<std::pair<DocIndex, DocIndex>>* partners) {
  if (story.phrase_floor <= 0 || story.phrase_subject_share <= 0 || gated->empty()) return 0;
  std::size_t num_docs = 0;
  for (const SimilarityEdge& e : scored)
    num_docs = std::max<std::size_t>({num_docs, e.a + 1u, e.b + 1u});
  auto linked = [&](const SimilarityEdge& e) {
    return e.similarity > 0 && e.similarity >= story.phrase_min_similarity;
  };
  // Each document's neighbours: its scored partners at phrase_min_similarity
  // or more (before the gate), sorted.
  const Adjacency neighbours(num_docs, scored, linked);
  const auto min_words = static_cast<std::size_t>(std::max(0, story.phrase_subject_min_words));
  std::vector<std::uint8_t> lost(scored.size(), 0);
  tbb::parallel_for(std::size_t{0}, scored.size(), [&](std::size_t i) {
    const SimilarityEdge& e = scored[i];
    if ((*gated)[i] || !linked(e)) return;  // gated already, or not tested by the gate
    std::uint32_t mark = 0;
    if (documents.words(e.a) < min_words || documents.words(e.b) < min_words ||
        !SingleSharedMark(documents.marks(e.a), documents.marks(e.b), &mark)) {
      return;
    }
    // The pair's other neighbours (either document's, once each) and how
    // many of them hold the mark.
    std::size_t others = 0;
    std::size_t holders = 0;
    auto count = [&](DocIndex k) {
      if (k == e.a || k == e.b) return;
      ++others;
      const std::span<const std::uint32_t> marks = documents.marks(k);
      holders += std::binary_search(marks.begin(), marks.end(), mark);
    };
    const std::span<const DocIndex> of_a = neighbours.Of(e.a);
    const std::span<const DocIndex> of_b = neighbours.Of(e.b);
    auto x = of_a.begin();
    auto y = of_b.begin();
    while (x != of_a.end() || y != of_b.end()) {
      if (y == of_b.end() || (x != of_a.end() && *x < *y)) {
        count(*x++);
      } else if (x == of_a.end() || *y < *x) {
        count(*y++);
      } else {
        count(*x++);
        ++y;
      }
    }
    lost[i] = holders >= 2 && static_cast<double>(holders) >=
                                  story.phrase_subject_share * static_cast<double>(others);
  });
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < scored.size(); ++i) {
    if (!lost[i]) continue;
    (*gated)[i] = 1;
    partners->emplace_back(scored[i].a, scored[i].b);
    partners->emplace_back(scored[i].b, scored[i].a);
    ++n;
  }
  std::sort(partners->begin(), partners->end());
  return n;
}

void WithdrawnExemption(const StoryText& a, const StoryText& b, const StoryOptions& story,
                        StoryEvidence* e) {
  e->phrase_subject = true;
  e->phrase_gated = true;
  if (!a.word_pairs.empty() && !b.word_pairs.empty()) {
    e->phrase_containment = WordPairContainment(a.word_pairs, b.word_pairs);
    e->phrase_gate = PhraseGate(e->phrase_containment, story);
  }
}

}  // namespace neardup::internal
