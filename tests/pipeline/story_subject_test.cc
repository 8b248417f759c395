// The phrase gate's exemption withdrawn from pairs that share only the
// subject's name (WithdrawSubjectExemptions, StoryOptions::phrase_subject_*).
#include <neardup/story.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

constexpr std::uint32_t kDoppler = 100;  // the subject's name, as a mark hash

std::optional<StoryText> Text(std::vector<std::uint32_t> marks, std::size_t words = 300) {
  StoryText t;
  std::sort(marks.begin(), marks.end());  // as StoryText::marks
  t.marks = std::move(marks);
  t.words = words;
  return t;
}

// Documents 0 and 1 share one mark; documents 2 and 3 are the pair's other
// neighbours (scored at 0.3 with 0 or 1), and hold `neighbour_marks`.
struct Case {
  std::vector<std::optional<StoryText>> texts;
  std::vector<SimilarityEdge> scored;
  std::vector<std::uint8_t> gated;
  std::vector<std::pair<DocIndex, DocIndex>> partners;  // WithdrawSubjectExemptions'

  Case(std::vector<std::uint32_t> pair_marks_0, std::vector<std::uint32_t> pair_marks_1,
       std::vector<std::uint32_t> neighbour_marks, std::size_t words = 300) {
    texts.push_back(Text(std::move(pair_marks_0), words));
    texts.push_back(Text(std::move(pair_marks_1), words));
    texts.push_back(Text(neighbour_marks));
    texts.push_back(Text(neighbour_marks));
    scored = {{0, 1, 0.45}, {0, 2, 0.3}, {1, 3, 0.3}, {2, 3, 0.6}};
    gated.assign(scored.size(), 0);  // every pair exempt (its marks share is enough)
  }
  std::uint64_t Run(const StoryOptions& options = {}) {
    const SubjectView documents{
        [&](DocIndex d) { return texts[d]->words; },
        [&](DocIndex d) { return std::span<const std::uint32_t>(texts[d]->marks); }};
    return WithdrawSubjectExemptions(scored, documents, options, &gated, &partners);
  }
  // The partners of document d's withdrawn pairs.
  std::vector<DocIndex> PartnersOf(DocIndex d) const {
    std::vector<DocIndex> of;
    for (const auto& [x, partner] : partners) {
      if (x == d) of.push_back(partner);
    }
    return of;
  }
};

TEST_CASE("Subject names: one shared name that every neighbour holds withdraws the exemption") {
  Case c({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11});
  CHECK(c.Run() == 3);  // 0-1, 0-2 and 1-3 share only Doppler; 2-3 share two marks
  CHECK(c.gated == std::vector<std::uint8_t>{1, 1, 1, 0});
  CHECK(c.PartnersOf(0) == std::vector<DocIndex>{1, 2});
  CHECK(c.PartnersOf(1) == std::vector<DocIndex>{0, 3});
  CHECK(c.partners.size() == 6);  // each pair both ways
  CHECK(std::is_sorted(c.partners.begin(), c.partners.end()));
}

TEST_CASE("Subject names: a name the neighbours do not hold keeps the exemption") {
  Case c({kDoppler, 7}, {kDoppler, 9}, {11, 12});
  CHECK(c.Run() == 0);
  CHECK(c.gated == std::vector<std::uint8_t>{0, 0, 0, 0});
  CHECK(c.partners.empty());
}

TEST_CASE("Subject names: two shared names keep the exemption") {
  Case c({kDoppler, 7}, {kDoppler, 7}, {kDoppler, 7});
  CHECK(c.Run() == 0);
}

TEST_CASE("Subject names: short documents keep the exemption") {
  // A headline or snippet can share only one name with its story's reports.
  Case c({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11}, /*words=*/60);
  c.Run();
  CHECK(c.gated[0] == 0);
}

TEST_CASE("Subject names: one neighbour is not a subject") {
  Case c({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11});
  c.texts[3] = Text({12});  // only document 2 holds the name besides the pair
  c.Run();
  CHECK(c.gated[0] == 0);
}

TEST_CASE("Subject names: pairs below the gate's similarity and gated pairs are left alone") {
  Case c({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11});
  c.scored[0].similarity = 0.05;  // below phrase_min_similarity: not a neighbour either
  c.gated[1] = 1;                 // gated already while scoring
  // 1-3's other neighbours are now 2 alone (0-1 does not count): too few.
  CHECK(c.Run() == 0);
  CHECK(c.gated == std::vector<std::uint8_t>{0, 1, 0, 0});
  CHECK(c.partners.empty());
}

TEST_CASE("Subject names: off with phrase_subject_share 0 or the gate off") {
  StoryOptions off;
  off.phrase_subject_share = 0;
  Case c({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11});
  CHECK(c.Run(off) == 0);
  StoryOptions no_gate;
  no_gate.phrase_floor = 0;
  Case d({kDoppler, 7}, {kDoppler, 9}, {kDoppler, 11});
  d.gated.clear();  // ScoreCandidates leaves it empty when the gate is off
  CHECK(d.Run(no_gate) == 0);
}

}  // namespace
}  // namespace neardup::internal
