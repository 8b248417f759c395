// The exact level: documents with the same normalized text form a cluster
// (similarity 1); with an index, earlier documents with that text join it.
#include "pipeline/level.h"

namespace neardup::internal {
namespace {

class ExactRunner : public LevelRunner {
 public:
  explicit ExactRunner(const RunContext& run) : LevelRunner(run) {}

  Result<SigningSetup> BeforeSigning() override { return SigningSetup{}; }

  Result<bool> Decide(SignedRun& signed_run, DecisionSink& /*sink*/, ReportInput* report) override {
    NEARDUP_RETURN_IF_ERROR(JoinCopies(signed_run));
    similarity_ = [](DocIndex, DocIndex) { return 1.0; };
    NEARDUP_RETURN_IF_ERROR(Cluster(signed_run, nullptr, {}));
    clustered_.Report(report);
    return true;
  }
};

}  // namespace

std::unique_ptr<LevelRunner> MakeExactRunner(const RunContext& run) {
  return std::make_unique<ExactRunner>(run);
}

}  // namespace neardup::internal
