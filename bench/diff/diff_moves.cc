// Moved paragraphs on held-out real text: revisions of Wikipedia articles
// (or any JSONL/text input) made by tests/align/revisions.h's MoveParagraph
// (one paragraph moved far, the rest revised in place), diffed with the
// original, scored against the known move and a plain word diff.
//
//   diff_moves INPUT [ARTICLES=200] [MIN_BYTES=3000] [MAX_BYTES=20000]
//
// Lines become paragraphs (WikiExtractor writes one paragraph a line).
// Articles are taken in input order; each is revised once with seed = its
// position, the sentences inserted coming from the next article taken.
#include <neardup/align.h>
#include <neardup/io.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "align/revisions.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: diff_moves INPUT [ARTICLES] [MIN_BYTES] [MAX_BYTES]\n");
    return 2;
  }
  const std::size_t want = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
  const std::size_t min_bytes = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 3000;
  const std::size_t max_bytes = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 20000;
  auto reader = neardup::OpenReader({argv[1]}, neardup::ReaderOptions{});
  if (!reader.ok()) {
    std::fprintf(stderr, "diff_moves: %s\n", reader.status().ToString().c_str());
    return 2;
  }
  std::vector<std::string> texts;
  neardup::Document doc;
  while (texts.size() <= want) {
    auto more = reader.value()->Next(&doc);
    if (!more.ok()) {
      std::fprintf(stderr, "diff_moves: %s\n", more.status().ToString().c_str());
      return 2;
    }
    if (!more.value()) break;
    if (doc.text.size() < min_bytes || doc.text.size() > max_bytes) continue;
    std::string t;
    for (char c : doc.text) t += c == '\n' ? std::string("\n\n") : std::string(1, c);
    texts.push_back(std::move(t));
  }
  neardup::testing::MoveTally t;
  std::size_t skipped = 0;
  for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
    neardup::testing::MovedRevision rev;
    if (!neardup::testing::MoveParagraph(texts[i], texts[i + 1], i, &rev)) {
      ++skipped;
      continue;
    }
    const neardup::DocDiff d = neardup::DiffDocuments(texts[i], rev.text);
    t.Add(neardup::testing::ScoreMove(texts[i], rev, d));
  }
  std::printf("revisions %zu (skipped %zu without a paragraph to move)\n", t.revisions, skipped);
  std::printf("moved paragraph fully reported moved: %zu of %zu\n", t.fully_moved, t.revisions);
  std::printf("moved paragraph words reported moved: %zu of %zu (%.4f)\n", t.moved, t.para,
              t.para ? static_cast<double>(t.moved) / static_cast<double>(t.para) : 0.0);
  std::printf("words reported moved outside it: %zu\n", t.false_moved);
  std::printf("outside it, words changed equal to a plain word diff's: %zu of %zu revisions\n",
              t.exact, t.revisions);
  std::printf("outside it, words changed: %zu (diff) vs %zu (plain word diff)\n", t.ours, t.plain);
  return 0;
}
