// `neardup diff --format html`: one self-contained page (inline CSS, no
// script, no external assets): a summary table, for a cluster the alignment table with its heat
// map over the representative's sentences and a side-by-side view of the
// representative and any member, then each member's marked text.
#include <algorithm>
#include <cstdio>

#include "diff_render.h"

namespace neardup::cli {
namespace {

void HtmlEscape(std::string_view s, std::string* out) { EscapeMarkup(s, "", out); }

const char* Tag(SpanKind kind) {
  switch (kind) {
    case SpanKind::kAdded:
      return "ins class=\"added\"";
    case SpanKind::kDropped:
      return "del class=\"dropped\"";
    case SpanKind::kReworded:
      return "span class=\"reworded\"";
    case SpanKind::kMoved:
      return "span class=\"moved\"";
    case SpanKind::kNormalized:
      return "span class=\"normalized\" title=\"same after normalization\"";
    case SpanKind::kShared:
      break;
  }
  return "";
}

const char* EndTag(SpanKind kind) {
  switch (kind) {
    case SpanKind::kAdded:
      return "</ins>";
    case SpanKind::kDropped:
      return "</del>";
    case SpanKind::kShared:
      return "";
    default:
      return "</span>";
  }
}

void AppendPiece(SpanKind kind, std::string_view text, std::string* out) {
  if (kind != SpanKind::kShared) *out += std::string("<") + Tag(kind) + ">";
  HtmlEscape(text, out);
  *out += EndTag(kind);
}

// Bytes [begin, end) of one side of a diff, its spans marked.
void AppendMarked(const DocDiff& d, std::uint32_t doc, std::string_view text, std::size_t begin,
                  std::size_t end, std::string* out) {
  auto it = std::lower_bound(d.spans.begin(), d.spans.end(), std::pair{doc, begin},
                             [](const DiffSpan& s, const std::pair<std::uint32_t, std::size_t>& k) {
                               return s.doc != k.first ? s.doc < k.first : s.end <= k.second;
                             });
  std::size_t cur = begin;
  for (; it != d.spans.end() && it->doc == doc && it->begin < end; ++it) {
    const std::size_t b = std::max(it->begin, begin), e = std::min(it->end, end);
    if (b > cur) HtmlEscape(text.substr(cur, b - cur), out);
    AppendPiece(it->kind, text.substr(b, e - b), out);
    cur = e;
  }
  if (end > cur) HtmlEscape(text.substr(cur, end - cur), out);
}

// How member `d` treats representative sentence `s`.
enum class Fate { kKept, kEdited, kMoved, kReworded, kDropped };
constexpr const char* kFateClass[] = {"kept", "edited", "moved", "reworded", "dropped"};
constexpr const char* kFateMark[] = {"=", "&plusmn;", "&#8597;", "~", "&minus;"};
constexpr const char* kFateTitle[] = {"kept word for word", "kept with words added or dropped",
                                      "kept at another place in the order", "reworded", "dropped"};

// Per representative sentence: whether member `d` dropped words inside it
// or added words into its aligned passage there (one pass over the spans).
std::vector<bool> EditedSentences(const DocDiff& d) {
  std::vector<bool> edited(d.a_sentences.size(), false);
  auto mark = [&](std::size_t pos) {
    auto it = std::upper_bound(d.a_sentences.begin(), d.a_sentences.end(), pos,
                               [](std::size_t p, const Sentence& x) { return p < x.begin; });
    if (it == d.a_sentences.begin()) return;
    --it;
    if (pos <= it->end) edited[static_cast<std::size_t>(it - d.a_sentences.begin())] = true;
  };
  for (const DiffSpan& sp : d.spans) {
    if (sp.doc == 0 && sp.kind == SpanKind::kDropped && sp.group >= 0) mark(sp.begin);
    if (sp.doc == 1 && sp.kind == SpanKind::kAdded && sp.group >= 0) mark(sp.at);
  }
  return edited;
}

Fate FateOf(const DocDiff& d, const std::vector<bool>& edited, std::size_t s) {
  const std::int32_t g = d.a_match[s];
  if (g < 0) return Fate::kDropped;
  const AlignedGroup& group = d.groups[static_cast<std::size_t>(g)];
  if (group.reworded) return Fate::kReworded;
  if (group.moved) return Fate::kMoved;
  return edited[s] ? Fate::kEdited : Fate::kKept;
}

// The alignment table: a row per representative sentence with words, a
// column per member, and a heat cell shaded by the share of members that
// do not keep the sentence word for word (Juxta's heat map).
void AppendAlignmentTable(const DiffReport& r, std::string* out) {
  const ClusterDiff& c = r.diff;
  const std::string_view a = r.docs[0].text;
  *out +=
      "<section class=\"align\">\n<h2>Alignment over the representative's sentences</h2>\n"
      "<p class=\"stats\">= kept, &plusmn; words added or dropped, &#8597; moved, ~ reworded, "
      "&minus; dropped; heat: share of members that change the sentence; <b>core</b> "
      "sentences in bold</p>\n<div class=\"wrap\"><table class=\"grid\">\n<thead><tr><th>#</th>"
      "<th>heat</th>";
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    *out += "<th title=\"";
    HtmlEscape(r.docs[m].id, out);
    *out += "\"><a href=\"#m" + std::to_string(m) + "\">" + std::to_string(m) + "</a></th>";
  }
  *out += "<th class=\"s\">sentence</th></tr></thead>\n<tbody>\n";
  std::vector<std::vector<bool>> edited;
  for (const DocDiff& d : c.members) edited.push_back(EditedSentences(d));
  for (std::size_t s = 0; s < c.representative.size(); ++s) {
    const Sentence& x = c.representative[s];
    if (CountWords(a, x.begin, x.end) == 0) continue;
    std::vector<Fate> fates;
    std::size_t changed = 0;
    for (std::size_t m = 0; m < c.members.size(); ++m) {
      fates.push_back(FateOf(c.members[m], edited[m], s));
      changed += fates.back() != Fate::kKept ? 1u : 0u;
    }
    const double heat = c.members.empty()
                            ? 0.0
                            : static_cast<double>(changed) / static_cast<double>(c.members.size());
    char shade[96];
    std::snprintf(shade, sizeof(shade), " style=\"background:rgba(178,34,34,%.2f)%s\"", heat,
                  heat > 0.5 ? ";color:#fff" : "");
    *out += "<tr><td>" + std::to_string(s + 1) + "</td><td class=\"heat\"" + shade + ">" +
            std::to_string(changed) + "/" + std::to_string(c.members.size()) + "</td>";
    for (Fate f : fates) {
      const auto i = static_cast<std::size_t>(f);
      *out += std::string("<td class=\"f ") + kFateClass[i] + "\" title=\"" + kFateTitle[i] +
              "\">" + kFateMark[i] + "</td>";
    }
    *out += std::string("<td class=\"s") + (c.core[s] ? " core" : "") + "\">";
    HtmlEscape(a.substr(x.begin, x.end - x.begin), out);
    *out += "</td>";
    *out += "</tr>\n";
  }
  *out += "</tbody></table></div>\n</section>\n";
}

// One row of the side-by-side view: representative sentences on the left,
// member sentences on the right (either may be empty).
struct Row {
  std::vector<std::uint32_t> a, b;
  bool moved = false;
};

// Rows in the member's order: each aligned group once, where its first
// member sentence is; added sentences alone on the right; a dropped sentence
// after the row of the representative sentence before it.
std::vector<Row> SideBySideRows(const DocDiff& d) {
  std::vector<Row> rows;
  std::vector<std::int64_t> row_of_group(d.groups.size(), -1);
  for (std::size_t j = 0; j < d.b_match.size(); ++j) {
    const std::int32_t g = d.b_match[j];
    if (g < 0) {
      rows.push_back(Row{{}, {static_cast<std::uint32_t>(j)}, false});
      continue;
    }
    const auto gi = static_cast<std::size_t>(g);
    if (row_of_group[gi] < 0) {
      row_of_group[gi] = static_cast<std::int64_t>(rows.size());
      rows.push_back(Row{d.groups[gi].a, d.groups[gi].b, d.groups[gi].moved});
    }
  }
  // Dropped sentences: after the row holding the previous representative
  // sentence (in reverse, so runs keep their order), else at the top.
  std::vector<std::vector<std::uint32_t>> after(rows.size() + 1);  // [0]: at the top
  std::int64_t prev = -1;
  for (std::size_t i = 0; i < d.a_match.size(); ++i) {
    if (d.a_match[i] >= 0) {
      prev = row_of_group[static_cast<std::size_t>(d.a_match[i])];
    } else {
      after[static_cast<std::size_t>(prev + 1)].push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::vector<Row> out;
  for (std::size_t k = 0; k <= rows.size(); ++k) {
    if (k > 0) out.push_back(std::move(rows[k - 1]));
    for (std::uint32_t i : after[k]) out.push_back(Row{{i}, {}, false});
  }
  return out;
}

void AppendSide(const DocDiff& d, std::uint32_t doc, std::string_view text,
                const std::vector<std::uint32_t>& sentences, std::string* out) {
  const std::vector<Sentence>& all = doc == 0 ? d.a_sentences : d.b_sentences;
  *out += "<td>";
  for (std::uint32_t s : sentences) {
    *out += "<span class=\"n\">" + std::to_string(s + 1) + "</span> ";
    AppendMarked(d, doc, text, all[s].begin, all[s].end, out);
    *out += " ";
  }
  *out += "</td>";
}

// The diff of document `base` (A) against document `other` (B), or null
// when the report does not hold it.
const DocDiff* PairDiff(const DiffReport& r, std::size_t base, std::size_t other) {
  if (base == 0 && other > 0) return &r.diff.members[other - 1];
  const std::size_t n = r.docs.size();
  if (r.pairs.size() == n * n && base != other) return &r.pairs[base * n + other];
  return nullptr;
}

void AppendPairTable(const DiffReport& r, std::size_t base, std::size_t other, const DocDiff& d,
                     std::string* out) {
  *out += "<div class=\"pair\" id=\"pair" + std::to_string(base) + "_" + std::to_string(other) +
          "\"><div class=\"wrap\"><table class=\"sbs\">\n<thead><tr><th>";
  HtmlEscape(r.docs[base].id, out);
  *out += "</th><th>";
  HtmlEscape(r.docs[other].id, out);
  *out += "</th></tr></thead>\n<tbody>\n";
  for (const Row& row : SideBySideRows(d)) {
    *out += row.moved ? "<tr class=\"moved\">" : "<tr>";
    AppendSide(d, 0, r.docs[base].text, row.a, out);
    AppendSide(d, 1, r.docs[other].text, row.b, out);
    *out += "</tr>\n";
  }
  *out += "</tbody></table></div></div>\n";
}

// Two documents in two columns, aligned passages on one row. Radio buttons
// choose the member (right) and, when the report holds every pair's diff
// (DiffReport::pairs), the base (left), without script: CSS shows the table
// of the checked pair (SideBySideCss).
void AppendSideBySide(const DiffReport& r, std::string* out) {
  const bool any_base = r.pairs.size() == r.docs.size() * r.docs.size();
  *out += "<section class=\"sbs\">\n<h2>Side by side</h2>\n<p class=\"stats\">";
  *out += any_base ? "a base (left) against another document (right)"
                   : "the representative (left) against a member (right)";
  *out += "; sentence numbers show moves; another base: <code>--representative ID</code></p>\n";
  auto radios = [&](const char* name, const char* prefix, const char* title, std::size_t first,
                    std::size_t checked) {
    *out += std::string("<span class=\"pick\">") + title + "</span>";
    for (std::size_t m = first; m < r.docs.size(); ++m) {
      const std::string id = prefix + std::to_string(m);
      *out += std::string("<input type=\"radio\" name=\"") + name + "\" id=\"" + id + "\"" +
              (m == checked ? " checked" : "") + "><label for=\"" + id + "\">";
      HtmlEscape(r.docs[m].id, out);
      *out += "</label>\n";
    }
  };
  if (any_base) radios("base", "b", "base:", 0, 0);
  radios("other", "o", any_base ? "<br>against:" : "member:", any_base ? 0 : 1, 1);
  for (std::size_t base = 0; base < r.docs.size(); ++base) {
    for (std::size_t other = 0; other < r.docs.size(); ++other) {
      const DocDiff* d = PairDiff(r, base, other);
      if (d != nullptr && (any_base || base == 0)) AppendPairTable(r, base, other, *d, out);
    }
  }
  *out += "</section>\n";
}

// The rules that show the checked pair's table.
std::string SideBySideCss(const DiffReport& r) {
  const bool any_base = r.pairs.size() == r.docs.size() * r.docs.size();
  std::string css;
  for (std::size_t base = 0; base < r.docs.size(); ++base) {
    for (std::size_t other = 0; other < r.docs.size(); ++other) {
      if (PairDiff(r, base, other) == nullptr || (!any_base && base > 0)) continue;
      const std::string pair = std::to_string(base) + "_" + std::to_string(other);
      css += any_base ? "#b" + std::to_string(base) + ":checked~" : std::string();
      css += "#o" + std::to_string(other) + ":checked~#pair" + pair + "{display:block}\n";
    }
  }
  return css;
}

}  // namespace

std::string RenderHtml(const DiffReport& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>neardup "
      "diff: ";
  HtmlEscape(Title(r), &out);
  out +=
      "</title>\n<style>\n"
      "body{margin:0;background:#f6f6f4;color:#1d1d1f;font:16px/1.55 -apple-system,'Segoe "
      "UI',Roboto,Helvetica,Arial,sans-serif}\n"
      "main{max-width:64rem;margin:0 auto;padding:1rem}\n"
      "h1{font-size:1.35rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}\n"
      "h2{font-size:1.1rem;margin:0 0 .25rem;overflow-wrap:anywhere}\n"
      ".wrap{overflow-x:auto}\n"
      "table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff}\n"
      "th,td{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:right}\n"
      "th:first-child,td:first-child{text-align:left;overflow-wrap:break-word}\n"
      "@media (max-width:640px){table.summary,table.summary tbody,table.summary "
      "tr{display:block}table.summary thead{display:none}table.summary "
      "tr{padding:.4rem 0;border-bottom:1px solid #ddd}table.summary td{display:inline-block;"
      "border:0;padding:.1rem .5rem;text-align:left}table.summary "
      "td:first-child{display:block;font-weight:600}table.summary "
      "td[data-label]::before{content:attr(data-label) \" \";color:#666}"
      "table.sbs{font-size:.8rem}}\n"
      "section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem "
      "0}\n"
      ".stats{color:#555;font-size:.9rem;margin:0 0 .75rem}\n"
      ".text{white-space:pre-wrap;overflow-wrap:anywhere}\n"
      "ins.added{background:#c8f7c5;color:#0b4d0b;text-decoration:none;border-radius:3px}\n"
      "del.dropped{background:#fbd3d0;color:#7a1010;border-radius:3px}\n"
      "span.reworded{background:#fdf1c4;border-radius:3px}\n"
      "span.moved{background:#cfe8fc;border-radius:3px}\n"
      "span.normalized{text-decoration:underline dotted #888}\n"
      ".legend span,.legend ins,.legend del{padding:0 .3rem;margin-right:.5rem}\n"
      "table.grid td{text-align:center;padding:.2rem .35rem}\n"
      "table.grid .s{text-align:left;width:100%;max-width:0;white-space:nowrap;overflow:hidden;"
      "text-overflow:ellipsis}\n"
      "table.grid td.core{font-weight:600}\n"
      "td.heat{font-variant-numeric:tabular-nums;white-space:nowrap}\n"
      "td.f.kept{color:#2e7d32}td.f.edited{background:#fff3cd}td.f.moved{background:#cfe8fc}"
      "td.f.reworded{background:#fdf1c4}td.f.dropped{background:#fbd3d0;color:#7a1010}\n"
      "table.sbs{table-layout:fixed}table.sbs td{text-align:left;vertical-align:top;width:50%;"
      "overflow-wrap:anywhere}\n"
      "table.sbs tr.moved td{border-left:4px solid #5aa0d8}\n"
      ".n{color:#888;font-size:.75em}\n"
      "section.sbs input{margin-left:.6rem}section.sbs label{font-size:.85rem}"
      ".pick{font-size:.85rem;color:#555}\n"
      ".pair{display:none;margin-top:.5rem}\n";
  out += SideBySideCss(r);
  out += "</style>\n</head>\n<body>\n<main>\n<h1>neardup diff: ";
  HtmlEscape(Title(r), &out);
  out +=
      "</h1>\n<p class=\"legend\"><ins class=\"added\">added</ins><del "
      "class=\"dropped\">dropped</del><span class=\"reworded\">reworded</span><span "
      "class=\"moved\">moved</span><span class=\"normalized\">same after "
      "normalization</span></p>\n"
      "<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>document</th><th>words</"
      "th><th>shared</th><th>added</th><th>dropped</th><th>reworded</th><th>moved</th>"
      "<th>normalized</th><th>core</th></tr></thead>\n<tbody>\n";
  for (std::size_t m = 0; m < r.docs.size(); ++m) {
    const MemberSummary& s = r.diff.summaries[m];
    out += "<tr><td>";
    if (m > 0) out += std::to_string(m) + ". <a href=\"#m" + std::to_string(m) + "\">";
    HtmlEscape(r.docs[m].id, &out);
    if (m > 0) out += "</a>";
    if (m == 0) out += " (representative)";
    auto cell = [&](const char* label, const std::string& value) {
      out += std::string("<td data-label=\"") + label + "\">" + value + "</td>";
    };
    out += "</td>";
    cell("words", std::to_string(s.words));
    cell("shared", std::to_string(s.words_shared));
    cell("added", std::to_string(s.words_added));
    cell("dropped", std::to_string(s.words_dropped));
    cell("reworded", std::to_string(s.words_reworded));
    cell("moved", std::to_string(s.words_moved));
    cell("normalized", std::to_string(s.words_normalized));
    cell("core", Percent(s.core_share));
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (r.docs.size() > 1) {
    AppendAlignmentTable(r, &out);
    AppendSideBySide(r, &out);
  }
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    out += "<section class=\"member\" id=\"m" + std::to_string(m) + "\">\n<h2>";
    HtmlEscape(r.docs[m].id, &out);
    out += "</h2>\n<p class=\"stats\">compared with ";
    HtmlEscape(r.docs[0].id, &out);
    out += ": ";
    HtmlEscape(SummaryLine(r.diff.summaries[m]), &out);
    out += "</p>\n<div class=\"text\">";
    for (const Piece& p : Pieces(r, m)) AppendPiece(p.kind, p.text, &out);
    out += "</div>\n</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace neardup::cli
