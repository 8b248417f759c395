// Site boilerplate for planted copies: generated site templates (site name,
// nav line, related links, share line, copyright line) whose header and footer
// lines wrap a copy as a scraped page would.
//
//   std::vector<SiteTemplate> sites = MakeSiteTemplates(source.vocabulary, rng);
//   AddBoilerplate(text, sites[3], kHeader | kFooter, /*word_budget=*/40);
#ifndef NEARDUP_BENCH_CORPUS_BOILERPLATE_H_
#define NEARDUP_BENCH_CORPUS_BOILERPLATE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "random.h"

namespace neardup::gen {

struct SiteLine {
  std::string text;
  bool in_header;
  size_t words;
  size_t position;  // display order
};
// Lines in the order they are added as the boilerplate budget grows.
using SiteTemplate = std::vector<SiteLine>;

// Where boilerplate goes, as bits.
enum Placement : unsigned { kHeader = 1, kFooter = 2 };

// 20 site templates with distinct names, their link lines made of words from
// `vocabulary`.
// REQUIRES: !vocabulary.empty()
std::vector<SiteTemplate> MakeSiteTemplates(const std::vector<std::string_view>& vocabulary,
                                            Rng& rng);

// Wraps `text` in the site's header and/or footer lines, adding lines in the
// template's order while their words fit in `word_budget`. Returns the number
// of lines added.
size_t AddBoilerplate(std::string& text, const SiteTemplate& site, unsigned placement,
                      size_t word_budget);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_BOILERPLATE_H_
