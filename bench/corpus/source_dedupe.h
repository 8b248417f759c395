// Near-duplicates within the source itself. Wikipedia has templated articles
// such as "Year 577"; gen_planted drops such base documents so that the only
// near-duplicates in its corpus are the ones its labels know.
#ifndef NEARDUP_BENCH_CORPUS_SOURCE_DEDUPE_H_
#define NEARDUP_BENCH_CORPUS_SOURCE_DEDUPE_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "cut.h"

namespace neardup::gen {

// Removes from `spans` every document of `prose` whose Jaccard with an
// earlier kept one exceeds 0.5, keeping the order of the rest. Returns the
// number removed. Candidates come from MinHash LSH and are checked exactly; a
// pair at Jaccard 0.5 is missed with probability about 0.06.
size_t DropNearDuplicates(std::string_view prose, std::vector<Span>& spans);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_SOURCE_DEDUPE_H_
