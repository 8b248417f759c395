#include "flags.h"

namespace neardup::cli {

void AddClusteringFlags(CLI::App* cmd, ClusteringFlags* flags) {
  PipelineOptions& p = flags->pipeline;
  cmd->add_option("INPUT", flags->inputs,
                  "Inputs: directories of text files (id = path relative to the directory), "
                  ".jsonl/.ndjson files (one JSON object per line), or single text files")
      ->required();
  cmd->add_option("--level", flags->level,
                  "exact: same words in the same order after Unicode NFKC + case folding; "
                  "near: MinHash estimate of word-shingle Jaccard similarity >= --threshold")
      ->check(CLI::IsMember({"exact", "near"}))
      ->capture_default_str();
  cmd->add_option("-t,--threshold", p.lsh.threshold,
                  "Near level: minimum estimated Jaccard similarity of word shingles for two "
                  "documents to be near-duplicates")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--method", flags->method,
                  "Near level: minhash (Jaccard of word 5-gram sets, --threshold; 512 bytes per "
                  "document) or simhash (Hamming distance of 64-bit fingerprints of word-bigram "
                  "sets, --hamming; 8 bytes per document, slightly lower recall)")
      ->check(CLI::IsMember({"minhash", "simhash"}))
      ->capture_default_str();
  cmd->add_option("--shingle", flags->shingle,
                  "Near level: words per shingle (default: " + std::to_string(p.shingle.size) +
                      " for minhash, " + std::to_string(p.simhash.shingle_size) + " for simhash)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--hamming", p.simhash.radius,
                  "SimHash: maximum Hamming distance (of 64 bits) between near-duplicates")
      ->check(CLI::Range(0, 32))
      ->capture_default_str();
  cmd->add_option("--stats", flags->stats,
                  "SimHash: word document frequencies from `neardup stats build`; each shingle "
                  "then also weighs the mean IDF of its words");
  cmd->add_option("--simhash-weight", flags->simhash_weight,
                  "SimHash: feature weights: binary (each distinct shingle once), tf (occurrences) "
                  "or logtf (1 + ln occurrences)")
      ->check(CLI::IsMember({"binary", "tf", "logtf"}))
      ->capture_default_str();
  cmd->add_option("--num-perm", p.minhash.num_perm,
                  "Near level: MinHash signature length k; estimate error is sqrt(J(1-J)/k), "
                  "memory 4k bytes per document")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--bands", p.lsh.bands,
                  "Near level: LSH bands (with --rows); default: chosen from the threshold")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--rows", p.lsh.rows, "Near level: LSH rows per band (with --bands)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--exact-margin", p.exact_margin,
                  "Near level: candidates whose MinHash estimate is within this many standard "
                  "errors of the threshold are decided on exact Jaccard (a second read of those "
                  "documents); 0 decides on the estimate alone")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--max-doc-bytes", p.max_document_bytes,
                  "Sign longer documents on their first this many bytes (reported in the summary)")
      ->check(CLI::Range(std::size_t{1}, (std::size_t{1} << 32) - 1))
      ->capture_default_str();
  cmd->add_option("--seed", p.minhash.seed,
                  "Seed of the MinHash functions; results are comparable only under one seed")
      ->capture_default_str();
  cmd->add_option("-j,--threads", p.threads, "Worker threads; 0 uses every core")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--id-field", flags->reader.id_field, "JSONL field holding the document id")
      ->capture_default_str();
  cmd->add_option("--text-field", flags->reader.text_field, "JSONL field holding the document text")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress and no summary on stderr");
  cmd->add_flag("--progress", flags->progress,
                "Show progress on stderr even when it is not a terminal");
}

std::string ResolveClusteringFlags(ClusteringFlags* flags) {
  const std::optional<Level> level = ParseLevel(flags->level);
  if (!level) return "unknown level \"" + flags->level + "\"";
  flags->pipeline.level = *level;
  const std::optional<NearMethod> method = ParseNearMethod(flags->method);
  if (!method) return "unknown method \"" + flags->method + "\"";
  flags->pipeline.method = *method;
  if (flags->shingle > 0) {
    (*method == NearMethod::kSimHash ? flags->pipeline.simhash.shingle_size
                                     : flags->pipeline.shingle.size) = flags->shingle;
  }
  flags->pipeline.simhash.weight = flags->simhash_weight == "tf" ? FeatureWeight::kTermFrequency
                                   : flags->simhash_weight == "logtf"
                                       ? FeatureWeight::kLogTermFrequency
                                       : FeatureWeight::kBinary;
  Pipeline pipeline(flags->pipeline);
  Status s = pipeline.Validate();
  return s.ok() ? "" : s.message();
}

}  // namespace neardup::cli
