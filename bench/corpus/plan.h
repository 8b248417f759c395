// The corpus plan: which documents exist, and in what order they are written.
// Original k gets its copies and distractor drawn here; the output order is a
// seeded shuffle, so that copies do not sit next to their originals.
//
//   const Plan plan = MakePlan(options);
//   for (const DocRef ref : plan.order) { ... plan.originals[ref.original] ... }
#ifndef NEARDUP_BENCH_CORPUS_PLAN_H_
#define NEARDUP_BENCH_CORPUS_PLAN_H_

#include <cstdint>
#include <vector>

#include "options.h"

namespace neardup::gen {

struct DocRef {
  uint32_t original;
  uint8_t variant;  // 0: the original; 1..copies: a copy; then the distractor, the
                    // trimmed copy and the extended copy, each when planned
};

struct OriginalInfo {
  uint32_t slot = 0;  // where the original is written
  uint8_t copies = 0;
  bool distractor = false;
  bool trimmed = false;   // --trim
  bool extended = false;  // --extend

  // What variant v (>= 1) of this original is.
  enum class Kind { kCopy, kDistractor, kTrimmed, kExtended };
  Kind KindOf(unsigned v) const {
    if (v <= copies) return Kind::kCopy;
    v -= copies;
    if (distractor && --v == 0) return Kind::kDistractor;
    if (trimmed && --v == 0) return Kind::kTrimmed;
    return Kind::kExtended;
  }
};

struct Plan {
  std::vector<DocRef> order;  // in output order
  std::vector<OriginalInfo> originals;
};

// A plan of exactly options.docs documents, drawn from options.seed.
Plan MakePlan(const Options& options);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_PLAN_H_
