// The persistent index (store.h) through the library: what an add keeps,
// that an uncommitted add changes nothing, the lock, and what a later batch
// is told about earlier documents.
#include <neardup/store.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.h"

namespace neardup {
namespace {

struct Collect final : DecisionSink {
  Status OnCluster(const ClusterReport&) override { return Status::OK(); }
  Status OnDecision(const Decision& d) override {
    ids.push_back(d.doc->id);
    kept.push_back(d.kept);
    duplicate_of.push_back(d.duplicate_of ? d.duplicate_of->id : "");
    batch_of.push_back(d.duplicate_of ? d.duplicate_of->batch : "");
    return Status::OK();
  }
  std::vector<std::string> ids, duplicate_of, batch_of;
  std::vector<bool> kept;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// 60 words of a fixed pseudo-random text; `variant` != 0 changes one word.
std::string Text(int seed, int variant) {
  testing::Rng rng(static_cast<std::uint64_t>(seed) * 7919 + 1);
  std::string t;
  for (int i = 0; i < 60; ++i) {
    t += (i ? " w" : "w") + std::to_string(rng.Next() % 5000);
    if (i == 30 && variant != 0) t += "x" + std::to_string(variant);
  }
  return t;
}

std::string Jsonl(const std::vector<std::pair<std::string, std::string>>& docs) {
  std::string out;
  for (const auto& [id, text] : docs)
    out += "{\"id\": \"" + id + "\", \"text\": \"" + text + "\"}\n";
  return out;
}

// Runs one add of `input` into the index at `dir`; commits unless told not to.
Collect Add(const std::string& dir, const std::string& input, const std::string& batch,
            bool commit = true) {
  Result<std::unique_ptr<IndexAdd>> add = IndexAdd::Begin(dir, batch, {input}, ReaderOptions{});
  REQUIRE(add.ok());
  Pipeline pipeline(add.value()->options());
  Collect sink;
  REQUIRE(
      pipeline.Run([&] { return OpenReader({input}, ReaderOptions{}); }, sink, add.value().get())
          .ok());
  if (commit) REQUIRE(add.value()->Commit().ok());
  return sink;
}

TEST_CASE("a later batch names earlier documents, and an uncommitted add changes nothing") {
  testing::TempDir tmp;
  const std::string dir = tmp.File("idx");
  PipelineOptions options;  // near level, threshold 0.8
  REQUIRE(InitIndex(dir, options).ok());
  testing::WriteFile(tmp.File("b1.jsonl"), Jsonl({{"a", Text(1, 0)}, {"b", Text(2, 0)}}));
  testing::WriteFile(tmp.File("b2.jsonl"),
                     Jsonl({{"c", Text(1, 1)}, {"d", Text(3, 0)}, {"e", Text(2, 0)}}));
  const Collect first = Add(dir, tmp.File("b1.jsonl"), "one");
  CHECK(first.kept == std::vector<bool>{true, true});

  const std::string manifest = ReadAll(dir + "/MANIFEST");
  Add(dir, tmp.File("b2.jsonl"), "two", /*commit=*/false);
  CHECK(ReadAll(dir + "/MANIFEST") == manifest);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    CHECK(e.path().filename().string().find("neardup-tmp") == std::string::npos);
  }

  const Collect second = Add(dir, tmp.File("b2.jsonl"), "two");
  // c is a near copy of a (one word of 60 changed), e an exact copy of b.
  CHECK(second.kept == std::vector<bool>{false, true, false});
  CHECK(second.duplicate_of == std::vector<std::string>{"a", "", "b"});
  CHECK(second.batch_of == std::vector<std::string>{"one", "", "one"});

  Result<std::unique_ptr<IndexSnapshot>> index = IndexSnapshot::Open(dir);
  REQUIRE(index.ok());
  CHECK(index.value()->documents() == 5);
  CHECK(index.value()->Verify().ok());
  Result<IndexFigures> figures = index.value()->Figures();
  REQUIRE(figures.ok());
  // e (an exact copy) is not indexed; the other four are.
  CHECK(figures.value().indexed == 4);
  Result<DocumentInfo> d = index.value()->Describe(3);
  REQUIRE(d.ok());
  CHECK(d.value().id == "d");
  CHECK(d.value().batch == "two");
  CHECK(d.value().source.ToString() == tmp.File("b2.jsonl") + ":2");
}

TEST_CASE("a second add is refused while one holds the lock") {
  testing::TempDir tmp;
  const std::string dir = tmp.File("idx");
  REQUIRE(InitIndex(dir, PipelineOptions{}).ok());
  testing::WriteFile(tmp.File("b.jsonl"), Jsonl({{"a", Text(1, 0)}}));
  Result<std::unique_ptr<IndexAdd>> first =
      IndexAdd::Begin(dir, "", {tmp.File("b.jsonl")}, ReaderOptions{});
  REQUIRE(first.ok());
  bool locked = false;
  Result<std::unique_ptr<IndexAdd>> second =
      IndexAdd::Begin(dir, "", {tmp.File("b.jsonl")}, ReaderOptions{}, &locked);
  REQUIRE(!second.ok());
  CHECK(locked);  // the CLI's exit 5, not a command-line error
  CHECK(second.status().message().find("locked") != std::string::npos);
  first.value().reset();
  CHECK(IndexAdd::Begin(dir, "", {tmp.File("b.jsonl")}, ReaderOptions{}, &locked).ok());
  CHECK(!locked);
}

TEST_CASE("init refuses levels the index cannot serve") {
  testing::TempDir tmp;
  PipelineOptions story;
  story.level = Level::kStory;
  CHECK(!InitIndex(tmp.File("s"), story).ok());
  PipelineOptions simhash;
  simhash.method = NearMethod::kSimHash;
  CHECK(!InitIndex(tmp.File("h"), simhash).ok());
  PipelineOptions exact;
  exact.level = Level::kExact;
  REQUIRE(InitIndex(tmp.File("e"), exact).ok());
  Result<std::unique_ptr<IndexSnapshot>> index = IndexSnapshot::Open(tmp.File("e"));
  REQUIRE(index.ok());
  CHECK(index.value()->options().level == Level::kExact);
  CHECK(index.value()->documents() == 0);
}

// The run files in `dir`, sorted.
std::vector<std::string> RunFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("runs-", 0) == 0) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("runs are merged as batches are added, a power of two of batches per run file") {
  testing::TempDir tmp;
  const std::string dir = tmp.File("idx");
  REQUIRE(InitIndex(dir, PipelineOptions{}).ok());
  const std::vector<std::vector<std::string>> expected = {
      {"runs-000001-000001.ndr"},
      {"runs-000001-000002.ndr"},
      {"runs-000001-000002.ndr", "runs-000003-000003.ndr"},
      {"runs-000001-000004.ndr"},
      {"runs-000001-000004.ndr", "runs-000005-000005.ndr"},
      {"runs-000001-000004.ndr", "runs-000005-000006.ndr"},
  };
  for (int b = 0; b < 6; ++b) {
    // Each batch: a near copy of the first document of every earlier batch, and one new text.
    std::vector<std::pair<std::string, std::string>> docs;
    for (int e = 0; e < b; ++e)
      docs.emplace_back("c" + std::to_string(b) + "-" + std::to_string(e), Text(100 + e, b));
    docs.emplace_back("n" + std::to_string(b), Text(100 + b, 0));
    const std::string input = tmp.File("b" + std::to_string(b) + ".jsonl");
    testing::WriteFile(input, Jsonl(docs));
    const Collect got = Add(dir, input, "b" + std::to_string(b));
    // Every copy found its original, whichever run file holds it.
    for (int e = 0; e < b; ++e) {
      CHECK(got.duplicate_of[static_cast<std::size_t>(e)] == "n" + std::to_string(e));
    }
    CHECK(got.kept.back());
    CHECK(RunFiles(dir) == expected[static_cast<std::size_t>(b)]);
    Result<std::unique_ptr<IndexSnapshot>> index = IndexSnapshot::Open(dir);
    REQUIRE(index.ok());
    CHECK(index.value()->Verify().ok());
    CHECK(index.value()->Leftovers().empty());
  }
}

// A segment's u32 version field (after the 8-byte magic) rewritten.
void SetSegmentVersion(const std::string& path, const unsigned char (&bytes)[4]) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(8);
  f.write(reinterpret_cast<const char*>(bytes), 4);
}

TEST_CASE("a segment of the other byte order or another version is refused, naming why") {
  testing::TempDir tmp;
  const std::string dir = tmp.File("idx");
  REQUIRE(InitIndex(dir, PipelineOptions{}).ok());
  testing::WriteFile(tmp.File("b.jsonl"), Jsonl({{"a", Text(1, 0)}}));
  Add(dir, tmp.File("b.jsonl"), "one");
  const std::string seg = dir + "/seg-000001.nds";
  {
    const std::string bytes =
        ReadAll(seg);  // the format is little-endian: version 2 is 02 00 00 00
    CHECK(bytes.substr(8, 4) == std::string("\x02\0\0\0", 4));
  }
  SetSegmentVersion(seg, {0, 0, 0, 2});  // version 2 as a big-endian host would write it
  Result<std::unique_ptr<IndexSnapshot>> swapped = IndexSnapshot::Open(dir);
  REQUIRE(!swapped.ok());
  CHECK(swapped.status().message().find("big-endian") != std::string::npos);
  SetSegmentVersion(seg, {3, 0, 0, 0});
  Result<std::unique_ptr<IndexSnapshot>> later = IndexSnapshot::Open(dir);
  REQUIRE(!later.ok());
  CHECK(later.status().message().find("version 3; this neardup reads versions 1 and 2") !=
        std::string::npos);
  SetSegmentVersion(seg, {2, 0, 0, 0});
  Result<std::unique_ptr<IndexSnapshot>> restored = IndexSnapshot::Open(dir);
  REQUIRE(restored.ok());
  CHECK(restored.value()->Verify().ok());
}

}  // namespace
}  // namespace neardup
