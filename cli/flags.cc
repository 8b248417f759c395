#include "flags.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <type_traits>

namespace neardup::cli {
namespace {

std::string FormatDefault(double value) {
  std::string s = std::to_string(value);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  return s;
}

}  // namespace

template <typename T>
CLI::Validator InRange(T min, T max) {
  static_assert(std::is_arithmetic_v<T>);
  constexpr bool kInteger = std::is_integral_v<T>;
  // The bounds as a user reads them: "0 to 1", not CLI::Range's std::to_string
  // of a double (309 digits for its largest value).
  auto show = [](T v) {
    if constexpr (kInteger) {
      return std::to_string(v);
    } else {
      char buf[32];
      return std::string(buf, std::to_chars(buf, buf + sizeof(buf), v).ptr);  // "0", "0.5"
    }
  };
  const std::string bounds = show(min) + " to " + show(max);
  CLI::Validator validator(
      [min, max, bounds](std::string& input) -> std::string {
        // Parsed as the widest type of its kind, so "-1" for an unsigned
        // option is out of range rather than not a number.
        using Wide = std::conditional_t<kInteger, long long, double>;
        Wide value{};
        const char* end = input.data() + input.size();
        const auto [ptr, ec] = std::from_chars(input.data(), end, value);
        if (ec == std::errc::result_out_of_range) return input + " is not in range " + bounds;
        if (ec != std::errc() || ptr != end || input.empty()) {
          return "\"" + input + "\" is not " + (kInteger ? "a whole number" : "a number");
        }
        // Written as "not inside" so that a NaN is out of range too.
        if (!(value >= static_cast<Wide>(min) && value <= static_cast<Wide>(max))) {
          return input + " is not in range " + bounds;
        }
        return std::string();
      },
      std::string(kInteger ? "INT" : "NUMBER") + " in " + bounds);
  return validator;
}

template CLI::Validator InRange<int>(int, int);
template CLI::Validator InRange<double>(double, double);
template CLI::Validator InRange<std::size_t>(std::size_t, std::size_t);
template CLI::Validator InRange<std::uint32_t>(std::uint32_t, std::uint32_t);

void NoteThreadCap(int requested, bool quiet) {
  const int used = EffectiveThreads(requested);
  if (quiet || requested <= used) return;
  std::fprintf(stderr, "neardup: -j %d: using the %d cores available\n", requested, used);
}

const char* const kKeepHelp =
    "Which document of a cluster is kept (its representative; the others are its "
    "duplicates): earliest (first in input order), longest (most bytes of text as read, "
    "before normalization), latest (last in input order), or priority:FILE (the first "
    "rule of FILE the document matches, one glob per line on its input file, its source "
    "FILE:LINE or its URL (WARC/WET records); prefix path:, source: or url: to match one of them "
    "only; * "
    "matches / too; # comments and blank lines allowed). Ties: earliest. With an index "
    "(index add), a document kept in an earlier batch stays kept: the rule chooses only "
    "in clusters of new documents";

std::string ResolveKeep(ClusteringFlags* flags) {
  const std::string& value = flags->keep;
  KeepOptions& keep = flags->pipeline.keep;
  keep.priority.clear();
  flags->keep_file.clear();
  if (value == "earliest") {
    keep.rule = KeepRule::kEarliest;
  } else if (value == "longest") {
    keep.rule = KeepRule::kLongest;
  } else if (value == "latest") {
    keep.rule = KeepRule::kLatest;
  } else if (value.starts_with("priority:") && value.size() > 9) {
    keep.rule = KeepRule::kPriority;
    flags->keep_file = value.substr(9);
  } else {
    return "--keep: \"" + value + "\" is not earliest, longest, latest or priority:FILE";
  }
  return "";
}

void AddJsonlFieldFlags(CLI::App* cmd, ReaderOptions* reader) {
  cmd->add_option("--id-field", reader->id_field, "JSONL field holding the document id")
      ->capture_default_str();
  cmd->add_option("--text-field", reader->text_field, "JSONL field holding the document text")
      ->capture_default_str();
}

void AddClusteringFlags(CLI::App* cmd, ClusteringFlags* flags) {
  PipelineOptions& p = flags->pipeline;
  cmd->add_option("INPUT", flags->inputs,
                  "Inputs: directories of text files (id = path relative to the directory), "
                  ".jsonl/.ndjson files (one JSON object per line), .warc/.wet files (WARC "
                  "records; each may end in .gz or .zst), single text files, or - for stdin")
      ->required();
  cmd->add_option("--level", flags->level,
                  "exact: same words in the same order after Unicode NFKC + case folding; "
                  "near: MinHash estimate of word-shingle Jaccard similarity >= --threshold; "
                  "story: rewrites of the same story (paraphrased, reordered, with added "
                  "sections), confirmed sentence by sentence; different stories on one topic "
                  "stay apart")
      ->check(CLI::IsMember({"exact", "near", "story"}))
      ->capture_default_str();
  cmd->add_option("-t,--threshold", flags->threshold,
                  "Near level: minimum estimated Jaccard similarity of word shingles (default " +
                      FormatDefault(p.lsh.threshold) +
                      "); story level: minimum average story similarity (weighted cosine of "
                      "rare words, names and numbers) of a document to the members of its "
                      "cluster (average linkage; default " +
                      FormatDefault(p.story.threshold) + ")")
      ->check(InRange(0.0, 1.0));
  cmd->add_option("--salient", p.story.compare.salient_terms,
                  "Story level: heaviest (rarest x most frequent) words per document in the "
                  "candidate index")
      ->check(InRange(1, 1000))
      ->capture_default_str();
  cmd->add_option("--min-shared", p.story.compare.min_shared_salient,
                  "Story level: salient words two documents must share to be compared")
      ->check(InRange(1, 1000))
      ->capture_default_str();
  cmd->add_option("--sentence-match", p.story.compare.sentence_match,
                  "Story level, --explain: weighted-word cosine at which two sentences count as "
                  "counterparts")
      ->check(InRange(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--phrase-floor", p.story.compare.phrase_floor,
                  "Story level, phrase gate: a pair whose similarity rests on generic words "
                  "(names and numbers carry < 30% of it) keeps min(1, c / FLOOR)^2 of it, c the "
                  "share of adjacent word pairs the two share; rewrites keep phrasing, "
                  "independent texts on one subject do not. 0 turns the gate off")
      ->check(InRange(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--no-background", flags->no_background,
                "Story level: weigh words by the input's own document frequencies only, "
                "without the shipped background table (Wikipedia sample)");
  cmd->add_flag("--explain", flags->explain,
                "Near level (minhash): give each member's estimated Jaccard (or containment) "
                "with the representative, its standard error, the exact value when "
                "verification checked the pair exactly, and the first LSH band the two share. "
                "Story level: give each cluster member's evidence against the representative "
                "(cosine, sentence coverage, shared numbers, aligned sentences, shared salient "
                "words; these take a second read of the clusters' documents) and the "
                "average-linkage merge that brought it in (the group it joined, its size and the "
                "average similarity)");
  cmd->add_option("--method", flags->method,
                  "Near level: minhash (Jaccard of word 5-gram sets, --threshold; keeps per "
                  "document 8 bytes per LSH band, 144 at 0.8, and a 4-bit sketch of "
                  "--sketch-bins / 2 bytes, 256 by default) or simhash (Hamming distance of "
                  "64-bit fingerprints of word-bigram sets, --hamming; 8 bytes per document, "
                  "slightly lower recall)")
      ->check(CLI::IsMember({"minhash", "simhash"}))
      ->capture_default_str();
  cmd->add_option("--shingle", flags->shingle,
                  "Near level: words per shingle (default: " + std::to_string(p.shingle.size) +
                      " for minhash, " + std::to_string(p.simhash.shingle_size) + " for simhash)")
      ->check(InRange(1, kMaxShingle));
  cmd->add_option("--hamming", p.simhash.radius,
                  "SimHash: maximum Hamming distance (of 64 bits) between near-duplicates")
      ->check(InRange(0, 32))
      ->capture_default_str();
  cmd->add_option("--stats", flags->stats,
                  "Word document frequencies from `neardup stats build`. Story level: the "
                  "input's counts (skips the counting pass). SimHash: each shingle also weighs "
                  "the mean IDF of its words");
  cmd->add_option("--simhash-weight", flags->simhash_weight,
                  "SimHash: feature weights: binary (each distinct shingle once), tf (occurrences) "
                  "or logtf (1 + ln occurrences)")
      ->check(CLI::IsMember({"binary", "tf", "logtf"}))
      ->capture_default_str();
  cmd->add_option("--num-perm", p.minhash.num_perm,
                  "Near level: MinHash signature length k, which LSH bands find candidates "
                  "in; memory 8 bytes per band per document")
      ->check(InRange(1, 4096))
      ->capture_default_str();
  cmd->add_option("--minhash-scheme", flags->minhash_scheme,
                  "Near level: how the k MinHash values are made: oph (one hash per shingle "
                  "into k bins, empty bins densified; cost independent of k) or kperm (k hash "
                  "functions; k times the hashing). Same quality on the planted corpora; "
                  "signatures of the two do not compare")
      ->check(CLI::IsMember({"oph", "kperm"}))
      ->capture_default_str();
  cmd->add_option("--sketch-bins", p.minhash.sketch_bins,
                  "Near level: bins (a multiple of 16) of the 4-bit sketch candidates are "
                  "estimated on; a "
                  "document of n shingles fills about bins(1-e^(-n/bins)) of them, and the "
                  "estimate's error is about sqrt(J(1-J)/filled); memory bins/2 bytes per "
                  "document")
      ->check(InRange(16, kMaxSketchBins))
      ->capture_default_str();
  cmd->add_option("--bands", p.lsh.bands,
                  "Near level: LSH bands (with --rows); default: chosen from the threshold")
      ->check(InRange(0, 4096));
  cmd->add_option("--rows", p.lsh.rows, "Near level: LSH rows per band (with --bands)")
      ->check(InRange(0, 4096));
  cmd->add_option("--containment", p.containment,
                  "Near level (minhash): join a document to another when at least this share of "
                  "its shingles is in the other (trimmed copies, pages quoting another in full), "
                  "instead of Jaccard >= --threshold; the containing document is kept. Estimated "
                  "from the sketches and checked exactly near the boundary; LSH banded for the "
                  "Jaccard this means at --containment-ratio")
      ->check(InRange(0.0, 1.0));
  cmd->add_option("--containment-ratio", p.containment_ratio,
                  "Near level, --containment: candidates are searched for pairs up to this many "
                  "times apart in size (more: a lower Jaccard to band for, more candidates)")
      ->check(InRange(1.0, 100.0))
      ->capture_default_str();
  cmd->add_option("--exact-margin", p.exact_margin,
                  "Near level: candidates whose sketch estimate is within this many standard "
                  "errors of the threshold are decided on exact Jaccard (a second read of those "
                  "documents); 0 decides on the estimate alone")
      ->check(InRange(0.0, 1000.0))
      ->capture_default_str();
  cmd->add_option("--max-doc-bytes", p.max_document_bytes,
                  "Sign longer documents on their first this many bytes (reported in the summary)")
      ->check(InRange(std::size_t{1}, (std::size_t{1} << 32) - 1))
      ->capture_default_str();
  cmd->add_option("--keep", flags->keep, kKeepHelp)->capture_default_str();
  cmd->add_flag("--chain-guard,!--no-chain-guard", flags->chain_guard,
                "Near level (on by default): split a cluster whose members are not all within "
                "the threshold of one center (the member with the most verified pairs; others "
                "estimated on the sketches, exactly near the threshold; SimHash: within "
                "--hamming plus --exact-margin standard errors of the distance, 16 bits at "
                "--hamming 7) into parts around centers, so that chains of pairs do not join "
                "documents far apart; --keep then chooses the kept member of each part; the "
                "summary counts the splits. --no-chain-guard: connected components as they are");
  cmd->add_option("--chain-anchor", flags->chain_anchor,
                  "Chain guard: what each part's kept document must be within the threshold "
                  "of. center: members are within it of their center, not always of the kept "
                  "one (two copies of one original). resplit: members not within it of the "
                  "kept document are split off again. keep-within: the kept document is the "
                  "first member in --keep order within it of every other member. The last "
                  "two change clusters at 0.8 (README, \"Chained clusters\")")
      ->check(CLI::IsMember({"center", "resplit", "keep-within"}))
      ->capture_default_str();
  cmd->add_option("--seed", p.minhash.seed,
                  "Seed of the MinHash functions; results are comparable only under one seed")
      ->capture_default_str();
  cmd->add_option("-j,--threads", p.threads, kThreadsHelp)
      ->check(InRange(0, kMaxThreads))
      ->capture_default_str();
  AddJsonlFieldFlags(cmd, &flags->reader);
  cmd->add_flag("--skip-bad", flags->reader.skip_bad,
                "Skip malformed records (bad JSON line, missing text field, truncated gzip/zstd "
                "stream, WARC record cut short) instead of failing; each is listed in decisions "
                "with \"skipped\": true and a reason");
  cmd->add_option("--spill-dir", flags->spill_dir,
                  "Where a .gz or .zst input's decoded bytes are written once, to an unnamed "
                  "temporary file the exact check and dedup read back instead of decoding "
                  "again (takes the inputs' decoded size on that disk while the command runs; "
                  "nothing is left behind, even by a killed run). Default: the output's "
                  "directory (for dedup the new output directory), or $TMPDIR for standard "
                  "output; where no such file can be made, inputs are decoded again")
      ->check(CLI::ExistingDirectory);
  cmd->add_flag("--no-spill", flags->no_spill,
                "Write no decoded copies: compressed inputs are decoded again where they are "
                "read again (no disk used)");
  cmd->add_option("--signed-parts", p.signed_parts,
                  "Load the signing pass from these part files (`neardup sign-part`, one per "
                  "part of the same INPUT... with the same options) instead of signing; the "
                  "output is the same (python3 -m neardup.dask "
                  "runs both steps on Dask)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress and no summary on stderr");
  cmd->add_flag("--progress", flags->progress,
                "Show progress on stderr even when it is not a terminal");
}

std::string ResolveClusteringFlags(ClusteringFlags* flags) {
  const std::optional<Level> level = ParseLevel(flags->level);
  if (!level) return "unknown level \"" + flags->level + "\"";
  flags->pipeline.level = *level;
  if (flags->threshold >= 0) {
    (*level == Level::kStory ? flags->pipeline.story.threshold : flags->pipeline.lsh.threshold) =
        flags->threshold;
  }
  if (flags->pipeline.containment > 0 && flags->threshold >= 0 && *level == Level::kNear) {
    return "--containment replaces --threshold at the near level: give one of them";
  }
  flags->pipeline.story.use_background = !flags->no_background;
  flags->pipeline.story.shared_terms = flags->explain;  // only explanations print them
  flags->pipeline.near_evidence = flags->explain && *level == Level::kNear;
  const std::optional<NearMethod> method = ParseNearMethod(flags->method);
  if (!method) return "unknown method \"" + flags->method + "\"";
  flags->pipeline.method = *method;
  if (flags->shingle > 0) {
    (*method == NearMethod::kSimHash ? flags->pipeline.simhash.shingle_size
                                     : flags->pipeline.shingle.size) = flags->shingle;
  }
  flags->pipeline.minhash.scheme = flags->minhash_scheme == "kperm"
                                       ? MinHashScheme::kPermutations
                                       : MinHashScheme::kOnePermutation;
  flags->pipeline.simhash.weight = flags->simhash_weight == "tf" ? FeatureWeight::kTermFrequency
                                   : flags->simhash_weight == "logtf"
                                       ? FeatureWeight::kLogTermFrequency
                                       : FeatureWeight::kBinary;
  flags->pipeline.chain_guard = flags->chain_guard;
  flags->pipeline.chain_anchor = flags->chain_anchor == "resplit"       ? KeptAnchor::kResplit
                                 : flags->chain_anchor == "keep-within" ? KeptAnchor::kKeepWithin
                                                                        : KeptAnchor::kCenter;
  if (std::string error = ResolveKeep(flags); !error.empty()) return error;
  Pipeline pipeline(flags->pipeline);
  Status s = pipeline.Validate();
  return s.ok() ? "" : s.message();
}

}  // namespace neardup::cli

namespace neardup::cli {

std::string SpillDirBeside(const std::string& output) {
  namespace fs = std::filesystem;
  if (output.empty() || output == "-") return "";
  std::error_code ec;
  const fs::file_status status = fs::status(output, ec);  // follows links
  if (!ec && status.type() != fs::file_type::regular) return "";
  const fs::path resolved = fs::weakly_canonical(fs::absolute(output, ec), ec);
  if (ec) return "";
  return resolved.parent_path().string();
}

}  // namespace neardup::cli
