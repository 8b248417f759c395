// Readers, kept-document writer and atomic output.
#include <neardup/io.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <span>
#include <thread>

#include "io/codec_test_util.h"
#include "io/io_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::ReadAll;
using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFile;

TEST_CASE("JSONL reader: ids, text, blank lines and line numbers") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  WriteFile(path,
            "{\"id\": \"a\", \"text\": \"first\\nline\", \"url\": \"x\"}\n"
            "\n"
            "   \n"
            "{\"id\": 42, \"text\": \"second\"}\r\n"
            "{\"text\": \"no id\"}");  // last line without newline
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].id == "a");
  CHECK(docs[0].text == "first\nline");
  CHECK(docs[0].source.ToString() == path + ":1");
  CHECK(docs[1].id == "42");
  CHECK(docs[1].source.line == 4);
  CHECK(docs[2].id == path + ":5");  // missing id: the record's location
  CHECK(docs[2].text == "no id");
}

TEST_CASE("JSONL reader: configurable fields") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  WriteFile(path, "{\"doc_id\": \"x\", \"body\": \"hello\"}\n");
  ReaderOptions options;
  options.id_field = "doc_id";
  options.text_field = "body";
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error, options);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].id == "x");
  CHECK(docs[0].text == "hello");
}

TEST_CASE("JSONL reader: errors name file and line") {
  TempDir dir;
  const std::string path = dir.File("bad.jsonl");
  SECTION("malformed JSON") {
    WriteFile(path, "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": \n");
    Status error;
    const std::vector<Document> docs = ReadAll({path}, &error);
    CHECK(docs.size() == 1);  // everything before the fault was read
    CHECK(error.code() == StatusCode::kInvalidInput);
    CHECK_THAT(error.message(), Catch::StartsWith(path + ":2: malformed JSON"));
  }
  SECTION("missing text field") {
    WriteFile(path, "{\"id\": \"a\", \"body\": \"x\"}\n");
    Status error;
    ReadAll({path}, &error);
    CHECK(error.message() == path + ":1: missing string field \"text\"");
  }
  SECTION("text is not a string") {
    WriteFile(path, "{\"id\": \"a\", \"text\": 5}\n");
    Status error;
    ReadAll({path}, &error);
    CHECK(error.message() == path + ":1: missing string field \"text\"");
  }
  SECTION("not an object") {
    WriteFile(path, "[1, 2]\n");
    Status error;
    ReadAll({path}, &error);
    CHECK(error.message() == path + ":1: not a JSON object");
  }
}

TEST_CASE("JSONL reader: invalid UTF-8 inside a record is repaired and counted") {
  TempDir dir;
  const std::string path = dir.File("latin1.jsonl");
  WriteFile(path, "{\"id\": \"a\", \"text\": \"caf\xE9 cr\xE8me\"}\n");
  Status error;
  const std::vector<Document> docs = ReadAll({path}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == "caf\xEF\xBF\xBD cr\xEF\xBF\xBDme");
  CHECK(docs[0].repaired_bytes == 2);
}

TEST_CASE("Directory reader: every file, sorted by relative path, across inputs") {
  TempDir dir;
  WriteFile(dir.File("tree/b.txt"), "bee");
  WriteFile(dir.File("tree/a/z.txt"), "zed");
  WriteFile(dir.File("tree/a.txt"), "ay");
  WriteFile(dir.File("single.txt"), "one");
  Status error;
  const std::vector<Document> docs = ReadAll({dir.File("tree"), dir.File("single.txt")}, &error);
  REQUIRE_OK(error);
  REQUIRE(docs.size() == 4);
  CHECK(docs[0].id == "a.txt");
  CHECK(docs[1].id == "a/z.txt");
  CHECK(docs[1].text == "zed");
  CHECK(docs[2].id == "b.txt");
  CHECK(docs[3].id == dir.File("single.txt"));
  CHECK(docs[0].input == 0);
  CHECK(docs[3].input == 1);
}

// Reads `inputs` calling Skip for the documents whose index is in `skip`
// and Next for the others; returns the ids read, "-" for each skip.
std::vector<std::string> ReadSkipping(const std::vector<std::string>& inputs,
                                      const std::vector<std::size_t>& skip,
                                      const ReaderOptions& options, std::size_t* skipped_records) {
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(inputs, options);
  REQUIRE_OK(reader.status());
  std::vector<std::string> ids;
  for (std::size_t i = 0;; ++i) {
    const bool skip_this = std::find(skip.begin(), skip.end(), i) != skip.end();
    Document doc;
    Result<bool> more = skip_this ? reader.value()->Skip() : reader.value()->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    ids.push_back(skip_this ? "-" : doc.id);
  }
  *skipped_records = reader.value()->skipped().size();
  return ids;
}

TEST_CASE("Skip: the same documents as Next, in every reader") {
  TempDir dir;
  const std::string jsonl = dir.File("in.jsonl");
  WriteFile(jsonl,
            "{\"id\": \"a\", \"text\": \"one\"}\n\n"
            "{\"id\": \"b\", \"text\": \"two\"}\n \t \r\n"
            "{\"id\": \"c\", \"text\": \"three\"}");  // blank lines, no final newline
  const std::string tree = dir.File("tree");
  std::filesystem::create_directories(tree + "/sub");
  WriteFile(tree + "/a.txt", "a text file");
  WriteFile(tree + "/sub/b.jsonl",
            "{\"id\": \"d\", \"text\": \"four\"}\n{\"id\": \"e\", \"text\": \"five\"}\n");
  WriteFile(tree + "/z.txt", "last file");
  std::size_t skipped = 0;
  // Across a JSONL file and a directory of a text file, a nested JSONL file
  // and another text file: skipping any documents leaves the others as they were.
  const std::vector<std::string> all = ReadSkipping({jsonl, tree}, {}, ReaderOptions{}, &skipped);
  REQUIRE(all == std::vector<std::string>{"a", "b", "c", "a.txt", "d", "e", "z.txt"});
  CHECK(ReadSkipping({jsonl, tree}, {0, 2, 4, 6}, ReaderOptions{}, &skipped) ==
        std::vector<std::string>{"-", "b", "-", "a.txt", "-", "e", "-"});
  CHECK(ReadSkipping({jsonl, tree}, {1, 3, 5}, ReaderOptions{}, &skipped) ==
        std::vector<std::string>{"a", "-", "c", "-", "d", "-", "z.txt"});
}

TEST_CASE("Skip: with skip_bad a malformed line is still a skipped record, not a document") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  WriteFile(path,
            "{\"id\": \"a\", \"text\": \"one\"}\n"
            "{not json\n"
            "{\"id\": \"b\", \"text\": \"two\"}\n");
  ReaderOptions options;
  options.skip_bad = true;
  std::size_t skipped = 0;
  CHECK(ReadSkipping({path}, {0, 1}, options, &skipped) == std::vector<std::string>{"-", "-"});
  CHECK(skipped == 1);
}

// Every document of `inputs` as Next gives it, and the reader.
std::vector<Document> ReadWithReader(const std::vector<std::string>& inputs,
                                     std::unique_ptr<DocumentReader>* reader) {
  Result<std::unique_ptr<DocumentReader>> opened = OpenReader(inputs, ReaderOptions{});
  REQUIRE_OK(opened.status());
  *reader = std::move(opened).value();
  std::vector<Document> docs;
  Document doc;
  while (true) {
    Result<bool> more = (*reader)->Next(&doc);
    REQUIRE_OK(more.status());
    if (!more.value()) break;
    docs.push_back(doc);
  }
  return docs;
}

TEST_CASE("ReadAt: a plain JSONL document read alone is the one Next gave") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  const std::string long_text(40000, 'x');  // longer than the first read of a record
  WriteFile(path,
            "{\"id\": \"a\", \"text\": \"one\"}\n\n"
            "{\"id\": \"b\", \"text\": \"" +
                long_text +
                "\"}\r\n"
                " \t \n"
                "{\"id\": 7, \"text\": \"three\"}\n"
                "{\"text\": \"no id, no final newline\"}");
  std::unique_ptr<DocumentReader> reader;
  const std::vector<Document> docs = ReadWithReader({path, path}, &reader);
  REQUIRE(docs.size() == 8);
  CHECK(docs[0].offset == 0);
  CHECK(docs[1].offset == std::string_view("{\"id\": \"a\", \"text\": \"one\"}\n\n").size());
  for (const int i : {7, 2, 0, 5, 1, 6, 3, 4}) {  // any order, either input
    const Document& doc = docs[static_cast<std::size_t>(i)];
    Document again;
    REQUIRE_OK(reader->ReadAt(doc.input, doc.offset, doc.source.line, &again));
    INFO("document " << i);
    CHECK(again.id == doc.id);
    CHECK(again.text == doc.text);
    CHECK(again.source.ToString() == doc.source.ToString());
    CHECK(again.input == doc.input);
    CHECK(again.offset == doc.offset);
  }
  // A fresh reader reads a document alone without reading anything first.
  Result<std::unique_ptr<DocumentReader>> fresh = OpenReader({path}, ReaderOptions{});
  REQUIRE_OK(fresh.status());
  Document alone;
  REQUIRE_OK(fresh.value()->ReadAt(0, docs[2].offset, docs[2].source.line, &alone));
  CHECK(alone.id == "7");
}

TEST_CASE("ReadAt: JSONL inputs give offsets, plain or compressed; files in a tree do not") {
  TempDir dir;
  WriteFile(dir.File("a.jsonl.gz"), testing::Gzip("{\"id\": \"g\", \"text\": \"zipped\"}\n"));
  std::filesystem::create_directories(dir.File("tree"));
  WriteFile(dir.File("tree/b.jsonl"), "{\"id\": \"n\", \"text\": \"nested\"}\n");
  WriteFile(dir.File("c.txt"), "a text file");
  std::unique_ptr<DocumentReader> reader;
  const std::vector<Document> docs =
      ReadWithReader({dir.File("a.jsonl.gz"), dir.File("tree"), dir.File("c.txt")}, &reader);
  REQUIRE(docs.size() == 3);
  // The gzip file's line is read alone through its access points
  // (access_points_test.cc).
  CHECK(docs[0].offset == 0);
  Document zipped;
  REQUIRE_OK(reader->ReadAt(0, 0, 1, &zipped));
  CHECK(zipped.text == "zipped");
  for (const Document& doc : std::span(docs).subspan(1)) {
    INFO(doc.id);
    CHECK(doc.offset == kNoOffset);
    Document again;
    CHECK(reader->ReadAt(doc.input, 0, doc.source.line, &again).code() ==
          StatusCode::kInvalidArgument);
  }
}

TEST_CASE("ReadAt: a record that is no longer there is an error naming file and line") {
  TempDir dir;
  const std::string path = dir.File("in.jsonl");
  WriteFile(path, "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"b\", \"text\": \"two\"}\n");
  std::unique_ptr<DocumentReader> reader;
  const std::vector<Document> docs = ReadWithReader({path}, &reader);
  REQUIRE(docs.size() == 2);
  WriteFile(path, "{\"id\": \"a\", \"text\": \"one\"}\n");  // the file shrank
  Document again;
  const Status past_end = reader->ReadAt(0, docs[1].offset, docs[1].source.line, &again);
  CHECK(past_end.code() == StatusCode::kInvalidInput);
  CHECK(past_end.message().find(path + ":2") != std::string::npos);
  WriteFile(path, "{\"id\": \"a\", \"text\": \"one\"}\n[\"not an object\"]\n");
  const Status changed = reader->ReadAt(0, docs[1].offset, docs[1].source.line, &again);
  CHECK(changed.code() == StatusCode::kInvalidInput);
  CHECK(changed.message().find(path + ":2: not a JSON object") != std::string::npos);
}

TEST_CASE("OpenReader fails up front on a missing input") {
  TempDir dir;
  Result<std::unique_ptr<DocumentReader>> reader =
      OpenReader({dir.File("missing.jsonl")}, ReaderOptions{});
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.status().code() == StatusCode::kNotFound);
  CHECK_THAT(reader.status().message(), Catch::Contains("missing.jsonl"));
}

TEST_CASE("WriteKept: JSONL keeps the kept lines byte for byte") {
  TempDir dir;
  const std::string lines[] = {"{\"id\": \"a\", \"text\": \"x\", \"extra\": [1, 2]}\n",
                               "{\"id\": \"b\", \"text\": \"y\"}\r\n",
                               "{\"id\": \"c\", \"text\": \"z\"}"};
  WriteFile(dir.File("in/feed.jsonl"), lines[0] + "\n" + lines[1] + lines[2]);
  const bool kept[] = {true, false, true};
  REQUIRE_OK(WriteKept(dir.File("in/feed.jsonl"), kept, dir.File("out")));
  CHECK(ReadFileBytes(dir.File("out/feed.jsonl")) == lines[0] + lines[2]);

  const bool too_few[] = {true};
  CHECK(WriteKept(dir.File("in/feed.jsonl"), too_few, dir.File("out2")).code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("WriteKept: a directory becomes a mirror tree of kept files") {
  TempDir dir;
  WriteFile(dir.File("pages/a.txt"), "A");
  WriteFile(dir.File("pages/sub/b.txt"), "B\r\n");
  WriteFile(dir.File("pages/sub/c.txt"), "C");
  const bool kept[] = {false, true, true};  // order: a.txt, sub/b.txt, sub/c.txt
  REQUIRE_OK(WriteKept(dir.File("pages/"), kept, dir.File("out")));
  CHECK_FALSE(std::filesystem::exists(dir.File("out/pages/a.txt")));
  CHECK(ReadFileBytes(dir.File("out/pages/sub/b.txt")) == "B\r\n");
  CHECK(ReadFileBytes(dir.File("out/pages/sub/c.txt")) == "C");
}

TEST_CASE("OutputName is the input's last path component") {
  CHECK(OutputName("a/b/x.jsonl") == "x.jsonl");
  CHECK(OutputName("pages/") == "pages");
  CHECK(OutputName("/tmp/pages") == "pages");
}

TEST_CASE("AtomicFile: nothing at the target until Commit, nothing left when abandoned") {
  TempDir dir;
  const std::string target = dir.File("out.jsonl");
  {
    Result<std::unique_ptr<AtomicFile>> f = AtomicFile::Create(target);
    REQUIRE(f.ok());
    REQUIRE_OK(f.value()->Write("partial"));
    CHECK_FALSE(std::filesystem::exists(target));
  }  // abandoned
  CHECK(std::filesystem::is_empty(dir.path()));
  Result<std::unique_ptr<AtomicFile>> f = AtomicFile::Create(target);
  REQUIRE(f.ok());
  REQUIRE_OK(f.value()->Write("complete\n"));
  REQUIRE_OK(f.value()->Commit());
  CHECK(ReadFileBytes(target) == "complete\n");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("AtomicFile: a link stays a link and its target is replaced; a FIFO is written through") {
  namespace fs = std::filesystem;
  TempDir dir;
  WriteFile(dir.File("target"), "old\n");
  fs::create_symlink("target", dir.File("link"));
  Result<std::unique_ptr<AtomicFile>> f = AtomicFile::Create(dir.File("link"));
  REQUIRE(f.ok());
  REQUIRE_OK(f.value()->Write("new\n"));
  REQUIRE_OK(f.value()->Commit());
  CHECK(fs::is_symlink(dir.File("link")));
  CHECK(ReadFileBytes(dir.File("target")) == "new\n");

  REQUIRE(::mkfifo(dir.File("fifo").c_str(), 0600) == 0);
  std::string through;
  std::thread reader([&] { through = ReadFileBytes(dir.File("fifo")); });
  Result<std::unique_ptr<AtomicFile>> p = AtomicFile::Create(dir.File("fifo"));
  REQUIRE(p.ok());
  CHECK(p.value()->temp_path().empty());
  REQUIRE_OK(p.value()->Write("piped\n"));
  REQUIRE_OK(p.value()->Commit());
  reader.join();
  CHECK(through == "piped\n");
  CHECK(fs::is_fifo(dir.File("fifo")));
  CHECK_FALSE(AtomicFile::Create(dir.path().string()).ok());  // a directory
}

TEST_CASE("OutputDirectory: the old output stays until Commit swaps the new one in whole") {
  namespace fs = std::filesystem;
  TempDir dir;
  const std::string out = dir.File("out");
  WriteFile(out + "/decisions.jsonl", "old\n");
  CHECK_FALSE(OutputDirectory::Begin(out, /*replace=*/false).ok());  // not empty
  {
    Result<std::unique_ptr<OutputDirectory>> o = OutputDirectory::Begin(out, true);
    REQUIRE(o.ok());
    WriteFile(o.value()->staging() + "/decisions.jsonl", "abandoned\n");
  }  // not committed: staging removed, old output untouched
  CHECK(ReadFileBytes(out + "/decisions.jsonl") == "old\n");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  Result<std::unique_ptr<OutputDirectory>> o = OutputDirectory::Begin(out, true);
  REQUIRE(o.ok());
  WriteFile(o.value()->staging() + "/decisions.jsonl", "new\n");
  WriteFile(o.value()->staging() + "/manifest.json", std::string(kManifestMarker) + "1}\n");
  CHECK(ReadFileBytes(out + "/decisions.jsonl") == "old\n");
  REQUIRE_OK(o.value()->Commit());
  CHECK(ReadFileBytes(out + "/decisions.jsonl") == "new\n");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  // A directory neardup did not write is never replaced.
  WriteFile(dir.File("mine/notes.txt"), "mine\n");
  CHECK_FALSE(OutputDirectory::Begin(dir.File("mine"), true).ok());
  CHECK_FALSE(OutputDirectory::Begin("", true).ok());
}

TEST_CASE("CheckOutputApart: an output may not be, contain or lie inside an input") {
  TempDir dir;
  WriteFile(dir.File("in/a.txt"), "a\n");
  WriteFile(dir.File("x.jsonl"), "{}\n");
  std::filesystem::create_symlink("in", dir.File("in-link"));
  CHECK_FALSE(CheckOutputApart(dir.File("in"), {dir.File("in")}).ok());
  CHECK_FALSE(CheckOutputApart(dir.File("in/out"), {dir.File("in-link")}).ok());
  CHECK_FALSE(CheckOutputApart(dir.path().string(), {dir.File("x.jsonl")}).ok());
  CHECK_FALSE(CheckOutputApart(dir.File("x.jsonl"), {dir.File("x.jsonl")}).ok());
  CHECK(CheckOutputApart(dir.File("out"), {dir.File("in"), dir.File("x.jsonl"), "-"}).ok());
  CHECK(CheckOutputApart("-", {dir.File("in")}).ok());
}

TEST_CASE("RemoveLeftovers removes only the names of processes that are gone") {
  TempDir dir;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  ::waitpid(child, nullptr, 0);
  const std::string dead = std::to_string(child);
  const std::string alive = std::to_string(::getpid());
  WriteFile(dir.File(".x.neardup-tmp-" + dead), "");
  WriteFile(dir.File(".x.neardup-tmp-" + alive), "");
  WriteFile(dir.File(".x.neardup-tmp-abc"), "");
  WriteFile(dir.File("x.neardup-tmp-" + dead), "");
  const std::vector<std::string> removed = RemoveLeftovers(dir.path().string(), ".x.neardup-tmp-");
  REQUIRE(removed.size() == 1);
  CHECK(removed[0] == dir.File(".x.neardup-tmp-" + dead));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 3);
}

TEST_CASE("AppendJsonString escapes control characters and repairs invalid UTF-8") {
  std::string out;
  AppendJsonString("a\"b\\c\n\t\x01 \xC3\xA9 \xFF", &out);
  CHECK(out == "\"a\\\"b\\\\c\\n\\t\\u0001 \xC3\xA9 \xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace neardup
