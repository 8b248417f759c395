// Byte-range parts (PartSplit::kRanges): the pieces of all parts tile each
// plain JSONL file's lines exactly once, cut at line starts, and every file
// read whole belongs to exactly one part. What the parts read and how the
// merged run equals one run: tests/python/test_parts.py.
#include "pipeline/part_ranges.h"

#include <neardup/pipeline.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/codec_test_util.h"
#include "io/io_test_util.h"
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

std::string WarcRecordBytes(const std::string& headers, const std::string& block) {
  return "WARC/1.0\r\n" + headers + "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n" +
         block + "\r\n\r\n";
}

TEST_CASE("WARC files are cut at record starts only, and parts read each record once",
          "[pipeline][parts][warc]") {
  testing::TempDir dir;
  testing::Rng rng(5);
  // Records whose payloads hold lines that read as whole records.
  const std::string fake = WarcRecordBytes("WARC-Type: conversion\r\n", "hello");
  std::vector<std::string> records = {
      WarcRecordBytes("WARC-Type: warcinfo\r\n", "software: test\r\n")};
  for (int i = 0; i < 300; ++i) {
    std::string block;
    for (std::size_t w = 0, n = 20 + rng.Below(200); w < n; ++w) {
      block += "w" + std::to_string(rng.Below(5000)) + " ";
    }
    if (i % 3 == 1) block += "\n" + fake + fake + block;
    const std::string id =
        i % 4 == 0 ? "" : "WARC-Record-ID: <urn:r:" + std::to_string(i) + ">\r\n";
    records.push_back(WarcRecordBytes("WARC-Type: conversion\r\n" + id, block));
  }
  std::string plain, members;
  std::set<std::uint64_t> plain_starts = {0}, member_starts = {0};
  for (const std::string& r : records) {
    plain += r;
    members += testing::Gzip(r);
    plain_starts.insert(plain.size());
    member_starts.insert(members.size());
  }
  const std::string a = dir.File("a.warc");
  testing::WriteFile(a, plain);
  const std::string b = dir.File("b.warc.wet.gz");
  testing::WriteFile(b, members);
  const std::string c = dir.File("c.warc.gz");
  testing::WriteFile(c, testing::Gzip(plain));  // one stream: read whole
  const std::vector<std::string> inputs = {a, b, c};
  const std::vector<std::set<std::uint64_t>> starts = {plain_starts, member_starts};
  const std::vector<std::uint64_t> sizes = {plain.size(), members.size()};

  // The whole read, for comparison: texts and offsets in order.
  ReaderOptions options;
  options.skip_bad = true;
  std::vector<std::pair<std::string, std::uint64_t>> whole;
  Status error;
  for (const Document& doc : testing::ReadAll(inputs, &error, options)) {
    whole.emplace_back(doc.text, doc.offset);
  }
  REQUIRE_OK(error);
  REQUIRE(whole.size() == 3 * 300);

  for (const std::size_t parts : std::vector<std::size_t>{1, 2, 3, 7, 50}) {
    INFO(parts << " parts");
    std::map<std::size_t, std::vector<internal::PartPiece>> ranges;
    int whole_c = 0;
    std::vector<std::pair<std::string, std::uint64_t>> read;
    for (std::size_t k = 0; k < parts; ++k) {
      std::uint64_t total = 0;
      Result<std::vector<internal::PartPiece>> pieces =
          internal::PlanPartPieces(inputs, k, parts, &total);
      REQUIRE_OK(pieces.status());
      for (const internal::PartPiece& p : pieces.value()) {
        if (p.whole) {
          CHECK(p.input == 2);
          ++whole_c;
        } else {
          CHECK(p.warc);
          ranges[p.input].push_back(p);
        }
      }
      internal::PartRangeReader reader(inputs, options, pieces.value());
      Document doc;
      while (true) {
        Result<bool> more = reader.Next(&doc);
        REQUIRE_OK(more.status());
        if (!more.value()) break;
        read.emplace_back(doc.text, doc.offset);
      }
    }
    CHECK(whole_c == 1);
    for (std::size_t input = 0; input < 2; ++input) {
      const std::vector<internal::PartPiece>& pieces = ranges[input];
      REQUIRE(!pieces.empty());
      CHECK(pieces.front().begin == 0);
      CHECK(pieces.back().end == sizes[input]);
      CHECK(pieces.back().to_end);
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        CHECK(starts[input].count(pieces[i].begin) == 1);  // never inside a payload
        if (i > 0) CHECK(pieces[i].begin == pieces[i - 1].end);
      }
      if (parts == 50) CHECK(pieces.size() > 5);  // cut, not read whole
    }
    CHECK(read == whole);
  }
}

}  // namespace
}  // namespace neardup
