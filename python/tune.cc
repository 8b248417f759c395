// neardup.tune: `neardup tune`'s sweep and scores (cli/tune.h) as Python
// objects, with the GIL released while it runs.
#include "tune.h"

#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "embed.h"
#include "exit_codes.h"
#include "native.h"

namespace py = pybind11;

namespace neardup::python {
namespace {

// Returns (points, min_precision, best_f1, precise_enough, most_precise,
// recommended): points as (threshold, pair precision, pair recall, pair F1,
// B-cubed F1, adjusted Rand, clusters), the others indices into them
// (precise_enough None when no threshold is precise enough).
py::tuple Tune(const std::vector<std::string>& options, const std::vector<std::string>& inputs,
               const std::string& labels, double min_precision, const std::string& thresholds) {
  std::vector<std::string> args = options;
  args.push_back("--");
  args.insert(args.end(), inputs.begin(), inputs.end());
  cli::TuneArgs tune;
  tune.flags = ParseRawFlags(args);
  tune.labels = labels;
  tune.min_precision = min_precision;
  tune.thresholds = thresholds;
  cli::TuneResult result;
  cli::ClearLastError();
  int code = 0;
  {
    py::gil_scoped_release release;
    code = cli::ComputeTune(tune, &result);
  }
  if (code != cli::kExitOk) {
    std::string message = cli::LastError();
    if (message.empty()) message = "neardup tune: exit code " + std::to_string(code);
    if (code == cli::kExitUsage) throw std::invalid_argument(message);
    throw NeardupError(message);
  }
  py::list points;
  for (const cli::TunePoint& p : result.points) {
    const EvalScores& s = p.scores;
    points.append(py::make_tuple(p.threshold, s.pair_precision, s.pair_recall, s.pair_f1,
                                 s.bcubed_f1, s.adjusted_rand, p.clusters));
  }
  py::object precise_enough = py::none();
  if (result.precise_enough) precise_enough = py::int_(*result.precise_enough);
  return py::make_tuple(points, result.min_precision, result.best_f1, precise_enough,
                        result.most_precise, result.recommended);
}

}  // namespace

void AddTuneBindings(py::module_& m) {
  m.def("tune", &Tune, py::arg("options"), py::arg("inputs"), py::arg("labels"),
        py::arg("min_precision"), py::arg("thresholds"),
        "Runs `neardup tune` over the inputs; returns (points, min_precision, best_f1, "
        "precise_enough, most_precise, recommended)");
}

}  // namespace neardup::python
