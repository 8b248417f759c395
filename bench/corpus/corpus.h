// Writing the corpus: each planned document made from the material (the
// source, its base documents and the site templates) and streamed out with
// its label and pair lines. Memory stays at the material plus a few bytes per
// document, whatever the corpus size.
//
//   WriteCorpus(options, material, MakePlan(options), stats);
#ifndef NEARDUP_BENCH_CORPUS_CORPUS_H_
#define NEARDUP_BENCH_CORPUS_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "boilerplate.h"
#include "cut.h"
#include "options.h"
#include "plan.h"
#include "source.h"
#include "variants.h"

namespace neardup::gen {

struct Material {
  Source source;
  std::vector<Span> base;   // shuffled: base[k] is original k
  size_t dropped_base = 0;  // near-duplicates within the source
  std::vector<SiteTemplate> sites;
  uint64_t seed = 0;
  uint64_t trim_max = 60;     // --trim-max: trimmed copies lose 30% to this % of their bytes
  uint64_t extend_max = 150;  // --extend-max: extended copies gain 50% to this % of new text
};

// Original k: a base document while they last, then recombined prose. The
// same for the same material and k.
std::string OriginalText(const Material& m, uint32_t k);

// Counts for the summary.
struct Stats {
  uint64_t base_originals = 0;
  uint64_t recombined_originals = 0;
  uint64_t copies = 0;
  uint64_t distractors = 0;
  uint64_t unpaired_distractors = 0;
  uint64_t trimmed = 0;    // --trim copies
  uint64_t extended = 0;   // --extend copies
  uint64_t templated = 0;  // --templated-fraction
  uint64_t text_bytes = 0;
  std::vector<uint32_t> lengths;  // bytes of every document written
  double copy_min = 1;
  double copy_sum = 0;
  double distractor_min = 1;
  double distractor_max = 0;
  uint64_t edit_counts[std::size(kEditNames)] = {};  // copies with each Edit bit

  void CountVariant(const Variant& variant, bool is_copy);
  void CountText(std::string_view text);
};

// Writes options.out, options.labels and (unless empty) options.pairs for
// every document of `plan`, counting into `stats`. Exits through Die() if a
// file cannot be written.
void WriteCorpus(const Options& options, const Material& m, const Plan& plan, Stats& stats);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_CORPUS_H_
