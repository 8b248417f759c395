// Output formats of `neardup diff`: terminal text, JSON and a self-contained
// HTML page, all from one DiffReport (format documented in README.md).
#ifndef NEARDUP_CLI_DIFF_RENDER_H_
#define NEARDUP_CLI_DIFF_RENDER_H_

#include <neardup/align.h>

#include <string>
#include <vector>

namespace neardup::cli {

struct DiffDoc {
  std::string id;
  std::string text;  // original bytes
};

struct DiffReport {
  std::string mode;                   // "pair", "cluster" or "clusters"
  std::vector<std::string> clusters;  // cluster ids: none, one, or two (compared via their cores)
  std::vector<DiffDoc> docs;          // docs[0] is the representative (A); the others members
  ClusterDiff diff;                   // DiffCluster over the docs' texts
};

// git diff --word-diff style: {+added+}, [-dropped-], {~reworded~}; with
// `color`, ANSI colours instead of the markers (green, red, yellow).
std::string RenderTerm(const DiffReport& report, bool color);
// One JSON object: documents, core, spans, summaries (see README "neardup diff").
std::string RenderJson(const DiffReport& report);
// One HTML page with inline CSS, readable on a phone.
std::string RenderHtml(const DiffReport& report);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DIFF_RENDER_H_
