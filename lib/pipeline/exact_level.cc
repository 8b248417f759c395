// The exact level: documents with the same normalized text form a cluster
// (similarity 1); with an index, earlier documents with that text join it.
#include "pipeline/level.h"

namespace neardup::internal {
namespace {

class ExactRunner : public LevelRunner {
 public:
  explicit ExactRunner(const RunContext& run) : run_(run) {}

  Result<SigningSetup> BeforeSigning() override { return SigningSetup{}; }

  Result<bool> Decide(SignedRun& signed_run, DecisionSink& /*sink*/, ReportInput* report) override {
    Result<RunEdges> edges = JoinExactCopies(run_, signed_run);
    if (!edges.ok()) return edges.status();
    edges_ = std::move(edges).value();
    similarity_ = [](DocIndex, DocIndex) { return 1.0; };
    NEARDUP_RETURN_IF_ERROR(
        ClusterRun(run_, signed_run, nullptr, {}, &edges_, &similarity_, &clustered_));
    clustered_.Report(report);
    return true;
  }

 private:
  RunContext run_;
  RunEdges edges_;
  SimilarityFn similarity_;
  ClusteredRun clustered_;
};

}  // namespace

std::unique_ptr<LevelRunner> MakeExactRunner(const RunContext& run) {
  return std::make_unique<ExactRunner>(run);
}

}  // namespace neardup::internal
