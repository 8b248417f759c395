// Access points of compressed JSONL (issue 20): decoding from any recorded
// point gives the bytes a sequential read gives from there, and ReadAt reads
// each document of a gzip or zstd file alone, as Next gave it, in any order.
// Fixtures are made here with zlib and libzstd (codec_test_util.h).
#include "io/access_points.h"

#include <neardup/io.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/codec_test_util.h"
#include "io/io_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Gzip;
using testing::Rng;
using testing::TempDir;
using testing::WriteFile;
using testing::Zstd;

// About `bytes` of JSONL whose text is random words: poorly compressible
// enough that a single gzip stream holds many deflate blocks and several
// window access points (one about every MB decoded).
std::string Corpus(std::size_t bytes, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> words;
  for (int i = 0; i < 4000; ++i) {
    std::string w;
    const std::uint64_t length = 2 + rng.Below(9);
    for (std::uint64_t c = 0; c < length; ++c) w += static_cast<char>('a' + rng.Below(26));
    words.push_back(w);
  }
  std::string out;
  for (std::size_t i = 0; out.size() < bytes; ++i) {
    std::string text;
    const std::uint64_t n = 20 + rng.Below(600);
    for (std::uint64_t w = 0; w < n; ++w) {
      if (w > 0) text += ' ';
      text += words[rng.Below(words.size())];
    }
    out += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + text + "\"}\n";
    if (i % 97 == 0) out += "\n";  // blank lines count in line numbers
  }
  return out;
}

// `data` cut every `piece` bytes (not at line ends), each piece compressed alone.
template <typename Compress>
std::string Pieces(const std::string& data, std::size_t piece, Compress compress) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += piece) out += compress(data.substr(at, piece));
  return out;
}

struct Fixture {
  std::string name;
  std::string bytes;
};

std::vector<Fixture> Fixtures(const std::string& plain) {
  auto gzip = [](const std::string& s) { return Gzip(s); };
  auto zstd = [](const std::string& s) { return Zstd(s); };
  return {
      {"one.jsonl.gz", Gzip(plain)},
      {"members.jsonl.gz", Pieces(plain, 300000, gzip)},
      {"one.jsonl.zst", Zstd(plain)},
      {"frames.jsonl.zst", Pieces(plain, 300000, zstd)},
  };
}

std::string ReadToEnd(internal::ByteSource& source) {
  std::string out;
  std::string buffer(internal::kIoBufferSize, '\0');
  while (true) {
    Result<std::size_t> got = source.Read(buffer.data(), buffer.size());
    REQUIRE_OK(got.status());
    if (got.value() == 0) return out;
    out.append(buffer.data(), got.value());
  }
}

TEST_CASE("Access points: decoding from each gives the sequential read's bytes from there") {
  TempDir dir;
  const std::string plain = Corpus(std::size_t{5} << 20, 1);
  // Sequential, and decoded ahead (member- and frame-parallel, parallel_source.h).
  for (const bool ahead : {false, true})
    for (const Fixture& f : Fixtures(plain)) {
      INFO(f.name << (ahead ? ", decoded ahead" : ""));
      const std::string path = dir.File(f.name);
      WriteFile(path, f.bytes);
      internal::AccessIndex index;
      internal::Codec codec = internal::Codec::kNone;
      Result<std::unique_ptr<internal::ByteSource>> source =
          internal::OpenDecodedFile(path, &codec, &index, ahead);
      REQUIRE_OK(source.status());
      REQUIRE(ReadToEnd(*source.value()) == plain);
      // Every file has its start; one gzip stream has windows about every MB,
      // members and frames have their starts (every 300 KB).
      const bool one_frame = f.name == "one.jsonl.zst";
      CHECK(index.size() >= (one_frame ? 1u : 4u));
      if (f.name == "one.jsonl.gz") CHECK(index.bytes() > 4 * 32768);
      std::uint64_t last = 0;
      for (std::uint64_t at = 0; at <= plain.size(); at += 150000) {
        const internal::AccessPoint point = index.Before(at);
        CHECK(point.decoded <= at);
        if (point.decoded == last && at > 0) continue;  // seen
        last = point.decoded;
        INFO("point at decoded " << point.decoded << ", raw " << point.raw << ", state "
                                 << point.window.size());
        Result<std::unique_ptr<internal::ByteSource>> from =
            internal::OpenDecodedFileAtPoint(path, codec, point);
        REQUIRE_OK(from.status());
        const std::string rest = ReadToEnd(*from.value());
        CHECK(rest.size() == plain.size() - point.decoded);
        CHECK(rest == plain.substr(point.decoded));
      }
    }
}

// Every document of `path` as Next gives it (with the reader's options);
// `access_point_bytes`, if given, gets what the reader's access points hold
// once it has read to the end.
std::vector<Document> ReadAll(const std::string& path, const ReaderOptions& options,
                              std::uint64_t* access_point_bytes = nullptr) {
  std::vector<Document> docs;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, options);
  REQUIRE_OK(reader.status());
  Document doc;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    REQUIRE(doc.offset != kNoOffset);
    docs.push_back(doc);
  }
  if (access_point_bytes != nullptr) *access_point_bytes = reader.value()->access_point_bytes();
  return docs;
}

TEST_CASE("ReadAt: gzip and zstd documents read alone are the ones Next gave") {
  TempDir dir;
  const std::string plain = Corpus(std::size_t{3} << 20, 2);
  for (const Fixture& f : Fixtures(plain)) {
    INFO(f.name);
    const std::string path = dir.File(f.name);
    WriteFile(path, f.bytes);
    ReaderOptions options;
    std::uint64_t point_bytes = 0;
    const std::vector<Document> docs = ReadAll(path, options, &point_bytes);
    CHECK(point_bytes > 0);
    REQUIRE(docs.size() > 1000);
    // A second reader with a copy of the options: in order (as the exact
    // check reads), then in a scattered order.
    Result<std::unique_ptr<DocumentReader>> again = OpenReader({path}, options);
    REQUIRE_OK(again.status());
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < docs.size(); i += 3) order.push_back(i);
    for (std::size_t i = docs.size() - 1; i > 0; i -= std::min<std::size_t>(i, 211)) {
      order.push_back(i);
    }
    order.push_back(docs.size() - 1);
    for (std::size_t i : order) {
      const Document& doc = docs[i];
      Document alone;
      REQUIRE_OK(again.value()->ReadAt(0, doc.offset, doc.source.line, &alone));
      INFO("document " << i);
      REQUIRE(alone.id == doc.id);
      REQUIRE(alone.text == doc.text);
      CHECK(alone.source.ToString() == doc.source.ToString());
    }
  }
}

TEST_CASE("ReadManyAt: documents decoded at once from several access points are Next's") {
  TempDir dir;
  const std::string plain = Corpus(std::size_t{5} << 20, 3);
  for (const Fixture& f : Fixtures(plain)) {
    INFO(f.name);
    const std::string path = dir.File(f.name);
    WriteFile(path, f.bytes);
    ReaderOptions options;
    const std::vector<Document> docs = ReadAll(path, options);
    REQUIRE(docs.size() > 1000);
    Result<std::unique_ptr<DocumentReader>> again = OpenReader({path}, options);
    REQUIRE_OK(again.status());
    // Sparse and increasing (the exact check's order), spanning every access
    // point; then dense; then out of order and repeated (runs restart).
    std::vector<std::vector<std::size_t>> orders(3);
    for (std::size_t i = 5; i < docs.size(); i += 37) orders[0].push_back(i);
    for (std::size_t i = 100; i < 400; ++i) orders[1].push_back(i);
    for (std::size_t i = docs.size() - 1; i > 0; i -= std::min<std::size_t>(i, 331)) {
      orders[2].push_back(i);
      orders[2].push_back(i / 2);
    }
    orders[2].push_back(orders[2].front());
    for (const std::vector<std::size_t>& order : orders) {
      std::vector<DocumentReader::Place> where;
      for (std::size_t i : order) where.push_back({0, docs[i].offset, docs[i].source.line});
      std::vector<Document> got(where.size());
      std::size_t read = 0;
      REQUIRE_OK(again.value()->ReadManyAt(where, got, &read));
      REQUIRE(read == where.size());
      for (std::size_t k = 0; k < order.size(); ++k) {
        INFO("document " << order[k]);
        REQUIRE(got[k].id == docs[order[k]].id);
        REQUIRE(got[k].text == docs[order[k]].text);
        CHECK(got[k].source.ToString() == docs[order[k]].source.ToString());
        CHECK(got[k].offset == docs[order[k]].offset);
        CHECK(got[k].input == 0);
      }
    }
  }
}

TEST_CASE("ReadManyAt: the first error in order, as ReadAt one by one gives it") {
  TempDir dir;
  const std::string plain = Corpus(std::size_t{3} << 20, 4);
  for (const Fixture& f : Fixtures(plain)) {
    INFO(f.name);
    const std::string path = dir.File(f.name);
    WriteFile(path, f.bytes);
    ReaderOptions options;
    const std::vector<Document> docs = ReadAll(path, options);
    REQUIRE(docs.size() > 500);
    // Places spread over the file; two of them wrong: one in the middle of
    // a line (not a record), one past the end. The first decides.
    std::vector<DocumentReader::Place> where;
    for (std::size_t i = 0; i < docs.size(); i += 50) {
      where.push_back({0, docs[i].offset, docs[i].source.line});
    }
    const std::size_t bad = where.size() / 2;
    where[bad].offset += 7;
    where[bad + 3].offset = plain.size() + 10;
    std::string expected;
    {
      Result<std::unique_ptr<DocumentReader>> one = OpenReader({path}, options);
      REQUIRE_OK(one.status());
      Document doc;
      for (std::size_t i = 0; i < where.size(); ++i) {
        const Status s = one.value()->ReadAt(0, where[i].offset, where[i].line, &doc);
        if (!s.ok()) {
          REQUIRE(i == bad);
          expected = s.ToString();
          break;
        }
      }
    }
    REQUIRE(!expected.empty());
    Result<std::unique_ptr<DocumentReader>> many = OpenReader({path}, options);
    REQUIRE_OK(many.status());
    std::vector<Document> got(where.size());
    std::size_t read = 0;
    const Status status = many.value()->ReadManyAt(where, got, &read);
    CHECK(status.ToString() == expected);
    CHECK(read == bad);
    for (std::size_t i = 0; i < bad; ++i) CHECK(got[i].id == docs[i * 50].id);
    // Past the end alone: "no record here".
    std::size_t one_read = 0;
    const Status past =
        many.value()->ReadManyAt(std::span<const DocumentReader::Place>(&where[bad + 3], 1),
                                 std::span<Document>(got.data(), 1), &one_read);
    CHECK(one_read == 0);
    CHECK(past.message().find("no record here") != std::string::npos);
  }
}

TEST_CASE("ReadManyAt: places in several inputs, each input's runs read by its own reader") {
  TempDir dir;
  const std::string a = Corpus(std::size_t{2} << 20, 5);
  const std::string b = Corpus(std::size_t{2} << 20, 6);
  const std::string pa = dir.File("a.jsonl.gz");
  const std::string pb = dir.File("b.jsonl.zst");
  WriteFile(pa, Gzip(a));
  WriteFile(pb, Pieces(b, 200000, [](const std::string& s) { return Zstd(s); }));
  ReaderOptions options;
  Status error;
  const std::vector<Document> docs = testing::ReadAll({pa, pb}, &error, options);
  REQUIRE_OK(error);
  Result<std::unique_ptr<DocumentReader>> again = OpenReader({pa, pb}, options);
  REQUIRE_OK(again.status());
  std::vector<std::size_t> order;
  for (std::size_t i = 3; i < docs.size(); i += 29) order.push_back(i);
  for (std::size_t i = 1; i < docs.size(); i += 301) order.push_back(i);  // back to input 0
  std::vector<DocumentReader::Place> where;
  for (std::size_t i : order) where.push_back({docs[i].input, docs[i].offset, docs[i].source.line});
  std::vector<Document> got(where.size());
  std::size_t read = 0;
  REQUIRE_OK(again.value()->ReadManyAt(where, got, &read));
  REQUIRE(read == where.size());
  bool both = false;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Document& want = docs[order[k]];
    REQUIRE(got[k].id == want.id);
    REQUIRE(got[k].text == want.text);
    CHECK(got[k].input == want.input);
    both = both || want.input == 1;
  }
  CHECK(both);
}

TEST_CASE("ReadAt: a compressed file changed since it was read is not read through stale points") {
  TempDir dir;
  const std::string path = dir.File("a.jsonl.gz");
  WriteFile(path, Gzip("{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\", \"text\": \"two\"}\n"));
  // Opened but not read yet: the file's start is a point already.
  Document doc;
  Result<std::unique_ptr<DocumentReader>> fresh = OpenReader({path}, ReaderOptions{});
  REQUIRE_OK(fresh.status());
  REQUIRE_OK(fresh.value()->ReadAt(0, 27, 2, &doc));
  CHECK(doc.id == "b");
  // Read, then replaced by other bytes: its points are not used.
  ReaderOptions options;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, options);
  REQUIRE_OK(reader.status());
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
  }
  std::filesystem::remove(path);
  WriteFile(path, Gzip("{\"id\": \"c\", \"text\": \"other bytes, other size\"}\n"));
  // The changed file gets points of its own (from its start): ReadAt gives
  // what is there now, which the pipeline's id check then rejects.
  REQUIRE_OK(reader.value()->ReadAt(0, 0, 1, &doc));
  CHECK(doc.id == "c");
}

}  // namespace
}  // namespace neardup
