// neardup._native: the library and the command line, from Python. A thin
// layer: Python calls in with the CLI's own arguments (one source of truth
// for options and their defaults, cli/flags.cc), the GIL is released while
// C++ works, and results come back as plain Python objects. neardup/__init__.py
// builds the typed API on top.
#include "native.h"

#include <neardup/io.h>
#include <neardup/pipeline.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "embed.h"
#include "exit_codes.h"
#include "flags.h"

namespace py = pybind11;

namespace neardup::python {

cli::ClusteringFlags ParseRawFlags(const std::vector<std::string>& args) {
  cli::ClusteringFlags flags;
  CLI::App app{"neardup.cluster"};
  cli::AddClusteringFlags(&app, &flags);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
  return flags;
}

cli::ClusteringFlags ParseFlags(const std::vector<std::string>& args) {
  cli::ClusteringFlags flags = ParseRawFlags(args);
  if (std::string error = cli::ResolveClusteringFlags(&flags); !error.empty()) {
    throw std::invalid_argument(error);
  }
  return flags;
}

}  // namespace neardup::python

namespace {

using neardup::python::NeardupError;
using neardup::python::ParseFlags;

struct MemberOut {
  std::string id;
  std::string source;
  std::string url;
  double similarity;
};
struct ClusterOut {
  std::uint32_t id;
  std::string level;
  std::vector<MemberOut> members;  // input order, representative first
};

// Copies each cluster out of the sink call (its pointers die with it).
class Collector final : public neardup::DecisionSink {
 public:
  neardup::Status OnCluster(const neardup::ClusterReport& c) override {
    ClusterOut out{c.id, neardup::LevelName(c.level), {}};
    out.members.reserve(c.members.size());
    for (const auto& m : c.members) {
      out.members.push_back({m.doc->id, m.doc->source.ToString(), m.doc->url, m.similarity});
    }
    clusters.push_back(std::move(out));
    return neardup::Status::OK();
  }
  neardup::Status OnDecision(const neardup::Decision&) override { return neardup::Status::OK(); }
  std::vector<ClusterOut> clusters;
};

// Documents handed in from Python as (id, text) pairs, read in order; each
// one's source is "<texts>:N", N its 1-based position.
class TextsReader final : public neardup::DocumentReader {
 public:
  explicit TextsReader(const std::vector<neardup::Document>* docs) : docs_(docs) {}
  neardup::Result<bool> Next(neardup::Document* doc) override {
    if (next_ == docs_->size()) return false;
    *doc = (*docs_)[next_++];
    return true;
  }
  std::uint64_t bytes_read() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  const std::vector<neardup::Document>* docs_;
  std::size_t next_ = 0;
};

// Runs the pipeline of `flags` over `open` and returns the clusters as
// [(id, level, [(doc id, source, url, similarity), ...]), ...].
py::list RunClusters(neardup::cli::ClusteringFlags& flags,
                     const neardup::Pipeline::InputFactory& open) {
  if (!flags.stats.empty()) {
    auto stats = neardup::DocumentFrequencies::Load(flags.stats);
    if (!stats.ok()) throw NeardupError(stats.status().ToString());
    flags.pipeline.statistics =
        std::make_shared<const neardup::DocumentFrequencies>(std::move(stats).value());
  }
  Collector collector;
  neardup::Status status;
  {
    py::gil_scoped_release release;
    neardup::Pipeline pipeline(flags.pipeline);
    status = pipeline.Run(open, collector);
  }
  if (!status.ok()) throw NeardupError(status.ToString());
  py::list out;
  for (const ClusterOut& c : collector.clusters) {
    py::list members;
    for (const MemberOut& m : c.members) {
      members.append(py::make_tuple(m.id, m.source, m.url, m.similarity));
    }
    out.append(py::make_tuple(c.id, c.level, members));
  }
  return out;
}

py::list Cluster(const std::vector<std::string>& args) {
  neardup::cli::ClusteringFlags flags = ParseFlags(args);
  return RunClusters(flags, [&] { return neardup::OpenReader(flags.inputs, flags.reader); });
}

// `args` are options only (the inputs are `texts`).
py::list ClusterTexts(std::vector<std::string> args,
                      const std::vector<std::pair<std::string, std::string>>& texts) {
  args.push_back("--");
  args.push_back("<texts>");  // the parser wants an input; the documents come from `texts`
  neardup::cli::ClusteringFlags flags = ParseFlags(args);
  std::vector<neardup::Document> docs(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    docs[i].id = texts[i].first;
    docs[i].text = texts[i].second;
    docs[i].source = neardup::SourceLocation{"<texts>", i + 1};
  }
  return RunClusters(flags, [&docs] {
    return neardup::Result<std::unique_ptr<neardup::DocumentReader>>(
        std::make_unique<TextsReader>(&docs));
  });
}

// One line of decisions.jsonl, copied out of the sink call.
struct DecisionOut {
  std::string id;
  std::string file;
  std::uint64_t line = 0;
  std::string url;
  std::optional<std::uint32_t> cluster;
  std::optional<std::uint32_t> cluster_size;  // none for a skipped record
  bool kept = false;
  std::optional<std::string> duplicate_of;
  std::optional<std::string> duplicate_of_source;
  std::optional<double> similarity;
  std::optional<std::string> skipped_reason;  // set for a skipped record
};

class DecisionCollector final : public neardup::DecisionSink {
 public:
  neardup::Status OnCluster(const neardup::ClusterReport&) override {
    return neardup::Status::OK();
  }
  neardup::Status OnDecision(const neardup::Decision& d) override {
    DecisionOut out;
    out.id = d.doc->id;
    out.file = d.doc->source.file;
    out.line = d.doc->source.line;
    out.url = d.doc->url;
    out.cluster = d.cluster;
    out.cluster_size = d.cluster_size;
    out.kept = d.kept;
    if (d.duplicate_of != nullptr) {
      out.duplicate_of = d.duplicate_of->id;
      out.duplicate_of_source = d.duplicate_of->source.ToString();
    }
    out.similarity = d.similarity;
    decisions.push_back(std::move(out));
    return neardup::Status::OK();
  }
  neardup::Status OnSkipped(const neardup::SkippedRecord& r) override {
    DecisionOut out;
    out.id = r.id;
    out.file = r.source.file;
    out.line = r.source.line;
    out.skipped_reason = r.reason;
    decisions.push_back(std::move(out));
    return neardup::Status::OK();
  }
  std::vector<DecisionOut> decisions;
};

// Runs the command line `args` (without the program name) on this thread
// with the GIL released; returns its exit code, raising ValueError (usage)
// or neardup.Error (input or output) with the message the command reported.
int RunCommand(const std::vector<std::string>& args) {
  std::vector<std::string> argv = args;
  argv.insert(argv.begin(), "neardup");
  std::vector<char*> pointers;
  for (std::string& a : argv) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  neardup::cli::ClearLastError();
  int code = 0;
  {
    py::gil_scoped_release release;
    code = neardup::cli::Main(static_cast<int>(argv.size()), pointers.data());
  }
  if (code == neardup::cli::kExitOk) return code;
  std::string message = neardup::cli::LastError();
  if (message.empty()) message = "neardup " + args[0] + ": exit code " + std::to_string(code);
  if (code == neardup::cli::kExitUsage) throw std::invalid_argument(message);
  throw NeardupError(message);
}

// `neardup dedup OPTIONS -o OUTDIR [--force] -- INPUTS`, returning the
// decisions it writes as tuples in decisions.jsonl's order.
py::list Dedup(const std::vector<std::string>& options, const std::vector<std::string>& inputs,
               const std::string& out_dir, bool force) {
  std::vector<std::string> check = options;  // options are checked as `cluster` checks them
  check.push_back("--");
  check.insert(check.end(), inputs.begin(), inputs.end());
  ParseFlags(check);
  std::vector<std::string> args{"dedup"};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"-o", out_dir});
  if (force) args.push_back("--force");
  args.push_back("--");
  args.insert(args.end(), inputs.begin(), inputs.end());
  DecisionCollector collector;
  {
    neardup::cli::ExtraDecisionSink hook(&collector);
    RunCommand(args);
  }
  py::list out;
  for (const DecisionOut& d : collector.decisions) {
    out.append(py::make_tuple(d.id, d.file, d.line, d.url, d.cluster, d.cluster_size, d.kept,
                              d.duplicate_of, d.duplicate_of_source, d.similarity,
                              d.skipped_reason));
  }
  return out;
}

int Main(const std::vector<std::string>& args) {
  std::vector<std::string> argv = args;
  argv.insert(argv.begin(), "neardup");
  std::vector<char*> pointers;
  for (std::string& a : argv) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  py::gil_scoped_release release;
  return neardup::cli::Main(static_cast<int>(argv.size()), pointers.data());
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "neardup's C++ engine (use the neardup package, not this module)";
  py::register_exception<NeardupError>(m, "Error");
  m.def("cluster", &Cluster, py::arg("args"),
        "Runs the pipeline with the arguments of `neardup cluster` (without -o/--format); "
        "returns [(id, level, [(doc id, source, url, similarity), ...]), ...], members in input "
        "order");
  m.def("cluster_texts", &ClusterTexts, py::arg("args"), py::arg("texts"),
        "Runs the pipeline with the options of `neardup cluster` over (id, text) pairs; returns "
        "clusters as cluster() does, each member's source \"<texts>:N\" (N from 1)");
  m.def("dedup", &Dedup, py::arg("options"), py::arg("inputs"), py::arg("out_dir"),
        py::arg("force"),
        "Runs `neardup dedup OPTIONS -o OUT_DIR [--force] -- INPUTS`; returns its decisions "
        "[(id, file, line, url, cluster, cluster_size, kept, duplicate_of, "
        "duplicate_of_source, similarity, skipped_reason), ...] in decisions.jsonl's order");
  neardup::python::AddSketchBindings(m);
  neardup::python::AddDiffBindings(m);
  neardup::python::AddTuneBindings(m);
  m.def("main", &Main, py::arg("args"),
        "Runs the neardup command line in this process (args without the program name); "
        "returns its exit code");
}
