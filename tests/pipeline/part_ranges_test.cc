// Byte-range parts (PartSplit::kRanges): the pieces of all parts tile each
// plain JSONL file's lines exactly once, cut at line starts, and every file
// read whole belongs to exactly one part. What the parts read and how the
// merged run equals one run: tests/python/test_parts.py.
#include "pipeline/part_ranges.h"

#include <neardup/pipeline.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "rng.h"
#include "test_util.h"

namespace neardup {
namespace {

TEST_CASE("Byte-range parts tile every line once, cut at line starts", "[pipeline][parts]") {
  testing::TempDir dir;
  testing::Rng rng(23);
  std::string plain = "\xEF\xBB\xBF";  // a byte order mark: line 1 starts after it
  for (int i = 0; i < 400; ++i) {
    const std::size_t length = i == 200 ? 50000 : 1 + rng.Below(300);  // one line of 50 KB
    plain += i % 37 == 5 ? std::string(" \t") : std::string(length, 'x');
    plain += '\n';
  }
  plain += "last line without a newline";
  const std::string a = dir.File("a.jsonl");
  testing::WriteFile(a, plain);
  const std::string gz = dir.File("b.jsonl.gz");
  testing::WriteFile(gz, std::string("\x1F\x8B\x08\x00", 4) + std::string(5000, 'z'));
  const std::string text = dir.File("c.txt");
  testing::WriteFile(text, std::string(3000, 't'));
  const std::string empty = dir.File("d.jsonl");
  testing::WriteFile(empty, "");
  const std::vector<std::string> inputs = {a, gz, text, empty, a};

  for (const std::size_t parts : std::vector<std::size_t>{1, 2, 3, 5, 8, 64, 1000}) {
    INFO(parts << " parts");
    std::map<std::size_t, std::vector<internal::PartPiece>> ranges;  // by input
    std::map<std::size_t, int> whole;
    std::size_t empty_parts = 0;
    for (std::size_t k = 0; k < parts; ++k) {
      std::uint64_t total = 0;
      Result<std::vector<internal::PartPiece>> pieces =
          internal::PlanPartPieces(inputs, k, parts, &total);
      REQUIRE_OK(pieces.status());
      CHECK(total == 2 * plain.size() + 5004 + 3000);
      empty_parts += pieces.value().empty();
      for (const internal::PartPiece& p : pieces.value()) {
        if (p.whole) {
          ++whole[p.input];
        } else {
          ranges[p.input].push_back(p);
        }
      }
    }
    // The gzip file (by its first bytes) and the text file are read whole,
    // each by one part; the empty JSONL file has no line to read.
    CHECK(whole == std::map<std::size_t, int>{{1, 1}, {2, 1}});
    CHECK(ranges.count(3) == 0);
    for (const std::size_t input : {std::size_t{0}, std::size_t{4}}) {
      const std::vector<internal::PartPiece>& pieces = ranges[input];
      REQUIRE(!pieces.empty());
      CHECK(pieces.front().begin == 0);
      CHECK(pieces.back().end == plain.size());
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        CHECK(pieces[i].begin < pieces[i].end);
        if (i > 0) CHECK(pieces[i].begin == pieces[i - 1].end);
        if (pieces[i].begin > 0) CHECK(plain[pieces[i].begin - 1] == '\n');
      }
    }
    // More parts than the file has lines around its long line: some hold none.
    if (parts >= 64) CHECK(empty_parts > 0);
  }

  Result<bool> balanced = RangesBalance({a, text}, 2);
  REQUIRE_OK(balanced.status());
  CHECK(balanced.value());
  balanced = RangesBalance({a, gz}, 100);  // the gzip file holds more than a hundredth
  REQUIRE_OK(balanced.status());
  CHECK_FALSE(balanced.value());
  balanced = RangesBalance({dir.path().string()}, 2);
  REQUIRE_OK(balanced.status());
  CHECK_FALSE(balanced.value());  // a directory
  std::uint64_t total = 0;
  CHECK(!internal::PlanPartPieces({"-"}, 0, 1, &total).ok());
}

}  // namespace
}  // namespace neardup
