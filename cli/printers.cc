#include "printers.h"

#include <neardup/io.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "cleanup.h"

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

Result<OutputTarget> OutputTarget::Open(const std::string& path,
                                        const std::vector<std::string>& inputs) {
  OutputTarget target;
  if (!path.empty()) {
    NEARDUP_RETURN_IF_ERROR(CheckOutputApart(path, inputs));
    Result<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
    if (!file.ok()) return file.status();
    target.file_ = std::move(file).value();
    ReportLeftovers(target.file_->removed_leftovers());
    target.remove_on_signal_ = std::make_unique<RemoveOnSignal>(target.file_->temp_path());
  }
  return target;
}

Status OutputTarget::Finish() { return file_ ? file_->Commit() : Output(stdout).Flush(); }

std::string FormatNumber(double value) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, result.ptr);
}

std::string EscapeForTerminal(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  // `prefix` and two hex digits of `value`.
  auto hex = [](std::string* out, const char* prefix, unsigned value) {
    *out += prefix;
    *out += kHex[(value >> 4) & 15];
    *out += kHex[value & 15];
  };
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        hex(&out, "\\x", c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence (no overlong forms or surrogates) is
    // copied, but for the C1 controls U+0080-U+009F that terminals obey.
    const std::size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    bool valid = length > 0 && c <= 0xf4 && i + length <= bytes.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) & 0xc0) == 0x80;
    }
    if (valid && length > 2) {
      const auto second = static_cast<unsigned char>(bytes[i + 1]);
      valid = !(c == 0xe0 && second < 0xa0) && !(c == 0xed && second >= 0xa0) &&
              !(c == 0xf0 && second < 0x90) && !(c == 0xf4 && second >= 0x90);
    }
    if (!valid) {
      hex(&out, "\\x", c);
      ++i;
      continue;
    }
    const auto second = static_cast<unsigned char>(bytes[i + 1]);
    if (c == 0xc2 && second < 0xa0) {
      hex(&out, "\\u00", second);
    } else {
      out.append(bytes.substr(i, length));
    }
    i += length;
  }
  return out;
}

namespace {

// Story level: "representative", "exact copy" (same normalized text as a
// member the story comparison covered) or "story".
const char* EvidenceKind(const ClusterReport& cluster, const ClusterReport::Member& m) {
  if (m.doc == cluster.representative) return "representative";
  return m.evidence ? "story" : "exact copy";
}

constexpr std::size_t kExplainTerms = 12;  // shared salient words listed per member

// ", \"link\": {...}" when the member has one (ClusterReport::Member::link).
std::string LinkJson(const ClusterReport::Member& m) {
  if (!m.link) return "";
  std::string out = ", \"link\": {\"joined\": ";
  AppendJsonString(m.link->with->id, &out);
  return out + ", \"group_size\": " + std::to_string(m.link->group_size) +
         ", \"average\": " + FormatNumber(m.link->average) + "}";
}

// The phrase gate's part (StoryEvidence::marks_share, phrase_*).
std::string PhraseJson(const StoryEvidence& e) {
  std::string out = ", \"marks_share\": " + FormatNumber(e.marks_share);
  if (!e.phrase_gated) return out;
  return out + ", \"phrase\": {\"containment\": " + FormatNumber(e.phrase_containment) +
         ", \"gate\": " + FormatNumber(e.phrase_gate) +
         (e.phrase_subject ? ", \"subject_name\": true}" : "}");
}

std::string ExplainJson(const ClusterReport::Member& m) {
  const StoryEvidence& e = *m.evidence;
  std::string out = "{\"cosine\": " + FormatNumber(e.cosine) +
                    ", \"dateline_conflict\": " + (e.dateline_conflict ? "true" : "false") +
                    ", \"coverage\": " + FormatNumber(e.coverage) +
                    ", \"numbers\": " + FormatNumber(e.numbers) +
                    ", \"aligned_sentences\": " + std::to_string(e.aligned_sentences) +
                    ", \"shared_numbers\": " + std::to_string(e.shared_numbers) +
                    ", \"numbers_in_either\": " + std::to_string(e.union_numbers) + PhraseJson(e) +
                    ", \"shared_terms\": [";
  for (std::size_t i = 0; i < m.shared_terms.size() && i < kExplainTerms; ++i) {
    if (i > 0) out += ", ";
    AppendJsonString(m.shared_terms[i], &out);
  }
  return out + "]" + LinkJson(m) + "}";
}

// Near level, --explain: the member against its representative
// (ClusterReport::Member::NearEvidence); docs/FORMATS.md lists the fields.
std::string NearExplainJson(const ClusterReport::Member::NearEvidence& e) {
  return std::string("{\"measure\": \"") + (e.containment ? "containment" : "jaccard") +
         "\", \"estimate\": " + FormatNumber(e.estimate) +
         ", \"standard_error\": " + FormatNumber(e.standard_error) +
         ", \"checked_exactly\": " + (e.exact ? "true" : "false") +
         ", \"exact\": " + (e.exact ? FormatNumber(*e.exact) : std::string("null")) +
         ", \"band\": " + (e.band ? std::to_string(*e.band) : std::string("null")) + "}";
}

// The same as a line of the text listing.
std::string NearExplainText(const ClusterReport::Member::NearEvidence& e) {
  char line[160];
  std::snprintf(line, sizeof(line), "         %s estimate %.3f +- %.3f",
                e.containment ? "containment" : "Jaccard", e.estimate, e.standard_error);
  std::string out = line;
  if (e.exact) {
    std::snprintf(line, sizeof(line), ", exact %.3f", *e.exact);
    out += line;
  }
  out += e.band ? ", candidate by band " + std::to_string(*e.band)
                : std::string(", no shared band (joined through other members)");
  return out + "\n";
}

}  // namespace

std::string ClusterJson(const ClusterReport& cluster, bool explain) {
  std::string out = "{\"cluster\": " + std::to_string(cluster.id) +
                    ", \"cluster_size\": " + std::to_string(cluster.members.size()) +
                    ", \"level\": \"" + LevelName(cluster.level) + "\", \"representative\": ";
  AppendJsonString(cluster.representative->id, &out);
  out += ", \"members\": [";
  for (std::size_t i = 0; i < cluster.members.size(); ++i) {
    const ClusterReport::Member& m = cluster.members[i];
    out += i == 0 ? "{\"id\": " : ", {\"id\": ";
    AppendJsonString(m.doc->id, &out);
    out += ", \"source\": ";
    AppendJsonString(m.doc->source.ToString(), &out);
    if (!m.doc->url.empty()) {
      out += ", \"url\": ";
      AppendJsonString(m.doc->url, &out);
    }
    out += ", \"similarity\": " + FormatNumber(m.similarity);
    if (cluster.level == Level::kStory) {
      out += std::string(", \"evidence\": \"") + EvidenceKind(cluster, m) + "\"";
      if (explain && m.evidence) {
        out += ", \"explain\": " + ExplainJson(m);
      } else if (explain && m.link) {  // the representative
        out += ", \"explain\": {" + LinkJson(m).substr(2) + "}";
      }
    }
    if (explain && m.near) out += ", \"explain\": " + NearExplainJson(*m.near);
    out += "}";
  }
  out += "]}\n";
  return out;
}

// `batch`: index add (DecisionJsonlSink's batch), which adds duplicate_of_batch.
std::string DecisionJson(const Decision& d, const std::optional<std::string>& batch) {
  std::string out = "{\"id\": ";
  AppendJsonString(d.doc->id, &out);
  out += ", \"source\": ";
  AppendJsonString(d.doc->source.ToString(), &out);
  if (!d.doc->url.empty()) {
    out += ", \"url\": ";
    AppendJsonString(d.doc->url, &out);
  }
  out += ", \"cluster\": " + (d.cluster ? std::to_string(*d.cluster) : std::string("null"));
  out += ", \"cluster_size\": " + std::to_string(d.cluster_size);
  out += d.kept ? ", \"kept\": true" : ", \"kept\": false";
  out += ", \"duplicate_of\": ";
  if (d.duplicate_of != nullptr) {
    AppendJsonString(d.duplicate_of->id, &out);
    // The id alone may name several documents (RunStats::repeated_ids).
    out += ", \"duplicate_of_source\": ";
    AppendJsonString(d.duplicate_of->source.ToString(), &out);
  } else {
    out += "null, \"duplicate_of_source\": null";
  }
  if (batch) {
    out += ", \"duplicate_of_batch\": ";
    if (d.duplicate_of == nullptr) {
      out += "null";
    } else {
      AppendJsonString(d.duplicate_of->batch.empty() ? *batch : d.duplicate_of->batch, &out);
    }
  }
  out += ", \"similarity\": " + (d.similarity ? FormatNumber(*d.similarity) : std::string("null"));
  out += "}\n";
  return out;
}

std::string SkippedJson(const SkippedRecord& s, bool with_batch) {
  std::string out = "{\"id\": ";
  AppendJsonString(s.id, &out);
  out += ", \"source\": ";
  AppendJsonString(s.source.ToString(), &out);
  out +=
      ", \"cluster\": null, \"cluster_size\": null, \"kept\": false, \"duplicate_of\": null, "
      "\"duplicate_of_source\": null";
  if (with_batch) out += ", \"duplicate_of_batch\": null";
  out += ", \"similarity\": null, \"skipped\": true, \"reason\": ";
  AppendJsonString(s.reason, &out);
  out += "}\n";
  return out;
}

namespace {

// format(i) for i in [0, n), formatted at once on the run's threads (a sink
// is called inside the run's TBB arena) into blocks of consecutive events,
// written to `out` in order: one write per block, not per event.
template <class Format>
Status WriteFormatted(Output& out, std::size_t n, const Format& format) {
  constexpr std::size_t kBlock = 256;
  std::vector<std::string> blocks((n + kBlock - 1) / kBlock);
  tbb::parallel_for(std::size_t{0}, blocks.size(), [&](std::size_t b) {
    for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
      blocks[b] += format(i);
    }
  });
  for (const std::string& block : blocks) NEARDUP_RETURN_IF_ERROR(out.Write(block));
  return Status::OK();
}

}  // namespace

Status ClusterJsonlSink::OnCluster(const ClusterReport& cluster) {
  return out_.Write(ClusterJson(cluster, explain_));
}

Status ClusterJsonlSink::OnClusters(std::span<const ClusterReport> clusters) {
  return WriteFormatted(out_, clusters.size(),
                        [&](std::size_t i) { return ClusterJson(clusters[i], explain_); });
}

Status ClusterTextSink::OnCluster(const ClusterReport& cluster) {
  return out_.Write(ClusterText(cluster, explain_));
}

Status ClusterTextSink::OnClusters(std::span<const ClusterReport> clusters) {
  return WriteFormatted(out_, clusters.size(),
                        [&](std::size_t i) { return ClusterText(clusters[i], explain_); });
}

std::string ClusterText(const ClusterReport& cluster, bool explain) {
  std::string out = "cluster " + std::to_string(cluster.id) + " (" + LevelName(cluster.level) +
                    ", " + std::to_string(cluster.members.size()) + " documents)\n";
  for (const ClusterReport::Member& m : cluster.members) {
    char sim[16];
    std::snprintf(sim, sizeof(sim), "%.3f", m.similarity);
    out += std::string("  ") + sim + "  " + EscapeForTerminal(m.doc->id);
    if (!m.doc->url.empty()) out += "  " + EscapeForTerminal(m.doc->url);
    out += m.doc == cluster.representative ? "  (representative)\n" : "\n";
    if (explain && m.link) {
      char line[96];
      std::snprintf(line, sizeof(line),
                    "         joined a group of %u at average similarity %.3f: ",
                    m.link->group_size, m.link->average);
      out +=
          line + EscapeForTerminal(m.link->with->id) + (m.link->group_size > 1 ? ", ...\n" : "\n");
    }
    if (explain && m.evidence) {
      const StoryEvidence& e = *m.evidence;
      char line[256];
      std::snprintf(line, sizeof(line),
                    "         cosine %.3f, sentence coverage %.3f (%u sentences aligned), "
                    "numbers %u of %u shared\n",
                    e.cosine, e.coverage, e.aligned_sentences, e.shared_numbers, e.union_numbers);
      out += line;
      if (e.phrase_gated) {
        std::snprintf(line, sizeof(line),
                      "         names and numbers %.0f%% of the cosine%s: phrase gate, word pairs "
                      "%.3f shared, similarity x %.3f\n",
                      100 * e.marks_share,
                      e.phrase_subject ? " (one shared name, the subject's)" : "",
                      e.phrase_containment, e.phrase_gate);
        out += line;
      }
      out += "         shared words:";
      for (std::size_t i = 0; i < m.shared_terms.size() && i < kExplainTerms; ++i) {
        out += (i == 0 ? " " : ", ") + EscapeForTerminal(m.shared_terms[i]);
      }
      out += "\n";
    } else if (explain && cluster.level == Level::kStory && m.doc != cluster.representative) {
      out += "         exact copy (same normalized text)\n";
    }
    if (explain && m.near) out += NearExplainText(*m.near);
  }
  return out;
}

Status DecisionJsonlSink::OnDecision(const Decision& decision) {
  kept_[decision.doc->input].push_back(decision.kept);
  return out_.Write(DecisionJson(decision, batch_));
}

Status DecisionJsonlSink::OnDecisions(std::span<const Decision> decisions) {
  for (const Decision& d : decisions) kept_[d.doc->input].push_back(d.kept);
  return WriteFormatted(out_, decisions.size(),
                        [&](std::size_t i) { return DecisionJson(decisions[i], batch_); });
}

Status DecisionJsonlSink::OnEarlierMerged(const DocumentInfo& earlier, const DocumentInfo& now,
                                          double similarity) {
  // The decision one dedup over all batches gives the earlier document.
  std::string out = "{\"id\": ";
  AppendJsonString(earlier.id, &out);
  out += ", \"source\": ";
  AppendJsonString(earlier.source.ToString(), &out);
  out += ", \"batch\": ";
  AppendJsonString(earlier.batch, &out);
  out += ", \"kept\": false, \"duplicate_of\": ";
  AppendJsonString(now.id, &out);
  out += ", \"duplicate_of_source\": ";
  AppendJsonString(now.source.ToString(), &out);
  out += ", \"duplicate_of_batch\": ";
  AppendJsonString(now.batch, &out);
  out += ", \"similarity\": " + FormatNumber(similarity) + "}\n";
  return merged_.Write(out);
}

Status DecisionJsonlSink::OnSkipped(const SkippedRecord& record) {
  kept_[record.input].push_back(false);
  return out_.Write(SkippedJson(record, batch_.has_value()));
}

}  // namespace neardup::cli
