// neardup eval --clusters FILE --labels FILE [--ids FILE] [--topics FILE] [--format text|json]
#include <neardup/eval.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "commands.h"
#include "exit_codes.h"
#include "printers.h"

namespace neardup::cli {
namespace {

struct EvalArgs {
  std::string clusters;
  std::string labels;
  std::string ids;
  std::string topics;
  std::string format = "text";
};

std::string ScoresJson(const EvalScores& s) {
  auto triple = [](double p, double r, double f) {
    return "{\"precision\": " + FormatNumber(p) + ", \"recall\": " + FormatNumber(r) +
           ", \"f1\": " + FormatNumber(f) + "}";
  };
  return "{\"documents\": " + std::to_string(s.documents) +
         ", \"in_neither\": " + std::to_string(s.in_neither) +
         ", \"pairs\": {\"predicted\": " + std::to_string(s.predicted_pairs) +
         ", \"true\": " + std::to_string(s.true_pairs) +
         ", \"correct\": " + std::to_string(s.correct_pairs) +
         "}, \"pairwise\": " + triple(s.pair_precision, s.pair_recall, s.pair_f1) +
         ", \"bcubed\": " + triple(s.bcubed_precision, s.bcubed_recall, s.bcubed_f1) +
         ", \"adjusted_rand\": " + FormatNumber(s.adjusted_rand) + "}\n";
}

std::string ScoresText(const EvalScores& s) {
  char buf[512];
  char neither[96] = "";
  if (s.in_neither > 0) {
    std::snprintf(neither, sizeof(neither), " (%zu in neither clusters nor labels: singletons)",
                  s.in_neither);
  }
  std::snprintf(buf, sizeof(buf),
                "documents      %zu%s\n"
                "pairs          predicted %llu, true %llu, correct %llu\n"
                "pairwise       precision %.4f  recall %.4f  F1 %.4f\n"
                "b-cubed        precision %.4f  recall %.4f  F1 %.4f\n"
                "adjusted rand  %.4f\n",
                s.documents, neither, static_cast<unsigned long long>(s.predicted_pairs),
                static_cast<unsigned long long>(s.true_pairs),
                static_cast<unsigned long long>(s.correct_pairs), s.pair_precision, s.pair_recall,
                s.pair_f1, s.bcubed_precision, s.bcubed_recall, s.bcubed_f1, s.adjusted_rand);
  return buf;
}

// The --topics lines: appended to the text report, or as one more field of
// the JSON object.
std::string WithTopicErrors(std::string report, const TopicErrors& e, bool json) {
  if (json) {
    report.resize(report.size() - 2);  // "}\n"
    return report + ", \"topics\": {\"wrong_pairs\": " + std::to_string(e.wrong_pairs) +
           ", \"same_topic_wrong_pairs\": " + std::to_string(e.same_topic_wrong_pairs) +
           ", \"clusters_with_errors\": " + std::to_string(e.clusters_with_errors) + "}}\n";
  }
  return report + "wrong pairs    " + std::to_string(e.wrong_pairs) + ", same topic " +
         std::to_string(e.same_topic_wrong_pairs) + " (in " +
         std::to_string(e.clusters_with_errors) + " clusters)\n";
}

int RunEval(const EvalArgs& args) {
  Result<Labeling> predicted = ReadClustersJsonl(args.clusters);
  if (!predicted.ok()) return ReportInputError(predicted.status());
  Result<Labeling> truth = ReadLabelsTsv(args.labels);
  if (!truth.ok()) return ReportInputError(truth.status());
  std::vector<std::string> ids;
  if (args.ids.empty()) {
    ids = UnionOfIds(predicted.value(), truth.value());
  } else {
    Result<std::vector<std::string>> listed = ReadIdList(args.ids);
    if (!listed.ok()) return ReportInputError(listed.status());
    ids = std::move(listed).value();
    // Ids of the clusters or labels missing from the list would be left out
    // of every score (a list of the wrong ids scored a perfect 1.0).
    for (const auto& [labeling, file] :
         {std::pair(&predicted.value(), &args.clusters), std::pair(&truth.value(), &args.labels)}) {
      const std::vector<std::string> missing = IdsNotListed(*labeling, ids);
      if (!missing.empty()) {
        return ReportInputError(Status::InvalidInput(
            *file + ": " + std::to_string(missing.size()) + " of its ids are not in " + args.ids +
            " (first: \"" + missing.front() + "\"); --ids must list every document"));
      }
    }
  }
  const EvalScores scores = Evaluate(ids, predicted.value(), truth.value());
  std::string report = args.format == "json" ? ScoresJson(scores) : ScoresText(scores);
  if (!args.topics.empty()) {
    Result<Labeling> topics = ReadLabelsTsv(args.topics);
    if (!topics.ok()) return ReportInputError(topics.status());
    report = WithTopicErrors(std::move(report),
                             EvaluateTopics(ids, predicted.value(), truth.value(), topics.value()),
                             args.format == "json");
  }
  Output out(stdout);
  Status s = out.Write(report);
  if (s.ok()) s = out.Flush();
  return s.ok() ? kExitOk : ReportOutputError(s);
}

}  // namespace

Command AddEvalCommand(CLI::App* parent) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "eval",
      "Score clusters against ground-truth labels: pairwise precision/recall/F1, B-cubed "
      "precision/recall/F1 and the adjusted Rand index");
  cmd->add_option("--clusters", args->clusters, "clusters.jsonl written by `neardup cluster`")
      ->required();
  cmd->add_option("--labels", args->labels,
                  "Ground truth, TSV lines \"id<TAB>label\" (documents sharing a label are "
                  "duplicates; an id may be omitted when it is a singleton)")
      ->required();
  cmd->add_option("--ids", args->ids,
                  "All document ids, one per line (default: every id in the clusters or labels); "
                  "an id of the clusters or labels missing from it is an error, and listed ids "
                  "in neither are counted as singletons");
  cmd->add_option("--topics", args->topics,
                  "Topic labels, TSV lines \"id<TAB>topic\": also count the wrongly joined pairs "
                  "(one cluster, different labels) and those of them that share a topic, the hard "
                  "negatives");
  cmd->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunEval(*args); }};
}

}  // namespace neardup::cli
