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
                                        const std::vector<std::optional<StoryText>>& texts,
                                        const StoryOptions& story, std::vector<std::uint8_t>* gated,
                                        SubjectPairs* withdrawn) {
  withdrawn->clear();
  if (story.phrase_floor <= 0 || story.phrase_subject_share <= 0 || gated->empty()) return 0;
  auto linked = [&](const SimilarityEdge& e) {
    return e.similarity > 0 && e.similarity >= story.phrase_min_similarity;
  };
  // Each document's neighbours: its scored partners at phrase_min_similarity
  // or more (before the gate), sorted.
  const Adjacency neighbours(texts.size(), scored, linked);
  const auto min_words = static_cast<std::size_t>(std::max(0, story.phrase_subject_min_words));
  std::vector<std::uint8_t> lost(scored.size(), 0);
  tbb::parallel_for(std::size_t{0}, scored.size(), [&](std::size_t i) {
    const SimilarityEdge& e = scored[i];
    if ((*gated)[i] || !linked(e)) return;  // gated already, or not tested by the gate
    const StoryText& a = *texts[e.a];
    const StoryText& b = *texts[e.b];
    std::uint32_t mark = 0;
    if (a.words < min_words || b.words < min_words || !SingleSharedMark(a.marks, b.marks, &mark)) {
      return;
    }
    // The pair's other neighbours (either document's, once each) and how
    // many of them hold the mark.
    std::size_t others = 0;
    std::size_t holders = 0;
    auto count = [&](DocIndex k) {
      if (k == e.a || k == e.b) return;
      ++others;
      const std::vector<std::uint32_t>& marks = texts[k]->marks;
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
  for (std::size_t i = 0; i < scored.size(); ++i) {
    if (!lost[i]) continue;
    (*gated)[i] = 1;
    withdrawn->emplace_back(std::min(scored[i].a, scored[i].b), std::max(scored[i].a, scored[i].b));
  }
  std::sort(withdrawn->begin(), withdrawn->end());
  return withdrawn->size();
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
