#include "diff_render.h"

#include <neardup/io.h>

#include <algorithm>
#include <cstdio>

#include "printers.h"

namespace neardup::cli {

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
         " dropped, " + std::to_string(s.words_reworded) + " reworded, " +
         std::to_string(s.words_moved) + " moved, " + std::to_string(s.words_normalized) +
         " normalized; core " + std::to_string(s.core_covered) + "/" +
         std::to_string(s.core_sentences) + " (" + Percent(s.core_share) + ")";
}

void EscapeMarkup(std::string_view s, std::string_view cr, std::string* out) {
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
        *out += cr;
        break;
      default:
        out->push_back(c);
    }
  }
}

std::string Title(const DiffReport& r) {
  if (r.mode == "clusters") return "clusters " + r.clusters[0] + " and " + r.clusters[1];
  if (r.mode == "cluster") return "cluster " + r.clusters[0];
  return r.docs[0].id + " vs " + r.docs[1].id;
}

namespace {

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
        case SpanKind::kMoved:
          out += color ? "\x1b[36m" : "{^";
          out += Visible(p.text);
          out += color ? "\x1b[0m" : "^}";
          break;
        case SpanKind::kNormalized:
          if (color) out += "\x1b[4m";
          out += Visible(p.text);
          if (color) out += "\x1b[0m";
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
           ", \"moved\": " + std::to_string(s.words_moved) +
           ", \"normalized\": " + std::to_string(s.words_normalized) +
           ", \"core_sentences\": " + std::to_string(s.core_sentences) +
           ", \"core_covered\": " + std::to_string(s.core_covered) +
           ", \"core_share\": " + FormatNumber(s.core_share) + "}";
  }
  out += "]}\n";
  return out;
}

namespace {

constexpr std::string_view kCriticDelimiters[] = {"{++", "++}", "{--", "--}", "{~~", "~>",
                                                  "~~}", "{==", "==}", "{>>", "<<}"};

}  // namespace

Status CheckCriticMarkup(const DiffReport& r) {
  for (const DiffDoc& d : r.docs) {
    for (std::string_view delimiter : kCriticDelimiters) {
      const std::size_t at = d.text.find(delimiter);
      if (at == std::string::npos) continue;
      return Status::InvalidInput(d.id + ": byte " + std::to_string(at) + " starts \"" +
                                  std::string(delimiter) +
                                  "\", a CriticMarkup delimiter the markup cannot escape; use "
                                  "another --format");
    }
  }
  return Status::OK();
}

std::string RenderCriticMarkup(const DiffReport& r) {
  std::string out;
  for (std::size_t m = 1; m < r.docs.size(); ++m) {
    if (r.docs.size() > 2) {
      out += "<!-- neardup diff: " + r.docs[0].id + " -> " + r.docs[m].id + " -->\n";
    }
    const std::string_view a = r.docs[0].text;
    const std::string_view b = r.docs[m].text;
    for (const EditPiece& e : r.diff.members[m - 1].edits) {
      const std::string_view x = a.substr(e.a_begin, e.a_end - e.a_begin);
      const std::string_view y = b.substr(e.b_begin, e.b_end - e.b_begin);
      if (e.equal) {
        out += x;
      } else if (x.empty()) {
        out += "{++" + std::string(y) + "++}";
      } else if (y.empty()) {
        out += "{--" + std::string(x) + "--}";
      } else {
        out += "{~~" + std::string(x) + "~>" + std::string(y) + "~~}";
      }
    }
    if (r.docs.size() > 2 && m + 1 < r.docs.size()) out += "\n";
  }
  return out;
}

}  // namespace neardup::cli
