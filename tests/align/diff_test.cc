// DiffDocuments and DiffCluster on small hand-made texts, and the Myers diff.
#include <neardup/align.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "align/align_test_util.h"
#include "align/word_diff.h"
#include "test_util.h"

namespace neardup {
namespace {

using internal::EditOp;
using testing::CheckSpans;
using testing::SpanTexts;
using V = std::vector<std::string>;

TEST_CASE("Myers diff is a shortest edit script") {
  testing::Rng rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint64_t> a(rng.Below(30)), b(rng.Below(30));
    for (auto& x : a) x = rng.Below(4);
    for (auto& x : b) x = rng.Below(4);
    const std::vector<EditOp> ops = internal::MyersDiff(a, b);
    // Replaying the script consumes both sequences, equal ops on equal values.
    std::size_t i = 0, j = 0, equal = 0;
    for (EditOp op : ops) {
      if (op == EditOp::kEqual) {
        REQUIRE(i < a.size());
        REQUIRE(j < b.size());
        REQUIRE(a[i] == b[j]);
        ++i, ++j, ++equal;
      } else if (op == EditOp::kDelete) {
        ++i;
      } else {
        ++j;
      }
    }
    REQUIRE(i == a.size());
    REQUIRE(j == b.size());
    // As many equal ops as a longest common subsequence (dynamic programme).
    std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t x = 1; x <= a.size(); ++x) {
      for (std::size_t y = 1; y <= b.size(); ++y) {
        lcs[x][y] =
            a[x - 1] == b[y - 1] ? lcs[x - 1][y - 1] + 1 : std::max(lcs[x - 1][y], lcs[x][y - 1]);
      }
    }
    REQUIRE(equal == lcs[a.size()][b.size()]);
  }
}

TEST_CASE("empty documents") {
  const DocDiff both = DiffDocuments("", "");
  CHECK(both.spans.empty());
  CHECK(both.groups.empty());
  const std::string text = "The mayor opened the bridge. Crowds cheered.";
  const DocDiff added = DiffDocuments("", text);
  CheckSpans(added, "", text);
  CHECK(SpanTexts(added, "", text, 1, SpanKind::kAdded) ==
        V{"The mayor opened the bridge.", "Crowds cheered."});
  CHECK(added.counts.words_added == 7);
  const DocDiff dropped = DiffDocuments(text, "  \n ");
  CheckSpans(dropped, text, "  \n ");
  CHECK(dropped.counts.words_dropped == 7);
  CHECK(SpanTexts(dropped, text, "", 0, SpanKind::kDropped).size() == 2);
}

TEST_CASE("identical documents are all shared") {
  const std::string text =
      "Harbour bridge reopens\n\nThe bridge reopened on Monday after 14 months of repairs. "
      "About 40,000 vehicles a day are expected.\n\n- Tolls stay at 2.50 euros\n";
  const DocDiff d = DiffDocuments(text, text);
  CheckSpans(d, text, text);
  CHECK(d.counts.words_added == 0);
  CHECK(d.counts.words_dropped == 0);
  CHECK(d.counts.words_reworded == 0);
  CHECK(d.counts.words_shared == d.counts.words_b);
  for (const AlignedGroup& g : d.groups) {
    CHECK(g.similarity == Approx(1.0));
    CHECK(g.word_overlap == 1.0);
  }
}

TEST_CASE("disjoint documents share nothing") {
  const std::string a = "Apple growers expect a record harvest. Prices fell at the market.";
  const std::string b = "The library will stop charging fines. Readers welcomed it.";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(d.groups.empty());
  CHECK(d.counts.words_shared == 0);
  CHECK(d.counts.words_added == d.counts.words_b);
  CHECK(d.counts.words_dropped == d.counts.words_a);
}

TEST_CASE("word-level changes inside an aligned sentence") {
  const std::string a = "The council approved the budget on Monday. Work starts in May.";
  const std::string b = "The council approved the new budget on Tuesday. Work starts in May.";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded) == V{"new", "Tuesday"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kDropped) == V{"Monday"});
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kShared) ==
        V{"The council approved the", "budget on", "Work starts in May"});
  CHECK(d.counts.words_added == 2);
  CHECK(d.counts.words_dropped == 1);
  // The dropped word sits in B where git's word diff shows it: before "Tuesday".
  for (const DiffSpan& s : d.spans) {
    if (s.kind == SpanKind::kDropped) CHECK(s.at == b.find("Tuesday"));
    if (s.kind == SpanKind::kAdded && b.substr(s.begin, s.size()) == "new") {
      CHECK(s.at == a.find("budget"));
    }
  }
}

TEST_CASE("reordered paragraphs align") {
  const std::string p1 = "Flood waters reached 5.62 metres at Cobb Bridge on Thursday.";
  const std::string p2 = "About 1,400 homes in Marrowby were evacuated overnight by fire crews.";
  const std::string p3 = "MP Gareth Wynn asked ministers for emergency funding for traders.";
  const std::string a = p1 + "\n\n" + p2 + "\n\n" + p3 + "\n";
  const std::string b = p3 + "\n\n" + p1 + "\n\n" + p2 + "\n";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(d.counts.words_added == 0);
  CHECK(d.counts.words_dropped == 0);
  REQUIRE(d.b_match.size() == 3);
  CHECK(d.groups[static_cast<std::size_t>(d.b_match[0])].a == std::vector<std::uint32_t>{2});
  CHECK(d.groups[static_cast<std::size_t>(d.b_match[1])].a == std::vector<std::uint32_t>{0});
  // p1 and p2 keep their order and outweigh p3: p3 is the one that moved.
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kMoved) ==
        V{"MP Gareth Wynn asked ministers for emergency funding for traders"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kMoved) == SpanTexts(d, a, b, 1, SpanKind::kMoved));
  CHECK(d.counts.words_moved == 10);
  CHECK(d.counts.words_shared == d.counts.words_b - 10);
}

TEST_CASE("a moved paragraph is moved; word edits elsewhere stay added and dropped") {
  const std::string p1 = "The harbour bridge reopened on Monday after 14 months of repairs.";
  const std::string p2 = "About 40,000 vehicles a day are expected to cross it by June.";
  const std::string p3 = "Engineers replaced 212 cables and repainted the steel towers.";
  const std::string p4 = "Mayor Ilse Baum said the city had spent 91 million euros.";
  const std::string p5 = "Tolls stay at 2.50 euros for cars and rise for lorries.";
  const std::string a = p1 + "\n\n" + p2 + "\n\n" + p3 + "\n\n" + p4 + "\n\n" + p5 + "\n";
  // p2 moves to the end; "Monday" becomes "Tuesday" in place.
  std::string q1 = p1;
  q1.replace(q1.find("Monday"), 6, "Tuesday");
  const std::string b = q1 + "\n\n" + p3 + "\n\n" + p4 + "\n\n" + p5 + "\n\n" + p2 + "\n";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kMoved) ==
        V{"About 40,000 vehicles a day are expected to cross it by June"});
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded) == V{"Tuesday"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kDropped) == V{"Monday"});
  CHECK(d.counts.words_reworded == 0);
  std::size_t moved_groups = 0;
  for (const AlignedGroup& g : d.groups) moved_groups += g.moved ? 1 : 0;
  CHECK(moved_groups == 1);
  // In the edit script the moved paragraph is dropped where A has it and
  // added where B has it; everything else is equal or the one word changed.
  std::vector<std::pair<std::string, std::string>> changes;
  for (const EditPiece& e : d.edits) {
    if (e.equal) continue;
    changes.emplace_back(a.substr(e.a_begin, e.a_end - e.a_begin),
                         b.substr(e.b_begin, e.b_end - e.b_begin));
  }
  CHECK(changes == std::vector<std::pair<std::string, std::string>>{
                       {"Monday", "Tuesday"}, {p2 + "\n\n", ""}, {"", "\n" + p2 + "\n"}});
}

TEST_CASE("case and compatibility forms are normalized words, not rewordings") {
  const std::string a = "The Council approved the final budget on Monday.";
  const std::string b = "THE COUNCIL approved the \xEF\xAC\x81nal budget on Monday.";  // U+FB01 fi
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kNormalized) == V{"THE COUNCIL", "\xEF\xAC\x81nal"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kNormalized) == V{"The Council", "final"});
  CHECK(d.counts.words_normalized == 3);
  CHECK(d.counts.words_reworded == 0);
  CHECK(d.counts.words_added == 0);
  CHECK(d.counts.words_dropped == 0);
  // The edit script changes the words' bytes and nothing around them.
  std::vector<std::string> changed;
  for (const EditPiece& e : d.edits) {
    if (!e.equal) changed.push_back(b.substr(e.b_begin, e.b_end - e.b_begin));
  }
  CHECK(changed == V{"THE", "COUNCIL", "\xEF\xAC\x81nal"});
}

TEST_CASE("edit script: inserted words carry their own space") {
  const std::string a = "The council approved the budget on Monday. Work starts in May.";
  const std::string b = "The council approved the new budget on Tuesday. Work starts in May.";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  std::vector<std::pair<std::string, std::string>> changes;
  for (const EditPiece& e : d.edits) {
    if (!e.equal) {
      changes.emplace_back(a.substr(e.a_begin, e.a_end - e.a_begin),
                           b.substr(e.b_begin, e.b_end - e.b_begin));
    }
  }
  CHECK(changes ==
        std::vector<std::pair<std::string, std::string>>{{"", "new "}, {"Monday", "Tuesday"}});
}

TEST_CASE("paraphrased sentences align as reworded, new ones are added") {
  const std::string a =
      "Corvane Microsystems said hackers copied design files for its Tessel-9 processor. "
      "The attackers stayed inside the network for roughly nine days before they were spotted. "
      "Shares in Corvane fell 6.4 percent to 48.10 euros on Monday.";
  const std::string b =
      "Investors dumped the stock, which slid 6.4 percent to 48.10 euros on Monday. "
      "Intruders roamed the network for about nine days before anybody noticed them. "
      "Blueprints of the Tessel-9 processor were copied from Corvane Microsystems, the company "
      "said. "
      "Our reporter visited the town's bakery, which sells excellent rye bread.";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  REQUIRE(d.b_match.size() == 4);
  // Each paraphrase finds its source sentence, whatever the order.
  auto source = [&](std::size_t j) {
    REQUIRE(d.b_match[j] >= 0);
    return d.groups[static_cast<std::size_t>(d.b_match[j])].a;
  };
  CHECK(source(0) == std::vector<std::uint32_t>{2});
  CHECK(source(1) == std::vector<std::uint32_t>{1});
  CHECK(source(2) == std::vector<std::uint32_t>{0});
  CHECK(d.b_match[3] == -1);
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded).back() ==
        "Our reporter visited the town's bakery, which sells excellent rye bread.");
  CHECK(d.b_similarity[3] == 0);
}

TEST_CASE("a split sentence aligns both halves with its source") {
  const std::string a =
      "The bank raised its profit target to 13 percent and announced a buyback of 500 million "
      "euros. Branch closures will continue next year.";
  const std::string b =
      "The bank raised its profit target to 13 percent. It also announced a buyback of 500 "
      "million euros. Branch closures will continue next year.";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  REQUIRE(d.b_match.size() == 3);
  REQUIRE(d.b_match[0] >= 0);
  CHECK(d.b_match[0] == d.b_match[1]);  // one group: one A sentence, two B sentences
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded) == V{"It also"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kDropped) == V{"and"});
}

TEST_CASE("an outlet's own section restating the story is added; the story's sections align") {
  const std::string a =
      "Transport minister Elin Sarrow resigned on Wednesday over emails about a rail contract.\n\n"
      "Prime Minister Aurel Dancoff accepted her resignation and named her deputy, Konrad "
      "Meyerhof, as acting minister.\n\n"
      "The signalling contract with Castellan Rail Systems has been suspended pending an "
      "independent review.\n\n"
      "Ethics Commissioner Judit Harrowgate has opened a formal investigation into the emails.\n";
  const std::string story =
      "Elin Sarrow quit as transport minister on Wednesday after emails about a rail contract "
      "emerged.\n\n"
      "Prime Minister Aurel Dancoff accepted her departure and made her deputy, Konrad Meyerhof, "
      "acting minister.\n\n"
      "The Castellan Rail Systems signalling contract is suspended until an independent review "
      "reports.\n\n"
      "Ethics Commissioner Judit Harrowgate has begun a formal investigation of the emails.\n";
  // The outlet's explainer: its answers restate the story's facts, out of
  // the story's order, and add much of their own.
  const std::string explainer =
      "\nExplainer: what happens next?\n\n"
      "Who runs the ministry now? Konrad Meyerhof, the deputy minister, is acting minister.\n\n"
      "What about the emails? The Ethics Commissioner, Judit Harrowgate, is investigating the "
      "emails; such inquiries take months.\n\n"
      "Will the rail contract go ahead? The signalling contract is suspended until the "
      "independent review reports, and could be rerun.\n";
  const std::string b = story + explainer;
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  const std::size_t section = story.size();
  for (std::size_t j = 0; j < d.b_sentences.size(); ++j) {
    INFO(b.substr(d.b_sentences[j].begin, d.b_sentences[j].end - d.b_sentences[j].begin));
    CHECK((d.b_match[j] < 0) == (d.b_sentences[j].begin >= section));
  }
  // Without the rule (nor the detaching of sentences that share almost
  // nothing with their group), the answers restating the facts align.
  AlignOptions keep;
  keep.carried_below = 0;
  keep.detach_below = 0;
  const DocDiff k = DiffDocuments(a, b, keep);
  std::size_t aligned_in_section = 0;
  for (std::size_t j = 0; j < k.b_sentences.size(); ++j) {
    if (k.b_sentences[j].begin >= section && k.b_match[j] >= 0) ++aligned_in_section;
  }
  CHECK(aligned_in_section > 0);

  // The same story under subheadings: each section carries its own part of
  // the original, in order, and aligns.
  const std::string headed = "Sarrow quits\n\n" + story.substr(0, story.find("The Castellan")) +
                             "Contract and inquiry\n\n" + story.substr(story.find("The Castellan"));
  const DocDiff h = DiffDocuments(a, headed);
  CheckSpans(h, a, headed);
  for (std::size_t j = 0; j < h.b_sentences.size(); ++j) {
    if (h.b_sentences[j].kind == SentenceKind::kHeading) continue;
    CHECK(h.b_match[j] >= 0);
  }
}

TEST_CASE("CRLF, tabs and non-ASCII text: offsets into the original bytes") {
  const std::string a =
      "Stra\u00DFe gesperrt\n\nDie Stadt sperrt die K\u00F6nigsallee ab Montag. "
      "Der Umbau kostet 3,5 Mio. \u20AC.\n";
  const std::string b =
      "Stra\u00DFe gesperrt\r\n\r\n\tDie Stadt sperrt die K\u00F6nigsallee ab Dienstag.\t"
      "Der Umbau kostet 3,5 Mio. \u20AC.\r\n";
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded) == V{"Dienstag"});
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kDropped) == V{"Montag"});
  const V shared = SpanTexts(d, a, b, 1, SpanKind::kShared);
  REQUIRE(!shared.empty());
  CHECK(shared[0] == "Stra\u00DFe gesperrt");
  CHECK(shared[1] == "Die Stadt sperrt die K\u00F6nigsallee ab");
  // Case and width folding make these the same words.
  const std::string c = "\uFF34HE CAF\u00C9 OPENS. \u201CGreat,\u201D said Ann.";
  const std::string e = "The caf\u00E9 opens. \"Great,\" said Ann.";
  const DocDiff f = DiffDocuments(c, e);
  CheckSpans(f, c, e);
  CHECK(f.counts.words_added == 0);
  CHECK(f.counts.words_dropped == 0);
}

TEST_CASE("IDF from a statistics table is used when given") {
  // One sentence reworded in one word: how similar the two versions score
  // depends on the word weights. Under a table where the changed words are
  // in every document and the others in none, the sentences agree on all
  // that weighs (similarity near 1); under one where it is the other way
  // round, on almost nothing (near 0). Without the table the weights come
  // from the two sentences (0.45). A table that is not read gives the
  // same score under both.
  const std::string x = "Gareth Wynn opened the new bridge over the river on Monday.";
  const std::string y = "Gareth Wynn opened the old bridge over the river on Monday.";
  auto similarity_under = [&](const std::string& common_words) {
    DocumentFrequencies table;
    for (int i = 0; i < 100; ++i) table.AddDocument(Normalize(common_words));
    AlignOptions options;
    options.stats = &table;
    const DocDiff d = DiffDocuments(x, y, options);
    CheckSpans(d, x, y);
    REQUIRE(d.b_similarity.size() == 1);
    return d.b_similarity[0];
  };
  const double changed_common = similarity_under("new old");
  const double changed_rare =
      similarity_under("Gareth Wynn opened the bridge over river on Monday");
  const DocDiff plain = DiffDocuments(x, y);
  REQUIRE(plain.b_similarity.size() == 1);
  INFO("changed words common " << changed_common << ", rare " << changed_rare << ", no table "
                               << plain.b_similarity[0]);
  CHECK(changed_common > 0.9);
  CHECK(changed_rare < 0.1);
  CHECK(changed_common > plain.b_similarity[0]);
  CHECK(changed_rare < plain.b_similarity[0]);

  // A table where "bridge" is common and "Wynn" rare: the weights change, the
  // result for identical sentences does not.
  DocumentFrequencies df;
  for (int i = 0; i < 50; ++i) df.AddDocument(Normalize("the bridge opened"));
  df.AddDocument(Normalize("Wynn"));
  AlignOptions options;
  options.stats = &df;
  const std::string a = "Gareth Wynn opened the bridge. Traffic resumed at noon.";
  const std::string b = "Traffic resumed at noon. Gareth Wynn opened the bridge.";
  const DocDiff d = DiffDocuments(a, b, options);
  CheckSpans(d, a, b);
  CHECK(d.counts.words_added == 0);
  CHECK(d.counts.words_dropped == 0);
  // The sentences swapped places: the shorter one moved.
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kMoved) == V{"Traffic resumed at noon"});
  CHECK(d.counts.words_shared + d.counts.words_moved == d.counts.words_b);
}

// A representative of three sentences and members that add a sentence (m1),
// drop the last (m2) or keep only the second (m3): the cluster-view tests' texts.
struct FloodCluster {
  std::string rep =
      "Flood waters reached 5.62 metres at Cobb Bridge on Thursday. "
      "About 1,400 homes in Marrowby were evacuated overnight. "
      "The Quay Street wall, built in 2021, was overtopped.";
  std::string m1 = rep + " Readers can send photos to our newsroom.";
  std::string m2 =
      "Flood waters reached 5.62 metres at Cobb Bridge on Thursday. "
      "About 1,400 homes in Marrowby were evacuated overnight.";
  std::string m3 = "About 1,400 homes in Marrowby were evacuated overnight.";
};

TEST_CASE("cluster view: core, additions, dropped core and coverage") {
  const FloodCluster flood;
  const std::string& rep = flood.rep;
  const std::string& m1 = flood.m1;
  const std::string& m2 = flood.m2;
  const std::vector<std::string_view> texts = {rep, m1, m2};
  const ClusterDiff c = DiffCluster(texts);
  REQUIRE(c.members.size() == 2);
  REQUIRE(c.summaries.size() == 3);
  // Each sentence of rep is aligned in at least one of the two members: all core.
  CHECK(c.core == std::vector<bool>{true, true, true});
  CheckSpans(c.members[0], rep, m1);
  CheckSpans(c.members[1], rep, m2);
  CHECK(c.summaries[0].core_share == 1);
  CHECK(c.summaries[1].words_added == 7);  // Readers can send photos to our newsroom
  CHECK(c.summaries[1].core_covered == 3);
  CHECK(c.summaries[2].words_dropped == 9);  // The Quay Street wall built in 2021 was overtopped
  CHECK(c.summaries[2].core_covered == 2);
  CHECK(c.summaries[2].core_share == Approx(2.0 / 3.0));
  // A pair: all of the representative is core; coverage is what the copy kept.
  const std::vector<std::string_view> pair = {rep, m2};
  const ClusterDiff p = DiffCluster(pair);
  CHECK(p.core == std::vector<bool>{true, true, true});
  CHECK(p.summaries[1].core_covered == 2);
  // Five documents: a sentence needs 2 of the 4 other members.
  const std::string& m3 = flood.m3;
  const std::vector<std::string_view> five = {rep, m1, m2, m3, m3};
  const ClusterDiff f = DiffCluster(five);
  CHECK(f.core == std::vector<bool>{true, true, false});  // aligned in 2, 4 and 1 members
  // A cluster of one: everything is core.
  const std::vector<std::string_view> one = {rep};
  const ClusterDiff single = DiffCluster(one);
  CHECK(single.members.empty());
  CHECK(single.core == std::vector<bool>{true, true, true});
}

TEST_CASE("two clusters compared through their cores keep only core spans") {
  const FloodCluster flood;
  const std::string& rep = flood.rep;
  const std::string& m1 = flood.m1;
  const std::string& m2 = flood.m2;
  const std::string& m3 = flood.m3;
  // rep's third sentence is aligned in 1 of 4 other members: not core.
  const std::vector<std::string_view> first = {rep, m1, m2, m3, m3};
  const std::string other =
      "Flood waters reached 5.62 metres at Cobb Bridge on Thursday. "
      "The Quay Street wall, built in 2021, was overtopped.";
  const std::vector<std::string_view> second = {other};
  const ClusterDiff c = CompareClusterCores(first, second);
  REQUIRE(c.members.size() == 1);
  REQUIRE(c.summaries.size() == 2);
  CHECK(c.core == std::vector<bool>{true, true, false});
  const Sentence& wall = c.representative[2];
  auto in_wall = [&](const DiffSpan& s) {
    return s.doc == 0 && s.begin >= wall.begin && s.end <= wall.end;
  };
  // The plain diff of the two representatives has spans in the wall
  // sentence; through the cores they are left out.
  const std::vector<std::string_view> pair = {rep, other};
  const ClusterDiff p = DiffCluster(pair);
  CHECK(std::any_of(p.members[0].spans.begin(), p.members[0].spans.end(), in_wall));
  CHECK(std::none_of(c.members[0].spans.begin(), c.members[0].spans.end(), in_wall));
  // Of the two core sentences, the other cluster's representative has the first.
  CHECK(c.summaries[1].core_sentences == 2);
  CHECK(c.summaries[1].core_covered == 1);
  CHECK(c.summaries[1].core_share == Approx(0.5));
  CHECK(c.summaries[1].words_dropped > 0);  // the evacuation sentence, core and missing
  CHECK(c.summaries[0].core_share == 1);
}

TEST_CASE("Myers diff with a small edit budget stays a valid script") {
  testing::Rng rng(11);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint64_t> a(rng.Below(60)), b(rng.Below(60));
    for (auto& x : a) x = rng.Below(6);
    for (auto& x : b) x = rng.Below(6);
    const std::size_t budget = 1 + rng.Below(6);
    const std::vector<EditOp> ops = internal::MyersDiff(a, b, budget);
    const std::vector<EditOp> full = internal::MyersDiff(a, b);
    std::size_t i = 0, j = 0, edits = 0;
    for (EditOp op : ops) {
      if (op == EditOp::kEqual) {
        REQUIRE(i < a.size());
        REQUIRE(j < b.size());
        REQUIRE(a[i] == b[j]);
        ++i, ++j;
      } else {
        ++edits;
        op == EditOp::kDelete ? ++i : ++j;
      }
    }
    REQUIRE(i == a.size());
    REQUIRE(j == b.size());
    const auto full_edits = static_cast<std::size_t>(
        std::count_if(full.begin(), full.end(), [](EditOp op) { return op != EditOp::kEqual; }));
    // Never shorter than a shortest script; the same one when the budget suffices.
    REQUIRE(edits >= full_edits);
    if (full_edits <= budget) REQUIRE(ops == full);
  }
}

// Words drawn from a small vocabulary, without punctuation: one giant
// "sentence" per text.
std::string Unpunctuated(testing::Rng* rng, std::size_t words) {
  std::string out;
  for (std::size_t i = 0; i < words; ++i) {
    out += "w" + std::to_string(rng->Below(800));
    out += ' ';
  }
  return out;
}

TEST_CASE("long unpunctuated texts diff within bounds (issue 17)") {
  // Before the edit budget this took O(D^2) memory: gigabytes at 20,000
  // words. Not timed here (bench/: scripts/bench-diff.sh); checked for the
  // span contract.
  testing::Rng rng(5);
  const std::string a = Unpunctuated(&rng, 6000);
  const std::string b = Unpunctuated(&rng, 6000);
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(d.counts.words_a == 6000);
  CHECK(d.counts.words_b == 6000);
  // The same long text with a few words changed is still a word diff.
  std::string c = a;
  c.replace(c.find(' ') + 1, 0, "inserted words here ");
  const DocDiff e = DiffDocuments(a, c);
  CheckSpans(e, a, c);
  CHECK(e.counts.words_added == 3);
  CHECK(e.counts.words_dropped == 0);
}

TEST_CASE("long documents align through rare words (capped passage alignment)") {
  // Enough sentences sharing common words that exact alignment would walk
  // too many postings: 5,000 sentences of the same words but two numbers of
  // their own (numbers are not stemmed). One word changed.
  std::vector<std::string> sentences;
  for (int s = 0; s < 5000; ++s) {
    const std::string id = std::to_string(s);
    sentences.push_back("The report " + id + " of the city " + std::to_string(100000 + 7 * s) +
                        " and a vote were in the news.");
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += v[i] + (i % 5 == 4 ? "\n\n" : " ");
    return out;
  };
  const std::string a = join(sentences);
  std::vector<std::string> edited = sentences;
  edited[1234] = "The report 1234 of the town 108638 and a vote were in the news.";
  const std::string b = join(edited);
  const DocDiff d = DiffDocuments(a, b);
  CheckSpans(d, a, b);
  CHECK(SpanTexts(d, a, b, 0, SpanKind::kDropped) == V{"city"});
  CHECK(SpanTexts(d, a, b, 1, SpanKind::kAdded) == V{"town"});
  CHECK(d.counts.words_shared == d.counts.words_b - 1);
}

TEST_CASE("regression: one sentence without a full stop is a word diff (issue 17, item 7)") {
  // A one-line text without final punctuation is a heading; a heading
  // paragraph followed its next paragraph to be anchored, and the last has
  // none, so it needed the strong threshold and nothing aligned: 0 shared,
  // 12 added, 12 dropped.
  const std::string a = "The river rose two metres overnight and flooded the town on Tuesday";
  const std::string b = "The river rose two metres overnight and flooded the town on Monday";
  for (const std::string suffix : {"", ".", "\n"}) {
    const DocDiff d = DiffDocuments(a + suffix, b + suffix);
    CheckSpans(d, a + suffix, b + suffix);
    CHECK(d.counts.words_shared == 11);
    CHECK(SpanTexts(d, a + suffix, b + suffix, 0, SpanKind::kDropped) == V{"Tuesday"});
    CHECK(SpanTexts(d, a + suffix, b + suffix, 1, SpanKind::kAdded) == V{"Monday"});
  }
  // A heading after the body still follows its own score: an unrelated one is added.
  const std::string body = "The river rose two metres overnight. Homes were evacuated.";
  const DocDiff e = DiffDocuments(body, body + "\n\nRead more from our newsroom");
  CHECK(SpanTexts(e, body, body + "\n\nRead more from our newsroom", 1, SpanKind::kAdded) ==
        V{"Read more from our newsroom"});
}

TEST_CASE("texts above max_text_bytes are refused with a status") {
  AlignOptions options;
  options.max_text_bytes = 10;
  CHECK(CheckDiffText("short", options).ok());
  CHECK(CheckDiffText(std::string(10, 'x'), options).ok());
  const Status s = CheckDiffText(std::string(11, 'x'), options);
  CHECK(s.code() == StatusCode::kInvalidInput);
  CHECK(s.message().find("max_text_bytes") != std::string::npos);
  CHECK(CheckDiffText(std::string(1000, 'x')).ok());  // the default is 64 MiB
}

TEST_CASE("a passage repeated word for word aligns copy to copy (found by fuzz_align)") {
  // Each B copy of a repeated paragraph scored the same with both A copies
  // and took the first: the second A copy was dropped and the second B copy
  // added, even in a diff of a text with itself.
  const std::string para =
      "Scientists found the remains of an ancient pine forest under the ice. The trees grew "
      "about 6,000 years ago.";
  const std::string text = "Glacier reveals a forest\n\n" + para +
                           "\n\nThe team counted 143 stumps on a gravel field.\n\n" + para +
                           "\n\nHistory.\n\nMore work is planned.\n\nHistory.\n";
  const DocDiff d = DiffDocuments(text, text);
  CheckSpans(d, text, text);
  CHECK(d.counts.words_added == 0);
  CHECK(d.counts.words_dropped == 0);
  CHECK(d.counts.words_shared == d.counts.words_b);
}

TEST_CASE("near-identical passages: a text against itself is all shared (found by fuzz_align)") {
  // Two ways a sentence took another copy's counterpart: the expected place
  // of the next counterpart was one past where it is (the previous window's
  // end is exclusive), and a two-sentence window starting earlier beat a
  // one-sentence window with the same score.
  for (const std::string& text :
       {std::string("the Monday History\n\nHistory. \n\nHistory.\n\nHist extra ory. \n"),
        std::string("river on Monday.\n\nsaid rose Monday homes Cobb crews. river 1,400 homes "
                    "said. History.  History. said rose Monday homes Cobb crews. river 1,400 "
                    "homes said. History. \n")}) {
    INFO(text);
    const DocDiff d = DiffDocuments(text, text);
    CheckSpans(d, text, text);
    CHECK(d.counts.words_shared == d.counts.words_b);
    REQUIRE(d.edits.size() == 1);
    CHECK(d.edits[0].equal);
  }
}

}  // namespace
}  // namespace neardup
