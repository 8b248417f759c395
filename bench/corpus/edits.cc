#include "edits.h"

#include <algorithm>

#include "cut.h"
#include "random.h"
#include "text.h"

namespace neardup::gen {
namespace {

// Edits that do not change the Jaccard measure.
constexpr size_t kHeadingMaxBytes = 60;
constexpr double kUpperWordRate = 0.02;
constexpr double kDoubleSpaceRate = 0.05;
constexpr double kTrailingSpaceRate = 0.3;

// Typographic quotes, as UTF-8 bytes.
constexpr std::string_view kLeftSingleQuote = "\xe2\x80\x98";
constexpr std::string_view kRightSingleQuote = "\xe2\x80\x99";
constexpr std::string_view kLeftDoubleQuote = "\xe2\x80\x9c";
constexpr std::string_view kRightDoubleQuote = "\xe2\x80\x9d";

// The token's trailing ASCII punctuation, kept when the word is substituted.
std::string_view TrailingPunctuation(std::string_view token) {
  size_t begin = token.size();
  while (begin > 0 &&
         std::string_view(".,;:!?)\"'").find(token[begin - 1]) != std::string_view::npos) {
    --begin;
  }
  return token.substr(begin);
}

bool IsOpeningContext(std::string_view text, size_t i) {
  return i == 0 || IsSpace(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '[';
}

}  // namespace

// Each decision hashes the word's index, so that lower rates edit a subset of
// the words that higher rates edit.
std::string EditWords(std::string_view text, const std::vector<std::string_view>& vocabulary,
                      uint64_t key, double rate, size_t& edits) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  uint64_t index = 0;
  bool first_line = true;
  ForEachLine(text, [&](std::string_view line) {
    if (!first_line) out += '\n';
    first_line = false;
    bool first_word = true;
    auto append = [&](std::string_view word) {
      if (!first_word) out += ' ';
      first_word = false;
      out += word;
    };
    ForEachToken(line, [&](std::string_view word) {
      const uint64_t hash = Mix64(key ^ Mix64(index++));
      if (ToUnit(hash) >= rate) {
        append(word);
        return;
      }
      ++edits;
      const uint64_t pick = Mix64(hash);
      const std::string_view other = vocabulary[(pick >> 2) % vocabulary.size()];
      switch (pick % 4) {
        case 0:  // delete
          break;
        case 1:  // insert before
          append(other);
          append(word);
          break;
        default:  // substitute, keeping the punctuation that follows
          append(other);
          out += TrailingPunctuation(word);
      }
    });
  });
  return out;
}

std::string ChangeQuotes(std::string_view text, Quotes style) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (style == Quotes::kCurly && (c == '"' || c == '\'')) {
      const bool opening = IsOpeningContext(text, i);
      if (c == '"') {
        out += opening ? kLeftDoubleQuote : kRightDoubleQuote;
      } else {
        out += opening ? kLeftSingleQuote : kRightSingleQuote;
      }
      continue;
    }
    if (style == Quotes::kStraight) {
      const std::string_view rest = text.substr(i);
      if (rest.starts_with(kLeftDoubleQuote) || rest.starts_with(kRightDoubleQuote)) {
        out += '"';
        i += 2;
        continue;
      }
      if (rest.starts_with(kLeftSingleQuote) || rest.starts_with(kRightSingleQuote)) {
        out += '\'';
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

void UpperCase(std::string& text, uint64_t key) {
  uint64_t word = 0;
  size_t line_begin = 0;
  while (line_begin <= text.size()) {
    const size_t line_end = std::min(text.find('\n', line_begin), text.size());
    const bool heading = line_end - line_begin <= kHeadingMaxBytes;
    bool upper_word = false;
    for (size_t i = line_begin; i < line_end; ++i) {
      if (i == line_begin || IsSpace(text[i - 1])) {
        upper_word = UnitAt(key, word++) < kUpperWordRate;
      }
      if (heading || upper_word) text[i] = AsciiUpper(text[i]);
    }
    line_begin = line_end + 1;
  }
}

std::string Rewrap(std::string_view text, size_t width) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  ForEachLine(text, [&](std::string_view line) {
    if (!out.empty()) out += "\n\n";
    size_t column = 0;
    ForEachToken(line, [&](std::string_view word) {
      if (column > 0 && column + 1 + word.size() > width) {
        out += '\n';
        column = 0;
      } else if (column > 0) {
        out += ' ';
        ++column;
      }
      out += word;
      column += word.size();
    });
  });
  return out;
}

std::string DoubleSpaces(std::string_view text, uint64_t key) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == ' ' && (IsSentenceBreak(text, i) || UnitAt(key, i) < kDoubleSpaceRate)) {
      out += ' ';
    }
  }
  return out;
}

std::string AddTrailingSpaces(std::string_view text, uint64_t key) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  uint64_t line = 0;
  auto pad = [&] {
    if (line == 0 || UnitAt(key, line) < kTrailingSpaceRate) {
      out.append(1 + Mix64(key + line) % 3, ' ');
    }
    ++line;
  };
  for (const char c : text) {
    if (c == '\n') pad();
    out += c;
  }
  pad();
  return out;
}

std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (const char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace neardup::gen
