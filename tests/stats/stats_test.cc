// Document frequencies: counting, merging, IDF and the file format.
#include <neardup/normalize.h>
#include <neardup/stats.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <thread>

#include "test_util.h"

namespace neardup {
namespace {

using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFile;

std::uint64_t H(const char* word) { return HashToken(word, 0); }

DocumentFrequencies Count(const std::vector<std::string>& docs) {
  DocumentFrequencies df;
  for (const std::string& d : docs) df.AddDocument(Normalize(d));
  return df;
}

TEST_CASE("DocumentFrequencies counts each word once per document") {
  const DocumentFrequencies df = Count({"the cat and THE cat", "the dog", "Dog, dog, dog!"});
  CHECK(df.documents() == 3);
  CHECK(df.Count(H("the")) == 2);
  CHECK(df.Count(H("cat")) == 1);
  CHECK(df.Count(H("dog")) == 2);  // case folded, counted once in the third document
  CHECK(df.Count(H("and")) == 1);
  CHECK(df.Count(H("bird")) == 0);
  CHECK(df.size() == 4);
}

TEST_CASE("DocumentFrequencies: IDF is ln((N + 1) / (count + 0.5)), larger for rarer words") {
  const DocumentFrequencies df = Count({"a b", "a c", "a d", "a"});
  CHECK(df.Idf(H("a")) == Approx(std::log(5.0 / 4.5)));
  CHECK(df.Idf(H("b")) == Approx(std::log(5.0 / 1.5)));
  CHECK(df.Idf(H("zzz")) == Approx(std::log(5.0 / 0.5)));
  CHECK(df.Idf(H("a")) < df.Idf(H("b")));
  CHECK(df.Idf(H("b")) < df.Idf(H("zzz")));
}

TEST_CASE("DocumentFrequencies: the table does not depend on document order or splitting") {
  const std::vector<std::string> docs = {"alpha beta", "beta gamma delta", "alpha", "delta delta",
                                         "epsilon beta alpha"};
  const DocumentFrequencies whole = Count(docs);
  const DocumentFrequencies reversed = Count({docs.rbegin(), docs.rend()});
  CHECK(whole == reversed);
  DocumentFrequencies left = Count({docs[0], docs[1]});
  const DocumentFrequencies right = Count({docs[2], docs[3], docs[4]});
  left.Merge(right);
  CHECK(left == whole);
}

TEST_CASE("DocumentFrequencies: counts of distinct hashes stay exact across compactions") {
  // 1300 documents of 4000 distinct words each, most of them rare: more
  // than the 2^22 hashes held before a compaction, besides the common words
  // counted in place. Document d holds words (4000 d + i) mod 2^20, i < 4000.
  constexpr std::uint64_t kWords = std::uint64_t{1} << 20, kPerDocument = 4000, kDocuments = 1300;
  auto hash = [](std::uint64_t w) { return (w + 1) * 0x9E3779B97F4A7C15ull; };  // all 64 bits vary
  DocumentFrequencies df;
  std::vector<std::uint32_t> expected(kWords, 0);
  std::vector<std::uint64_t> distinct(kPerDocument);
  for (std::uint64_t d = 0; d < kDocuments; ++d) {
    for (std::uint64_t i = 0; i < kPerDocument; ++i) {
      const std::uint64_t w = (kPerDocument * d + i) % kWords;
      distinct[i] = hash(w);
      ++expected[w];
    }
    df.AddDistinct(distinct);
  }
  CHECK(df.documents() == kDocuments);
  CHECK(df.size() == static_cast<std::size_t>(std::count_if(
                         expected.begin(), expected.end(), [](std::uint32_t c) { return c > 0; })));
  std::size_t wrong = 0;
  for (std::uint64_t w = 0; w < kWords; ++w) wrong += df.Count(hash(w)) != expected[w];
  CHECK(wrong == 0);
}

TEST_CASE("DocumentFrequencies: two threads reading a fresh table get the right counts") {
  // The additions are still pending when both threads start reading, so
  // the first reads sort them in while the other thread reads too: a data
  // race (ThreadSanitizer reports it; without it, wrong counts or a crash)
  // unless that step is synchronized. Fresh tables, 50 times, to meet it.
  constexpr std::uint64_t kWords = 20000, kPerDocument = 500, kDocuments = 200;
  auto hash = [](std::uint64_t w) { return (w + 1) * 0x9E3779B97F4A7C15ull; };
  std::vector<std::uint32_t> expected(kWords, 0);
  std::vector<std::vector<std::uint64_t>> docs(kDocuments);
  for (std::uint64_t d = 0; d < kDocuments; ++d) {
    for (std::uint64_t i = 0; i < kPerDocument; ++i) {
      const std::uint64_t w = (7919 * d + i * i) % kWords;
      if (std::find(docs[d].begin(), docs[d].end(), hash(w)) != docs[d].end()) continue;
      docs[d].push_back(hash(w));
      ++expected[w];
    }
  }
  const auto distinct_words = static_cast<std::size_t>(
      std::count_if(expected.begin(), expected.end(), [](std::uint32_t c) { return c > 0; }));
  for (int round = 0; round < 50; ++round) {
    DocumentFrequencies df;
    for (const std::vector<std::uint64_t>& d : docs) df.AddDistinct(d);
    const DocumentFrequencies& shared = df;
    std::atomic<int> ready{0};
    std::size_t wrong[2] = {0, 0};
    auto read = [&](int t) {
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      // One thread asks for counts first, the other for the size.
      if (t == 1) wrong[t] += shared.size() != distinct_words;
      for (std::uint64_t w = 0; w < kWords; ++w) wrong[t] += shared.Count(hash(w)) != expected[w];
      if (t == 0) wrong[t] += shared.entries().size() != distinct_words;
    };
    std::thread other(read, 1);
    read(0);
    other.join();
    INFO("round " << round);
    CHECK(wrong[0] == 0);
    CHECK(wrong[1] == 0);
  }
}

TEST_CASE("DocumentFrequencies: a copy of a table with pending additions has its counts") {
  DocumentFrequencies df = Count({"the cat", "the dog"});
  const DocumentFrequencies copy = df;  // df's additions are still pending
  CHECK(copy == df);
  CHECK(copy.Count(H("the")) == 2);
  DocumentFrequencies moved = std::move(df);
  moved.AddDocument(Normalize("the bird"));
  CHECK(moved.Count(H("the")) == 3);
  CHECK(moved.documents() == 3);
}

TEST_CASE("DocumentFrequencies: Prune drops rare words only") {
  DocumentFrequencies df = Count({"x y", "x z", "x y"});
  df.Prune(2);
  CHECK(df.Count(H("x")) == 3);
  CHECK(df.Count(H("y")) == 2);
  CHECK(df.Count(H("z")) == 0);
  CHECK(df.documents() == 3);
}

TEST_CASE("DocumentFrequencies: save and load round trip") {
  TempDir dir;
  const DocumentFrequencies df = Count({"one two three", "two three four", "three"});
  WriteFile(dir.File("t.ndstats"), df.Serialize());
  // 4 magic + 4 version + 8 documents + 8 entries + 4 entries * 12 bytes.
  CHECK(ReadFileBytes(dir.File("t.ndstats")).size() == 24 + 4 * 12);
  Result<DocumentFrequencies> loaded = DocumentFrequencies::Load(dir.File("t.ndstats"));
  REQUIRE(loaded.ok());
  CHECK(loaded.value() == df);
  CHECK(loaded.value().Count(H("three")) == 3);
}

TEST_CASE("DocumentFrequencies: malformed files are rejected with the reason") {
  TempDir dir;
  const DocumentFrequencies df = Count({"one two", "two"});
  WriteFile(dir.File("good"), df.Serialize());
  const std::string good = ReadFileBytes(dir.File("good"));

  WriteFile(dir.File("truncated"), good.substr(0, good.size() - 5));
  Result<DocumentFrequencies> r = DocumentFrequencies::Load(dir.File("truncated"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("truncated"));

  WriteFile(dir.File("text"), "id\tlabel\n");
  r = DocumentFrequencies::Load(dir.File("text"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("not a neardup statistics file"));

  std::string future = good;
  future[4] = 9;  // version
  WriteFile(dir.File("future"), future);
  r = DocumentFrequencies::Load(dir.File("future"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("version 9"));

  CHECK(DocumentFrequencies::Load(dir.File("missing")).status().code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace neardup
