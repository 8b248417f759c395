// SegmentSentences: sentence, heading and list-item boundaries on original bytes.
#include <neardup/align.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace neardup {
namespace {

std::vector<std::string> Texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Sentence& s : SegmentSentences(text)) {
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("plain sentences split at final marks") {
  CHECK(Texts("One two. Three four! Five six? Seven.") ==
        V{"One two.", "Three four!", "Five six?", "Seven."});
  CHECK(Texts("") == V{});
  CHECK(Texts("  \n\t\r\n  ") == V{});
  CHECK(Texts("No final mark") == V{"No final mark"});
}

TEST_CASE("sentence marks are found wherever they fall in a long line") {
  // Marks are looked for 16 bytes at a time: move them across every
  // position of a block, the three-byte ellipsis included.
  auto sentence = [](std::string_view start, std::size_t letters, char letter,
                     std::string_view mark) {
    std::string out(start);
    out.append(letters, letter);
    out.append(mark);
    return out;
  };
  for (std::size_t pad = 1; pad <= 40; ++pad) {
    const V expected = {sentence("A", pad, 'a', "."), sentence("Then ", pad, 'b', "!"),
                        sentence("Why ", 41 - pad, 'c', "?"), sentence("So ", pad, 'd', "\u2026"),
                        "End."};
    std::string text;
    for (const std::string& s : expected) text.append(s).append(" ");
    CHECK(Texts(text) == expected);
  }
}

TEST_CASE("abbreviations and initials do not end sentences") {
  CHECK(Texts("Mr. Smith met Dr. Jones. They talked.") ==
        V{"Mr. Smith met Dr. Jones.", "They talked."});
  CHECK(Texts("Prof. Ana Ruiz and St. Mary's. Next one.") ==
        V{"Prof. Ana Ruiz and St. Mary's.", "Next one."});
  CHECK(Texts("J. R. Hartley wrote it. He was U.S. President once. Yes.") ==
        V{"J. R. Hartley wrote it.", "He was U.S. President once.", "Yes."});
  CHECK(Texts("Fruit, e.g. Apples and pears, i.e. Food. Done.") ==
        V{"Fruit, e.g. Apples and pears, i.e. Food.", "Done."});
  CHECK(Texts("See No. 5 and Fig. 2 on Jan. 12 today. Then stop.") ==
        V{"See No. 5 and Fig. 2 on Jan. 12 today.", "Then stop."});
  // "Inc." may end a sentence: it does when a capitalised word follows.
  CHECK(Texts("He joined Acme Inc. The firm grew. Acme Inc. said so.") ==
        V{"He joined Acme Inc.", "The firm grew.", "Acme Inc. said so."});
  // A lower-case word after the period never starts a sentence.
  CHECK(Texts("It was approx. ten and etc. more. Fine.") ==
        V{"It was approx. ten and etc. more.", "Fine."});
}

TEST_CASE("decimals, money and times stay inside sentences") {
  CHECK(Texts("Profit rose 3.5% to $1.2bn at 10.30am on Monday. Shares fell 0.4 points.") ==
        V{"Profit rose 3.5% to $1.2bn at 10.30am on Monday.", "Shares fell 0.4 points."});
  CHECK(Texts("The score was 2-1. 71,204 people watched.") ==
        V{"The score was 2-1.", "71,204 people watched."});
}

TEST_CASE("closing quotes stay with their sentence") {
  CHECK(Texts("She said \"we will win.\" Then she left.") ==
        V{"She said \"we will win.\"", "Then she left."});
  CHECK(Texts("He said 'no.' Then 'yes!' They laughed.") ==
        V{"He said 'no.'", "Then 'yes!'", "They laughed."});
  CHECK(Texts("\u201CIt is over.\u201D The crowd left. \u00ABFin.\u00BB Adieu.") ==
        V{"\u201CIt is over.\u201D", "The crowd left.", "\u00ABFin.\u00BB", "Adieu."});
  // A quote that continues after the mark does not end the sentence.
  CHECK(Texts("\"Stop!\" he shouted. \"Why?\" she asked.") ==
        V{"\"Stop!\" he shouted.", "\"Why?\" she asked."});
  // An opening quote or bracket may begin the next sentence.
  CHECK(Texts("It ended. \"Next,\" he said. (Aside.) Done.") ==
        V{"It ended.", "\"Next,\" he said.", "(Aside.)", "Done."});
}

TEST_CASE("ellipses end a sentence only before a new one") {
  CHECK(Texts("Wait... what was that? And then\u2026 Silence. Well\u2026 no.") ==
        V{"Wait... what was that?", "And then\u2026", "Silence.", "Well\u2026 no."});
}

TEST_CASE("list items are segments of their own, bullets left out") {
  const std::string text =
      "Related coverage:\n- First link here\n* Second link\n\u2022 Third link\n"
      "1. Numbered one.\n2) Numbered two\na) Lettered\n(iv) Roman\n";
  CHECK(Texts(text) == V{"Related coverage:", "First link here", "Second link", "Third link",
                         "1. Numbered one.", "2) Numbered two", "a) Lettered", "(iv) Roman"});
  const std::vector<Sentence> s = SegmentSentences(text);
  REQUIRE(s.size() == 8);
  CHECK(s[0].kind == SentenceKind::kHeading);
  for (std::size_t i = 1; i < s.size(); ++i) CHECK(s[i].kind == SentenceKind::kListItem);
  // A dash inside a line is not a bullet; "-" alone is not a list item.
  CHECK(Texts("MARROWICK, 3 March - Corvane said so.\n-\n") ==
        V{"MARROWICK, 3 March - Corvane said so.", "-"});
}

TEST_CASE("headings and unpunctuated lines end segments") {
  const std::string text =
      "Chip designer says hackers stole blueprints\n\n"
      "The company said it detected unusual activity. It shut systems down.\n\n"
      "Is this ransomware in the classic sense?\n"
      "Not really. There is no sign of encryption.\n\n"
      "Whistle ratings\n"
      "Carrow was the best player on the pitch by a distance, saving a penalty\n";
  CHECK(Texts(text) ==
        V{"Chip designer says hackers stole blueprints",
          "The company said it detected unusual activity.", "It shut systems down.",
          "Is this ransomware in the classic sense?", "Not really.",
          "There is no sign of encryption.", "Whistle ratings",
          "Carrow was the best player on the pitch by a distance, saving a penalty"});
  const std::vector<Sentence> s = SegmentSentences(text);
  REQUIRE(s.size() == 8);
  CHECK(s[0].kind == SentenceKind::kHeading);
  CHECK(s[1].kind == SentenceKind::kSentence);
  CHECK(s[6].kind == SentenceKind::kHeading);
  CHECK(s[0].paragraph == 0);
  CHECK(s[1].paragraph == 1);
  CHECK(s[2].paragraph == 1);
  CHECK(s[3].paragraph == 2);
  CHECK(s[6].paragraph == 3);
  CHECK(s[7].paragraph == 3);
}

TEST_CASE("hard-wrapped prose joins across line breaks") {
  const std::string text =
      "The council said on Tuesday that the new bridge would open to traffic\n"
      "in the spring, two years later than planned, and that costs had risen\n"
      "by a third. Residents welcomed the news.\n";
  CHECK(Texts(text) == V{"The council said on Tuesday that the new bridge would open to traffic\n"
                         "in the spring, two years later than planned, and that costs had risen\n"
                         "by a third.",
                         "Residents welcomed the news."});
}

TEST_CASE("an enumerator inside wrapped text is not a list item") {
  // corpora/news/docs/westmark-election__exact-crlf.txt wraps "on Sept. 29." this way.
  CHECK(Texts("The commission will certify the results on Sept.\n29.  Under regional law, a "
              "recount is possible.") == V{"The commission will certify the results on Sept.\n29.",
                                           "Under regional law, a recount is possible."});
  CHECK(Texts("Steps:\n1. Call us.\n2. Wait.") == V{"Steps:", "1. Call us.", "2. Wait."});
}

TEST_CASE("CRLF, CR and tabs are whitespace; offsets point into the original") {
  const std::string text = "Title line\r\n\r\n\tFirst one.\tSecond one.\r\nThird\r\rFourth.";
  CHECK(Texts(text) == V{"Title line", "First one.", "Second one.", "Third", "Fourth."});
  const std::vector<Sentence> s = SegmentSentences(text);
  REQUIRE(s.size() == 5);
  CHECK(s[1].begin == text.find("First"));
  CHECK(s[4].paragraph == 2);  // "\r\r" is a blank line
}

TEST_CASE("non-ASCII text: case of the next word, initials, spaces") {
  CHECK(Texts("Der Preis stieg um 3,5 %. Über Nacht fiel er. \u00C9t\u00E9 fini.") ==
        V{"Der Preis stieg um 3,5 %.", "Über Nacht fiel er.", "\u00C9t\u00E9 fini."});
  // A lower-case non-ASCII letter continues the sentence.
  CHECK(Texts("Il dit ok. \u00E9videmment pas. Fin.") ==
        V{"Il dit ok. \u00E9videmment pas.", "Fin."});
  // A non-ASCII initial, and no-break spaces trimmed away.
  CHECK(Texts("\u00A0\u00D6. Yilmaz spoke.\u00A0\u00A0Then left.\u3000") ==
        V{"\u00D6. Yilmaz spoke.", "Then left."});
  // Text without spaces between sentences (CJK) stays one segment; invalid bytes are kept.
  CHECK(Texts("\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x82\xFF\xFE bad.") ==
        V{"\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x82\xFF\xFE bad."});
}

TEST_CASE("segments are ordered, disjoint, trimmed and non-empty on every corpus file") {
  namespace fs = std::filesystem;
  std::size_t files = 0;
  for (const char* dir : {"corpora/news/docs", "corpora/stories/docs"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(NEARDUP_SOURCE_DIR) / dir)) {
      const std::string text = testing::ReadFileBytes(entry.path().string());
      const std::vector<Sentence> s = SegmentSentences(text);
      INFO(entry.path().string());
      REQUIRE(!s.empty());
      std::size_t prev_end = 0;
      for (const Sentence& x : s) {
        REQUIRE(x.begin < x.end);
        REQUIRE(x.begin >= prev_end);
        REQUIRE(x.end <= text.size());
        CHECK(text[x.begin] != ' ');
        CHECK(text[x.end - 1] != ' ');
        CHECK(text[x.end - 1] != '\n');
        prev_end = x.end;
      }
      ++files;
    }
  }
  CHECK(files == 82);
}

TEST_CASE("a corpus story segments into its real sentences") {
  const std::string text = testing::ReadFileBytes(
      std::string(NEARDUP_SOURCE_DIR) + "/corpora/stories/docs/corvane-breach__original.txt");
  const V got = Texts(text);
  // Counted by reading the file: a headline and 28 sentences in 13 paragraphs.
  REQUIRE(got.size() == 29);
  CHECK(got[0] ==
        "Chip designer Corvane says hackers stole processor blueprints and staff records");
  CHECK(got[1].starts_with("MARROWICK, 3 March 2025 - Corvane Microsystems"));
  CHECK(got[1].ends_with("former employees."));
  const std::vector<Sentence> s = SegmentSentences(text);
  CHECK(s[0].kind == SentenceKind::kHeading);
  CHECK(s.back().paragraph == 12);
}

}  // namespace
}  // namespace neardup
