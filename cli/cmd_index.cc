// neardup index init|add|query|stats|verify: a persistent index of earlier
// batches (store.h).
#include <neardup/store.h>

#include <cstdio>
#include <memory>

#include "commands.h"
#include "dedup_output.h"
#include "exit_codes.h"
#include "flags.h"
#include "printers.h"
#include "run_pipeline.h"

namespace neardup::cli {
namespace {

struct IndexArgs {
  std::string dir;
  ClusteringFlags init;  // index init: INPUT is the directory
  DedupArgs add;         // index add / query: flags.inputs, reader, threads
  std::string batch;
  std::string query_out = "-";
};

// Exit codes of `neardup index`: the tool's, and 5 for a locked index.
constexpr const char* kIndexExitCodeHelp =
    "Exit codes: 0 success; 1 invalid command line; 2 missing, unreadable or malformed input\n"
    "(or index, naming the file); 3 output could not be written; 4 internal error;\n"
    "5 (index add) the index is locked by another add: retry when it ends;\n"
    "128+N ended by signal N (SIGINT, SIGTERM, SIGHUP), temporary files removed.";

// An index error: a usage problem (batch name, level) exits 1, the rest as
// input errors (2, naming the file).
int ReportIndexError(const char* command, const Status& s) {
  if (s.code() == StatusCode::kInvalidArgument) {
    std::fprintf(stderr, "neardup index %s: %s\n", command, s.message().c_str());
    return kExitUsage;
  }
  return s.code() == StatusCode::kIOError ? ReportOutputError(s) : ReportInputError(s);
}

int RunInit(IndexArgs& args) {
  args.init.inputs = {"-"};  // ResolveClusteringFlags needs none; the directory is args.dir
  if (std::string error = ResolveClusteringFlags(&args.init); !error.empty()) {
    std::fprintf(stderr, "neardup index init: %s\n", error.c_str());
    return kExitUsage;
  }
  if (args.init.pipeline.containment > 0) {  // not kept in the index: refused, not dropped
    std::fprintf(stderr,
                 "neardup index init: an index joins on Jaccard; --containment is not "
                 "supported there\n");
    return kExitUsage;
  }
  if (Status s = InitIndex(args.dir, args.init.pipeline); !s.ok()) {
    return ReportIndexError("init", s);
  }
  return kExitOk;
}

// The index's fixed options with this run's threads and progress.
void UseIndexOptions(const PipelineOptions& index, ClusteringFlags* flags) {
  const int threads = flags->pipeline.threads;
  KeepOptions keep = std::move(flags->pipeline.keep);
  flags->pipeline = index;
  flags->pipeline.threads = threads;
  flags->pipeline.keep = std::move(keep);
  flags->pipeline.chain_guard = flags->chain_guard;
  flags->level = LevelName(index.level);
}

int RunAdd(IndexArgs& args) {
  if (std::string error = ResolveKeep(&args.add.flags); !error.empty()) {
    std::fprintf(stderr, "neardup index add: %s\n", error.c_str());
    return kExitUsage;
  }
  bool locked = false;
  Result<std::unique_ptr<IndexAdd>> add =
      IndexAdd::Begin(args.dir, args.batch, args.add.flags.inputs, args.add.flags.reader, &locked);
  if (locked) {  // not a command-line error: the same command works once the other add ends
    std::fprintf(stderr, "neardup index add: %s\n", add.status().message().c_str());
    return kExitBusy;
  }
  if (!add.ok()) return ReportIndexError("add", add.status());
  if (add.value()->already_added()) {
    // A rerun of an add that completed (its output was written before the
    // index took the batch): nothing to do.
    std::fprintf(stderr, "neardup index add: batch %s is already in %s; nothing to do\n",
                 add.value()->name().c_str(), args.dir.c_str());
    return kExitOk;
  }
  UseIndexOptions(add.value()->options(), &args.add.flags);
  const DedupIndex index{add.value().get(), add.value()->name(), args.dir};
  if (int code = RunDedup(args.add, &index); code != kExitOk) return code;
  if (Status s = add.value()->Commit(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

// One line per input document: its earlier match in the index, if any.
class QuerySink final : public DecisionSink {
 public:
  explicit QuerySink(std::FILE* out) : out_(out) {}
  Status OnCluster(const ClusterReport&) override { return Status::OK(); }
  Status OnDecision(const Decision& d) override {
    std::string line = "{\"id\": ";
    AppendJsonString(d.doc->id, &line);
    line += ", \"source\": ";
    AppendJsonString(d.doc->source.ToString(), &line);
    line += ", \"matches\": [";
    if (d.duplicate_of != nullptr && !d.duplicate_of->batch.empty()) {
      line += "{\"id\": ";
      AppendJsonString(d.duplicate_of->id, &line);
      line += ", \"source\": ";
      AppendJsonString(d.duplicate_of->source.ToString(), &line);
      line += ", \"batch\": ";
      AppendJsonString(d.duplicate_of->batch, &line);
      line += ", \"similarity\": " + FormatNumber(d.similarity.value_or(1.0)) + "}";
    }
    line += "]}\n";
    return out_.Write(line);
  }

 private:
  Output out_;
};

int RunQuery(IndexArgs& args) {
  Result<std::unique_ptr<IndexSnapshot>> index =
      IndexSnapshot::Open(args.dir, args.add.flags.reader);
  if (!index.ok()) return ReportIndexError("query", index.status());
  UseIndexOptions(index.value()->options(), &args.add.flags);
  if (Status s = CheckOutputApart(args.query_out, args.add.flags.inputs); !s.ok()) {
    std::fprintf(stderr, "neardup index query: %s\n", s.message().c_str());
    return kExitUsage;
  }
  Result<std::unique_ptr<AtomicFile>> out =
      AtomicFile::Create(args.query_out == "-" ? "/dev/stdout" : args.query_out);
  if (!out.ok()) return ReportOutputError(out.status());
  QuerySink sink(out.value()->stream());
  if (int code = RunPipeline(args.add.flags, sink, nullptr, index.value().get()); code != kExitOk) {
    return code;
  }
  if (Status s = out.value()->Commit(); !s.ok()) return ReportOutputError(s);
  return kExitOk;
}

int RunStats(IndexArgs& args) {
  Result<std::unique_ptr<IndexSnapshot>> index = IndexSnapshot::Open(args.dir);
  if (!index.ok()) return ReportIndexError("stats", index.status());
  Result<IndexFigures> f = index.value()->Figures();
  if (!f.ok()) return ReportIndexError("stats", f.status());
  const IndexFigures& v = f.value();
  std::printf("level %s\nbatches %llu\ndocuments %llu\nindexed %llu\nmerges %llu\nbytes %llu\n",
              LevelName(index.value()->options().level), static_cast<unsigned long long>(v.batches),
              static_cast<unsigned long long>(v.documents),
              static_cast<unsigned long long>(v.indexed), static_cast<unsigned long long>(v.merges),
              static_cast<unsigned long long>(v.bytes));
  std::printf(
      "bytes_per_document %.1f\n",
      v.documents == 0 ? 0.0 : static_cast<double>(v.bytes) / static_cast<double>(v.documents));
  for (const IndexBatch& b : index.value()->batches()) {
    std::printf("batch %s documents %llu first %llu bytes %llu\n", b.name.c_str(),
                static_cast<unsigned long long>(b.documents),
                static_cast<unsigned long long>(b.first), static_cast<unsigned long long>(b.bytes));
  }
  return kExitOk;
}

int RunVerify(IndexArgs& args) {
  Result<std::unique_ptr<IndexSnapshot>> index = IndexSnapshot::Open(args.dir);
  if (!index.ok()) return ReportIndexError("verify", index.status());
  if (Status s = index.value()->Verify(); !s.ok()) return ReportIndexError("verify", s);
  for (const std::string& left : index.value()->Leftovers()) {
    std::fprintf(stderr,
                 "neardup index verify: note: %s is not part of the index (left by an "
                 "interrupted add; the next add replaces or removes it)\n",
                 left.c_str());
  }
  std::printf("ok: %zu batches, %llu documents\n", index.value()->batches().size(),
              static_cast<unsigned long long>(index.value()->documents()));
  return kExitOk;
}

// add and query read inputs as dedup does; the index fixes everything else.
void AddInputFlags(CLI::App* cmd, IndexArgs* args) {
  ClusteringFlags& f = args->add.flags;
  cmd->add_option("DIR", args->dir, "The index directory")->required();
  cmd->add_option("INPUT", f.inputs, "Inputs, as for neardup dedup")->required();
  cmd->add_option("-j,--threads", f.pipeline.threads, kThreadsHelp)
      ->check(InRange(0, kMaxThreads))
      ->capture_default_str();
  AddJsonlFieldFlags(cmd, &f.reader);
  cmd->add_flag("--skip-bad", f.reader.skip_bad, "Skip malformed records, as dedup does");
  cmd->add_flag("-q,--quiet", f.quiet, "No progress and no summary on stderr");
  cmd->add_flag("--progress", f.progress, "Show progress even when stderr is not a terminal");
}

}  // namespace

Command AddIndexCommand(CLI::App* parent) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "index",
      "A persistent index of earlier batches: dedup each new batch against itself and "
      "everything added before (exact level, or near level with MinHash)");
  cmd->require_subcommand(1);
  cmd->footer(kIndexExitCodeHelp);

  CLI::App* init = cmd->add_subcommand(
      "init", "Create an index in DIR (new or empty); the level and its options are fixed in it");
  AddClusteringFlags(init, &args->init);
  init->get_option("INPUT")->description("The index directory to create")->expected(1);

  CLI::App* add = cmd->add_subcommand(
      "add",
      "Dedup INPUT... against themselves and every document in the index, write OUTDIR as "
      "neardup dedup does (decisions.jsonl also names each duplicate's batch), then add the "
      "batch to the index. SIGKILL at any moment leaves the index as before or after; a "
      "second add at the same time is refused");
  AddInputFlags(add, args.get());
  add->add_option("--keep", args->add.flags.keep, kKeepHelp)->capture_default_str();
  add->add_flag("--chain-guard,!--no-chain-guard", args->add.flags.chain_guard,
                "Near level (on by default): split clusters whose members are not all within "
                "the threshold of one center, as cluster and dedup do (pairs with an earlier "
                "document near the threshold are decided on the sketch estimate)");
  add->add_option("-o,--output", args->add.out_dir, "Output directory")->required();
  add->add_flag("-f,--force", args->add.force,
                "Replace OUTDIR when it holds an earlier output of neardup");
  add->add_option("--batch", args->batch,
                  "Name of the batch (letters, digits, . _ : -; default its number). A rerun "
                  "of a completed add with the same name and inputs does nothing");

  CLI::App* query = cmd->add_subcommand(
      "query", "Read-only: for each input document, its earlier match in the index (JSON Lines)");
  AddInputFlags(query, args.get());
  query->add_option("-o,--output", args->query_out, "Output file (default: standard output)");

  CLI::App* stats = cmd->add_subcommand("stats", "Batches, documents and bytes on disk");
  stats->add_option("DIR", args->dir, "The index directory")->required();
  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "Check every structure of the index (checksums, sorted runs, references); "
      "exit 2 naming what is wrong");
  verify->add_option("DIR", args->dir, "The index directory")->required();

  return Command{cmd, [args, init, add, query, stats] {
                   if (init->parsed()) {
                     args->dir = args->init.inputs.at(0);
                     return RunInit(*args);
                   }
                   if (add->parsed()) return RunAdd(*args);
                   if (query->parsed()) return RunQuery(*args);
                   if (stats->parsed()) return RunStats(*args);
                   return RunVerify(*args);
                 }};
}

}  // namespace neardup::cli
