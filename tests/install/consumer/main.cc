// consumer INPUT...: the near-level clusters of the inputs, one line each
// ("cluster ID: REPRESENTATIVE MEMBER..."), then "documents N, kept K".
// Uses only the installed public headers.
#include <neardup/io.h>
#include <neardup/pipeline.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

class Printer final : public neardup::DecisionSink {
 public:
  neardup::Status OnCluster(const neardup::ClusterReport& c) override {
    std::string line = "cluster " + std::to_string(c.id) + ":";
    for (const auto& m : c.members) line += " " + m.doc->id;
    std::printf("%s\n", line.c_str());
    return neardup::Status::OK();
  }
  neardup::Status OnDecision(const neardup::Decision& d) override {
    ++documents;
    kept += d.kept ? 1 : 0;
    return neardup::Status::OK();
  }
  int documents = 0;
  int kept = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> inputs(argv + 1, argv + argc);
  neardup::PipelineOptions options;  // near level, threshold 0.8
  neardup::Pipeline pipeline(options);
  Printer printer;
  neardup::Status s =
      pipeline.Run([&] { return neardup::OpenReader(inputs, neardup::ReaderOptions{}); }, printer);
  if (!s.ok()) {
    std::fprintf(stderr, "consumer: %s\n", s.ToString().c_str());
    return 2;
  }
  std::printf("documents %d, kept %d\n", printer.documents, printer.kept);
  return 0;
}
