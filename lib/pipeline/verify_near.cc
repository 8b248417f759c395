// Near-level verification: estimates where they are conclusive, exact
// Jaccard where they are not.
//
// The MinHash estimate of Jaccard J has standard error sqrt(J(1-J)/k)
// (Broder 1997): 0.035 at J = 0.8, k = 128. Deciding a pair whose true
// similarity is 0.84 on the estimate alone would miss it about one time in
// eight, which is why estimates near the threshold are not trusted.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

struct Scratch {
  NormalizedText normalized;
  std::vector<std::uint64_t> shingles;
};

// Sorted, duplicate-free shingle hashes of every document marked in `needed`.
Result<std::vector<std::vector<std::uint64_t>>> ShingleSets(
    const std::vector<bool>& needed, const PipelineOptions& options,
    const Pipeline::InputFactory& open_input) {
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  std::vector<std::vector<std::uint64_t>> sets(needed.size());
  tbb::enumerable_thread_specific<Scratch> scratch;
  std::size_t seen = 0;
  Status status = ForEachBatch(
      *reader.value(), options, [&](std::vector<Document>& batch, DocIndex first) -> Status {
        seen = first + batch.size();
        if (seen > needed.size()) return Status::InvalidInput("input grew between two reads");
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!needed[d]) return;
          Scratch& s = scratch.local();
          Normalize(SignedText(batch[i], options), options.normalize, &s.normalized);
          ShingleHashes(s.normalized, options.shingle, &s.shingles);
          std::vector<std::uint64_t>& set = sets[d];
          set.assign(s.shingles.begin(), s.shingles.end());
          std::sort(set.begin(), set.end());
          set.erase(std::unique(set.begin(), set.end()), set.end());
        });
        return Status::OK();
      });
  if (!status.ok()) return status;
  if (seen != needed.size()) return Status::InvalidInput("input shrank between two reads");
  return sets;
}

double SortedSetJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t uni = a.size() + b.size() - common;
  return uni == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(uni);
}

}  // namespace

Result<std::vector<SimilarityEdge>> VerifyNear(std::span<const CandidatePair> candidates,
                                               const SimilarityFn& estimate,
                                               const PipelineOptions& options,
                                               const Pipeline::InputFactory& open_input,
                                               std::size_t num_docs, RunStats* stats) {
  const double t = options.lsh.threshold;
  const double margin = options.exact_margin * std::sqrt(t * (1 - t) / options.minhash.num_perm);
  // Everything the estimate cannot rule out; those within the margin of the
  // threshold are then decided exactly.
  std::vector<SimilarityEdge> edges = Verify(candidates, estimate, t - margin);
  std::vector<bool> needed(num_docs, false);
  for (const SimilarityEdge& e : edges) {
    if (e.similarity <= t + margin) needed[e.a] = needed[e.b] = true;
  }
  const auto reread = static_cast<std::uint64_t>(std::count(needed.begin(), needed.end(), true));
  if (reread > 0) {
    Result<std::vector<std::vector<std::uint64_t>>> sets = ShingleSets(needed, options, open_input);
    if (!sets.ok()) return sets.status();
    std::atomic<std::uint64_t> checks{0};
    tbb::parallel_for(std::size_t{0}, edges.size(), [&](std::size_t i) {
      SimilarityEdge& e = edges[i];
      if (e.similarity > t + margin) return;
      e.similarity = SortedSetJaccard(sets.value()[e.a], sets.value()[e.b]);
      checks.fetch_add(1, std::memory_order_relaxed);
    });
    stats->exact_checks = checks.load();
    stats->reread_documents = reread;
  }
  std::erase_if(edges, [t](const SimilarityEdge& e) { return e.similarity < t; });
  return edges;
}

}  // namespace neardup::internal
