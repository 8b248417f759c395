#include "printers.h"

#include <neardup/io.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace neardup::cli {

namespace {
bool g_stdout_pipe_closed = false;
}  // namespace

bool StdoutPipeClosed() { return g_stdout_pipe_closed; }

Status Output::Write(const std::string& bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    if (errno == EPIPE && file_ == stdout) g_stdout_pipe_closed = true;
    return Status::IOError(std::string("write failed: ") + std::strerror(errno));
  }
  return Status::OK();
}

Status Output::Flush() {
  if (std::fflush(file_) != 0) {
    if (errno == EPIPE && file_ == stdout) g_stdout_pipe_closed = true;
    return Status::IOError(std::string("write failed: ") + std::strerror(errno));
  }
  return Status::OK();
}

std::string FormatNumber(double value) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

std::string ClusterJson(const ClusterReport& cluster) {
  std::string out = "{\"cluster\": " + std::to_string(cluster.id) + ", \"level\": \"" +
                    LevelName(cluster.level) + "\", \"representative\": ";
  AppendJsonString(cluster.representative->id, &out);
  out += ", \"members\": [";
  for (std::size_t i = 0; i < cluster.members.size(); ++i) {
    const ClusterReport::Member& m = cluster.members[i];
    out += i == 0 ? "{\"id\": " : ", {\"id\": ";
    AppendJsonString(m.doc->id, &out);
    out += ", \"source\": ";
    AppendJsonString(m.doc->source.ToString(), &out);
    out += ", \"similarity\": " + FormatNumber(m.similarity) + "}";
  }
  out += "]}\n";
  return out;
}

std::string DecisionJson(const Decision& d) {
  std::string out = "{\"id\": ";
  AppendJsonString(d.doc->id, &out);
  out += ", \"source\": ";
  AppendJsonString(d.doc->source.ToString(), &out);
  out += ", \"cluster\": " + (d.cluster ? std::to_string(*d.cluster) : std::string("null"));
  out += d.kept ? ", \"kept\": true" : ", \"kept\": false";
  out += ", \"duplicate_of\": ";
  if (d.duplicate_of != nullptr) {
    AppendJsonString(d.duplicate_of->id, &out);
  } else {
    out += "null";
  }
  out += ", \"similarity\": " + (d.similarity ? FormatNumber(*d.similarity) : std::string("null"));
  out += "}\n";
  return out;
}

Status ClusterJsonlSink::OnCluster(const ClusterReport& cluster) {
  return out_.Write(ClusterJson(cluster));
}

Status ClusterTextSink::OnCluster(const ClusterReport& cluster) {
  std::string out = "cluster " + std::to_string(cluster.id) + " (" + LevelName(cluster.level) +
                    ", " + std::to_string(cluster.members.size()) + " documents)\n";
  for (const ClusterReport::Member& m : cluster.members) {
    char sim[16];
    std::snprintf(sim, sizeof(sim), "%.3f", m.similarity);
    out += std::string("  ") + sim + "  " + m.doc->id +
           (m.doc == cluster.representative ? "  (representative)\n" : "\n");
  }
  return out_.Write(out);
}

Status DecisionJsonlSink::OnDecision(const Decision& decision) {
  kept_[decision.doc->input].push_back(decision.kept);
  return out_.Write(DecisionJson(decision));
}

}  // namespace neardup::cli
