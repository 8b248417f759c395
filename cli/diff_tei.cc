// `neardup diff --format tei`: the documents as one TEI text in parallel
// segmentation (TEI P5 12.2.3, location "internal"). The representative's
// bytes outside every variation unit are the common text; each unit is an
// <app> with one <rdg> per distinct reading, its @wit listing the documents
// that read it. A unit is the union of overlapping or touching changes of
// DocDiff::edits over all members, so every member's reading of it is a
// contiguous piece of that member's bytes.
#include <neardup/normalize.h>

#include <algorithm>
#include <map>

#include "diff_render.h"

namespace neardup::cli {
namespace {

// XML 1.0 text; CheckTei has ruled out control bytes other than CR.
void XmlEscape(std::string_view s, std::string* out) { EscapeMarkup(s, "&#13;", out); }

// A variation unit: representative bytes [begin, end], inserts at both ends included.
struct Unit {
  std::size_t begin, end;
};

std::vector<Unit> Units(const DiffReport& r) {
  std::vector<Unit> changes;
  for (const DocDiff& d : r.diff.members) {
    for (const EditPiece& e : d.edits) {
      if (!e.equal) changes.push_back(Unit{e.a_begin, e.a_end});
    }
  }
  std::sort(changes.begin(), changes.end(),
            [](const Unit& x, const Unit& y) { return x.begin < y.begin; });
  std::vector<Unit> units;
  for (const Unit& c : changes) {
    if (!units.empty() && c.begin <= units.back().end) {
      units.back().end = std::max(units.back().end, c.end);
    } else {
      units.push_back(c);
    }
  }
  return units;
}

// Member `d`'s bytes for unit `u`: the matching part of equal pieces and the
// whole of the changes inside it (a change never crosses a unit's bounds).
std::string Reading(const DocDiff& d, std::string_view b, const Unit& u) {
  auto it = std::lower_bound(d.edits.begin(), d.edits.end(), u.begin,
                             [](const EditPiece& e, std::size_t pos) { return e.a_end < pos; });
  std::string out;
  for (; it != d.edits.end() && it->a_begin <= u.end; ++it) {
    if (it->equal) {
      const std::size_t lo = std::max(u.begin, it->a_begin), hi = std::min(u.end, it->a_end);
      if (lo < hi) out += b.substr(it->b_begin + (lo - it->a_begin), hi - lo);
    } else if (it->a_begin >= u.begin && it->a_end <= u.end) {
      out += b.substr(it->b_begin, it->b_end - it->b_begin);
    }
  }
  return out;
}

}  // namespace

Status CheckTei(const DiffReport& r) {
  for (const DiffDoc& d : r.docs) {
    if (!IsValidUtf8(d.text)) {
      return Status::InvalidInput(d.id +
                                  ": not valid UTF-8, which TEI (XML) cannot hold; use "
                                  "another --format");
    }
    for (std::size_t i = 0; i < d.text.size(); ++i) {
      const auto c = static_cast<unsigned char>(d.text[i]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return Status::InvalidInput(d.id + ": byte " + std::to_string(i) +
                                    " is a control character, which XML 1.0 cannot hold; use "
                                    "another --format");
      }
    }
  }
  return Status::OK();
}

std::string RenderTei(const DiffReport& r) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI "
      "xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader>\n<fileDesc>\n<titleStmt><title>neardup "
      "diff: ";
  XmlEscape(Title(r), &out);
  out +=
      "</title></titleStmt>\n<publicationStmt><p>Written by neardup diff --format "
      "tei.</p></publicationStmt>\n<sourceDesc>\n<listWit>\n";
  for (std::size_t m = 0; m < r.docs.size(); ++m) {
    out += "<witness xml:id=\"w" + std::to_string(m) + "\">";
    XmlEscape(r.docs[m].id, &out);
    out += m == 0 ? " (representative, the base text)</witness>\n" : "</witness>\n";
  }
  out +=
      "</listWit>\n</sourceDesc>\n</fileDesc>\n<encodingDesc><variantEncoding "
      "method=\"parallel-segmentation\" location=\"internal\"/></encodingDesc>\n</teiHeader>\n"
      "<text><body><p xml:space=\"preserve\">";
  const std::string_view a = r.docs[0].text;
  std::size_t cur = 0;
  for (const Unit& u : Units(r)) {
    XmlEscape(a.substr(cur, u.begin - cur), &out);
    // Distinct readings in witness order, each with its witnesses.
    std::map<std::string, std::string> wits;
    std::vector<std::string> order;
    auto add = [&](std::string reading, std::size_t m) {
      std::string& w = wits[reading];
      if (w.empty()) order.push_back(reading);
      w += (w.empty() ? "#w" : " #w") + std::to_string(m);
    };
    add(std::string(a.substr(u.begin, u.end - u.begin)), 0);
    for (std::size_t m = 1; m < r.docs.size(); ++m) {
      add(Reading(r.diff.members[m - 1], r.docs[m].text, u), m);
    }
    out += "<app>";
    for (const std::string& reading : order) {
      out += "<rdg wit=\"" + wits[reading] + "\"";
      if (reading.empty()) {
        out += "/>";
        continue;
      }
      out += ">";
      XmlEscape(reading, &out);
      out += "</rdg>";
    }
    out += "</app>";
    cur = u.end;
  }
  XmlEscape(a.substr(cur), &out);
  out += "</p></body></text>\n</TEI>\n";
  return out;
}

}  // namespace neardup::cli
