// WARC/WET reading, skipped records, WriteKept for WARC, stdin and mixed trees.
// Every fixture is built here from its parts, so each test states its input.
#include <neardup/io.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>

#include "io/byte_source.h"
#include "io/codec_test_util.h"
#include "io/io_test_util.h"
#include "io/sniff.h"
#include "io/warc_record.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Gunzip;
using testing::Gzip;
using testing::Unzstd;
using testing::Zstd;

using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFile;

std::string Record(const std::string& type, const std::string& id, const std::string& block,
                   const std::string& uri = "", const std::string& content_type = "text/plain") {
  std::string r = "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: " + id + "\r\n";
  if (!uri.empty()) r += "WARC-Target-URI: " + uri + "\r\n";
  r += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(block.size()) +
       "\r\n\r\n" + block + "\r\n\r\n";
  return r;
}

// Reads everything, returning the documents and the skipped records.
struct ReadOutcome {
  std::vector<Document> docs;
  std::vector<SkippedRecord> skipped;
  Status error;
};

ReadOutcome Read(const std::vector<std::string>& inputs, const ReaderOptions& options = {}) {
  ReadOutcome r;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(inputs, options);
  if (!reader.ok()) {
    r.error = reader.status();
    return r;
  }
  while (true) {
    Document doc;
    Result<bool> more = reader.value()->Next(&doc);
    if (!more.ok()) {
      r.error = more.status();
      break;
    }
    if (!more.value()) break;
    r.docs.push_back(std::move(doc));
  }
  r.skipped = reader.value()->skipped();
  return r;
}

const std::string kText1 = "The harbor bridge will close for six weeks of repairs.";
const std::string kText2 = "The city council approved a new budget for public libraries.";
const std::string kHtmlResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><head><title>News</title><script>var a = '<p>not text</p>';</script>"
    "<style>p { color: red }</style></head><body><p>Caf&eacute; &amp; bar&#33;</p>"
    "<div>second&nbsp;block</div></body></html>";

std::vector<std::string> WetRecords() {
  return {
      Record("warcinfo", "<urn:uuid:info>", "software: test\r\n", "", "application/warc-fields"),
      Record("conversion", "<urn:uuid:1>", kText1, "http://a.example/1"),
      Record("request", "<urn:uuid:req>", "GET / HTTP/1.1\r\n\r\n", "http://a.example/2",
             "application/http; msgtype=request"),
      Record("response", "<urn:uuid:2>", kHtmlResponse, "http://a.example/2",
             "application/http; msgtype=response"),
      Record("response", "<urn:uuid:img>",
             std::string("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\0\0", 50),
             "http://a.example/logo.png", "application/http; msgtype=response"),
      Record("conversion", "<urn:uuid:3>", kText2, "http://a.example/3")};
}

std::string Concat(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += p;
  return out;
}

std::string GzipEach(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += Gzip(p);
  return out;
}

TEST_CASE("WARC reader: documents, ids, urls and skipped records") {
  TempDir dir;
  const std::vector<std::string> records = WetRecords();
  // The same records plain, one gzip member each (Common Crawl), one member
  // for all, and under a name that says nothing (judged by its magic bytes).
  const std::string plain = dir.File("crawl.warc");
  const std::string members = dir.File("crawl.warc.wet.gz");
  const std::string single = dir.File("single.warc.gz");
  const std::string unnamed = dir.File("crawl.dat");
  const std::string zstd = dir.File("crawl.warc.zst");
  WriteFile(plain, Concat(records));
  WriteFile(members, GzipEach(records));
  WriteFile(single, Gzip(Concat(records)));
  WriteFile(unnamed, GzipEach(records));
  WriteFile(zstd, Zstd(Concat(records)));
  for (const std::string& path : {plain, members, single, unnamed, zstd}) {
    INFO(path);
    Result<InputFormat> format = DetectFormat(path);
    REQUIRE(format.ok());
    CHECK(format.value() == InputFormat::kWarc);
    const ReadOutcome r = Read({path});
    REQUIRE_OK(r.error);
    REQUIRE(r.docs.size() == 3);
    CHECK(r.docs[0].id == "<urn:uuid:1>");
    CHECK(r.docs[0].url == "http://a.example/1");
    CHECK(r.docs[0].text == kText1);
    CHECK(r.docs[0].source.ToString() == path + ":2");
    CHECK(r.docs[1].id == "<urn:uuid:2>");
    CHECK(r.docs[1].text == "News\nCaf\xC3\xA9 & bar!\nsecond block");
    CHECK(r.docs[2].id == "<urn:uuid:3>");
    CHECK(r.docs[2].source.line == 6);
    REQUIRE(r.skipped.size() == 3);
    CHECK(r.skipped[0].id == "<urn:uuid:info>");
    CHECK(r.skipped[0].reason == "warcinfo record (not a document)");
    CHECK(r.skipped[0].documents_before == 0);
    CHECK(r.skipped[1].reason == "request record (not a document)");
    CHECK(r.skipped[1].documents_before == 1);
    CHECK(r.skipped[2].reason == "Content-Type image/png (not a document)");
    CHECK(r.skipped[2].documents_before == 2);
    CHECK_FALSE(r.skipped[2].bad);
  }
}

TEST_CASE("WARC reader: records that can be read alone carry offsets, and ReadAt reads them") {
  TempDir dir;
  std::vector<std::string> records = WetRecords();
  records.push_back(Record("conversion", "<urn:uuid:4>", kText1 + " " + kText2));
  WriteFile(dir.File("plain.warc"), Concat(records));
  WriteFile(dir.File("members.warc.gz"), GzipEach(records));  // one member per record
  WriteFile(dir.File("single.warc.gz"), Gzip(Concat(records)));
  WriteFile(dir.File("frames.warc.zst"), Zstd(Concat(records)));
  const std::vector<std::string> inputs = {dir.File("plain.warc"), dir.File("members.warc.gz"),
                                           dir.File("single.warc.gz"), dir.File("frames.warc.zst")};
  Result<std::unique_ptr<DocumentReader>> opened = OpenReader(inputs, ReaderOptions{});
  REQUIRE_OK(opened.status());
  DocumentReader& reader = *opened.value();
  std::vector<Document> docs;
  while (true) {
    Document doc;
    Result<bool> more = reader.Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    docs.push_back(std::move(doc));
  }
  REQUIRE(docs.size() == 16);  // 4 documents per input
  // Plain WARC: every record's offset; gzip: a record that starts a member,
  // which in a single-member file is only the first; zstd: none.
  const std::size_t first = Concat({records[0]}).size();
  CHECK(docs[0].offset == first);
  CHECK(docs[4].offset == Gzip(records[0]).size());
  for (std::size_t i = 0; i < 8; ++i) CHECK(docs[i].offset != kNoOffset);
  for (std::size_t i = 8; i < 16; ++i) CHECK(docs[i].offset == kNoOffset);
  for (std::size_t i = 0; i < 8; ++i) {
    const Document& doc = docs[7 - i];  // backwards
    INFO(doc.source.ToString());
    Document again;
    REQUIRE_OK(reader.ReadAt(doc.input, doc.offset, doc.source.line, &again));
    CHECK(again.id == doc.id);
    CHECK(again.text == doc.text);
    CHECK(again.url == doc.url);
    CHECK(again.source.ToString() == doc.source.ToString());
    CHECK(again.offset == doc.offset);
  }
  Document again;
  CHECK(reader.ReadAt(3, 0, 2, &again).code() == StatusCode::kInvalidArgument);  // zstd
  // An offset that is no record start now.
  const Status moved = reader.ReadAt(0, docs[1].offset + 1, docs[1].source.line, &again);
  CHECK(moved.code() == StatusCode::kInvalidInput);
  CHECK(moved.message().find(dir.File("plain.warc") + ":") == 0);
}

TEST_CASE("WARC reader: a record cut short is an error naming file and record") {
  TempDir dir;
  const std::vector<std::string> records = WetRecords();
  const std::string whole = Concat(records);
  const std::string path = dir.File("cut.warc");
  // Cut inside the block of the last record.
  WriteFile(path, whole.substr(0, whole.size() - 20));
  const ReadOutcome r = Read({path});
  CHECK(r.docs.size() == 2);
  CHECK(r.error.code() == StatusCode::kInvalidInput);
  CHECK_THAT(r.error.message(), Catch::StartsWith(path +
                                                  ":6: WARC record cut short: "
                                                  "Content-Length " +
                                                  std::to_string(kText2.size())));
  CHECK_THAT(r.error.message(), Catch::Contains("WARC record 6 at decoded byte " +
                                                std::to_string(whole.size() - records[5].size())));

  SECTION("with skip_bad everything before the cut is read") {
    ReaderOptions options;
    options.skip_bad = true;
    const ReadOutcome s = Read({path}, options);
    REQUIRE_OK(s.error);
    CHECK(s.docs.size() == 2);
    REQUIRE(s.skipped.size() == 4);
    CHECK(s.skipped[3].bad);
    CHECK(s.skipped[3].id == "<urn:uuid:3>");
    CHECK(s.skipped[3].source.ToString() == path + ":6");
    CHECK_THAT(s.skipped[3].reason, Catch::StartsWith("WARC record cut short"));
    CHECK_THAT(s.skipped[3].reason, Catch::EndsWith("(rest of file abandoned)"));
  }
}

TEST_CASE("WARC reader: a truncated gzip member ends the file after the records before it") {
  TempDir dir;
  const std::vector<std::string> records = WetRecords();
  const std::string gz = GzipEach(records);
  const std::string path = dir.File("trunc.warc.gz");
  WriteFile(path, gz.substr(0, gz.size() - 10));
  const ReadOutcome r = Read({path});
  CHECK(r.docs.size() == 2);
  CHECK(r.error.message() == path + ":6: truncated gzip stream (WARC record 6 at decoded byte " +
                                 std::to_string(Concat(records).size() - records[5].size()) + ")");
  ReaderOptions options;
  options.skip_bad = true;
  const ReadOutcome s = Read({path}, options);
  REQUIRE_OK(s.error);
  CHECK(s.docs.size() == 2);
  REQUIRE(s.skipped.size() == 4);
  CHECK(s.skipped[3].reason == "truncated gzip stream (rest of file abandoned)");
}

TEST_CASE("WARC reader: a header without Content-Length is skipped and reading resumes") {
  TempDir dir;
  const std::string path = dir.File("bad.warc");
  WriteFile(path, Record("conversion", "<urn:uuid:1>", kText1) +
                      "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:x>\r\n\r\n"
                      "some text\r\n\r\n" +
                      "garbage line\r\n" + Record("conversion", "<urn:uuid:3>", kText2));
  const ReadOutcome strict = Read({path});
  CHECK(strict.docs.size() == 1);
  CHECK_THAT(strict.error.message(),
             Catch::StartsWith(path + ":2: WARC record without a valid Content-Length"));
  ReaderOptions options;
  options.skip_bad = true;
  const ReadOutcome r = Read({path}, options);
  REQUIRE_OK(r.error);
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[1].id == "<urn:uuid:3>");
  CHECK(r.docs[1].source.line == 3);
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0].id == "<urn:uuid:x>");
  CHECK(r.skipped[0].documents_before == 1);
}

TEST_CASE("WARC reader: chunked and LF-only responses, resource records") {
  TempDir dir;
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
      "6\r\n<p>Hel\r\n8\r\nlo</p>wo\r\n3\r\nrld\r\n0\r\n\r\n";
  const std::string lf_only = "HTTP/1.0 200 OK\nContent-Type: text/plain\n\nplain body";
  const std::string gzipped =
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n\x1F\x8B";
  WriteFile(dir.File("r.warc"),
            Record("response", "<a>", chunked, "u", "application/http; msgtype=response") +
                Record("response", "<b>", lf_only, "u", "application/http; msgtype=response") +
                Record("response", "<c>", gzipped, "u", "application/http; msgtype=response") +
                Record("resource", "<d>", "<html><body>res</body></html>", "u", "text/html"));
  const ReadOutcome r = Read({dir.File("r.warc")});
  REQUIRE_OK(r.error);
  REQUIRE(r.docs.size() == 3);
  CHECK(r.docs[0].text == "Hello\nworld");
  CHECK(r.docs[1].text == "plain body");
  CHECK(r.docs[2].text == "res");
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0].reason == "response body is gzip-encoded (not a document)");
}

TEST_CASE("HtmlToText: messy markup") {
  CHECK(HtmlToText("") == "");
  CHECK(HtmlToText("plain  text\n here") == "plain text here");
  CHECK(HtmlToText("<p>one</p><p>two</p>") == "one\ntwo");
  CHECK(HtmlToText("<P CLASS=\"a>b\">quoted &gt; attr</P>") == "quoted > attr");
  CHECK(HtmlToText("a <b>bold</b>word <i>and</i> <br>next") == "a boldword and\nnext");
  CHECK(HtmlToText("x<!-- hidden <p>comment</p> -->y") == "xy");
  CHECK(HtmlToText("x<!-- never closed") == "x");
  CHECK(HtmlToText("<script>if (a < b) { x = '</p>'; }</script>after") == "after");
  CHECK(HtmlToText("<SCRIPT type=x>code</ScRiPt>after") == "after");
  CHECK(HtmlToText("before<script>never closed") == "before");
  CHECK(HtmlToText("<noscript>enable js</noscript>ok") == "ok");
  CHECK(HtmlToText("<svg>unclosed svg text") == "unclosed svg text");
  CHECK(HtmlToText("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2");
  CHECK(HtmlToText("tail <") == "tail <");
  CHECK(HtmlToText("<p unterminated tag") == "");
  CHECK(HtmlToText("&amp;&lt;&quot;&#65;&#x42;&#X63;&copy;&unknown;&") ==
        "&<\"ABc\xC2\xA9&unknown;&");
  CHECK(HtmlToText("&#0;&#xD800;&#99999999;") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(HtmlToText("soft&shy;hyphen") == "softhyphen");
  CHECK(HtmlToText("<!DOCTYPE html><?xml x?><![CDATA[raw <b>]]>") == "raw <b>");
  CHECK(HtmlToText("<ul><li>a</li><li>b</li></ul><table><tr><td>c</td><td>d</td></tr></table>") ==
        "a\nb\nc\nd");
  CHECK(HtmlToText("caf\xC3\xA9 \xE2\x80\x94 ok") == "caf\xC3\xA9 \xE2\x80\x94 ok");
}

TEST_CASE("Directory reader: mixed formats, binary files skipped") {
  TempDir dir;
  WriteFile(dir.File("tree/a.txt"), "alpha text");
  WriteFile(dir.File("tree/b.jsonl"), "{\"id\": \"j1\", \"text\": \"json one\"}\n");
  WriteFile(dir.File("tree/c.bin"), std::string("\x7F"
                                                "ELF\0\0\1\2",
                                                8));
  WriteFile(dir.File("tree/d/e.warc.gz"), GzipEach(WetRecords()));
  WriteFile(dir.File("tree/f.txt"), "zeta text");
  const ReadOutcome r = Read({dir.File("tree")});
  REQUIRE_OK(r.error);
  REQUIRE(r.docs.size() == 6);
  CHECK(r.docs[0].id == "a.txt");
  CHECK(r.docs[1].id == "j1");
  CHECK(r.docs[1].source.ToString() == dir.File("tree/b.jsonl") + ":1");
  CHECK(r.docs[2].id == "<urn:uuid:1>");
  CHECK(r.docs[5].id == "f.txt");
  REQUIRE(r.skipped.size() == 4);
  CHECK(r.skipped[0].id == "c.bin");
  CHECK(r.skipped[0].reason == "binary file (not a document)");
  CHECK(r.skipped[0].documents_before == 2);
  CHECK(r.skipped[1].id == "<urn:uuid:info>");
  CHECK(r.skipped[1].documents_before == 2);

  // WriteKept mirrors the tree: every format in it written as its reader saw it.
  // Records in reading order: a.txt, j1, c.bin (skipped), info, 1, req, 2, img, 3, f.txt.
  const std::vector<bool> kept_flags = {true,  false, false, false, true,
                                        false, false, false, true,  false};
  const std::unique_ptr<bool[]> kept(new bool[kept_flags.size()]);
  std::copy(kept_flags.begin(), kept_flags.end(), kept.get());
  REQUIRE_OK(WriteKept(dir.File("tree"), std::span<const bool>(kept.get(), kept_flags.size()),
                       dir.File("out")));
  CHECK(ReadFileBytes(dir.File("out/tree/a.txt")) == "alpha text");
  CHECK(ReadFileBytes(dir.File("out/tree/b.jsonl")).empty());
  CHECK_FALSE(std::filesystem::exists(dir.File("out/tree/c.bin")));
  CHECK_FALSE(std::filesystem::exists(dir.File("out/tree/f.txt")));
  const std::vector<std::string> records = WetRecords();
  CHECK(Gunzip(ReadFileBytes(dir.File("out/tree/d/e.warc.gz"))) == records[1] + records[5]);
  CHECK(
      WriteKept(dir.File("tree"), std::span<const bool>(kept.get(), 9), dir.File("out2")).code() ==
      StatusCode::kInvalidArgument);
}

TEST_CASE("WriteKept: WARC records byte-identical, gzip members reused") {
  TempDir dir;
  const std::vector<std::string> records = WetRecords();
  // Records: info, 1, req, 2, img, 3 -> keep 1 and 3 only.
  const bool kept[] = {false, true, false, false, false, true};
  SECTION("plain") {
    WriteFile(dir.File("in/x.warc"), Concat(records));
    REQUIRE_OK(WriteKept(dir.File("in/x.warc"), kept, dir.File("out")));
    CHECK(ReadFileBytes(dir.File("out/x.warc")) == records[1] + records[5]);
  }
  SECTION("one gzip member per record: the kept members are copied") {
    WriteFile(dir.File("in/x.warc.wet.gz"), GzipEach(records));
    REQUIRE_OK(WriteKept(dir.File("in/x.warc.wet.gz"), kept, dir.File("out")));
    CHECK(ReadFileBytes(dir.File("out/x.warc.wet.gz")) == Gzip(records[1]) + Gzip(records[5]));
  }
  SECTION("one member for all: recompressed, one member per kept record") {
    WriteFile(dir.File("in/x.warc.gz"), Gzip(Concat(records)));
    REQUIRE_OK(WriteKept(dir.File("in/x.warc.gz"), kept, dir.File("out")));
    const std::string out = ReadFileBytes(dir.File("out/x.warc.gz"));
    CHECK(Gunzip(out) == records[1] + records[5]);
  }
  SECTION("zstd: recompressed with the same codec") {
    WriteFile(dir.File("in/x.warc.zst"), Zstd(Concat(records)));
    REQUIRE_OK(WriteKept(dir.File("in/x.warc.zst"), kept, dir.File("out")));
    CHECK(Unzstd(ReadFileBytes(dir.File("out/x.warc.zst"))) == records[1] + records[5]);
  }
  SECTION(
      "a record made of two members: its members are copied, the members are found by "
      "the reader's own decoder") {
    // Record 1 in two members of different compression levels, so that
    // compressing it again as one member would give other bytes.
    const std::string& r1 = records[1];
    const std::string split = Gzip(r1.substr(0, r1.size() / 2)) + Gzip(r1.substr(r1.size() / 2));
    std::vector<std::string> members;
    for (const std::string& r : records) members.push_back(Gzip(r));
    members[1] = split;
    std::string file;
    for (const std::string& m : members) file += m;
    WriteFile(dir.File("in/s.warc.gz"), file);
    REQUIRE_OK(WriteKept(dir.File("in/s.warc.gz"), kept, dir.File("out")));
    const std::string out = ReadFileBytes(dir.File("out/s.warc.gz"));
    CHECK(out == split + Gzip(records[5]));
    CHECK(Gunzip(out) == records[1] + records[5]);
  }
  SECTION("a record that ends inside a member is compressed again, the next one copied") {
    // Records 0-2 in one member, then one member per record.
    const std::string head = Gzip(records[0] + records[1] + records[2]);
    std::string file = head;
    for (std::size_t i = 3; i < records.size(); ++i) file += Gzip(records[i]);
    WriteFile(dir.File("in/m.warc.gz"), file);
    const bool keep[] = {false, true, false, true, false, true};
    REQUIRE_OK(WriteKept(dir.File("in/m.warc.gz"), keep, dir.File("out")));
    const std::string out = ReadFileBytes(dir.File("out/m.warc.gz"));
    CHECK(Gunzip(out) == records[1] + records[3] + records[5]);
    CHECK(out.ends_with(Gzip(records[3]) + Gzip(records[5])));
  }
  SECTION("a truncated file, read with skip_bad: the fault is the last record") {
    const std::string gz = GzipEach(records);
    WriteFile(dir.File("in/t.warc.gz"), gz.substr(0, gz.size() - 10));
    REQUIRE_OK(WriteKept(dir.File("in/t.warc.gz"), kept, dir.File("out")));
    CHECK(ReadFileBytes(dir.File("out/t.warc.gz")) == Gzip(records[1]));
  }
}

TEST_CASE("JSONL reader: skip_bad turns bad lines into skipped records") {
  TempDir dir;
  const std::string path = dir.File("feed.jsonl");
  WriteFile(path,
            "{\"id\": \"a\", \"text\": \"one\"}\n"
            "{\"id\": \"b\", \"text\": \n"
            "\n"
            "[1, 2]\n"
            "{\"id\": \"c\", \"body\": \"no text\"}\n"
            "{\"id\": true, \"text\": \"bad id\"}\n"
            "{\"id\": \"d\", \"text\": \"two\"}\n");
  const ReadOutcome strict = Read({path});
  CHECK(strict.docs.size() == 1);
  CHECK_THAT(strict.error.message(), Catch::StartsWith(path + ":2: malformed JSON"));
  ReaderOptions options;
  options.skip_bad = true;
  const ReadOutcome r = Read({path}, options);
  REQUIRE_OK(r.error);
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[1].id == "d");
  REQUIRE(r.skipped.size() == 4);
  CHECK(r.skipped[0].id == path + ":2");
  CHECK_THAT(r.skipped[0].reason, Catch::StartsWith("malformed JSON: "));
  CHECK(r.skipped[1].source.line == 4);
  CHECK(r.skipped[1].reason == "not a JSON object");
  CHECK(r.skipped[2].reason == "missing string field \"text\"");
  CHECK(r.skipped[3].reason == "field \"id\" is neither a string nor a number");
  for (const SkippedRecord& s : r.skipped) {
    CHECK(s.bad);
    CHECK(s.documents_before == 1);
  }
  // WriteKept: the skipped lines take their place among the flags.
  const bool kept[] = {true, false, false, false, false, true};
  REQUIRE_OK(WriteKept(path, kept, dir.File("out")));
  CHECK(ReadFileBytes(dir.File("out/feed.jsonl")) ==
        "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"d\", \"text\": \"two\"}\n");
}

TEST_CASE("JSONL reader: skip_bad keeps what precedes a truncated gzip stream") {
  TempDir dir;
  std::string jsonl;
  for (int i = 0; i < 50; ++i) {
    jsonl += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"line number " +
             std::to_string(i) + "\"}\n";
  }
  const std::string gz = Gzip(jsonl);
  const std::string path = dir.File("t.jsonl.gz");
  WriteFile(path, gz.substr(0, gz.size() - 12));
  ReaderOptions options;
  options.skip_bad = true;
  const ReadOutcome r = Read({path}, options);
  REQUIRE_OK(r.error);
  REQUIRE(r.skipped.size() == 1);
  CHECK(r.skipped[0].reason == "truncated gzip stream (rest of file abandoned)");
  CHECK(r.skipped[0].source.line == r.docs.size() + 1);
  CHECK(r.skipped[0].documents_before == r.docs.size());
  const ReadOutcome strict = Read({path});
  CHECK(strict.docs.size() == r.docs.size());
  CHECK(strict.error.message() ==
        path + ":" + std::to_string(r.docs.size()) + ": truncated gzip stream");
}

TEST_CASE("Stdin: \"-\" reads the spooled file, judged by content, named \"-\"") {
  TempDir dir;
  ReaderOptions options;
  options.stdin_path = dir.File("spool");
  SECTION("WARC, gzip members") {
    WriteFile(options.stdin_path, GzipEach(WetRecords()));
    const ReadOutcome r = Read({"-"}, options);
    REQUIRE_OK(r.error);
    REQUIRE(r.docs.size() == 3);
    CHECK(r.docs[0].source.ToString() == "-:2");
    const bool kept[] = {false, true, false, true, false, false};
    REQUIRE_OK(WriteKept("-", kept, dir.File("out"), options));
    CHECK(ReadFileBytes(dir.File("out/stdin")) == Gzip(WetRecords()[1]) + Gzip(WetRecords()[3]));
  }
  SECTION("JSONL") {
    WriteFile(options.stdin_path, "\n {\"id\": 1, \"text\": \"x\"}\n{\"text\": \"y\"}\n");
    const ReadOutcome r = Read({"-"}, options);
    REQUIRE_OK(r.error);
    REQUIRE(r.docs.size() == 2);
    CHECK(r.docs[1].id == "-:3");
  }
  SECTION("text") {
    WriteFile(options.stdin_path, "just words");
    const ReadOutcome r = Read({"-"}, options);
    REQUIRE_OK(r.error);
    REQUIRE(r.docs.size() == 1);
    CHECK(r.docs[0].id == "-");
    CHECK(r.docs[0].text == "just words");
  }
  SECTION("not spooled") {
    const ReadOutcome r = Read({"-"});
    CHECK(r.error.code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("WarcRecordReader: in-memory records with offsets") {
  const std::vector<std::string> records = WetRecords();
  internal::WarcRecordReader reader;
  // Padding before the first record (blank and whitespace-only lines) is passed over.
  reader.Open(internal::NewMemorySource("\r\n \t\r\n" + Concat(records)), internal::Codec::kNone);
  internal::WarcRecord record;
  std::uint64_t offset = 6;
  for (std::size_t i = 0; i < records.size(); ++i) {
    Result<bool> more = reader.Next(&record);
    REQUIRE_OK(more.status());
    REQUIRE(more.value());
    CHECK(record.raw == records[i]);
    CHECK(record.offset == offset);
    CHECK(record.number == i + 1);
    offset += records[i].size();
  }
  Result<bool> end = reader.Next(&record);
  REQUIRE_OK(end.status());
  CHECK_FALSE(end.value());
}

TEST_CASE("LooksBinary: NUL bytes or many control bytes") {
  CHECK_FALSE(internal::LooksBinary("plain text\r\n\twith tabs\f"));
  CHECK_FALSE(internal::LooksBinary(""));
  CHECK(internal::LooksBinary(std::string("a\0b", 3)));
  CHECK(internal::LooksBinary("\x01\x02\x03 abcdef"));
}

}  // namespace
}  // namespace neardup
