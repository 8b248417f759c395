// Command-line flags shared by the subcommands, defined once: CLI11 raw
// values in, library option structs out (the only place that translation
// happens).
#ifndef NEARDUP_CLI_FLAGS_H_
#define NEARDUP_CLI_FLAGS_H_

#include <neardup/io.h>
#include <neardup/pipeline.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "stdin_spool.h"

namespace neardup::cli {

// Raw values of the options common to `cluster` and `dedup`.
struct ClusteringFlags {
  std::vector<std::string> inputs;
  std::string level = "near";
  std::string method = "minhash";
  std::string simhash_weight = "binary";
  std::string minhash_scheme = "oph";
  int shingle = 0;        // 0: the method's default
  double threshold = -1;  // < 0: the level's default
  bool no_background = false;
  bool explain = false;                 // story level: print each member's evidence
  std::string stats;                    // --stats FILE, loaded by RunPipeline
  std::string keep = "earliest";        // --keep earliest|longest|latest|priority:FILE
  std::string keep_file;                // FILE of priority:FILE, loaded by RunPipeline
  bool chain_guard = true;              // --chain-guard / --no-chain-guard
  std::string chain_anchor = "center";  // --chain-anchor center|resplit|keep-within
  PipelineOptions pipeline;             // filled with defaults, overwritten by flags
  ReaderOptions reader;
  bool quiet = false;
  bool progress = false;
  // Decoded copies of gzip/zstd inputs (ReaderOptions::spill_dir):
  // --spill-dir DIR, or beside the output (spill_near, set by the command;
  // empty: $TMPDIR or /tmp); --no-spill: none.
  std::string spill_dir;
  std::string spill_near;
  bool no_spill = false;
  // Standard input copied to a file when an input is "-" (set by RunPipeline;
  // reader.stdin_path names it); kept until the command ends.
  std::shared_ptr<StdinSpool> stdin_spool;
};

// Largest --shingle accepted (words per shingle; beyond a few dozen no two
// documents share one).
inline constexpr int kMaxShingle = 1000;
// Largest -j accepted; Pipeline caps it at the cores available anyway
// (EffectiveThreads in pipeline.h).
inline constexpr int kMaxThreads = 4096;
inline constexpr const char* kThreadsHelp =
    "Worker threads; 0 uses every core, and more than the cores available use them all";

// A range check for a numeric option whose messages read "\"abc\" is not a
// number" and "0 is not in range 1 to 1000" (CLI::Range says "not in range"
// for both, and prints the bounds of PositiveNumber with 309 digits).
// Instantiated for int, double, std::size_t and std::uint32_t.
template <typename T>
CLI::Validator InRange(T min, T max);

// When `requested` threads (-j) exceed the cores available, says on stderr
// that all cores are used (unless `quiet`).
void NoteThreadCap(int requested, bool quiet);

// Adds --id-field and --text-field (the JSONL fields read) to `cmd`, bound
// to `reader`: every command that reads JSONL declares them here, so their
// help is the same everywhere.
void AddJsonlFieldFlags(CLI::App* cmd, ReaderOptions* reader);

// Adds INPUT... and the clustering options to `cmd`, bound to `flags`.
void AddClusteringFlags(CLI::App* cmd, ClusteringFlags* flags);

// Help of --keep (shared by cluster, dedup and index add).
extern const char* const kKeepHelp;

// The directory the decoded copies of compressed inputs go to by default
// when the output is `output` (a file, existing or not): its directory, or
// "" (the temporary directory) for standard output or a device or FIFO.
std::string SpillDirBeside(const std::string& output);

// Resolves a --keep value into flags->pipeline.keep's rule and
// flags->keep_file (the priority file, which RunPipeline reads: a bad rule
// is an input error naming FILE:LINE); returns a usage error message or "".
std::string ResolveKeep(ClusteringFlags* flags);

// Resolves raw values (level name) into flags->pipeline; returns a usage error message or "".
std::string ResolveClusteringFlags(ClusteringFlags* flags);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FLAGS_H_
