// The report phase of Pipeline::Run: clusters in id order, then one decision
// per document in input order, then the earlier clusters joined to older ones.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// Clusters, or decisions, handed to the sink in one call: enough to keep
// both threads busy formatting, few enough to hold (a few MB of reports).
constexpr std::size_t kReportChunk = 4096;

}  // namespace

std::vector<std::vector<ClusterReport::Member>> StoryMemberReports(
    std::span<const Cluster> clusters, const std::deque<DocumentInfo>& infos,
    const std::vector<bool>& is_copy, const StoryRun& run, const PipelineOptions& options) {
  std::vector<std::vector<ClusterReport::Member>> story_members(clusters.size());
  const std::vector<DocIndex>& original_of = run.original_of;
  const bool explained = !run.explained.empty();
  tbb::enumerable_thread_specific<CompareScratch> scratch;
  tbb::parallel_for(std::size_t{0}, story_members.size(), [&](std::size_t ci) {
    const Cluster& c = clusters[ci];
    const DocIndex rep = original_of[c.representative];
    // A document's text: the full one when explained, else its vector's
    // (the representative's made once, when a member needs it).
    std::optional<StoryText> rep_vector;
    auto text_of = [&](DocIndex d, std::optional<StoryText>* buffer) -> const StoryText& {
      if (explained) return *run.explained[d];
      if (!*buffer) *buffer = run.vectors.Expand(d);
      return **buffer;
    };
    for (const ClusterMember& m : c.members) {
      ClusterReport::Member member{&infos[m.doc], m.similarity, std::nullopt, {}, {}};
      if (!is_copy[m.doc]) member.link = run.link_of[m.doc];
      const DocIndex d = original_of[m.doc];
      if (m.doc != c.representative && run.vectors.has(rep) && run.vectors.has(d) && d != rep) {
        std::optional<StoryText> x_vector;
        const StoryText& rep_text = text_of(rep, &rep_vector);
        const StoryText& x = text_of(d, &x_vector);
        member.evidence = CompareStories(rep_text, x, options.story.compare, scratch.local());
        if (std::binary_search(run.subject_pairs.begin(), run.subject_pairs.end(),
                               std::make_pair(d, rep))) {
          WithdrawnExemption(rep_text, x, options.story.compare, &*member.evidence);
        }
        if (options.story.shared_terms) member.shared_terms = SharedSalientTerms(rep_text, x);
      }
      story_members[ci].push_back(std::move(member));
    }
  });
  return story_members;
}

Status ReportRun(const ReportInput& in, DecisionSink& sink, RunStats* stats) {
  const DocIndex k = in.k;
  const std::deque<DocumentInfo>& infos = *in.infos;
  auto node_info = [&](DocIndex x) -> const DocumentInfo& {
    return x < k ? (*in.prior_infos)[x] : infos[x - k];
  };
  // Every node is in one cluster at most, so the clusters fill these apart.
  std::vector<const Cluster*> cluster_of(k + infos.size(), nullptr);
  std::vector<double> similarity_of(k + infos.size(), 0.0);
  tbb::parallel_for(std::size_t{0}, in.clusters.size(), [&](std::size_t i) {
    for (const ClusterMember& m : in.clusters[i].members) {
      cluster_of[m.doc] = &in.clusters[i];
      similarity_of[m.doc] = m.similarity;
    }
  });
  // Clusters and decisions go out in chunks (DecisionSink::OnClusters,
  // OnDecisions), each built on the run's threads; the sink may format a
  // chunk on them too.
  std::vector<ClusterReport> reports;
  for (std::size_t begin = 0; begin < in.clusters.size(); begin += kReportChunk) {
    const std::size_t end = std::min(in.clusters.size(), begin + kReportChunk);
    reports.assign(end - begin, ClusterReport{});
    tbb::parallel_for(begin, end, [&](std::size_t i) {
      const Cluster& c = in.clusters[i];
      ClusterReport& report = reports[i - begin];
      report = ClusterReport{c.id, in.level, &node_info(c.representative), {}};
      if (in.members != nullptr) {
        report.members = std::move((*in.members)[static_cast<std::size_t>(c.id)]);
      } else {
        report.members.reserve(c.members.size());
      }
      for (const ClusterMember& m : c.members) {
        if (in.members == nullptr) {
          report.members.push_back({&node_info(m.doc), m.similarity, std::nullopt, {}, {}});
        }
        if (in.near_evidence && m.doc != c.representative) {
          report.members.back().near = in.near_evidence(m.doc, c.representative);
        }
      }
    });
    NEARDUP_RETURN_IF_ERROR(sink.OnClusters(reports));
  }
  reports = {};
  const std::span<const SkippedRecord> skipped = in.skipped;
  stats->skipped = skipped.size();
  std::size_t next_skipped = 0;
  std::vector<Decision> decisions;
  for (std::size_t begin = 0; begin < infos.size();) {
    // A skipped record goes out before the decision of the document read
    // after it, so a chunk ends where the next one was read.
    for (; next_skipped < skipped.size() && skipped[next_skipped].documents_before <= begin;
         ++next_skipped) {
      NEARDUP_RETURN_IF_ERROR(sink.OnSkipped(skipped[next_skipped]));
    }
    std::size_t end = std::min(infos.size(), begin + kReportChunk);
    if (next_skipped < skipped.size()) {
      end = std::min<std::size_t>(end, skipped[next_skipped].documents_before);
    }
    decisions.assign(end - begin, Decision{});
    tbb::parallel_for(begin, end, [&](std::size_t i) {
      const DocumentInfo& info = infos[i];
      Decision& decision = decisions[i - begin];
      decision = Decision{&info, std::nullopt, true, nullptr, std::nullopt};
      if (const Cluster* c = cluster_of[k + info.index]) {
        decision.cluster = c->id;
        decision.kept = c->representative == k + info.index;
        if (!decision.kept) decision.duplicate_of = &node_info(c->representative);
        decision.similarity = similarity_of[k + info.index];
        decision.cluster_size = static_cast<std::uint32_t>(c->members.size());
      }
    });
    for (const Decision& d : decisions) stats->duplicates += !d.kept;
    NEARDUP_RETURN_IF_ERROR(sink.OnDecisions(decisions));
    begin = end;
  }
  for (; next_skipped < skipped.size(); ++next_skipped) {
    NEARDUP_RETURN_IF_ERROR(sink.OnSkipped(skipped[next_skipped]));
  }
  // Incremental runs: earlier clusters joined to older ones, by earlier document.
  std::vector<std::pair<DocIndex, const Cluster*>> merged;
  for (const Cluster& c : in.clusters) {
    for (const ClusterMember& m : c.members) {
      if (m.doc < k && m.doc != c.representative) merged.emplace_back(m.doc, &c);
    }
  }
  std::sort(merged.begin(), merged.end());
  for (const auto& [node, c] : merged) {
    NEARDUP_RETURN_IF_ERROR(sink.OnEarlierMerged(
        (*in.prior_infos)[node], node_info(c->representative), similarity_of[node]));
  }
  return Status::OK();
}

}  // namespace neardup::internal
