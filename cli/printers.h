// Sinks that turn pipeline events into the documented output formats
// (docs/FORMATS.md): clusters.jsonl, decisions.jsonl and a text listing.
#ifndef NEARDUP_CLI_PRINTERS_H_
#define NEARDUP_CLI_PRINTERS_H_

#include <neardup/pipeline.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cleanup.h"

namespace neardup::cli {

// True once a write to stdout failed because its reader closed the pipe.
bool StdoutPipeClosed();

// Writes to a FILE*; a write failure is reported as an I/O error.
class Output {
 public:
  explicit Output(std::FILE* file) : file_(file) {}
  Status Write(const std::string& bytes);
  Status Flush();

 private:
  std::FILE* file_;
};

// Where a command writes its result: a file, written atomically, or stdout.
class OutputTarget {
 public:
  // An empty path means stdout. Fails with kInvalidArgument when the file
  // would be, or lie inside, one of `inputs` (CheckOutputApart).
  static Result<OutputTarget> Open(const std::string& path, const std::vector<std::string>& inputs);
  std::FILE* stream() const { return file_ ? file_->stream() : stdout; }
  bool is_stdout() const { return file_ == nullptr; }
  // Renames the file into place, or flushes stdout.
  Status Finish();

 private:
  std::unique_ptr<RemoveOnSignal> remove_on_signal_;  // the temporary file, while written
  std::unique_ptr<AtomicFile> file_;
};

// One JSON object per cluster of two or more documents. At the story level
// each member has an "evidence" kind, and with `explain` its figures.
std::string ClusterJson(const ClusterReport& cluster, bool explain = false);
// The same as a block of the text listing (ClusterTextSink).
std::string ClusterText(const ClusterReport& cluster, bool explain = false);
// One JSON object per input document.
// With `batch` (index add), also duplicate_of_batch: the duplicated document's
// batch, `batch` for the input's own documents.
std::string DecisionJson(const Decision& decision,
                         const std::optional<std::string>& batch = std::nullopt);
// The decision line of a skipped record: "skipped": true and its "reason".
std::string SkippedJson(const SkippedRecord& record, bool with_batch = false);
// Shortest decimal that reads back as the same double ("0.953125", "1").
std::string FormatNumber(double value);
// `bytes` made safe to print on a terminal, as `ls -b` and git quote names:
// control characters as \n, \t, \r or \xNN (ESC is \x1b), DEL as \x7f, C1
// controls as \u0080-\u009f, invalid UTF-8 bytes as \xNN, and a backslash
// as \\, so every escaped text reads back to one original. Other UTF-8 is
// copied as is.
std::string EscapeForTerminal(std::string_view bytes);

// The sinks below format a chunk of events (OnClusters, OnDecisions) on the
// run's threads and write it in order.
class ClusterJsonlSink final : public DecisionSink {
 public:
  explicit ClusterJsonlSink(std::FILE* out, bool explain = false) : out_(out), explain_(explain) {}
  Status OnCluster(const ClusterReport& cluster) override;
  Status OnClusters(std::span<const ClusterReport> clusters) override;
  Status OnDecision(const Decision&) override { return Status::OK(); }
  Status OnDecisions(std::span<const Decision>) override { return Status::OK(); }

 private:
  Output out_;
  bool explain_;
};

// Human-readable: one block per cluster, members with their similarity, id
// (escaped by EscapeForTerminal) and URL (WARC documents).
class ClusterTextSink final : public DecisionSink {
 public:
  explicit ClusterTextSink(std::FILE* out, bool explain = false) : out_(out), explain_(explain) {}
  Status OnCluster(const ClusterReport& cluster) override;
  Status OnClusters(std::span<const ClusterReport> clusters) override;
  Status OnDecision(const Decision&) override { return Status::OK(); }
  Status OnDecisions(std::span<const Decision>) override { return Status::OK(); }

 private:
  Output out_;
  bool explain_;
};

// decisions.jsonl, plus the kept flag of every document grouped by input.
class DecisionJsonlSink final : public DecisionSink {
 public:
  DecisionJsonlSink(std::FILE* out, std::size_t num_inputs) : out_(out), kept_(num_inputs) {}
  // `neardup index add`: each decision also names the batch of the document
  // it duplicates (`batch` for the input's own documents).
  // `merged` gets a line per earlier document the batch merged into an
  // older cluster (DecisionSink::OnEarlierMerged).
  DecisionJsonlSink(std::FILE* out, std::size_t num_inputs, std::string batch, std::FILE* merged)
      : out_(out), kept_(num_inputs), batch_(std::move(batch)), merged_(merged) {}
  Status OnCluster(const ClusterReport&) override { return Status::OK(); }
  Status OnClusters(std::span<const ClusterReport>) override { return Status::OK(); }
  Status OnDecision(const Decision& decision) override;
  Status OnDecisions(std::span<const Decision> decisions) override;
  Status OnSkipped(const SkippedRecord& record) override;
  Status OnEarlierMerged(const DocumentInfo& earlier, const DocumentInfo& now,
                         double similarity) override;

  // kept()[input][i]: decision for the i-th record (document or skipped) of that input.
  const std::vector<std::vector<bool>>& kept() const { return kept_; }

 private:
  Output out_;
  std::vector<std::vector<bool>> kept_;
  std::optional<std::string> batch_;
  Output merged_{nullptr};
};

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_PRINTERS_H_
