// Readers for the files `neardup eval` takes.
#include <simdjson.h>

#include <fstream>

#include "neardup/eval.h"

namespace neardup {
namespace {

std::string Where(const std::string& path, std::uint64_t line) {
  return path + ":" + std::to_string(line);
}

// Calls fn(line, line_number) for every line that is not blank; strips a
// trailing '\r' so files written on Windows read the same.
template <typename Fn>
Status ForEachLine(const std::string& path, Fn fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::string line;
  std::uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    NEARDUP_RETURN_IF_ERROR(fn(line, number));
  }
  if (in.bad()) return Status::IOError(path + ": read error");
  return Status::OK();
}

}  // namespace

Result<Labeling> ReadLabelsTsv(const std::string& path) {
  Labeling labels;
  Status s = ForEachLine(path, [&](const std::string& line, std::uint64_t number) -> Status {
    if (line[0] == '#') return Status::OK();
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 == line.size()) {
      return Status::InvalidInput(Where(path, number) + ": expected \"id<TAB>label\"");
    }
    if (!labels.emplace(line.substr(0, tab), line.substr(tab + 1)).second) {
      return Status::InvalidInput(Where(path, number) + ": id \"" + line.substr(0, tab) +
                                  "\" listed twice");
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return labels;
}

Result<Labeling> ReadClustersJsonl(const std::string& path) {
  Labeling clusters;
  std::unordered_map<std::string, std::uint64_t> line_of_cluster;
  simdjson::dom::parser parser;
  Status s = ForEachLine(path, [&](const std::string& line, std::uint64_t number) -> Status {
    const std::string where = Where(path, number);
    simdjson::dom::element root;
    if (auto err = parser.parse(line).get(root)) {
      return Status::InvalidInput(where + ": malformed JSON: " + simdjson::error_message(err));
    }
    simdjson::dom::element cluster;
    simdjson::dom::array members;
    if (root["cluster"].get(cluster) || root["members"].get_array().get(members)) {
      return Status::InvalidInput(where + ": expected fields \"cluster\" and \"members\"");
    }
    const std::string label = simdjson::minify(cluster);
    if (auto [it, inserted] = line_of_cluster.emplace(label, number); !inserted) {
      return Status::InvalidInput(where + ": cluster " + label + " already listed on line " +
                                  std::to_string(it->second));
    }
    for (simdjson::dom::element member : members) {
      std::string_view id;
      if (member["id"].get_string().get(id)) {
        return Status::InvalidInput(where + ": a member has no string \"id\"");
      }
      if (!clusters.emplace(std::string(id), label).second) {
        return Status::InvalidInput(where + ": document \"" + std::string(id) +
                                    "\" is in more than one cluster");
      }
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return clusters;
}

Result<std::vector<std::string>> ReadIdList(const std::string& path) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::uint64_t> line_of;
  Status s = ForEachLine(path, [&](const std::string& line, std::uint64_t number) -> Status {
    if (auto [it, inserted] = line_of.emplace(line, number); !inserted) {
      return Status::InvalidInput(Where(path, number) + ": id \"" + line +
                                  "\" already listed on line " + std::to_string(it->second));
    }
    ids.push_back(line);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return ids;
}

}  // namespace neardup
