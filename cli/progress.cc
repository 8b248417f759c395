#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace neardup::cli {

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressPrinter::ProgressPrinter(bool enabled, bool terminal)
    : enabled_(enabled),
      terminal_(terminal),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressFn ProgressPrinter::Callback() {
  if (!enabled_) return {};
  return [this](const Progress& p) { Draw(p); };
}

void ProgressPrinter::Draw(const Progress& p) {
  const auto now = std::chrono::steady_clock::now();
  // Redraw at most five times a second (once a second into a file); always
  // draw the final state.
  const auto interval = std::chrono::milliseconds(terminal_ ? 200 : 1000);
  if (!p.done && now - last_draw_ < interval) return;
  last_draw_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double mb = static_cast<double>(p.bytes_read) / 1e6;
  const double docs_rate = secs > 0 ? static_cast<double>(p.documents) / secs : 0;
  const double mb_rate = secs > 0 ? mb / secs : 0;
  char eta[32] = "";
  if (!p.done && p.bytes_total > 0 && p.bytes_read > 0 && p.bytes_read < p.bytes_total) {
    const double left = secs * static_cast<double>(p.bytes_total - p.bytes_read) /
                        static_cast<double>(p.bytes_read);
    const long s = static_cast<long>(left);
    std::snprintf(eta, sizeof(eta), "  ETA %ld:%02ld", s / 60, s % 60);
  }
  std::fprintf(stderr, "%s%llu docs  %.1f MB  %.0f docs/s  %.1f MB/s%s%s",
               terminal_ ? "\r\033[K" : "", static_cast<unsigned long long>(p.documents), mb,
               docs_rate, mb_rate, eta, p.done || !terminal_ ? "\n" : "");
  std::fflush(stderr);
}

void PrintSummary(const RunStats& s, Level level, double seconds) {
  // The story level compares candidates on data kept from the first read and
  // re-reads cluster representatives for their salient words; the near level
  // decides some pairs exactly, in one or more reads with their own timer.
  const bool story = level == Level::kStory;
  std::string reads, exact, joined;
  if (s.joined_pairs > 0) joined = ", " + std::to_string(s.joined_pairs) + " already joined";
  if (story && s.phrase_pairs > 0) {  // StoryOptions::phrase_*: documents read again for it
    joined += ", " + std::to_string(s.phrase_pairs) + " phrase-gated (" +
              std::to_string(s.phrase_documents) + " documents read for word pairs)";
  }
  if (s.reread_passes > 0) {
    reads = ", " + std::to_string(s.reread_passes) + " reads";
    char buf[64];
    std::snprintf(buf, sizeof(buf), ", of which exact check %.2f s", s.exact_seconds);
    exact = buf;
  }
  if (s.access_point_bytes > 0) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), ", access points %.1f MB",
                  static_cast<double>(s.access_point_bytes) / 1e6);
    exact += buf;
  }
  if (s.spill_bytes > 0) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), ", decoded copies %.1f MB on disk",
                  static_cast<double>(s.spill_bytes) / 1e6);
    exact += buf;
  }
  std::fprintf(stderr,
               "neardup: %llu documents (%.1f MB), %llu clusters, %llu kept, %llu duplicates, "
               "%llu empty, %llu truncated, %llu invalid UTF-8 bytes repaired; %llu candidate "
               "pairs, %llu %s%s (%llu documents re-read%s); %.2f s (read+sign %.2f s, cluster "
               "%.2f s%s)\n",
               static_cast<unsigned long long>(s.documents), static_cast<double>(s.bytes) / 1e6,
               static_cast<unsigned long long>(s.clusters),
               static_cast<unsigned long long>(s.documents - s.duplicates),
               static_cast<unsigned long long>(s.duplicates),
               static_cast<unsigned long long>(s.empty_documents),
               static_cast<unsigned long long>(s.truncated_documents),
               static_cast<unsigned long long>(s.repaired_bytes),
               static_cast<unsigned long long>(s.candidate_pairs),
               static_cast<unsigned long long>(s.exact_checks),
               story ? "compared" : "decided exactly", joined.c_str(),
               static_cast<unsigned long long>(s.reread_documents), reads.c_str(), seconds,
               s.read_sign_seconds, s.cluster_seconds, exact.c_str());
}

void PrintNearSummary(const RunStats& s, const PipelineOptions& options) {
  if (options.level != Level::kNear) return;
  if (s.lsh.bands > 0) {
    // The S-curve of the banding in force: a pair of Jaccard J shares at
    // least one of b bands of r rows with probability 1 - (1 - J^r)^b.
    std::string curve;
    for (const double j : {0.5, 0.7, 0.8, 0.9, 0.95}) {
      char buf[48];
      std::snprintf(buf, sizeof(buf), "%sJ=%g %.4f", curve.empty() ? "" : ", ", j,
                    CandidateProbability(j, s.lsh));
      curve += buf;
    }
    std::fprintf(stderr, "neardup: LSH %d bands x %d rows; chance of becoming a candidate: %s\n",
                 s.lsh.bands, s.lsh.rows, curve.c_str());
  }
  if (options.chain_guard && options.containment == 0) {
    std::fprintf(stderr,
                 "neardup: chain guard: %llu clusters split into %llu; %llu (center, member) "
                 "pairs checked, %llu decided exactly, %llu on the estimate\n",
                 static_cast<unsigned long long>(s.chain_splits),
                 static_cast<unsigned long long>(s.chain_parts),
                 static_cast<unsigned long long>(s.chain_pairs),
                 static_cast<unsigned long long>(s.chain_exact_checks),
                 static_cast<unsigned long long>(s.chain_estimated));
    if (options.chain_anchor != KeptAnchor::kCenter) {
      std::fprintf(stderr,
                   "neardup: chain anchor %s: %llu parts changed; %llu (kept, member) pairs "
                   "checked\n",
                   KeptAnchorName(options.chain_anchor),
                   static_cast<unsigned long long>(s.chain_anchor_changed),
                   static_cast<unsigned long long>(s.chain_anchor_pairs));
    }
  }
}

void PrintIndexSummary(const RunStats& s) {
  std::fprintf(stderr,
               "neardup: against the index: %llu candidate pairs, %llu matches (%llu decided "
               "exactly, %llu on the estimate: earlier input gone), %llu earlier clusters "
               "joined\n",
               static_cast<unsigned long long>(s.prior_candidates),
               static_cast<unsigned long long>(s.prior_matches),
               static_cast<unsigned long long>(s.prior_exact_checks),
               static_cast<unsigned long long>(s.prior_estimated),
               static_cast<unsigned long long>(s.merged_clusters));
}

}  // namespace neardup::cli
