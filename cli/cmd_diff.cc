// neardup diff A B | diff --input INPUT... ID_A ID_B
//   | diff --clusters FILE --input INPUT... --cluster ID [--cluster ID2]
//   [--stats FILE] [--format term|json|html|criticmarkup|tei] [--color auto|always|never] [-o FILE]
#include <neardup/align.h>
#include <neardup/eval.h>
#include <neardup/io.h>
#include <neardup/stats.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>

#include "commands.h"
#include "diff_render.h"
#include "exit_codes.h"
#include "flags.h"
#include "printers.h"

namespace neardup::cli {
namespace {

struct DiffArgs {
  std::vector<std::string> docs;  // two files, or two ids with --input
  std::vector<std::string> inputs;
  std::string clusters;
  std::vector<std::string> cluster_ids;
  std::string representative;
  std::string stats;
  std::string format = "term";
  std::string color = "auto";
  std::string output;
  ReaderOptions reader;
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "neardup diff: %s\n", message.c_str());
  return kExitUsage;
}

// Reads the documents of `inputs` for which `want(id)` holds, in input order.
Result<std::vector<DiffDoc>> ReadWanted(const std::vector<std::string>& inputs,
                                        const ReaderOptions& options,
                                        const std::function<bool(const std::string&)>& want) {
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(inputs, options);
  if (!reader.ok()) return reader.status();
  std::vector<DiffDoc> out;
  Document doc;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    if (want(doc.id)) out.push_back(DiffDoc{doc.id, std::move(doc.text)});
  }
  return out;
}

// One file, read whole; its id is the path as given.
Result<DiffDoc> ReadFile(const std::string& path, const ReaderOptions& options) {
  Result<InputFormat> format = DetectFormat(path);
  if (!format.ok()) return format.status();
  if (format.value() != InputFormat::kTextFile) {
    return Status::InvalidArgument(path +
                                   ": not a single text file; pass it with --input and name two "
                                   "document ids");
  }
  Result<std::vector<DiffDoc>> docs =
      ReadWanted({path}, options, [](const std::string&) { return true; });
  if (!docs.ok()) return docs.status();
  // The reader skips a binary file (a SkippedRecord), as it does in a tree.
  if (docs.value().empty()) return Status::InvalidInput(path + ": binary file (not a document)");
  if (docs.value().size() != 1) return Status::Internal(path + ": expected one document");
  return std::move(docs.value()[0]);
}

// The members of cluster `id` in input order; the representative first.
Result<std::vector<DiffDoc>> ClusterMembers(const Labeling& labels, const std::string& id,
                                            const DiffArgs& args) {
  Result<std::vector<DiffDoc>> docs =
      ReadWanted(args.inputs, args.reader, [&](const std::string& d) {
        auto it = labels.find(d);
        return it != labels.end() && it->second == id;
      });
  if (!docs.ok()) return docs.status();
  std::vector<DiffDoc>& members = docs.value();
  if (members.empty()) {
    return Status::NotFound(args.clusters + ": no document of cluster " + id + " in the inputs");
  }
  if (!args.representative.empty()) {
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const DiffDoc& d) { return d.id == args.representative; });
    if (it != members.end()) std::rotate(members.begin(), it, it + 1);
  }
  return docs;
}

// Documents diff refuses: binary ones (git says "Binary files differ"; a
// word diff of their bytes would be noise, and control bytes would reach the
// terminal), and texts above AlignOptions::max_text_bytes. Exit 2 naming the
// document.
Status CheckDiffable(const std::vector<DiffDoc>& docs, const AlignOptions& options) {
  for (const DiffDoc& d : docs) {
    if (LooksBinary(d.text)) {
      return Status::InvalidInput(d.id +
                                  ": binary file (a NUL byte or mostly control bytes in its "
                                  "first 8 KB); diff compares text");
    }
    Status s = CheckDiffText(d.text, options);
    if (!s.ok()) return Status::InvalidInput(d.id + ": " + s.message());
  }
  return Status::OK();
}

std::vector<std::string_view> Texts(const std::vector<DiffDoc>& docs) {
  std::vector<std::string_view> out;
  for (const DiffDoc& d : docs) out.push_back(d.text);
  return out;
}

int RunDiff(DiffArgs& args) {
  const bool by_cluster = !args.cluster_ids.empty();
  // `--input DIR ID_A ID_B`: --input takes every value up to the next option,
  // so the two ids end up as its last values.
  if (!by_cluster && args.docs.empty() && args.inputs.size() >= 3) {
    args.docs.assign(args.inputs.end() - 2, args.inputs.end());
    args.inputs.resize(args.inputs.size() - 2);
  }
  if (by_cluster) {
    if (args.clusters.empty()) return Usage("--cluster needs --clusters FILE");
    if (args.inputs.empty()) return Usage("--cluster needs --input INPUT...");
    if (!args.docs.empty()) return Usage("give either --cluster or two documents, not both");
    if (args.cluster_ids.size() > 2) return Usage("--cluster may be given at most twice");
  } else if (args.docs.size() != 2) {
    return Usage("expected two documents (files, or ids with --input), or --cluster ID");
  } else if (!args.representative.empty()) {
    return Usage("--representative needs --cluster (with two documents, A is the first)");
  }
  AlignOptions options;
  DocumentFrequencies stats;
  if (!args.stats.empty()) {
    Result<DocumentFrequencies> loaded = DocumentFrequencies::Load(args.stats);
    if (!loaded.ok()) return ReportInputError(loaded.status());
    stats = std::move(loaded).value();
    options.stats = &stats;
  }

  DiffReport report;
  if (by_cluster) {
    const bool tsv = args.clusters.ends_with(".tsv");
    Result<Labeling> labels = tsv ? ReadLabelsTsv(args.clusters) : ReadClustersJsonl(args.clusters);
    if (!labels.ok()) return ReportInputError(labels.status());
    std::vector<std::vector<DiffDoc>> groups;
    bool representative_found = false;
    for (const std::string& id : args.cluster_ids) {
      Result<std::vector<DiffDoc>> members = ClusterMembers(labels.value(), id, args);
      if (!members.ok()) return ReportInputError(members.status());
      groups.push_back(std::move(members).value());
      representative_found = representative_found || groups.back()[0].id == args.representative;
      Status s = CheckDiffable(groups.back(), options);
      if (!s.ok()) return ReportInputError(s);
    }
    if (!args.representative.empty() && !representative_found) {
      std::string clusters = args.cluster_ids[0];
      if (args.cluster_ids.size() > 1) clusters += " or " + args.cluster_ids[1];
      return ReportInputError(Status::NotFound("--representative \"" + args.representative +
                                               "\" is not a member of cluster " + clusters +
                                               " in the inputs"));
    }
    if (groups.size() == 1) {
      report.mode = "cluster";
      report.docs = std::move(groups[0]);
      report.diff = DiffCluster(Texts(report.docs), options);
    } else {
      report.diff = CompareClusterCores(Texts(groups[0]), Texts(groups[1]), options);
      report.docs = {std::move(groups[0][0]), std::move(groups[1][0])};
      report.mode = "clusters";
    }
    report.clusters = args.cluster_ids;
  } else {
    report.mode = "pair";
    if (args.inputs.empty()) {
      for (const std::string& path : args.docs) {
        Result<DiffDoc> doc = ReadFile(path, args.reader);
        if (!doc.ok()) {
          if (doc.status().code() == StatusCode::kInvalidArgument) {
            return Usage(doc.status().message());
          }
          return ReportInputError(doc.status());
        }
        report.docs.push_back(std::move(doc).value());
      }
    } else {
      Result<std::vector<DiffDoc>> found = ReadWanted(
          args.inputs, args.reader,
          [&](const std::string& id) { return id == args.docs[0] || id == args.docs[1]; });
      if (!found.ok()) return ReportInputError(found.status());
      for (const std::string& id : args.docs) {
        auto it = std::find_if(found.value().begin(), found.value().end(),
                               [&](const DiffDoc& d) { return d.id == id; });
        if (it == found.value().end()) {
          return ReportInputError(
              Status::NotFound("document id \"" + id + "\" is not in the inputs"));
        }
        report.docs.push_back(*it);
      }
    }
    Status s = CheckDiffable(report.docs, options);
    if (!s.ok()) return ReportInputError(s);
    report.diff = DiffCluster(Texts(report.docs), options);
  }

  if (args.format == "criticmarkup" || args.format == "tei") {
    Status s = args.format == "tei" ? CheckTei(report) : CheckCriticMarkup(report);
    if (!s.ok()) return ReportInputError(s);
  }
  // Every pair's diff for a small cluster's page, so its side-by-side view
  // can take any member as the base: n^2 - n diffs and tables, so only up
  // to kMaxHtmlBases documents (a story cluster of 5 is 20 pairs, a few
  // hundred KB of page); above, the base is --representative's.
  constexpr std::size_t kMaxHtmlBases = 6;
  if (args.format == "html" && report.mode == "cluster" && report.docs.size() <= kMaxHtmlBases) {
    const std::size_t n = report.docs.size();
    report.pairs.resize(n * n);
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        if (i != j)
          report.pairs[i * n + j] =
              DiffDocuments(report.docs[i].text, report.docs[j].text, options);
      }
    }
  }
  std::vector<std::string> read = args.inputs;
  if (args.inputs.empty()) read.insert(read.end(), args.docs.begin(), args.docs.end());
  if (!args.clusters.empty()) read.push_back(args.clusters);
  if (!args.stats.empty()) read.push_back(args.stats);
  Result<OutputTarget> target = OutputTarget::Open(args.output, read);
  if (!target.ok()) return ReportOpenOutputError(target.status());
  std::string text;
  if (args.format == "json") {
    text = RenderJson(report);
  } else if (args.format == "html") {
    text = RenderHtml(report);
  } else if (args.format == "criticmarkup") {
    text = RenderCriticMarkup(report);
  } else if (args.format == "tei") {
    text = RenderTei(report);
  } else {
    const bool color =
        args.color == "always" ||
        (args.color == "auto" && target.value().is_stdout() && isatty(fileno(stdout)) != 0);
    text = RenderTerm(report, color);
  }
  Status s = Output(target.value().stream()).Write(text);
  if (s.ok()) s = target.value().Finish();
  return s.ok() ? kExitOk : ReportOutputError(s);
}

}  // namespace

Command AddDiffCommand(CLI::App* parent) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "diff",
      "Show what copies added, dropped and reworded: two documents, a whole cluster (each member "
      "against its representative), or two clusters through their shared cores");
  cmd->add_option("documents", args->docs,
                  "Two files (each file's id is its path as given), or two document ids found "
                  "in --input");
  cmd->add_option("--input", args->inputs,
                  "Inputs to find document ids or cluster members in (`--input DIR ID_A ID_B` "
                  "also works: the last two values are then the ids)");
  cmd->add_option("--clusters", args->clusters,
                  "clusters.jsonl written by `neardup cluster`, or a labels TSV (id<TAB>label)");
  cmd->add_option("--cluster", args->cluster_ids,
                  "Cluster id (the \"cluster\" field, or the TSV label); twice to compare two "
                  "clusters");
  cmd->add_option("--representative", args->representative,
                  "With --cluster: the member to diff the others against (default: the "
                  "cluster's first document in input order, as `neardup cluster` chooses); an "
                  "id that is not a member is an error (exit 2)");
  cmd->add_option("--stats", args->stats,
                  "Document frequencies (`neardup stats build`) to weight words by IDF when "
                  "aligning (default: IDF over the compared documents' sentences)");
  cmd->add_option(
         "--format", args->format,
         "term: word diff ({+added+} [-dropped-] {~reworded~} {^moved^}); json: spans with byte "
         "offsets; html: a self-contained report (for a cluster also the alignment "
         "table with its heat map and a side-by-side view); criticmarkup: each member "
         "against the representative as {++added++} {--dropped--} {~~old~>new~~} over "
         "the representative's bytes (rejecting every change gives the "
         "representative, accepting every change the member, byte for byte); tei: all "
         "documents as one TEI text in parallel segmentation (<app>/<rdg wit>)")
      ->check(CLI::IsMember({"term", "json", "html", "criticmarkup", "tei"}))
      ->capture_default_str();
  cmd->add_option("--color", args->color,
                  "Colour the term format: auto (when stdout is a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write to FILE (atomically) instead of stdout");
  AddJsonlFieldFlags(cmd, &args->reader);
  cmd->footer(kExitCodeHelp);
  return Command{cmd, [args] { return RunDiff(*args); }};
}

}  // namespace neardup::cli
