// Which member of a cluster is kept: the rules of --keep, and the priority
// file's syntax (KeepPattern in pipeline.h).
#include <fnmatch.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "neardup/pipeline.h"

namespace neardup {
namespace {

// A glob fnmatch(3) would read differently from what its writer meant: an
// escape with nothing after it, or a `[` set that never closes (fnmatch then
// matches the `[` literally, silently).
std::string GlobProblem(std::string_view glob) {
  for (std::size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '\\') {
      if (i + 1 == glob.size()) return "a backslash at the end escapes nothing";
      ++i;
    } else if (glob[i] == '[') {
      std::size_t j = i + 1;
      if (j < glob.size() && (glob[j] == '!' || glob[j] == '^')) ++j;
      if (j < glob.size() && glob[j] == ']') ++j;  // a leading ] is a member
      while (j < glob.size() && glob[j] != ']') ++j;
      if (j == glob.size()) return "unclosed [";
      i = j;
    }
  }
  return "";
}

std::string_view Trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool Matches(const std::string& glob, const std::string& value) {
  return ::fnmatch(glob.c_str(), value.c_str(), 0) == 0;
}

}  // namespace

const char* KeepRuleName(KeepRule rule) {
  switch (rule) {
    case KeepRule::kEarliest:
      return "earliest";
    case KeepRule::kLongest:
      return "longest";
    case KeepRule::kLatest:
      return "latest";
    case KeepRule::kPriority:
      return "priority";
  }
  return "?";
}

Result<std::vector<KeepPattern>> ParseKeepRules(std::string_view text, const std::string& file) {
  std::vector<KeepPattern> rules;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_number;
    const std::string where = file + ":" + std::to_string(line_number);
    if (line.empty() || line.front() == '#') continue;
    if (line.find('\0') != std::string_view::npos) {
      return Status::InvalidInput(where + ": a NUL byte in a rule");
    }
    KeepPattern rule;
    rule.where = where;
    static constexpr std::pair<std::string_view, KeepPattern::Field> kPrefixes[] = {
        {"path:", KeepPattern::Field::kPath},
        {"source:", KeepPattern::Field::kSource},
        {"url:", KeepPattern::Field::kUrl}};
    for (const auto& [prefix, field] : kPrefixes) {
      if (line.starts_with(prefix)) {
        rule.field = field;
        line = Trim(line.substr(prefix.size()));
        if (line.empty()) {
          return Status::InvalidInput(where + ": no glob after \"" + std::string(prefix) + "\"");
        }
        break;
      }
    }
    if (std::string problem = GlobProblem(line); !problem.empty()) {
      return Status::InvalidInput(where + ": " + problem + " in \"" + std::string(line) + "\"");
    }
    rule.glob = std::string(line);
    rules.push_back(std::move(rule));
  }
  if (rules.empty())
    return Status::InvalidInput(file + ": no rules (only blank lines or comments)");
  return rules;
}

Result<std::vector<KeepPattern>> LoadKeepRules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return ParseKeepRules(text.str(), path);
}

bool KeepPatternMatches(const KeepPattern& pattern, const DocumentInfo& info) {
  using Field = KeepPattern::Field;
  const bool any = pattern.field == Field::kAny;
  if ((any || pattern.field == Field::kPath) && Matches(pattern.glob, info.source.file)) {
    return true;
  }
  if ((any || pattern.field == Field::kSource) && Matches(pattern.glob, info.source.ToString())) {
    return true;
  }
  return (any || pattern.field == Field::kUrl) && !info.url.empty() &&
         Matches(pattern.glob, info.url);
}

}  // namespace neardup
