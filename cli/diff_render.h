// Output formats of `neardup diff`: terminal text, JSON, CriticMarkup
// (diff_render.cc) and a self-contained HTML page (diff_html.cc), all from
// one DiffReport (formats documented in README.md).
#ifndef NEARDUP_CLI_DIFF_RENDER_H_
#define NEARDUP_CLI_DIFF_RENDER_H_

#include <neardup/align.h>
#include <neardup/status.h>

#include <string>
#include <string_view>
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
  // Empty, or (for the HTML page's choice of base) n x n diffs of n docs:
  // pairs[i * n + j] is DiffDocuments(docs[i], docs[j]) for i > 0, i != j
  // (row 0 and the diagonal are left empty: diff.members has row 0).
  std::vector<DocDiff> pairs;
};

// git diff --word-diff style: {+added+}, [-dropped-], {~reworded~},
// {^moved^}; with `color`, ANSI colours instead of the markers (green, red,
// yellow, cyan; normalized words underlined). Normalized words are plain
// without colour: they are the same words.
std::string RenderTerm(const DiffReport& report, bool color);
// One JSON object: documents, core, spans, summaries (see README "neardup diff").
std::string RenderJson(const DiffReport& report);
// One HTML page with inline CSS, readable on a phone (diff_html.cc).
std::string RenderHtml(const DiffReport& report);

// OK when every document can be written as CriticMarkup: none contains one of
// its delimiters ({++ ++} {-- --} {~~ ~> ~~} {== ==} {>> <<}), which the
// markup has no way to escape. InvalidInput naming the document, the
// delimiter and its byte offset otherwise.
Status CheckCriticMarkup(const DiffReport& report);
// Each member against the representative as CriticMarkup over the
// representative's bytes: {++added++}, {--dropped--}, {~~old~>new~~}, from
// DocDiff::edits. Rejecting every change gives the representative back byte
// for byte, accepting every change the member. With more than one member,
// each one's markup follows a line `<!-- neardup diff: A -> B -->`.
// REQUIRES: CheckCriticMarkup(report).ok()
std::string RenderCriticMarkup(const DiffReport& report);

// OK when every document can be written as XML 1.0: valid UTF-8 without
// control characters other than tab, LF and CR. InvalidInput naming the
// document (and the byte) otherwise.
Status CheckTei(const DiffReport& report);
// All documents as one TEI P5 text in parallel segmentation (diff_tei.cc):
// the representative's text with an <app> per variation unit and a <rdg> per
// distinct reading, @wit naming the witnesses (w0 the representative, wN the
// Nth member). Taking, in every <app>, the reading whose @wit names wN, and
// the text between, gives document N back byte for byte (CR written &#13;).
// REQUIRES: CheckTei(report).ok()
std::string RenderTei(const DiffReport& report);

// Helpers shared by the renderers.

// One piece of a member's rendered text: its own bytes (shared, added,
// reworded, moved, normalized) or a dropped span of the representative shown
// where it would go.
struct Piece {
  SpanKind kind;
  std::string_view text;
};
// Member `member`'s (1-based) text cut into pieces, with the representative's
// dropped spans inserted at their anchors. Bytes outside every span are
// kShared pieces. The pieces borrow the report's texts.
std::vector<Piece> Pieces(const DiffReport& report, std::size_t member);
// "cluster 3", "clusters 3 and 7" or "A vs B".
std::string Title(const DiffReport& report);
// "676 words: 636 shared, ..." for one summary.
std::string SummaryLine(const MemberSummary& s);
// "97%".
std::string Percent(double share);
// Appends `s` with &, <, > and " as entities and each CR as `cr` (HTML
// drops it: CRLF shows as one line break; XML keeps it as &#13;, which a
// parser would otherwise turn into LF).
void EscapeMarkup(std::string_view s, std::string_view cr, std::string* out);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_DIFF_RENDER_H_
