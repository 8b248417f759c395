// neardup tune --labels FILE [--level near|story] [--min-precision P]
//              [--thresholds LIST] INPUT...
//
// Runs the level once over a labelled sample with a threshold sweep
// (PipelineOptions::sweep: every candidate scored once, then clustered again
// at each threshold), scores each threshold's clusters against the labels as
// `neardup eval` does, and recommends the threshold with the highest pairwise
// F1 among those with precision >= P.
#include <neardup/eval.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "printers.h"
#include "run_pipeline.h"
#include "tune.h"

namespace neardup::cli {
namespace {

// Each threshold's clusters as a labeling (document id -> cluster id).
class SweepSink : public DecisionSink {
 public:
  struct Point {
    double threshold;
    Labeling clusters;
    std::size_t count;
  };
  Status OnCluster(const ClusterReport&) override { return Status::OK(); }
  Status OnDecision(const Decision&) override { return Status::OK(); }
  Status OnSweep(double threshold, std::span<const ClusterReport> clusters) override {
    Point point{threshold, {}, clusters.size()};
    for (const ClusterReport& c : clusters) {
      for (const ClusterReport::Member& m : c.members) {
        point.clusters[m.doc->id] = std::to_string(c.id);
      }
    }
    points_.push_back(std::move(point));
    return Status::OK();
  }
  const std::vector<Point>& points() const { return points_; }

 private:
  std::vector<Point> points_;
};

// The shortest decimal that reads back as `value` ("0.85", "0.125"), so
// that the recommended `--threshold T` is the very threshold measured.
std::string Shortest(double value) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof(buf), value).ptr);
}

// The default grids: near 0.50 to 0.95 by 0.05, story 0.05 to 0.50 by
// 0.025. Made as k / 1000 so that each is the double "-t 0.85" parses to.
std::vector<double> DefaultGrid(Level level) {
  std::vector<double> grid;
  if (level == Level::kStory) {
    for (int k = 50; k <= 500; k += 25) grid.push_back(k / 1000.0);
  } else {
    for (int k = 500; k <= 950; k += 50) grid.push_back(k / 1000.0);
  }
  return grid;
}

// "0.5,0.6,0.7" -> ascending thresholds; empty with *error set when a value
// is not a number in (0, 1].
std::vector<double> ParseGrid(const std::string& text, std::string* error) {
  std::vector<double> grid;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    double value = 0;
    const char* end = item.data() + item.size();
    const auto [ptr, ec] = std::from_chars(item.data(), end, value);
    if (ec != std::errc() || ptr != end || !(value > 0 && value <= 1)) {
      *error = "--thresholds: \"" + item + "\" is not a number in (0, 1]";
      return {};
    }
    grid.push_back(value);
  }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  if (grid.empty()) *error = "--thresholds: no threshold given";
  return grid;
}

}  // namespace

int ComputeTune(TuneArgs& args, TuneResult* result) {
  auto usage = [](const std::string& message) { return ReportUsageError("neardup tune", message); };
  if (args.flags.threshold >= 0) return usage("--threshold: tune sweeps it (see --thresholds)");
  if (std::string error = ResolveClusteringFlags(&args.flags); !error.empty()) {
    return usage(error);
  }
  PipelineOptions& p = args.flags.pipeline;
  if (p.level == Level::kExact) return usage("the exact level has no threshold to tune");
  if (p.level == Level::kNear && p.method != NearMethod::kMinHash) {
    return usage("at the near level tune sweeps the MinHash threshold (--method minhash)");
  }
  if (p.containment > 0) return usage("tune sweeps the Jaccard threshold, not --containment");
  std::string error;
  p.sweep = args.thresholds.empty() ? DefaultGrid(p.level) : ParseGrid(args.thresholds, &error);
  if (!error.empty()) return usage(error);
  const double min_precision =
      args.min_precision >= 0 ? args.min_precision : (p.level == Level::kStory ? 0.95 : 0.99);
  if (Status s = Pipeline(p).Validate(); !s.ok()) return usage(s.message());

  Result<Labeling> truth = ReadLabelsTsv(args.labels);
  if (!truth.ok()) return ReportInputError(truth.status());
  SweepSink sink;
  args.flags.quiet = args.flags.quiet || !args.flags.progress;  // no decisions to summarize
  if (int code = RunPipeline(args.flags, sink); code != kExitOk) return code;

  *result = TuneResult{};
  result->min_precision = min_precision;
  double best_f1 = -1, any_best_f1 = -1, precise_p = -1, precise_f1 = -1;
  for (std::size_t i = 0; i < sink.points().size(); ++i) {
    const SweepSink::Point& point = sink.points()[i];
    const EvalScores s =
        Evaluate(UnionOfIds(point.clusters, truth.value()), point.clusters, truth.value());
    result->points.push_back(TunePoint{point.threshold, s, point.count});
    // Ties go to the higher threshold: the same F1 with fewer doubtful joins.
    if (s.pair_f1 >= any_best_f1) {
      any_best_f1 = s.pair_f1;
      result->best_f1 = i;
    }
    if (s.pair_precision >= min_precision && s.pair_f1 >= best_f1) {
      result->precise_enough = i;
      best_f1 = s.pair_f1;
    }
    if (s.pair_precision > precise_p ||
        (s.pair_precision == precise_p && s.pair_f1 >= precise_f1)) {
      result->most_precise = i;
      precise_p = s.pair_precision;
      precise_f1 = s.pair_f1;
    }
  }
  if (result->points.empty()) {  // the pipeline reports every threshold of a sweep
    return ReportInputError(Status::Internal("tune: the sweep reported no threshold"));
  }
  result->recommended = result->precise_enough.value_or(result->most_precise);
  return kExitOk;
}

namespace {

int RunTune(TuneArgs& args) {
  TuneResult r;
  if (int code = ComputeTune(args, &r); code != kExitOk) return code;
  std::printf("%-10s  %-9s  %-7s  %-7s  %s\n", "threshold", "precision", "recall", "F1",
              "clusters");
  for (const TunePoint& point : r.points) {
    const EvalScores& s = point.scores;
    std::printf("%-10s  %.4f     %.4f   %.4f   %zu\n", Shortest(point.threshold).c_str(),
                s.pair_precision, s.pair_recall, s.pair_f1, point.clusters);
  }
  const TunePoint& any_best = r.points[r.best_f1];
  std::printf("best F1 %.4f at %s\n", any_best.scores.pair_f1,
              Shortest(any_best.threshold).c_str());
  if (r.precise_enough) {
    const TunePoint& best = r.points[*r.precise_enough];
    std::printf("highest F1 at precision >= %s: %.4f at %s\n", Shortest(r.min_precision).c_str(),
                best.scores.pair_f1, Shortest(best.threshold).c_str());
  } else {
    const TunePoint& precise = r.points[r.most_precise];
    std::printf("no threshold reaches precision %s; the most precise: %.4f at %s (F1 %.4f)\n",
                Shortest(r.min_precision).c_str(), precise.scores.pair_precision,
                Shortest(precise.threshold).c_str(), precise.scores.pair_f1);
  }
  std::printf("recommended: --threshold %s\n", Shortest(r.points[r.recommended].threshold).c_str());
  return kExitOk;
}

}  // namespace

Command AddTuneCommand(CLI::App* parent) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "tune",
      "Choose a threshold from a labelled sample: run the level once, cluster at each threshold "
      "of a sweep, print pairwise precision, recall, F1 and clusters per threshold, and "
      "recommend the threshold with the highest F1 at precision >= --min-precision (last line: "
      "recommended: --threshold T)");
  AddClusteringFlags(cmd, &args->flags);
  cmd->add_option("--labels", args->labels,
                  "Ground truth: id<TAB>label per line, as `neardup eval` reads it (an id not "
                  "listed is a singleton)")
      ->required();
  cmd->add_option("--min-precision", args->min_precision,
                  "Pairwise precision the recommended threshold must reach (default 0.99 near, "
                  "0.95 story); when none does, the most precise threshold is recommended")
      ->check(InRange(0.0, 1.0));
  cmd->add_option("--thresholds", args->thresholds,
                  "Comma-separated thresholds to try (default: near 0.5 to 0.95 by 0.05, story "
                  "0.05 to 0.5 by 0.025)");
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunTune(*args); }};
}

}  // namespace neardup::cli
