// gzip and zstd JSONL: reading, faults, format detection and WriteKept.
// Every compressed fixture is made here with zlib or zstd, none is committed.
#include <neardup/io.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "io/codec_test_util.h"
#include "io/io_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Gunzip;
using testing::Gzip;
using testing::ReadAll;
using testing::ReadFileBytes;
using testing::Rng;
using testing::TempDir;
using testing::Unzstd;
using testing::WriteFile;
using testing::Zstd;

std::string Line(std::size_t i, const std::string& text) {
  return "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + text + "\"}\n";
}

// `lines` JSONL records with random words, so the data does not compress to
// almost nothing and spans several zstd blocks (128 KB each).
std::string ManyLines(std::size_t lines) {
  Rng rng(7);
  std::string out;
  for (std::size_t i = 0; i < lines; ++i) {
    std::string text;
    for (int w = 0; w < 8; ++w) {
      for (std::uint64_t c = 0, len = 3 + rng.Below(6); c < len; ++c) {
        text.push_back(static_cast<char>('a' + rng.Below(26)));
      }
      text.push_back(' ');
    }
    out += Line(i, text);
  }
  return out;
}

const std::string kPlain =
    "{\"id\": \"a\", \"text\": \"first\"}\n"
    "\n"
    "{\"id\": 7, \"text\": \"second\"}\r\n"
    "   \n"
    "{\"text\": \"third\"}";  // no final newline

void CheckSameAsPlain(const std::string& path) {
  INFO(path);
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].id == "a");
  CHECK(docs[0].text == "first");
  CHECK(docs[0].source.ToString() == path + ":1");
  CHECK(docs[1].id == "7");
  CHECK(docs[1].source.line == 3);
  CHECK(docs[2].id == path + ":5");
  CHECK(docs[2].text == "third");
}

TEST_CASE("Compressed JSONL: .jsonl.gz and .jsonl.zst read like the plain file") {
  TempDir dir;
  WriteFile(dir.File("feed.jsonl"), kPlain);
  WriteFile(dir.File("feed.jsonl.gz"), Gzip(kPlain));
  WriteFile(dir.File("feed.ndjson.zst"), Zstd(kPlain));
  CheckSameAsPlain(dir.File("feed.jsonl"));
  CheckSameAsPlain(dir.File("feed.jsonl.gz"));
  CheckSameAsPlain(dir.File("feed.ndjson.zst"));
}

TEST_CASE("Compressed JSONL: progress counts compressed bytes") {
  TempDir dir;
  const std::string compressed = Zstd(ManyLines(5000));
  WriteFile(dir.File("big.jsonl.zst"), compressed);
  for (const bool ahead : {false, true}) {
    INFO("decode_ahead " << ahead);
    ReaderOptions options;
    options.decode_ahead = ahead;
    Result<std::unique_ptr<DocumentReader>> reader =
        OpenReader({dir.File("big.jsonl.zst")}, options);
    REQUIRE(reader.ok());
    CHECK(reader.value()->bytes_total() == compressed.size());
    Document doc;
    REQUIRE(reader.value()->Next(&doc).value());
    CHECK(reader.value()->bytes_read() > 0);
    // Decoding ahead (4 MB) may have taken this small file whole already.
    if (!ahead) CHECK(reader.value()->bytes_read() < compressed.size());
    while (reader.value()->Next(&doc).value()) {
    }
    CHECK(reader.value()->bytes_read() == compressed.size());
  }
}

TEST_CASE("Compressed JSONL: every member of a multi-member gzip file is read") {
  TempDir dir;
  // The split falls inside a line: members are one byte stream, not one file each.
  const std::string data = ManyLines(20);
  const std::size_t split = data.size() / 2 + 3;
  WriteFile(dir.File("multi.jsonl.gz"), Gzip(data.substr(0, split)) + Gzip(data.substr(split)));
  WriteFile(dir.File("multi.jsonl.zst"), Zstd(data.substr(0, split)) + Zstd(data.substr(split)));
  for (const std::string name : {"multi.jsonl.gz", "multi.jsonl.zst"}) {
    INFO(name);
    Status error;
    const std::vector<Document> docs = ReadAll({dir.File(name)}, &error);
    REQUIRE_OK(error);
    REQUIRE(docs.size() == 20);
    CHECK(docs[19].id == "d19");
    CHECK(docs[19].source.line == 20);
  }
}

// Reads a file whose stream breaks after some complete lines; checks the
// error names the file and the last complete line, and that those lines were
// all returned as documents first.
void CheckFault(const std::string& path, const std::string& detail) {
  INFO(path);
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  CHECK(error.code() == StatusCode::kInvalidInput);
  CHECK(error.message() == path + ":" + std::to_string(docs.size()) + ": " + detail);
  for (std::size_t i = 0; i < docs.size(); ++i) CHECK(docs[i].id == "d" + std::to_string(i));
}

TEST_CASE("Compressed JSONL: a truncated stream is an error after the lines before it") {
  TempDir dir;
  const std::string data = ManyLines(5000);  // about 300 KB: several zstd blocks
  const std::string gz = Gzip(data);
  const std::string zst = Zstd(data);
  const std::string gz_path = dir.File("cut.jsonl.gz");
  const std::string zst_path = dir.File("cut.jsonl.zst");

  WriteFile(gz_path, gz.substr(0, gz.size() / 2));
  WriteFile(zst_path, zst.substr(0, zst.size() / 2));
  CheckFault(gz_path, "truncated gzip stream");
  CheckFault(zst_path, "truncated zstd stream");
  Status error;
  CHECK(ReadAll({gz_path}, &error).size() > 1000);  // streaming: not all or nothing
  CHECK(ReadAll({zst_path}, &error).size() > 1000);

  // Cut inside the gzip trailer: every line decodes, the check is missing.
  WriteFile(gz_path, gz.substr(0, gz.size() - 4));
  CheckFault(gz_path, "truncated gzip stream");
  CHECK(ReadAll({gz_path}, &error).size() == 5000);

  // Cut inside the header: nothing was read.
  WriteFile(gz_path, gz.substr(0, 5));
  CheckFault(gz_path, "truncated gzip stream");
  WriteFile(zst_path, zst.substr(0, 6));
  CheckFault(zst_path, "truncated zstd stream");
}

TEST_CASE("Compressed JSONL: a corrupt stream is an error naming file and line") {
  TempDir dir;
  std::string gz = Gzip(ManyLines(50));
  gz[gz.size() - 6] = static_cast<char>(gz[gz.size() - 6] ^ 0x55);  // inside the CRC-32
  const std::string path = dir.File("bad.jsonl.gz");
  WriteFile(path, gz);
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  CHECK(docs.size() == 50);
  CHECK(error.message() == path + ":50: corrupt gzip stream: incorrect data check");

  // Small enough for one block, which zstd could decode in a single call.
  std::string zst = Zstd(ManyLines(50), /*checksum=*/true);
  zst.back() = static_cast<char>(zst.back() ^ 0x55);
  const std::string zst_path = dir.File("bad.jsonl.zst");
  WriteFile(zst_path, zst);
  CHECK(ReadAll({zst_path}, &error).size() == 50);
  CHECK_THAT(error.message(), Catch::StartsWith(zst_path + ":50: corrupt zstd stream: "));
}

TEST_CASE("Compressed JSONL: garbage after valid data is an error") {
  TempDir dir;
  const std::string data = ManyLines(30);
  const std::string garbage = "this is not compressed data\n";
  WriteFile(dir.File("tail.jsonl.gz"), Gzip(data) + garbage);
  WriteFile(dir.File("tail.jsonl.zst"), Zstd(data) + garbage);
  CheckFault(dir.File("tail.jsonl.gz"), "trailing garbage after gzip stream");
  CheckFault(dir.File("tail.jsonl.zst"), "trailing garbage after zstd stream");
  Status error;
  CHECK(ReadAll({dir.File("tail.jsonl.gz")}, &error).size() == 30);
  CHECK(ReadAll({dir.File("tail.jsonl.zst")}, &error).size() == 30);
}

TEST_CASE("Compressed JSONL: the magic bytes choose the codec, the name the format") {
  TempDir dir;
  WriteFile(dir.File("gzip-inside.jsonl"), Gzip(kPlain));
  WriteFile(dir.File("zstd-inside.jsonl.gz"), Zstd(kPlain));
  WriteFile(dir.File("plain-inside.ndjson.zst"), kPlain);
  CheckSameAsPlain(dir.File("gzip-inside.jsonl"));
  CheckSameAsPlain(dir.File("zstd-inside.jsonl.gz"));
  CheckSameAsPlain(dir.File("plain-inside.ndjson.zst"));

  WriteFile(dir.File("notes.txt.gz"), Gzip("hello"));
  WriteFile(dir.File("data.gz"), Gzip(kPlain));
  CHECK(DetectFormat(dir.File("zstd-inside.jsonl.gz")).value() == InputFormat::kJsonl);
  CHECK(DetectFormat(dir.File("notes.txt.gz")).value() == InputFormat::kTextFile);
  CHECK(DetectFormat(dir.File("data.gz")).value() == InputFormat::kTextFile);

  // WriteKept follows the content, not the name.
  const bool kept[] = {true, false, true};
  REQUIRE_OK(WriteKept(dir.File("gzip-inside.jsonl"), kept, dir.File("out")));
  const std::string out = ReadFileBytes(dir.File("out/gzip-inside.jsonl"));
  CHECK(out.starts_with("\x1F\x8B"));
  CHECK(Gunzip(out) == "{\"id\": \"a\", \"text\": \"first\"}\n{\"text\": \"third\"}");
}

TEST_CASE("Compressed JSONL: WriteKept writes the kept lines with the same codec") {
  TempDir dir;
  const std::string lines[] = {"{\"id\": \"a\", \"text\": \"x\", \"extra\": [1, 2]}\n",
                               "{\"id\": \"b\", \"text\": \"y\"}\r\n",
                               "{\"id\": \"c\", \"text\": \"z\"}"};
  const std::string plain = lines[0] + "\n" + lines[1] + lines[2];
  WriteFile(dir.File("in/feed.jsonl.gz"), Gzip(plain));
  WriteFile(dir.File("in/feed.jsonl.zst"), Zstd(plain));
  const bool kept[] = {true, false, true};
  REQUIRE_OK(WriteKept(dir.File("in/feed.jsonl.gz"), kept, dir.File("out")));
  REQUIRE_OK(WriteKept(dir.File("in/feed.jsonl.zst"), kept, dir.File("out")));
  CHECK(OutputName(dir.File("in/feed.jsonl.gz")) == "feed.jsonl.gz");

  const std::string gz = ReadFileBytes(dir.File("out/feed.jsonl.gz"));
  const std::string zst = ReadFileBytes(dir.File("out/feed.jsonl.zst"));
  CHECK(gz.starts_with("\x1F\x8B"));
  CHECK(zst.starts_with("\x28\xB5\x2F\xFD"));
  CHECK(Gunzip(gz) == lines[0] + lines[2]);
  CHECK(Unzstd(zst) == lines[0] + lines[2]);

  // The output reads back as the kept documents.
  Status error;
  const std::vector<Document> docs = ReadAll({dir.File("out/feed.jsonl.zst")}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 2);
  CHECK(docs[1].id == "c");

  const bool too_few[] = {true};
  CHECK(WriteKept(dir.File("in/feed.jsonl.gz"), too_few, dir.File("out2")).code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("Compressed JSONL: empty files hold no documents") {
  TempDir dir;
  WriteFile(dir.File("empty.jsonl.gz"), Gzip(""));
  WriteFile(dir.File("empty.jsonl.zst"), Zstd(""));
  WriteFile(dir.File("zero-bytes.jsonl.gz"), "");
  for (const std::string name : {"empty.jsonl.gz", "empty.jsonl.zst", "zero-bytes.jsonl.gz"}) {
    INFO(name);
    Status error;
    CHECK(ReadAll({dir.File(name)}, &error).empty());
    REQUIRE_OK(error);
    REQUIRE_OK(WriteKept(dir.File(name), {}, dir.File("out")));
  }
  CHECK(Gunzip(ReadFileBytes(dir.File("out/empty.jsonl.gz"))).empty());
  CHECK(Unzstd(ReadFileBytes(dir.File("out/empty.jsonl.zst"))).empty());
  CHECK(ReadFileBytes(dir.File("out/zero-bytes.jsonl.gz")).empty());
}

TEST_CASE("Compressed JSONL: a line longer than every buffer") {
  TempDir dir;
  Rng rng(11);
  std::string text;
  for (std::size_t i = 0; i < (std::size_t{3} << 19); ++i) {  // 1.5 MB
    text.push_back(static_cast<char>('a' + rng.Below(26)));
  }
  const std::string data = Line(0, text) + Line(1, "short");
  WriteFile(dir.File("long.jsonl.gz"), Gzip(data));
  WriteFile(dir.File("long.jsonl.zst"), Zstd(data));
  for (const std::string name : {"long.jsonl.gz", "long.jsonl.zst"}) {
    INFO(name);
    Status error;
    const std::vector<Document> docs = ReadAll({dir.File(name)}, &error);
    REQUIRE_OK(error);
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].text == text);
    CHECK(docs[1].text == "short");
    CHECK(docs[1].source.line == 2);
    const bool kept[] = {true, true};
    REQUIRE_OK(WriteKept(dir.File(name), kept, dir.File("out")));
  }
  CHECK(Gunzip(ReadFileBytes(dir.File("out/long.jsonl.gz"))) == data);
  CHECK(Unzstd(ReadFileBytes(dir.File("out/long.jsonl.zst"))) == data);
}

}  // namespace
}  // namespace neardup
