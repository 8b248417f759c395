/*
 gen_planted: a deterministic test corpus of real prose with planted
 near-duplicates and their ground truth, to measure the recall and precision
 of neardup's near-duplicate level (and, at larger sizes, its throughput).

 It cuts real prose into base documents with a web-like length distribution
 (lognormal, median ~2.5 KB, mean ~3.5 KB, 300 B to 60 KB), drops those that
 are near-duplicates of each other in the source, takes them as originals
 (recombining prose from several places once the base documents run out),
 plants edited copies (word 5-gram Jaccard >= 0.85 with their original) and
 distractors (0.2 <= Jaccard <= 0.5), and streams all documents out in a
 seeded shuffled order. The same source and options give byte-identical
 uncompressed output on every platform.

 Options:
   --source PATH            prose: a JSONL file, gzip-compressed or not, with a
                            "text" string in every line's object, or a
                            directory of .txt files (recursive, path order)
   --out FILE               documents, one {"id": ..., "text": ...} per line;
                            a name ending in .gz writes gzip
   --labels FILE            "id<TAB>label" for every document: an original and
                            its copies share a label (the original's id), any
                            other document's label is its own id
   --pairs FILE             optional: "id_a<TAB>id_b<TAB>kind<TAB>jaccard" for
                            every planted (original, copy) and (original,
                            distractor) pair; kind is copy, distractor,
                            trimmed or extended
   --docs N                 documents to write in all (default 10000)
   --dup-fraction F         fraction of originals given copies (default 0.3)
   --max-copies M           copies per such original, uniform in 1..M
                            (default 3)
   --distractor-fraction F  fraction of originals given one distractor
                            (default 0.05)
   --trim F                 fraction of originals given a trimmed copy: 30-60%
                            of its bytes cut at its end, start or middle
                            (default 0; labelled as a copy, kind "trimmed")
   --extend F               fraction of originals given an extended copy: the
                            original plus 50-150% of its length in other prose
                            before, after or around it (default 0; labelled
                            as a copy, kind "extended")
   --trim-max P             the largest cut of a trimmed copy, in percent of
                            its bytes: cuts are uniform in 30..P (default 60)
   --extend-max P           the most text an extended copy adds, in percent
                            of its length: uniform in 50..P (default 150)
   --seed S                 seed of every random choice (default 1)
   --templated-fraction F   fraction of the originals without copies or
                            distractor written inside one of 3 shared
                            templates (~600 words of prose around the first
                            10-90% of as many words of the original), which
                            single linkage chains at low thresholds
                            (default 0; templated.h)

 Jaccard here: sets of word 5-grams, where words are maximal runs of
 non-whitespace bytes with ASCII letters lower-cased. See README.md.

 Files, each behind its header and in namespace neardup::gen; each includes
 only files on its line or above:
   die.h, text.h, random   exit on error; lines and tokens; portable PRNG
   source                  reading the prose (JSONL, gzip or not, or .txt)
   cut                     base documents and recombined prose, cut from it
   jaccard                 the word 5-gram Jaccard measure
   source_dedupe           dropping near-duplicates within the source
   boilerplate, edits      site templates; text edits of copies
   variants                planted copies and distractors
   options.h, plan         options; which documents, in which order
   output, corpus          files and JSON; making and writing every document
   main.cc                 command line, orchestration, summary

 Build (CMake target gen_planted) and example:
   ./scripts/build.sh -DNEARDUP_BUILD_BENCH=ON
   build/bench/gen_planted --source ../shared/data/enwiki-2015/docs.jsonl.gz \
       --docs 10000 --seed 1 --out /tmp/planted10k.jsonl \
       --labels /tmp/planted10k.labels.tsv --pairs /tmp/planted10k.pairs.tsv
*/

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "args.h"
#include "boilerplate.h"
#include "corpus.h"
#include "cut.h"
#include "options.h"
#include "plan.h"
#include "random.h"
#include "source.h"
#include "source_dedupe.h"

namespace neardup::gen {
namespace {

void PrintSummary(const Options& options, const Material& m, Stats& stats, double seconds) {
  const uint64_t docs = stats.lengths.size();
  auto middle = stats.lengths.begin() + static_cast<long>(docs / 2);
  std::nth_element(stats.lengths.begin(), middle, stats.lengths.end());
  std::fprintf(stderr,
               "gen_planted: seed %llu, source %zu articles, %.1f MB, %zu base "
               "documents (%zu more dropped as near-duplicates)\n",
               static_cast<unsigned long long>(options.seed), m.source.articles,
               static_cast<double>(m.source.prose.size()) / 1e6, m.base.size(), m.dropped_base);
  std::fprintf(stderr, "  documents    %llu\n", static_cast<unsigned long long>(docs));
  std::fprintf(stderr, "  originals    %llu (%llu base documents, %llu recombined)\n",
               static_cast<unsigned long long>(stats.base_originals + stats.recombined_originals),
               static_cast<unsigned long long>(stats.base_originals),
               static_cast<unsigned long long>(stats.recombined_originals));
  std::fprintf(stderr, "  copies       %llu", static_cast<unsigned long long>(stats.copies));
  if (stats.copies > 0) {
    std::fprintf(stderr, ", Jaccard min %.4f mean %.4f", stats.copy_min,
                 stats.copy_sum / static_cast<double>(stats.copies));
  }
  std::fprintf(stderr, "\n  distractors  %llu", static_cast<unsigned long long>(stats.distractors));
  if (stats.distractors > 0) {
    std::fprintf(stderr, ", Jaccard min %.4f max %.4f", stats.distractor_min, stats.distractor_max);
  }
  if (stats.unpaired_distractors > 0) {
    std::fprintf(stderr, " (%llu out of range, written as unrelated prose)",
                 static_cast<unsigned long long>(stats.unpaired_distractors));
  }
  if (stats.trimmed + stats.extended > 0) {
    std::fprintf(stderr, "\n  trimmed      %llu\n  extended     %llu",
                 static_cast<unsigned long long>(stats.trimmed),
                 static_cast<unsigned long long>(stats.extended));
  }
  if (stats.templated > 0) {
    std::fprintf(stderr, "\n  templated    %llu originals in shared templates",
                 static_cast<unsigned long long>(stats.templated));
  }
  std::fprintf(stderr, "\n  copy edits  ");
  for (size_t e = 0; e < std::size(kEditNames); ++e) {
    std::fprintf(stderr, " %.*s %llu%s", static_cast<int>(kEditNames[e].size()),
                 kEditNames[e].data(), static_cast<unsigned long long>(stats.edit_counts[e]),
                 e + 1 < std::size(kEditNames) ? "," : "\n");
  }
  std::fprintf(stderr, "  text bytes   %llu (mean %.0f, median %u per document)\n",
               static_cast<unsigned long long>(stats.text_bytes),
               static_cast<double>(stats.text_bytes) / static_cast<double>(docs), *middle);
  std::fprintf(stderr, "  time         %.1f s\n", seconds);
}

constexpr std::string_view kUsage =
    "usage: gen_planted --source PATH --out FILE.jsonl[.gz] --labels FILE.tsv\n"
    "         [--pairs FILE.tsv] [--docs N] [--dup-fraction F]\n"
    "         [--max-copies M] [--distractor-fraction F] [--trim F] [--extend F]\n"
    "         [--trim-max P] [--extend-max P]\n"
    "         [--templated-fraction F] [--seed S]\n";
constexpr Usage kArgs{"gen_planted", kUsage};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::fprintf(stdout, "%.*s", static_cast<int>(kUsage.size()), kUsage.data());
      std::exit(0);
    }
    if (i + 1 == argc) kArgs.Fail(std::string(flag) + " needs a value");
    const std::string_view value = argv[++i];
    if (flag == "--source") {
      options.source = value;
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--labels") {
      options.labels = value;
    } else if (flag == "--pairs") {
      options.pairs = value;
    } else if (flag == "--docs") {
      options.docs = kArgs.Number<uint64_t>(flag, value, 1, UINT32_MAX);
    } else if (flag == "--dup-fraction") {
      options.dup_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--max-copies") {
      options.max_copies = kArgs.Number<uint64_t>(flag, value, 1, 100);
    } else if (flag == "--distractor-fraction") {
      options.distractor_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--trim") {
      options.trim_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--extend") {
      options.extend_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--trim-max") {
      options.trim_max = kArgs.Number<uint64_t>(flag, value, 30, 95);
    } else if (flag == "--extend-max") {
      options.extend_max = kArgs.Number<uint64_t>(flag, value, 50, 1000);
    } else if (flag == "--templated-fraction") {
      options.templated_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--seed") {
      options.seed = kArgs.Number<uint64_t>(flag, value, 0, UINT64_MAX);
    } else {
      kArgs.Fail("unknown option " + std::string(flag));
    }
  }
  if (options.source.empty() || options.out.empty() || options.labels.empty()) {
    kArgs.Fail("--source, --out and --labels are required");
  }
  return options;
}

// Loads the material, plans the corpus, writes it and prints the summary.
int Main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  const Options options = ParseOptions(argc, argv);

  Material m;
  m.seed = options.seed;
  m.trim_max = options.trim_max;
  m.extend_max = options.extend_max;
  m.source = LoadSource(options.source);
  Rng cut_rng(StreamKey(m.seed, kCutStream));
  m.base = CutBaseDocuments(m.source.prose, cut_rng);
  m.dropped_base = DropNearDuplicates(m.source.prose, m.base);
  // Originals are drawn from all over the source, not from its first articles.
  Rng order_rng(StreamKey(m.seed, kBaseOrderStream));
  Shuffle(m.base, order_rng);
  Rng site_rng(StreamKey(m.seed, kSiteStream));
  m.sites = MakeSiteTemplates(m.source.vocabulary, site_rng);

  const Plan plan = MakePlan(options);
  Stats stats;
  stats.lengths.reserve(plan.order.size());
  WriteCorpus(options, m, plan, stats);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  PrintSummary(options, m, stats, elapsed.count());
  return 0;
}

}  // namespace
}  // namespace neardup::gen

int main(int argc, char** argv) { return neardup::gen::Main(argc, argv); }
