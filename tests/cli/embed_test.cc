// The command line run inside another program (cli/embed.h), as the Python
// module runs it: an ExtraDecisionSink gets every decision `neardup dedup`
// writes, in decisions.jsonl's order, and LastError() holds the message of
// the error a command reported.
#include "embed.h"

#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::ReadFileBytes;
using testing::TempDir;
using testing::WriteFile;

class Collector final : public DecisionSink {
 public:
  Status OnCluster(const ClusterReport&) override { return Status::OK(); }
  Status OnDecision(const Decision& d) override {
    lines.push_back(d.doc->id + (d.kept ? " kept" : " dropped"));
    return Status::OK();
  }
  Status OnSkipped(const SkippedRecord& r) override {
    lines.push_back(r.id + " skipped");
    return Status::OK();
  }
  std::vector<std::string> lines;
};

int Run(std::vector<std::string> args) {
  args.insert(args.begin(), "neardup");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return cli::Main(static_cast<int>(args.size()), argv.data());
}

// decisions.jsonl as "<id> kept|dropped|skipped" lines.
std::vector<std::string> DecisionLines(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(ReadFileBytes(path));
  for (std::string line; std::getline(in, line);) {
    const std::size_t at = line.find("\"id\": \"") + 7;
    const std::string id = line.substr(at, line.find('"', at) - at);
    const char* what = line.find("\"skipped\": true") != std::string::npos ? " skipped"
                       : line.find("\"kept\": true") != std::string::npos  ? " kept"
                                                                           : " dropped";
    out.push_back(id + what);
  }
  return out;
}

TEST_CASE("an ExtraDecisionSink gets the decisions dedup writes, in their order") {
  TempDir dir;
  std::string jsonl;
  const std::string text = "the council approved the new bridge over the river on tuesday ";
  for (int i = 0; i < 40; ++i) {
    // Every fifth record repeats the first; one line is malformed.
    const std::string body = i % 5 == 0 ? text + text : text + "story " + std::to_string(i);
    jsonl += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"" + body + "\"}\n";
    if (i == 17) jsonl += "{\"id\": \n";
  }
  WriteFile(dir.File("in.jsonl"), jsonl);
  Collector collector;
  {
    cli::ExtraDecisionSink hook(&collector);
    REQUIRE(Run({"dedup", "-q", "--skip-bad", "-o", dir.File("out"), dir.File("in.jsonl")}) == 0);
  }
  const std::vector<std::string> written = DecisionLines(dir.File("out/decisions.jsonl"));
  REQUIRE(written.size() == 41);
  CHECK(collector.lines == written);
  CHECK(std::count(written.begin(), written.end(), "d5 dropped") == 1);
  CHECK(written[18].ends_with(" skipped"));

  // Gone with the hook: a second run sends nothing more.
  REQUIRE(Run({"dedup", "-q", "--skip-bad", "-o", dir.File("out2"), dir.File("in.jsonl")}) == 0);
  CHECK(collector.lines.size() == 41);
}

TEST_CASE("LastError holds the message of the error a command reported") {
  TempDir dir;
  WriteFile(dir.File("bad.jsonl"), "{\"id\": \"a\", \"text\": \"one two\"}\n{\"id\": \n");
  cli::ClearLastError();
  REQUIRE(Run({"dedup", "-q", "-o", dir.File("out"), dir.File("bad.jsonl")}) == 2);
  CHECK(cli::LastError().find("bad.jsonl:2: malformed JSON") != std::string::npos);
  cli::ClearLastError();
  CHECK(cli::LastError().empty());
  // A usage error (an output directory holding other files).
  WriteFile(dir.File("taken/notes.txt"), "mine");
  REQUIRE(Run({"dedup", "-q", "-o", dir.File("taken"), dir.File("bad.jsonl")}) == 1);
  CHECK(cli::LastError().find("is not empty") != std::string::npos);
  // tune's own checks go through it too.
  REQUIRE(Run({"tune", "--labels", dir.File("x.tsv"), "--level", "exact", dir.File("bad.jsonl")}) ==
          1);
  CHECK(cli::LastError() == "the exact level has no threshold to tune");
}

}  // namespace
}  // namespace neardup
