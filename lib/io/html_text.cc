// HtmlToText: a forgiving single pass over HTML, no DOM. What matters for
// near-duplicate detection is the visible words in order, with block
// boundaries as line breaks; anything malformed degrades to text or is dropped.
#include <algorithm>
#include <array>
#include <cstdint>

#include "neardup/io.h"

namespace neardup {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Elements whose content is not visible text.
constexpr std::array<std::string_view, 8> kSkipped = {"script", "style", "noscript", "template",
                                                      "svg",    "math",  "iframe",   "object"};

// Elements that start or end a block: a line break in the text.
constexpr std::array<std::string_view, 40> kBlocks = {
    "address", "article", "aside", "blockquote", "body",   "br",     "caption", "dd",
    "div",     "dl",      "dt",    "fieldset",   "figure", "footer", "form",    "h1",
    "h2",      "h3",      "h4",    "h5",         "h6",     "header", "hr",      "html",
    "li",      "main",    "nav",   "ol",         "p",      "pre",    "section", "table",
    "tbody",   "td",      "th",    "thead",      "title",  "tr",     "ul",      "option"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

struct Entity {
  std::string_view name;
  char32_t code_point;
};

// The entities common in crawled pages; the rest are left as written.
constexpr std::array<Entity, 38> kEntities = {{
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"bull", 0x2022},  {"middot", 0xB7},
    {"deg", 0xB0},     {"euro", 0x20AC},  {"pound", 0xA3},   {"yen", 0xA5},     {"cent", 0xA2},
    {"sect", 0xA7},    {"para", 0xB6},    {"times", 0xD7},   {"divide", 0xF7},  {"eacute", 0xE9},
    {"egrave", 0xE8},  {"agrave", 0xE0},  {"ccedil", 0xE7},  {"uuml", 0xFC},    {"ouml", 0xF6},
    {"auml", 0xE4},    {"szlig", 0xDF},   {"shy", 0},
}};

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Collapses whitespace: words separated by one space, blocks by one newline.
class TextBuilder {
 public:
  explicit TextBuilder(std::string* out) : out_(out) {}
  void Space() { space_ = true; }
  void Break() { break_ = true; }
  void Text(std::string_view s) {
    if (s.empty()) return;
    if (!out_->empty()) {
      if (break_) {
        out_->push_back('\n');
      } else if (space_) {
        out_->push_back(' ');
      }
    }
    space_ = break_ = false;
    out_->append(s);
  }

 private:
  std::string* out_;
  bool space_ = false;
  bool break_ = false;
};

// Decodes the reference at html[i] == '&'; returns its length (0: not one).
std::size_t DecodeEntity(std::string_view html, std::size_t i, std::string* decoded) {
  std::size_t j = i + 1;
  if (j < html.size() && html[j] == '#') {
    ++j;
    const bool hex = j < html.size() && (html[j] == 'x' || html[j] == 'X');
    j += hex;
    std::uint32_t value = 0;
    const std::size_t digits_begin = j;
    for (; j < html.size() && j - digits_begin < 8; ++j) {
      const char c = html[j];
      std::uint32_t d;
      if (IsDigit(c)) {
        d = static_cast<std::uint32_t>(c - '0');
      } else if (hex && Lower(c) >= 'a' && Lower(c) <= 'f') {
        d = static_cast<std::uint32_t>(Lower(c) - 'a' + 10);
      } else {
        break;
      }
      value = value * (hex ? 16 : 10) + d;
    }
    if (j == digits_begin) return 0;
    if (j < html.size() && html[j] == ';') ++j;
    decoded->clear();
    AppendUtf8(static_cast<char32_t>(value), decoded);
    return j - i;
  }
  const std::size_t name_begin = j;
  while (j < html.size() && j - name_begin < 8 && (IsAlpha(html[j]) || IsDigit(html[j]))) ++j;
  const std::string_view name = html.substr(name_begin, j - name_begin);
  for (const Entity& e : kEntities) {
    if (e.name != name) continue;
    if (j < html.size() && html[j] == ';') ++j;
    decoded->clear();
    if (e.code_point != 0) AppendUtf8(e.code_point, decoded);
    return j - i;
  }
  return 0;
}

// Position just past the '>' that ends the tag starting at i, honouring
// quoted attribute values; a quote left open falls back to the first '>'.
// A quoted '>' is looked for at most kMaxQuoted bytes past the first '>', so
// a page of tags with unclosed quotes stays linear.
constexpr std::size_t kMaxQuoted = 1024;
std::size_t TagEnd(std::string_view html, std::size_t i) {
  const std::size_t gt = html.find('>', i);
  if (gt == std::string_view::npos) return html.size();
  const std::size_t limit = std::min(html.size(), gt + kMaxQuoted);
  char quote = 0;
  for (std::size_t j = i; j < limit; ++j) {
    const char c = html[j];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return j + 1;
    }
  }
  return gt + 1;
}

// Position of "</name" (any case) at or after i, or npos.
std::size_t FindClosing(std::string_view html, std::size_t i, std::string_view name) {
  while (true) {
    i = html.find("</", i);
    if (i == std::string_view::npos) return i;
    std::size_t k = 0;
    while (k < name.size() && i + 2 + k < html.size() && Lower(html[i + 2 + k]) == name[k]) ++k;
    if (k == name.size()) return i;
    i += 2;
  }
}

// The markup at html[i] == '<' (a tag, comment, CDATA section, doctype or
// a stray '<'), its text and breaks into *text; a skipped element is
// skipped whole (*unclosed: those known to have no closing tag further on).
// Returns where the text goes on: html.size() when a script or style is
// never closed, as a browser runs one to the end of the page.
std::size_t ReadMarkup(std::string_view html, std::size_t i, TextBuilder* text,
                       std::array<bool, kSkipped.size()>* unclosed) {
  if (html.substr(i, 4) == "<!--") {
    const std::size_t end = html.find("-->", i + 4);
    i = end == std::string_view::npos ? html.size() : end + 3;
    return i;
  }
  if (html.substr(i, 9) == "<![CDATA[") {
    const std::size_t end = html.find("]]>", i + 9);
    const std::size_t stop = end == std::string_view::npos ? html.size() : end;
    text->Text(html.substr(i + 9, stop - (i + 9)));
    i = end == std::string_view::npos ? html.size() : end + 3;
    return i;
  }
  if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
    i = TagEnd(html, i + 2);  // doctype, processing instruction
    return i;
  }
  const bool closing = i + 1 < html.size() && html[i + 1] == '/';
  const std::size_t name_begin = i + 1 + closing;
  if (name_begin >= html.size() || !IsAlpha(html[name_begin])) {
    text->Text("<");  // a stray '<' is text
    ++i;
    return i;
  }
  std::string name;
  std::size_t j = name_begin;
  for (; j < html.size() && (IsAlpha(html[j]) || IsDigit(html[j]) || html[j] == '-'); ++j) {
    if (name.size() < 16) name.push_back(Lower(html[j]));
  }
  i = TagEnd(html, j);
  const auto skipped = std::find(kSkipped.begin(), kSkipped.end(), name);
  if (!closing && skipped != kSkipped.end() &&
      !(*unclosed)[static_cast<std::size_t>(skipped - kSkipped.begin())]) {
    const std::size_t close = FindClosing(html, i, name);
    if (close != std::string_view::npos) {
      i = close;
      text->Break();
      return i;
    }
    // Never closed: a browser runs a script or style to the end of the
    // page; for the others the markup is broken, and the text is kept.
    if (name == "script" || name == "style") return html.size();
    (*unclosed)[static_cast<std::size_t>(skipped - kSkipped.begin())] = true;
  }
  if (Contains(kBlocks, name)) {
    text->Break();
  } else {
    // Inline elements join words (<b>w</b>ord); cells and images still separate.
    if (name == "img" || name == "span" || name == "a" || name == "input") text->Space();
  }
  return i;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  TextBuilder text(&out);
  std::string decoded;
  // Skipped elements known to have no closing tag further on: looking again
  // for each of many unclosed <svg> tags would be quadratic.
  std::array<bool, kSkipped.size()> unclosed{};
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      i = ReadMarkup(html, i, &text, &unclosed);
      continue;
    }
    if (c == '&') {
      const std::size_t length = DecodeEntity(html, i, &decoded);
      if (length > 0) {
        if (decoded == " ") {
          text.Space();
        } else {
          text.Text(decoded);
        }
        i += length;
        continue;
      }
    }
    if (IsSpace(c)) {
      text.Space();
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < html.size() && html[j] != '<' && html[j] != '&' && !IsSpace(html[j])) ++j;
    text.Text(html.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace neardup
