// Regression tests for the reader defects of issue 17 (item 8): number ids not
// kept as written, numbers beyond 64 bits rejected, a UTF-8 byte order mark
// making line 1 malformed, a binary file given directly read as a document,
// zero padding after a gzip stream fatal.
#include <neardup/io.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "io/codec_test_util.h"
#include "io/io_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::ReadAll;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kBom = "\xEF\xBB\xBF";

std::string Record(const std::string& id_json, const std::string& text,
                   const std::string& extra = "") {
  return "{\"id\": " + id_json + extra + ", \"text\": \"" + text + "\"}\n";
}

// Issue 17: "12.50" became "12.5", "1e3" became "1000.0", and an integer
// above 2^64 - 1 was "malformed JSON".
TEST_CASE("JSONL reader: a number id is its JSON text as written", "[io][regression]") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  const std::vector<std::string> ids = {"12.50",
                                        "1e3",
                                        "1E+3",
                                        "-0",
                                        "42",
                                        "18446744073709551615",
                                        "18446744073709551616",
                                        "-9223372036854775809",
                                        "123456789012345678901234567890",
                                        "1e999",
                                        "0.1000000000000000000000000001"};
  std::string bytes;
  for (const std::string& id : ids) bytes += Record(id, "text of " + id);
  // A number too large for a double elsewhere in the record is valid JSON too.
  bytes += Record("7", "big elsewhere", ", \"n\": [1e999, {\"k\": 99999999999999999999999}]");
  WriteFile(path, bytes);
  Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, ReaderOptions{});
  REQUIRE_OK(opened.status());
  std::vector<Document> docs;
  while (true) {
    Document doc;
    Result<bool> more = opened.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    docs.push_back(std::move(doc));
  }
  REQUIRE(docs.size() == ids.size() + 1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    INFO("line " << i + 1);
    CHECK(docs[i].id == ids[i]);
    CHECK(docs[i].text == "text of " + ids[i]);
    // Read alone (the exact check's second read): the same id.
    Document again;
    REQUIRE_OK(opened.value()->ReadAt(0, docs[i].offset, docs[i].source.line, &again));
    CHECK(again.id == ids[i]);
  }
  CHECK(docs.back().id == "7");
  CHECK(docs.back().text == "big elsewhere");
}

TEST_CASE("JSONL reader: a big number does not let malformed JSON through", "[io][regression]") {
  TempDir dir;
  const std::string path = dir.File("bad.jsonl");
  const std::string big = "99999999999999999999";
  const std::vector<std::string> bad = {
      Record("1.2.3", "x"),
      Record("01", "x"),
      Record("1.", "x"),
      Record("-", "x"),
      Record(big, "x", ", \"n\": 1.2.3"),
      Record(big, "x", ", \"n\": [1,]"),
      Record(big, "x", ", \"s\": \"bad \\q escape\""),
      "{\"id\": " + big + ", \"text\": \"x\"} trailing\n",
      "[" + big + "]\n",
      "{\"id\": " + big + ", \"text\": \"x\"\n",
  };
  for (const std::string& line : bad) {
    INFO(line);
    WriteFile(path, line);
    Status error;
    const std::vector<Document> docs = ReadAll({path}, &error);
    CHECK(docs.empty());
    CHECK_THAT(error.message(), Catch::Contains(path + ":1: malformed JSON"));
  }
  SECTION("the fields' other faults are named as without a big number") {
    WriteFile(path, "{\"id\": " + big + ", \"body\": \"x\"}\n");
    Status error;
    ReadAll({path}, &error);
    CHECK_THAT(error.message(), Catch::Contains("missing string field \"text\""));
    WriteFile(path, "{\"id\": [" + big + "], \"text\": \"x\"}\n");
    ReadAll({path}, &error);
    CHECK_THAT(error.message(), Catch::Contains("neither a string nor a number"));
  }
}

TEST_CASE("JSONL reader: a repeated id field gives its first value either way",
          "[io][regression]") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  WriteFile(path,
            "{\"id\": 5, \"id\": \"second\", \"text\": \"x\"}\n"
            "{\"id\": 99999999999999999999, \"id\": \"second\", \"text\": \"x\"}\n"
            "{\"text\": \"x\", \"id\": \"s\", \"n\": 1e999, \"id\": 3}\n");
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].id == "5");
  CHECK(docs[1].id == "99999999999999999999");
  CHECK(docs[2].id == "s");
}

// Issue 17: a UTF-8 byte order mark made line 1 "malformed JSON".
TEST_CASE("JSONL reader: a byte order mark at the start is passed over", "[io][regression]") {
  TempDir dir;
  const std::string body = Record("\"a\"", "first") + Record("\"b\"", "second");
  for (const bool gzip : {false, true}) {
    INFO("gzip " << gzip);
    const std::string path = dir.File(gzip ? "bom.jsonl.gz" : "bom.jsonl");
    const std::string bytes = kBom + body;
    WriteFile(path, gzip ? testing::Gzip(bytes) : bytes);
    Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, ReaderOptions{});
    REQUIRE_OK(opened.status());
    Document doc;
    Result<bool> more = opened.value()->Next(&doc);
    REQUIRE_OK(more.status());
    REQUIRE(more.value());
    CHECK(doc.id == "a");
    CHECK(doc.source.line == 1);
    if (!gzip) {
      CHECK(doc.offset == 3);
      Document again;
      REQUIRE_OK(opened.value()->ReadAt(0, doc.offset, doc.source.line, &again));
      CHECK(again.id == "a");
    }
    // The kept first line is written without the mark.
    const bool kept[] = {true, false};
    REQUIRE_OK(WriteKept(path, kept, dir.File(gzip ? "out-gz" : "out"), ReaderOptions{}));
    const std::string written = ReadFileBytes(dir.File(gzip ? "out-gz" : "out") + "/" +
                                              (gzip ? "bom.jsonl.gz" : "bom.jsonl"));
    CHECK((gzip ? testing::Gunzip(written) : written) == Record("\"a\"", "first"));
  }
  SECTION("a mark alone on line 1 leaves a blank line") {
    const std::string path = dir.File("alone.jsonl");
    WriteFile(path, std::string(kBom) + "\n" + body);
    Status error;
    const std::vector<Document> docs = ReadAll({path}, &error);
    REQUIRE_OK(error);
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].source.line == 2);
  }
  SECTION("a mark anywhere else is still malformed") {
    const std::string path = dir.File("inner.jsonl");
    WriteFile(path, Record("\"a\"", "first") + kBom + Record("\"b\"", "second"));
    Status error;
    ReadAll({path}, &error);
    CHECK_THAT(error.message(), Catch::Contains(path + ":2: malformed JSON"));
  }
  SECTION("standard input is recognized as JSONL after the mark") {
    const std::string path = dir.File("stdin-copy");
    WriteFile(path, kBom + body);
    ReaderOptions options;
    options.stdin_path = path;
    Status error;
    const std::vector<Document> docs = ReadAll({"-"}, &error, options);
    REQUIRE_OK(error);
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].id == "a");
  }
}

// Issue 17: zero padding after a gzip stream (tar pads to 10240-byte blocks)
// was a fatal "trailing garbage".
TEST_CASE("gzip: zero bytes after the last member are padding", "[io][regression]") {
  TempDir dir;
  const std::string body = Record("\"a\"", "first") + Record("\"b\"", "second");
  const std::string path = dir.File("padded.jsonl.gz");
  // 10 KB as tar pads, and more than one read buffer.
  for (const std::size_t zeros : {std::size_t{1}, std::size_t{10240}, std::size_t{3} << 20}) {
    INFO(zeros << " zero bytes");
    WriteFile(path, testing::Gzip(body) + std::string(zeros, '\0'));
    Status error;
    const std::vector<Document> docs = ReadAll({path}, &error);
    REQUIRE_OK(error);
    REQUIRE(docs.size() == 2);
    CHECK(docs[1].id == "b");
  }
  SECTION("anything after the padding is still garbage") {
    for (const std::string& after : {std::string("x"), testing::Gzip(Record("\"c\"", "third"))}) {
      WriteFile(path, testing::Gzip(body) + std::string(100, '\0') + after);
      Status error;
      const std::vector<Document> docs = ReadAll({path}, &error);
      CHECK(docs.size() == 2);
      CHECK_THAT(error.message(), Catch::Contains("trailing garbage"));
    }
  }
  SECTION("a stream of zero bytes alone is not gzip padding") {
    WriteFile(path, std::string(64, '\0'));
    Status error;
    ReadAll({path}, &error);
    CHECK_FALSE(error.ok());
  }
}

// Issue 17: a binary file given directly was a document, while in a
// directory it was skipped.
TEST_CASE("Text file reader: a binary file given directly is skipped as in a tree",
          "[io][regression]") {
  TempDir dir;
  const std::string path = dir.File("image.bin");
  WriteFile(path, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(100, '\0'));
  Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, ReaderOptions{});
  REQUIRE_OK(opened.status());
  Document doc;
  Result<bool> more = opened.value()->Next(&doc);
  REQUIRE_OK(more.status());
  CHECK_FALSE(more.value());
  REQUIRE(opened.value()->skipped().size() == 1);
  const SkippedRecord& skipped = opened.value()->skipped()[0];
  CHECK(skipped.id == path);
  CHECK(skipped.reason == "binary file (not a document)");
  CHECK_FALSE(skipped.bad);
  // dedup writes nothing for it and consumes its one kept flag.
  const bool kept[] = {false};
  REQUIRE_OK(WriteKept(path, kept, dir.File("out"), ReaderOptions{}));
  CHECK_FALSE(std::filesystem::exists(dir.File("out") + "/image.bin"));
}

}  // namespace
}  // namespace neardup
