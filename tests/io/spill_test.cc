// Decoded copies of compressed inputs (issue 20, ReaderOptions::spill_dir):
// a gzip or zstd file read once with a spill directory is read again from
// its decoded copy (ReadAt, ReadManyAt, a second sequential read), giving the
// documents the first read gave; a file whose copy is missing, incomplete or
// given up is decoded again, with the same documents and errors as before.
#include "io/spill.h"

#include <neardup/io.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "io/access_points.h"
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

std::string Jsonl(std::size_t docs, std::uint64_t seed) {
  Rng rng(seed);
  std::string out;
  for (std::size_t i = 0; i < docs; ++i) {
    std::string text;
    for (std::uint64_t w = 0, n = 10 + rng.Below(200); w < n; ++w) {
      for (std::uint64_t c = 0, len = 2 + rng.Below(8); c < len; ++c) {
        text.push_back(static_cast<char>('a' + rng.Below(26)));
      }
      text.push_back(' ');
    }
    out += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + text + "\"}\n";
    if (i % 53 == 0) out += "\n";
  }
  return out;
}

std::string Pieces(const std::string& data, std::size_t piece, bool zstd) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += piece) {
    out += zstd ? Zstd(data.substr(at, piece)) : Gzip(data.substr(at, piece));
  }
  return out;
}

struct Read {
  std::vector<Document> docs;
  Status status;
};

Read ReadAllDocs(const std::string& path, const ReaderOptions& options) {
  Read out;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, options);
  REQUIRE_OK(reader.status());
  Document doc;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!more.value()) break;
    out.docs.push_back(doc);
  }
  return out;
}

void CheckSame(const std::vector<Document>& got, const std::vector<Document>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("document " << i);
    REQUIRE(got[i].id == want[i].id);
    REQUIRE(got[i].text == want[i].text);
    CHECK(got[i].source.line == want[i].source.line);
  }
}

std::shared_ptr<const internal::DecodedSpill> CopyOf(const ReaderOptions& options,
                                                     const std::string& path) {
  std::shared_ptr<const internal::AccessIndex> index = options.access_points->Find(path);
  return index != nullptr ? index->CompleteSpill() : nullptr;
}

TEST_CASE("Spill: compressed JSONL read again from its decoded copy gives the same documents") {
  TempDir dir;
  const std::string plain = Jsonl(3000, 5);
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"one.jsonl.gz", Gzip(plain)},
      {"members.jsonl.gz", Pieces(plain, 100000, false)},
      {"one.jsonl.zst", Zstd(plain)},
      {"frames.jsonl.zst", Pieces(plain, 100000, true)},
  };
  const std::string spill_dir = dir.File("spill");
  std::filesystem::create_directory(spill_dir);
  for (const auto& [name, bytes] : fixtures) {
    INFO(name);
    const std::string path = dir.File(name);
    WriteFile(path, bytes);
    ReaderOptions without;  // no copy: read again through access points
    const Read want = ReadAllDocs(path, without);
    REQUIRE_OK(want.status);
    for (bool ahead : {false, true}) {
      INFO("decode_ahead " << ahead);
      ReaderOptions options;
      options.spill_dir = spill_dir;
      options.decode_ahead = ahead;
      const Read first = ReadAllDocs(path, options);
      REQUIRE_OK(first.status);
      CheckSame(first.docs, want.docs);
      std::shared_ptr<const internal::DecodedSpill> copy = CopyOf(options, path);
      REQUIRE(copy != nullptr);
      CHECK(copy->size() == plain.size());
      CHECK(options.access_points->spill_bytes() == plain.size());
      // Nothing is named in the spill directory.
      CHECK(std::filesystem::is_empty(spill_dir));
      // A second sequential read, ReadAt one by one and ReadManyAt: all the
      // first read's documents, with their offsets.
      CheckSame(ReadAllDocs(path, options).docs, want.docs);
      Result<std::unique_ptr<DocumentReader>> again = OpenReader({path}, options);
      REQUIRE_OK(again.status());
      std::vector<DocumentReader::Place> where;
      for (std::size_t i = want.docs.size(); i-- > 0;) {
        const Document& doc = want.docs[i];
        REQUIRE(doc.offset != kNoOffset);
        if (i % 7 == 0) {
          Document alone;
          REQUIRE_OK(again.value()->ReadAt(0, doc.offset, doc.source.line, &alone));
          REQUIRE(alone.id == doc.id);
          REQUIRE(alone.text == doc.text);
          CHECK(alone.offset == doc.offset);
        }
      }
      for (std::size_t i = 0; i < want.docs.size(); i += 3) {
        where.push_back({0, want.docs[i].offset, want.docs[i].source.line});
      }
      std::vector<Document> many(where.size());
      std::size_t read = 0;
      REQUIRE_OK(again.value()->ReadManyAt(where, many, &read));
      REQUIRE(read == where.size());
      for (std::size_t k = 0; k < many.size(); ++k) {
        REQUIRE(many[k].id == want.docs[3 * k].id);
        REQUIRE(many[k].text == want.docs[3 * k].text);
      }
    }
  }
}

TEST_CASE("Spill: ReadAt reads the copy, not the compressed file") {
  TempDir dir;
  const std::string path = dir.File("a.jsonl.gz");
  WriteFile(path, Gzip("{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\", \"text\": \"two\"}\n"));
  ReaderOptions options;
  options.spill_dir = dir.path();
  const Read first = ReadAllDocs(path, options);
  REQUIRE_OK(first.status);
  REQUIRE(first.docs.size() == 2);
  std::shared_ptr<const internal::DecodedSpill> copy = CopyOf(options, path);
  REQUIRE(copy != nullptr);
  // Overwrite "two" in the copy: ReadAt must see the change, and a second
  // sequential read too.
  const std::string changed = "{\"id\": \"b\", \"text\": \"TWO\"}\n";
  REQUIRE(::pwrite(copy->fd(), changed.data(), changed.size(),
                   static_cast<off_t>(first.docs[1].offset)) ==
          static_cast<ssize_t>(changed.size()));
  Result<std::unique_ptr<DocumentReader>> again = OpenReader({path}, options);
  REQUIRE_OK(again.status());
  Document doc;
  REQUIRE_OK(again.value()->ReadAt(0, first.docs[1].offset, 2, &doc));
  CHECK(doc.text == "TWO");
  CHECK(ReadAllDocs(path, options).docs[1].text == "TWO");
  // Without a copy the file itself is decoded again.
  ReaderOptions plain_options;
  REQUIRE_OK(ReadAllDocs(path, plain_options).status);
  Result<std::unique_ptr<DocumentReader>> decoded = OpenReader({path}, plain_options);
  REQUIRE_OK(decoded.value()->ReadAt(0, first.docs[1].offset, 2, &doc));
  CHECK(doc.text == "two");
}

TEST_CASE("Spill: no copy where none can be made, and none of a stream that did not end well") {
  TempDir dir;
  const std::string plain = Jsonl(400, 9);
  const std::string path = dir.File("a.jsonl.gz");
  WriteFile(path, Gzip(plain));
  // A directory that does not exist: decoded again, same documents.
  ReaderOptions nowhere;
  nowhere.spill_dir = dir.File("missing");
  const Read first = ReadAllDocs(path, nowhere);
  REQUIRE_OK(first.status);
  CHECK(CopyOf(nowhere, path) == nullptr);
  CheckSame(ReadAllDocs(path, nowhere).docs, first.docs);
  // A truncated stream read with skip_bad: the copy is incomplete and never
  // read, and the second read meets the same fault after the same lines.
  const std::string whole = Gzip(plain);
  const std::string cut_path = dir.File("cut.jsonl.gz");
  WriteFile(cut_path, whole.substr(0, whole.size() / 2));
  ReaderOptions options;
  options.spill_dir = dir.path();
  options.skip_bad = true;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader({cut_path}, options);
  REQUIRE_OK(reader.status());
  std::vector<Document> docs;
  Document doc;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    docs.push_back(doc);
  }
  REQUIRE(reader.value()->skipped().size() == 1);
  CHECK(CopyOf(options, cut_path) == nullptr);
  options.skip_bad = false;
  const Read again = ReadAllDocs(cut_path, options);
  const Read want = ReadAllDocs(cut_path, ReaderOptions{});
  CHECK(again.status.message().find("truncated gzip stream") != std::string::npos);
  CHECK(again.status.message() == want.status.message());
  CheckSame(want.docs, docs);
  CheckSame(again.docs, docs);
}

TEST_CASE("Spill: a one-stream .warc.gz is read again from its copy; a member per record is not") {
  TempDir dir;
  std::vector<std::string> records;
  for (int i = 0; i < 50; ++i) {
    const std::string body = "text of record " + std::to_string(i) + " with some words";
    records.push_back(
        "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(i) +
        ">\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body + "\r\n\r\n");
  }
  std::string all, members;
  for (const std::string& r : records) {
    all += r;
    members += Gzip(r);
  }
  WriteFile(dir.File("one.warc.gz"), Gzip(all));
  WriteFile(dir.File("members.warc.gz"), members);
  ReaderOptions options;
  options.spill_dir = dir.path();
  const Read one = ReadAllDocs(dir.File("one.warc.gz"), options);
  REQUIRE_OK(one.status);
  REQUIRE(one.docs.size() == 50);
  std::shared_ptr<const internal::DecodedSpill> copy = CopyOf(options, dir.File("one.warc.gz"));
  REQUIRE(copy != nullptr);
  CHECK(copy->size() == all.size());
  const Read again = ReadAllDocs(dir.File("one.warc.gz"), options);
  REQUIRE_OK(again.status);
  CheckSame(again.docs, one.docs);
  for (const Document& d : again.docs) CHECK(d.offset == kNoOffset);  // as in the first read
  // Records that start members are read alone from the file: no copy kept
  // (decoded on the reading thread, so the copy is not complete before the
  // second record is read; a copy completed ahead would be kept).
  options.decode_ahead = false;
  const Read per_record = ReadAllDocs(dir.File("members.warc.gz"), options);
  REQUIRE_OK(per_record.status);
  CheckSame(per_record.docs, one.docs);
  CHECK(CopyOf(options, dir.File("members.warc.gz")) == nullptr);
  CHECK(per_record.docs[1].offset != kNoOffset);
}

TEST_CASE("Spill: WriteKept writes the same kept lines from the copy") {
  TempDir dir;
  const std::string plain = Jsonl(500, 11);
  const std::string path = dir.File("in.jsonl.zst");
  WriteFile(path, Zstd(plain));
  ReaderOptions options;
  options.spill_dir = dir.path();
  const Read first = ReadAllDocs(path, options);
  REQUIRE_OK(first.status);
  REQUIRE(CopyOf(options, path) != nullptr);
  std::unique_ptr<bool[]> kept(new bool[first.docs.size()]);
  for (std::size_t i = 0; i < first.docs.size(); ++i) kept[i] = i % 3 != 1;
  const std::span<const bool> flags(kept.get(), first.docs.size());
  REQUIRE_OK(WriteKept(path, flags, dir.File("with"), options));
  REQUIRE_OK(WriteKept(path, flags, dir.File("without"), ReaderOptions{}));
  const std::string with = testing::Unzstd(testing::ReadFileBytes(dir.File("with/in.jsonl.zst")));
  CHECK(with == testing::Unzstd(testing::ReadFileBytes(dir.File("without/in.jsonl.zst"))));
  CHECK(with.size() > plain.size() / 2);
}

TEST_CASE("Spill: more than 256 compressed inputs each get a copy") {
  // The bound follows the descriptor limit (256 before: the rest were
  // decoded again).
  TempDir dir;
  constexpr int kInputs = 300;
  REQUIRE(internal::DecodedSpill::MaxOpen() >= kInputs);
  std::vector<std::string> paths;
  for (int i = 0; i < kInputs; ++i) {
    paths.push_back(dir.File("in/f" + std::to_string(i) + ".jsonl.gz"));
    WriteFile(paths.back(),
              Gzip("{\"id\": \"f" + std::to_string(i) + "\", \"text\": \"words\"}\n"));
  }
  ReaderOptions options;
  options.spill_dir = dir.path();
  options.decode_ahead = false;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(paths, options);
  REQUIRE_OK(reader.status());
  Document doc;
  int docs = 0;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    ++docs;
  }
  CHECK(docs == kInputs);
  int copies = 0;
  for (const std::string& p : paths) copies += CopyOf(options, p) != nullptr ? 1 : 0;
  CHECK(copies == kInputs);
}

TEST_CASE("Spill: WriteKept of a .warc.zst reads its copy; of a .warc.gz decodes the file") {
  TempDir dir;
  std::vector<std::string> records;
  std::string all;
  for (int i = 0; i < 20; ++i) {
    const std::string body = "body of record " + std::to_string(100 + i);
    records.push_back(
        "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:" + std::to_string(i) +
        ">\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body + "\r\n\r\n");
    all += records.back();
  }
  std::unique_ptr<bool[]> kept(new bool[records.size()]);
  std::string want;
  for (std::size_t i = 0; i < records.size(); ++i) {
    kept[i] = i % 2 == 0;
    if (kept[i]) want += records[i];
  }
  const std::span<const bool> flags(kept.get(), records.size());
  for (const bool zstd : {true, false}) {
    INFO((zstd ? "zstd" : "gzip"));
    const std::string name = zstd ? "in.warc.zst" : "in.warc.gz";
    const std::string path = dir.File(name);
    WriteFile(path, zstd ? Zstd(all) : Gzip(all));
    ReaderOptions options;
    options.spill_dir = dir.path();
    REQUIRE(ReadAllDocs(path, options).docs.size() == records.size());
    std::shared_ptr<const internal::DecodedSpill> copy = CopyOf(options, path);
    REQUIRE(copy != nullptr);
    // "record 100" becomes "RECORD 100" in the copy only.
    const std::size_t at = all.find("record 100");
    REQUIRE(::pwrite(copy->fd(), "RECORD", 6, static_cast<off_t>(at)) == 6);
    const std::string out_dir = dir.File(zstd ? "out-zst" : "out-gz");
    REQUIRE_OK(WriteKept(path, flags, out_dir, options));
    const std::string bytes = testing::ReadFileBytes(out_dir + "/" + name);
    const std::string got = zstd ? testing::Unzstd(bytes) : testing::Gunzip(bytes);
    if (zstd) {
      // Read from the copy: the change shows.
      CHECK(got.find("RECORD 100") != std::string::npos);
      CHECK(got.size() == want.size());
    } else {
      // The copy does not say where members lie: the file is decoded.
      CHECK(got == want);
    }
  }
}

}  // namespace
}  // namespace neardup
