// JSONL lines read a block at a time and parsed on several threads
// (ReaderOptions::parse_block_bytes): the same documents, skipped records
// and errors as reading and parsing line by line, whatever the block size
// and the number of threads, with Next and Skip interleaved.
#include <neardup/io.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "io/codec_test_util.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::TempDir;
using testing::WriteFile;

// JSONL of `lines` lines: documents of varied lengths, and (every few
// lines) a blank line, invalid UTF-8, an id beyond 64 bits, a missing id
// and, with `bad`, malformed JSON and a missing text field. The last line
// has no newline.
std::string MixedJsonl(int lines, bool bad) {
  std::string out;
  for (int i = 0; i < lines; ++i) {
    const std::string n = std::to_string(i);
    std::string words;
    for (int w = 0; w < (i * 7) % 60; ++w) words += "w" + std::to_string((i + w) % 13) + " ";
    if (bad && i % 37 == 5) {
      out += "{\"id\": \"x" + n + "\", \"text\": ";
    } else if (bad && i % 47 == 2) {
      out += "{\"id\": \"m" + n + "\", \"body\": \"no text\"}";
    } else if (i % 29 == 11) {
      out += "   \t";
    } else if (i % 41 == 3) {
      out += "{\"id\": \"u" + n + "\", \"text\": \"caf\xE9 " + words + "\"}";
    } else if (i % 43 == 7) {
      out += "{\"id\": 123456789012345678901234567890" + n + ", \"text\": \"big " + words + "\"}";
    } else if (i % 53 == 9) {
      out += "{\"text\": \"no id " + words + "\"}";
    } else {
      out += "{\"id\": \"d" + n + "\", \"text\": \"" + words + n + "\"}";
    }
    if (i + 1 < lines) out += i % 5 == 0 ? "\r\n" : "\n";
  }
  return out;
}

// Everything a reader gives for `path`: each document with all its fields
// ("-" for a line passed over with Skip, which `skip` chooses by call
// number), then the skipped records and the error that ended the read.
std::string Trace(const std::string& path, const ReaderOptions& options, int threads,
                  bool (*skip)(std::size_t)) {
  std::string out;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, options);
    REQUIRE_OK(opened.status());
    DocumentReader& reader = *opened.value();
    for (std::size_t call = 0;; ++call) {
      Document doc;
      const bool skipping = skip(call);
      Result<bool> more = skipping ? reader.Skip() : reader.Next(&doc);
      if (!more.ok()) {
        out += "error " + std::to_string(static_cast<int>(more.status().code())) + " " +
               more.status().message() + "\n";
        break;
      }
      if (!more.value()) break;
      if (skipping) {
        out += "-\n";
        continue;
      }
      out += doc.id + "|" + doc.text + "|" + doc.source.ToString() + "|" +
             std::to_string(doc.input) + "|" + std::to_string(doc.repaired_bytes) + "|" +
             std::to_string(doc.offset) + "|" + doc.url + "\n";
    }
    for (const SkippedRecord& r : reader.skipped()) {
      out += "skipped " + r.id + "|" + r.source.ToString() + "|" + r.reason + "|" +
             std::to_string(r.bad) + "|" + std::to_string(r.documents_before) + "\n";
    }
  });
  return out;
}

bool NeverSkip(std::size_t) { return false; }
// Runs of 12 Next calls (long enough to parse ahead) and 5 Skip calls.
bool SkipSome(std::size_t call) { return call % 17 >= 12; }

TEST_CASE("JSONL in blocks: the same documents, skipped records and errors for any block size") {
  TempDir dir;
  const std::string clean = MixedJsonl(400, false);
  const std::string bad = MixedJsonl(400, true);
  WriteFile(dir.File("clean.jsonl"), clean);
  WriteFile(dir.File("bad.jsonl"), bad);
  WriteFile(dir.File("clean.jsonl.gz"), testing::Gzip(clean));
  WriteFile(dir.File("bad.jsonl.zst"), testing::Zstd(bad));
  const std::string gz = testing::Gzip(clean);
  WriteFile(dir.File("truncated.jsonl.gz"), gz.substr(0, gz.size() * 2 / 3));
  for (const char* name :
       {"clean.jsonl", "bad.jsonl", "clean.jsonl.gz", "bad.jsonl.zst", "truncated.jsonl.gz"}) {
    for (bool skip_bad : {false, true}) {
      for (auto* skip : {NeverSkip, SkipSome}) {
        ReaderOptions options;
        options.skip_bad = skip_bad;
        options.parse_block_bytes = 1;  // one line a block: reading line by line
        const std::string want = Trace(dir.File(name), options, 1, skip);
        if (std::string(name) == "clean.jsonl" && skip == NeverSkip) {
          CHECK(want.find("error") == std::string::npos);
          CHECK(want.find("|1|") != std::string::npos);  // a repaired line
        }
        if (std::string(name) == "bad.jsonl" && !skip_bad) {
          CHECK(want.find(" " + dir.File(name) + ":3: missing string field") != std::string::npos);
        }
        if (std::string(name) == "truncated.jsonl.gz") {
          CHECK(want.find(skip_bad ? "rest of file abandoned" : "error ") != std::string::npos);
        }
        for (std::size_t block :
             {std::size_t{2}, std::size_t{100}, std::size_t{3000}, std::size_t{1} << 20}) {
          for (int threads : {1, 4}) {
            options.parse_block_bytes = block;
            INFO(name << " skip_bad " << skip_bad << " skip " << (skip == SkipSome) << " block "
                      << block << " threads " << threads);
            CHECK(Trace(dir.File(name), options, threads, skip) == want);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace neardup
