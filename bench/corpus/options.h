// The options of gen_planted, parsed from its command line in main.cc.
#ifndef NEARDUP_BENCH_CORPUS_OPTIONS_H_
#define NEARDUP_BENCH_CORPUS_OPTIONS_H_

#include <cstdint>
#include <string>

namespace neardup::gen {

struct Options {
  std::string source;                 // --source: JSONL (maybe gzip) or a .txt directory
  std::string out;                    // --out: the documents; ".gz" writes gzip
  std::string labels;                 // --labels: id<TAB>label per document
  std::string pairs;                  // --pairs: planted pairs; empty: not written
  uint64_t docs = 10000;              // --docs: documents to write in all
  double dup_fraction = 0.3;          // --dup-fraction: originals given copies
  uint64_t max_copies = 3;            // --max-copies: copies per such original, 1..M
  double distractor_fraction = 0.05;  // --distractor-fraction: originals given a distractor
  double trim_fraction = 0;           // --trim: originals given a trimmed copy (30-60% cut)
  double extend_fraction = 0;         // --extend: originals given an extended copy (+50-150%)
  uint64_t trim_max = 60;             // --trim-max: the largest cut of a trimmed copy, percent
  uint64_t extend_max = 150;          // --extend-max: the most text an extended copy adds, percent
  uint64_t seed = 1;                  // --seed: seed of every random choice
  double templated_fraction = 0;      // --templated-fraction: originals in a shared template
};

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_OPTIONS_H_
