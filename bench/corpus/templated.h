// --templated-fraction: documents that share a large boilerplate template
// (a site's header and footer around different content), so that at a low
// threshold single linkage chains them: two documents with a template of t
// shingles and contents of a and b shingles have Jaccard about t / (t + a + b),
// so at 0.5 a short-content document links to long-content ones that are
// not within 0.5 of each other. Contents are cut to 10-90% of the template's
// length to make such chains.
#ifndef NEARDUP_BENCH_CORPUS_TEMPLATED_H_
#define NEARDUP_BENCH_CORPUS_TEMPLATED_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"

namespace neardup::gen {

// The shared templates (kTemplates of them, about 600 words each), made from
// the source's prose; the same for the same material.
std::vector<std::string> MakeDocTemplates(const Material& m);

// Whether the document in output slot `slot` is templated (a fraction
// options.templated_fraction of the slots, chosen by a keyed draw), and then
// its text: a template's first part, the first words of `content`, the
// template's rest.
bool TemplatedText(const Options& options, const Material& m,
                   const std::vector<std::string>& templates, uint64_t slot,
                   std::string_view content, std::string* out);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_TEMPLATED_H_
