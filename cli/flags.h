// Command-line flags shared by the subcommands, defined once: CLI11 raw
// values in, library option structs out (the only place that translation
// happens).
#ifndef NEARDUP_CLI_FLAGS_H_
#define NEARDUP_CLI_FLAGS_H_

#include <neardup/io.h>
#include <neardup/pipeline.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace neardup::cli {

// Raw values of the options common to `cluster` and `dedup`.
struct ClusteringFlags {
  std::vector<std::string> inputs;
  std::string level = "near";
  std::string method = "minhash";
  std::string simhash_weight = "binary";
  int shingle = 0;           // 0: the method's default
  std::string stats;         // --stats FILE, loaded by RunPipeline
  PipelineOptions pipeline;  // filled with defaults, overwritten by flags
  ReaderOptions reader;
  bool quiet = false;
  bool progress = false;
};

// Adds INPUT... and the clustering options to `cmd`, bound to `flags`.
void AddClusteringFlags(CLI::App* cmd, ClusteringFlags* flags);

// Resolves raw values (level name) into flags->pipeline; returns a usage error message or "".
std::string ResolveClusteringFlags(ClusteringFlags* flags);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_FLAGS_H_
