// The dateline of a document's opening (FindDateline, story_text_steps.h).
#include <algorithm>

#include "story/story_text_steps.h"

namespace neardup::internal::story_text {
namespace {

bool Space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool Digit(char c) { return c >= '0' && c <= '9'; }

// The length of the dash (-, en or em dash) at text[at], 0 when none.
std::size_t Dash(std::string_view text, std::size_t at) {
  if (at < text.size() && text[at] == '-') return 1;
  if (text.substr(at, 3) == "\xE2\x80\x93" || text.substr(at, 3) == "\xE2\x80\x94") return 3;
  return 0;
}

// After the day and month: [,]<spaces><4 digits>, optional; then spaces, an
// optional ')', spaces and a dash. Tries with the year first, as the regex
// does, and sets *year to it (0 without).
bool DatelineEnd(std::string_view text, std::size_t at, int* year) {
  auto tail = [&](std::size_t p) {
    while (p < text.size() && Space(text[p])) ++p;
    if (p < text.size() && text[p] == ')') ++p;
    while (p < text.size() && Space(text[p])) ++p;
    return Dash(text, p) > 0;
  };
  std::size_t p = at;
  if (p < text.size() && text[p] == ',') ++p;
  const std::size_t spaces = p;
  while (p < text.size() && Space(text[p])) ++p;
  if (p > spaces && p + 4 <= text.size() && Digit(text[p]) && Digit(text[p + 1]) &&
      Digit(text[p + 2]) && Digit(text[p + 3]) && tail(p + 4)) {
    *year = (text[p] - '0') * 1000 + (text[p + 1] - '0') * 100 + (text[p + 2] - '0') * 10 +
            (text[p + 3] - '0');
    return true;
  }
  *year = 0;
  return tail(at);
}

struct Month {
  int first_day;        // days of the year before it; -1: no month name
  std::size_t end = 0;  // where the name (and a '.' after it) ends
};

// The month name (or its abbreviation) at text[at], any case, longest first
// as the prototype's alternation.
Month MonthAt(std::string_view text, std::size_t at) {
  struct Name {
    std::string_view name;
    int first_day;
  };
  static constexpr Name kMonths[] = {
      {"september", 243}, {"february", 31}, {"november", 304}, {"december", 334}, {"january", 0},
      {"october", 273},   {"august", 212},  {"march", 59},     {"april", 90},     {"sept", 243},
      {"june", 151},      {"july", 181},    {"jan", 0},        {"feb", 31},       {"mar", 59},
      {"apr", 90},        {"may", 120},     {"jun", 151},      {"jul", 181},      {"aug", 212},
      {"sep", 243},       {"oct", 273},     {"nov", 304},      {"dec", 334}};
  for (const Name& month : kMonths) {
    if (at + month.name.size() > text.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < month.name.size() && same; ++k) {
      const char c = text[at + k];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == month.name[k];
    }
    if (!same) continue;
    std::size_t p = at + month.name.size();
    if (p < text.size() && text[p] == '.') ++p;
    return Month{month.first_day, p};
  }
  return Month{-1};
}

// One or two digits at text[at], not followed by a third: their value (the
// day), or -1.
int DayAt(std::string_view text, std::size_t at, std::size_t* end) {
  std::size_t p = at;
  while (p < text.size() && Digit(text[p]) && p - at < 3) ++p;
  if (p == at || p - at > 2) return -1;
  *end = p;
  return p - at == 1 ? text[at] - '0' : (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// A dateline starting at `at` ("June 6 -", "6 June 2014 -"): false when none;
// *day 0 when it names an impossible day.
bool DatelineAt(std::string_view text, std::size_t at, Dateline* out) {
  int day = -1;
  int first_day = -1;
  int year = 0;
  std::size_t p = at;
  if (const Month first = MonthAt(text, at); first.first_day >= 0) {  // month, day
    p = first.end;
    const std::size_t spaces = p;
    while (p < text.size() && Space(text[p])) ++p;
    if (p == spaces || (day = DayAt(text, p, &p)) < 0) return false;
    first_day = first.first_day;
  } else {  // day, month
    if ((day = DayAt(text, p, &p)) < 0) return false;
    const std::size_t spaces = p;
    while (p < text.size() && Space(text[p])) ++p;
    const Month month = MonthAt(text, p);
    if (p == spaces || month.first_day < 0) return false;
    p = month.end;
    first_day = month.first_day;
  }
  if (!DatelineEnd(text, p, &year)) return false;
  out->day = static_cast<std::uint16_t>(day >= 1 && day <= 31 ? first_day + day : 0);
  out->year = static_cast<std::uint16_t>(year);
  return true;
}

}  // namespace

Dateline FindDateline(std::string_view original) {
  const std::string_view text = original.substr(0, std::min(original.size(), kDatelineBytes));
  Dateline found;
  for (std::size_t p = 0; p < text.size(); ++p) {
    if ((p == 0 || text[p - 1] == '\n') && DatelineAt(text, p, &found)) return found;
    if (text[p] == ',' || text[p] == '(') {
      std::size_t q = p + 1;
      while (q < text.size() && Space(text[q])) ++q;
      if (DatelineAt(text, q, &found)) return found;
    }
  }
  return Dateline{};
}

}  // namespace neardup::internal::story_text
