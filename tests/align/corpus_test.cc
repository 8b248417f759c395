// DiffDocuments on every corpus file, and the acceptance cases on
// corpora/stories: reprints, light edits and heavy rewrites of an original.
#include <neardup/align.h>
#include <neardup/eval.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "align/align_test_util.h"
#include "align/revisions.h"
#include "test_util.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using testing::CheckSpans;
using testing::ReadFileBytes;
using testing::Revise;

const std::string kSource = NEARDUP_SOURCE_DIR;

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kSource + "/" + dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The representative of each labelled group: the story's original, or the
// news story's wire copy.
std::string Representative(const std::string& file, const Labeling& labels,
                           const std::string& suffix) {
  auto it = labels.find(file);
  if (it == labels.end()) return "";
  for (const auto& [id, label] : labels) {
    if (label == it->second && id.ends_with(suffix)) return id;
  }
  return "";
}

TEST_CASE("every corpus file diffs with its representative and its neighbour") {
  std::size_t pairs = 0;
  for (const auto& [dir, labels_file, suffix] :
       {std::tuple<std::string, std::string, std::string>{"corpora/news", "labels.near.tsv",
                                                          "__wire.txt"},
        {"corpora/stories", "labels.story.tsv", "__original.txt"}}) {
    Result<Labeling> labels = ReadLabelsTsv(kSource + "/" + dir + "/" + labels_file);
    REQUIRE(labels.ok());
    const std::vector<std::string> files = Files(dir + "/docs");
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string b = ReadFileBytes(kSource + "/" + dir + "/docs/" + files[i]);
      std::vector<std::string> others = {files[(i + 1) % files.size()]};
      const std::string rep = Representative(files[i], labels.value(), suffix);
      if (!rep.empty() && rep != files[i]) others.push_back(rep);
      for (const std::string& other : others) {
        INFO(other << " vs " << files[i]);
        const std::string a = ReadFileBytes(kSource + "/" + dir + "/docs/" + other);
        const DocDiff d = DiffDocuments(a, b);
        CheckSpans(d, a, b);
        ++pairs;
      }
    }
  }
  // 82 neighbour pairs, plus each labelled copy with its representative:
  // 24 in news (4 stories x 6 copies), 24 in stories (6 stories x 4 versions).
  CHECK(pairs == 82 + 24 + 24);
}

TEST_CASE("exact copies with other line endings are all shared") {
  for (const std::string story :
       {"glacier-forest", "harbor-bridge", "lumora-recall", "westmark-election"}) {
    const std::string dir = kSource + "/corpora/news/docs/";
    const std::string a = ReadFileBytes(dir + story + "__wire.txt");
    const std::string b = ReadFileBytes(dir + story + "__exact-crlf.txt");
    REQUIRE(b.find("\r\n") != std::string::npos);
    const DocDiff d = DiffDocuments(a, b);
    CheckSpans(d, a, b);
    // The copies set the headline in capitals: those words are normalized.
    CHECK(d.counts.words_shared + d.counts.words_normalized == d.counts.words_b);
    CHECK(d.counts.words_dropped == 0);
  }
}

TEST_CASE("a verbatim reprint: its boilerplate and nothing else is added") {
  const std::string dir = kSource + "/corpora/stories/docs/";
  std::size_t checked = 0;
  for (const std::string& file : Files("corpora/stories/docs")) {
    if (file.find("__reprint-") == std::string::npos) continue;
    const std::string original =
        ReadFileBytes(dir + file.substr(0, file.find("__")) + "__original.txt");
    const std::string reprint = ReadFileBytes(dir + file);
    // The reprint holds the original verbatim between the site's header and
    // footer (checked by reading the files; asserted here).
    std::string body = original;
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    const std::size_t at = reprint.find(body);
    INFO(file);
    REQUIRE(at != std::string::npos);
    REQUIRE(at > 0);
    REQUIRE(at + body.size() < reprint.size());
    const DocDiff d = DiffDocuments(original, reprint);
    CheckSpans(d, original, reprint);
    CHECK(d.counts.words_dropped == 0);
    CHECK(d.counts.words_reworded == 0);
    std::size_t added_words = 0;
    for (const DiffSpan& s : d.spans) {
      if (s.doc == 0) {
        CHECK(s.kind == SpanKind::kShared);
        continue;
      }
      const bool inside = s.begin >= at && s.end <= at + body.size();
      CHECK(s.kind == (inside ? SpanKind::kShared : SpanKind::kAdded));
      if (!inside) added_words += CountWords(reprint, s.begin, s.end);
    }
    // All of the boilerplate's words are added.
    CHECK(added_words ==
          CountWords(reprint, 0, at) + CountWords(reprint, at + body.size(), reprint.size()));
    CHECK(added_words > 0);
    ++checked;
  }
  CHECK(checked == 6);
}

TEST_CASE("light edits: added and dropped words agree with a plain word diff") {
  // Light edits are not reordered, so a plain longest-common-subsequence diff
  // of all the words is the reference. Inside every aligned group that is not
  // reworded, the shared words are exactly such a diff of the group's words;
  // across the document, ours may only report more words changed than the
  // plain diff where it judged a whole sentence new or reworded (a new
  // headline shares a few words with the old one only by chance).
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& f : Files("corpora/news/docs")) {
    if (f.find("__edit-") != std::string::npos) {
      pairs.emplace_back("corpora/news/docs/" + f.substr(0, f.find("__")) + "__wire.txt",
                         "corpora/news/docs/" + f);
    }
  }
  for (const std::string& f : Files("corpora/stories/docs")) {
    if (f.find("__light-edit") != std::string::npos) {
      pairs.emplace_back("corpora/stories/docs/" + f.substr(0, f.find("__")) + "__original.txt",
                         "corpora/stories/docs/" + f);
    }
  }
  REQUIRE(pairs.size() == 14);  // 8 news edits, 6 story light edits
  std::size_t exact = 0;
  for (const auto& [pa, pb] : pairs) {
    const std::string a = ReadFileBytes(kSource + "/" + pa);
    const std::string b = ReadFileBytes(kSource + "/" + pb);
    INFO(pb);
    const DocDiff d = DiffDocuments(a, b);
    CheckSpans(d, a, b);
    const std::size_t plain_added = d.counts.words_b - testing::WordLcs(a, b);
    std::size_t whole_sentences = 0;  // words of B in sentences judged new or reworded
    for (std::size_t j = 0; j < d.b_sentences.size(); ++j) {
      const Sentence& s = d.b_sentences[j];
      if (d.b_match[j] < 0 || d.groups[static_cast<std::size_t>(d.b_match[j])].reworded) {
        whole_sentences += CountWords(b, s.begin, s.end);
      }
    }
    const std::size_t ours = d.counts.words_added + d.counts.words_reworded + d.counts.words_moved;
    CHECK(ours >= plain_added);
    CHECK(ours <= plain_added + whole_sentences);
    if (ours == plain_added) ++exact;
    for (const AlignedGroup& g : d.groups) {
      if (g.reworded) continue;
      std::string ga, gb;
      for (std::uint32_t s : g.a) {
        ga += std::string(
                  a.substr(d.a_sentences[s].begin, d.a_sentences[s].end - d.a_sentences[s].begin)) +
              " ";
      }
      for (std::uint32_t s : g.b) {
        gb += std::string(
                  b.substr(d.b_sentences[s].begin, d.b_sentences[s].end - d.b_sentences[s].begin)) +
              " ";
      }
      const std::size_t words = CountWords(ga, 0, ga.size()) + CountWords(gb, 0, gb.size());
      CHECK(g.word_overlap * static_cast<double>(words) ==
            Approx(2.0 * static_cast<double>(testing::WordLcs(ga, gb))));
    }
  }
  // The news edits change words in place: there the counts are the plain
  // diff's, except in glacier-forest__edit-trim, whose new headline ("Melting
  // glacier reveals ancient pine forest") shares two words with the body by chance.
  CHECK(exact >= 7);
}

// Every original and wire text of corpora/ (the sources the revision tests revise).
std::vector<std::string> SourceTexts() {
  std::vector<std::string> texts;
  for (const std::string& f : Files("corpora/news/docs")) {
    if (f.find("__wire") != std::string::npos) {
      texts.push_back(ReadFileBytes(kSource + "/corpora/news/docs/" + f));
    }
  }
  for (const std::string& f : Files("corpora/stories/docs")) {
    if (f.find("__original") != std::string::npos) {
      texts.push_back(ReadFileBytes(kSource + "/corpora/stories/docs/" + f));
    }
  }
  return texts;
}

TEST_CASE("revisions in place: added and dropped words agree with a plain word diff") {
  // Every original and wire text of corpora/, each revised 4 times with a
  // fixed seed. Text is never moved, so a plain longest-common-subsequence
  // diff of all the words is the reference: ours may only report more words
  // than it where it judged a whole sentence new or reworded.
  const std::vector<std::string> texts = SourceTexts();
  REQUIRE(texts.size() >= 10);
  std::size_t pairs = 0, exact = 0, plain_total = 0, ours_total = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (std::uint64_t r = 0; r < 4; ++r) {
      const std::string& a = texts[i];
      const std::string b = Revise(a, texts[(i + 1) % texts.size()], 1000 * i + r);
      INFO("text " << i << ", revision " << r);
      const DocDiff d = DiffDocuments(a, b);
      CheckSpans(d, a, b);
      const std::size_t lcs = testing::WordLcs(a, b);
      const std::size_t plain = (d.counts.words_b - lcs) + (d.counts.words_a - lcs);
      // A reworded passage replaces its words in A by its words in B.
      std::size_t reworded_a = 0;
      for (const AlignedGroup& g : d.groups) {
        if (!g.reworded) continue;
        for (std::uint32_t s : g.a) {
          reworded_a += CountWords(a, d.a_sentences[s].begin, d.a_sentences[s].end);
        }
      }
      // A moved passage is, to a plain diff, dropped in one place and added in another.
      const std::size_t ours = d.counts.words_added + d.counts.words_dropped +
                               d.counts.words_reworded + reworded_a + 2 * d.counts.words_moved;
      CHECK(ours >= plain);
      ++pairs;
      exact += ours == plain;
      plain_total += plain;
      ours_total += ours;
    }
  }
  // Measured: 46 of 48 agree exactly (44 without AlignOptions::detach_below),
  // 2,757 words changed against the plain diff's 2,753. In the other two an
  // inserted sentence is reported added whole where the plain diff matches 2
  // of its common words ("the", "of") to the text around it.
  INFO("revisions: " << exact << " of " << pairs << " agree exactly; words changed " << ours_total
                     << " (ours) vs " << plain_total << " (plain diff)");
  CHECK(exact * 10 >= pairs * 9);
  CHECK(ours_total <= plain_total + plain_total / 50);
}

TEST_CASE("revisions with a moved paragraph: moved, and a plain word diff elsewhere") {
  // The texts of the test above, each revised in place 4 times (fixed seeds)
  // after one paragraph is taken out and then put back far from its place
  // (testing::MoveParagraph). The paragraph's words should be reported moved,
  // nothing else moved, and outside it the words changed agree with a plain
  // word diff of the text without the paragraph and its in-place revision.
  const std::vector<std::string> texts = SourceTexts();
  testing::MoveTally t;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (std::uint64_t r = 0; r < 4; ++r) {
      testing::MovedRevision rev;
      if (!testing::MoveParagraph(texts[i], texts[(i + 1) % texts.size()], 7000 * i + r, &rev)) {
        continue;
      }
      INFO("text " << i << ", revision " << r);
      const DocDiff d = DiffDocuments(texts[i], rev.text);
      CheckSpans(d, texts[i], rev.text);
      const testing::MoveScore s = testing::ScoreMove(texts[i], rev, d);
      t.Add(s);
      CHECK(s.ours >= s.plain);  // never fewer changes than the shortest script
    }
  }
  INFO(t.revisions << " revisions: paragraph fully moved in " << t.fully_moved << ", moved words "
                   << t.moved << " of " << t.para << ", moved elsewhere " << t.false_moved
                   << "; plain diff agreement " << t.exact << ", words " << t.ours << " vs "
                   << t.plain);
  REQUIRE(t.revisions == 48);  // every text has a paragraph to move
  // Measured: the paragraph fully moved in 48 of 48, nothing else moved; 46
  // of 48 agree with the plain diff exactly, 2,520 words changed against
  // 2,514 (in the other two, as in the test above, an inserted sentence is
  // added whole where the plain diff matches a few common words). On 984
  // held-out Wikipedia articles (bench/diff/diff_moves, README): 977 fully
  // moved, 946 exact. Bounds leave room for one or two revisions to change.
  CHECK(t.fully_moved * 10 >= t.revisions * 9);
  CHECK(t.false_moved * 50 <= t.para);
  CHECK(t.exact * 10 >= t.revisions * 9);
  CHECK(t.ours <= t.plain + t.plain / 50);
}

struct Section {
  std::string file;
  std::string start;  // first line of the added section
  std::string end;    // first line after it, or empty
};

std::vector<Section> ReadSections() {
  std::ifstream in(kSource + "/tests/align/rewrite_sections.tsv");
  std::vector<Section> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = line.find('\t', t1 + 1);
    out.push_back(
        Section{line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
  }
  return out;
}

TEST_CASE("heavy rewrites: the added section is added, the rest aligns") {
  const std::vector<Section> sections = ReadSections();
  REQUIRE(sections.size() == 12);
  const std::string dir = kSource + "/corpora/stories/docs/";
  for (const Section& sec : sections) {
    INFO(sec.file);
    const std::string a =
        ReadFileBytes(dir + sec.file.substr(0, sec.file.find("__")) + "__original.txt");
    const std::string b = ReadFileBytes(dir + sec.file);
    const std::size_t begin = b.find(sec.start);
    REQUIRE(begin != std::string::npos);
    const std::size_t end = sec.end.empty() ? b.size() : b.find(sec.end, begin);
    REQUIRE(end != std::string::npos);
    const DocDiff d = DiffDocuments(a, b);
    CheckSpans(d, a, b);
    std::size_t other = 0, other_aligned = 0, section_words = 0, section_added = 0;
    for (std::size_t j = 0; j < d.b_sentences.size(); ++j) {
      const Sentence& s = d.b_sentences[j];
      if (s.begin >= begin && s.begin < end) continue;
      // Passages are running text: headlines, bylines and subheads are not counted.
      if (s.kind == SentenceKind::kHeading || CountWords(b, s.begin, s.end) == 0) continue;
      ++other;
      other_aligned += d.b_match[j] >= 0 ? 1u : 0u;
    }
    for (const DiffSpan& s : d.spans) {
      if (s.doc != 1 || s.begin < begin || s.begin >= end) continue;
      const std::size_t words = CountWords(b, s.begin, s.end);
      section_words += words;
      if (s.kind == SpanKind::kAdded) section_added += words;
    }
    const double aligned_share = static_cast<double>(other_aligned) / static_cast<double>(other);
    const double added_share =
        static_cast<double>(section_added) / static_cast<double>(section_words);
    UNSCOPED_INFO(sec.file << ": other passages aligned " << other_aligned << "/" << other
                           << ", section words added " << section_added << "/" << section_words);
    // The bar: at least 80% of the rewrite's other passages align.
    CHECK(aligned_share >= 0.8);
    // All of the section is reported added, its heading included, in all 12
    // (minimum measured: 100%). Its Q&A answers, timelines and background
    // paragraphs restate the story's facts ("Konrad Meyerhof ... is in charge
    // on an acting basis"), but such a section carries little of the original
    // in the story's order (AlignOptions::carried_below); before that rule
    // they aligned as reworded, and as little as 57% was added (vbcnews).
    CHECK(added_share >= 1.0);
    bool heading_added = false;
    for (const DiffSpan& s : d.spans) {
      if (s.doc == 1 && s.begin == begin) heading_added = s.kind == SpanKind::kAdded;
    }
    CHECK(heading_added);
  }
}

}  // namespace
}  // namespace neardup
