// Running the command line inside another program (the Python module,
// python/native.cc): a command's decisions handed over as they are written,
// and the message of the error it reported, on the calling thread.
#ifndef NEARDUP_CLI_EMBED_H_
#define NEARDUP_CLI_EMBED_H_

#include <neardup/pipeline.h>

#include <string>

namespace neardup::cli {

// While an ExtraDecisionSink is alive, a `neardup dedup` (or `index add`)
// run on the same thread also sends every event it writes to
// decisions.jsonl to `sink`, in the same order (OnDecision and OnSkipped in
// input order). `sink` is borrowed and must outlive the object. Not nested.
class ExtraDecisionSink {
 public:
  explicit ExtraDecisionSink(DecisionSink* sink);
  ~ExtraDecisionSink();
  ExtraDecisionSink(const ExtraDecisionSink&) = delete;
  ExtraDecisionSink& operator=(const ExtraDecisionSink&) = delete;
};

// The sink set on this thread, or null.
DecisionSink* ExtraDecisionSinkOfThisThread();

// The last error a command reported on this thread (ReportInputError and
// the others in exit_codes.h): the message printed to stderr without the
// "neardup: " prefix, which names the file and line or record. "" when none
// since ClearLastError().
const std::string& LastError();
void ClearLastError();
void RecordLastError(std::string message);  // for the Report* functions

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_EMBED_H_
