#include "diff_render.h"

#include <neardup/io.h>

#include <algorithm>
#include <cstdio>

#include "printers.h"

namespace neardup::cli {
namespace {

// One piece of a member's rendered text: its own bytes (shared, added,
// reworded) or a dropped span of the representative shown where it would go.
struct Piece {
  SpanKind kind;
  std::string_view text;
};

// The member's text cut into pieces, with the representative's dropped spans
// inserted at their anchors. Bytes outside every span are kShared pieces.
std::vector<Piece> Pieces(const DiffReport& r, std::size_t member) {
  const DocDiff& d = r.diff.members[member - 1];
  const std::string_view a = r.docs[0].text;
  const std::string_view b = r.docs[member].text;
  std::vector<const DiffSpan*> own, drops;
  for (const DiffSpan& s : d.spans) {
    if (s.doc == 1) own.push_back(&s);
    if (s.doc == 0 && s.kind == SpanKind::kDropped) drops.push_back(&s);
  }
  std::stable_sort(drops.begin(), drops.end(),
                   [](const DiffSpan* x, const DiffSpan* y) { return x->at < y->at; });
  std::vector<Piece> out;
  std::size_t cur = 0, i = 0, j = 0;
  auto plain_to = [&](std::size_t pos) {
    if (pos > cur) out.push_back(Piece{SpanKind::kShared, b.substr(cur, pos - cur)});
    cur = std::max(cur, pos);
  };
  while (i < own.size() || j < drops.size()) {
    if (j < drops.size() && (i == own.size() || drops[j]->at <= own[i]->begin)) {
      plain_to(std::min(drops[j]->at, b.size()));
      const DiffSpan& s = *drops[j++];
      // A whole dropped sentence anchored right after a word gets a space.
      const bool glued = s.group < 0 && cur > 0 && b[cur - 1] != ' ' && b[cur - 1] != '\n';
      if (glued) out.push_back(Piece{SpanKind::kShared, " "});
      out.push_back(Piece{SpanKind::kDropped, a.substr(s.begin, s.size())});
      if (s.group < 0 && cur < b.size() && b[cur] != ' ' && b[cur] != '\n' && b[cur] != '\r') {
        out.push_back(Piece{SpanKind::kShared, " "});
      }
    } else {
      const DiffSpan& s = *own[i++];
      plain_to(s.begin);
      out.push_back(Piece{s.kind, b.substr(s.begin, s.size())});
      cur = s.end;
    }
  }
  plain_to(b.size());
  return out;
}

std::string Percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.0f%%", 100 * share);
  return buf;
}

std::string SummaryLine(const MemberSummary& s) {
  return std::to_string(s.words) + " words: " + std::to_string(s.words_shared) + " shared, " +
         std::to_string(s.words_added) + " added, " + std::to_string(s.words_dropped) +
         " dropped, " + std::to_string(s.words_reworded) + " reworded; core " +
         std::to_string(s.core_covered) + "/" + std::to_string(s.core_sentences) + " (" +
         Percent(s.core_share) + ")";
}

std::string Title(const DiffReport& r) {
  if (r.mode == "clusters") return "clusters " + r.clusters[0] + " and " + r.clusters[1];
  if (r.mode == "cluster") return "cluster " + r.clusters[0];
  return r.docs[0].id + " vs " + r.docs[1].id;
}

void HtmlEscape(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\r':
        break;  // CRLF shows as one line break
      default:
        out->push_back(c);
    }
  }
}

// `text` with control bytes made visible as in `cat -v` (ESC as ^[, DEL as
// ^?): a document's bytes must not move the cursor or recolour the terminal.
// Tabs and line ends stay.
std::string Visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      out += '^';
      out += static_cast<char>(c == 0x7F ? '?' : c + 0x40);
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string RenderTerm(const DiffReport& r, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  std::string out;
  if (r.docs.size() > 2 || r.mode != "pair") {
    out += std::string(bold) + Visible(Title(r)) + ": " + std::to_string(r.docs.size()) +
           " documents, representative " + Visible(r.docs[0].id) + reset + "\n";
    for (std::size_t m = 0; m < r.docs.size(); ++m) {
      out += "  " + Visible(r.docs[m].id) + (m == 0 ? " (representative)" : "") + ": " +
             SummaryLine(r.diff.summaries[m]) + "\n";
    }
    out += "\n";
  }
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    out += std::string(bold) + "diff " + Visible(r.docs[0].id) + " -> " + Visible(r.docs[m].id) +
           reset + "\n";
    out += std::string(bold) + SummaryLine(r.diff.summaries[m]) + reset + "\n\n";
    for (const Piece& p : Pieces(r, m)) {
      switch (p.kind) {
        case SpanKind::kShared:
          out += Visible(p.text);
          break;
        case SpanKind::kAdded:
          out += color ? "\x1b[32m" : "{+";
          out += Visible(p.text);
          out += color ? "\x1b[0m" : "+}";
          break;
        case SpanKind::kDropped:
          out += color ? "\x1b[31m" : "[-";
          out += Visible(p.text);
          out += color ? "\x1b[0m" : "-]";
          break;
        case SpanKind::kReworded:
          out += color ? "\x1b[33m" : "{~";
          out += Visible(p.text);
          out += color ? "\x1b[0m" : "~}";
          break;
      }
    }
    if (out.empty() || out.back() != '\n') out += "\n";
    if (m + 1 < r.docs.size()) out += "\n";
  }
  return out;
}

std::string RenderJson(const DiffReport& r) {
  std::string out = "{\"version\": 1, \"mode\": ";
  AppendJsonString(r.mode, &out);
  out += ", \"clusters\": [";
  for (std::size_t i = 0; i < r.clusters.size(); ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(r.clusters[i], &out);
  }
  out += "], \"documents\": [";
  for (std::size_t m = 0; m < r.docs.size(); ++m) {
    out += m == 0 ? "{\"id\": " : ", {\"id\": ";
    AppendJsonString(r.docs[m].id, &out);
    out += m == 0 ? ", \"role\": \"representative\"" : ", \"role\": \"member\"";
    out += ", \"bytes\": " + std::to_string(r.docs[m].text.size()) + "}";
  }
  out += "],\n \"core\": [";
  bool first = true;
  for (std::size_t s = 0; s < r.diff.representative.size(); ++s) {
    if (!r.diff.core[s]) continue;
    const Sentence& x = r.diff.representative[s];
    out += first ? "{\"start\": " : ", {\"start\": ";
    first = false;
    out += std::to_string(x.begin) + ", \"end\": " + std::to_string(x.end) + ", \"text\": ";
    AppendJsonString(std::string_view(r.docs[0].text).substr(x.begin, x.end - x.begin), &out);
    out += "}";
  }
  out += "],\n \"spans\": [";
  first = true;
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    const DocDiff& d = r.diff.members[m - 1];
    for (const DiffSpan& s : d.spans) {
      const DiffDoc& doc = r.docs[s.doc == 0 ? 0 : m];
      out += first ? "\n  {\"doc\": " : ",\n  {\"doc\": ";
      first = false;
      AppendJsonString(doc.id, &out);
      out += ", \"member\": ";
      AppendJsonString(r.docs[m].id, &out);
      out += ", \"kind\": \"" + std::string(SpanKindName(s.kind)) +
             "\", \"start\": " + std::to_string(s.begin) + ", \"end\": " + std::to_string(s.end) +
             ", \"at\": " + std::to_string(s.at) + ", \"group\": " + std::to_string(s.group);
      out += ", \"similarity\": ";
      out += s.group >= 0 ? FormatNumber(d.groups[static_cast<std::size_t>(s.group)].similarity)
                          : std::string("null");
      out += ", \"text\": ";
      AppendJsonString(std::string_view(doc.text).substr(s.begin, s.size()), &out);
      out += "}";
    }
  }
  out += "],\n \"summaries\": [";
  for (std::size_t m = 0; m < r.docs.size(); ++m) {
    const MemberSummary& s = r.diff.summaries[m];
    out += m == 0 ? "\n  {\"doc\": " : ",\n  {\"doc\": ";
    AppendJsonString(r.docs[m].id, &out);
    out += ", \"words\": " + std::to_string(s.words) +
           ", \"shared\": " + std::to_string(s.words_shared) +
           ", \"added\": " + std::to_string(s.words_added) +
           ", \"dropped\": " + std::to_string(s.words_dropped) +
           ", \"reworded\": " + std::to_string(s.words_reworded) +
           ", \"core_sentences\": " + std::to_string(s.core_sentences) +
           ", \"core_covered\": " + std::to_string(s.core_covered) +
           ", \"core_share\": " + FormatNumber(s.core_share) + "}";
  }
  out += "]}\n";
  return out;
}

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
      "main{max-width:52rem;margin:0 auto;padding:1rem}\n"
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
      "td[data-label]::before{content:attr(data-label) \" \";color:#666}}\n"
      "section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem "
      "0}\n"
      ".stats{color:#555;font-size:.9rem;margin:0 0 .75rem}\n"
      ".text{white-space:pre-wrap;overflow-wrap:anywhere}\n"
      "ins.added{background:#c8f7c5;color:#0b4d0b;text-decoration:none;border-radius:3px}\n"
      "del.dropped{background:#fbd3d0;color:#7a1010;border-radius:3px}\n"
      "span.reworded{background:#fdf1c4;border-radius:3px}\n"
      ".legend span,.legend ins,.legend del{padding:0 .3rem;margin-right:.5rem}\n"
      "</style>\n</head>\n<body>\n<main>\n<h1>neardup diff: ";
  HtmlEscape(Title(r), &out);
  out +=
      "</h1>\n<p class=\"legend\"><ins class=\"added\">added</ins><del "
      "class=\"dropped\">dropped</del><span class=\"reworded\">reworded</span></p>\n"
      "<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>document</th><th>words</"
      "th><th>shared</th><th>added</th><th>dropped</th><th>reworded</th><th>core</th></tr></"
      "thead>\n<tbody>\n";
  for (std::size_t m = 0; m < r.docs.size(); ++m) {
    const MemberSummary& s = r.diff.summaries[m];
    out += "<tr><td>";
    if (m > 0) out += "<a href=\"#m" + std::to_string(m) + "\">";
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
    cell("core", Percent(s.core_share));
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    out += "<section class=\"member\" id=\"m" + std::to_string(m) + "\">\n<h2>";
    HtmlEscape(r.docs[m].id, &out);
    out += "</h2>\n<p class=\"stats\">compared with ";
    HtmlEscape(r.docs[0].id, &out);
    out += ": ";
    HtmlEscape(SummaryLine(r.diff.summaries[m]), &out);
    out += "</p>\n<div class=\"text\">";
    for (const Piece& p : Pieces(r, m)) {
      switch (p.kind) {
        case SpanKind::kShared:
          HtmlEscape(p.text, &out);
          break;
        case SpanKind::kAdded:
          out += "<ins class=\"added\">";
          HtmlEscape(p.text, &out);
          out += "</ins>";
          break;
        case SpanKind::kDropped:
          out += "<del class=\"dropped\">";
          HtmlEscape(p.text, &out);
          out += "</del>";
          break;
        case SpanKind::kReworded:
          out += "<span class=\"reworded\">";
          HtmlEscape(p.text, &out);
          out += "</span>";
          break;
      }
    }
    out += "</div>\n</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace neardup::cli
