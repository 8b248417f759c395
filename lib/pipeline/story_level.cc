// Story level: rarity, candidates from salient words, confirmation by
// CompareStories on re-read documents.
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

TermRarity BlendedRarity(const PipelineOptions& options, DocumentFrequencies input) {
  return TermRarity(options.story.use_background ? DefaultBackgroundFrequencies() : nullptr,
                    std::make_shared<const DocumentFrequencies>(std::move(input)),
                    options.story.input_weight_documents);
}

Result<TermRarity> StoryRarity(const PipelineOptions& options,
                               const Pipeline::InputFactory& open_input, RunStats* stats,
                               bool* count_in_pass) {
  std::shared_ptr<const DocumentFrequencies> input = options.statistics;
  *count_in_pass = false;
  if (!input && options.story.use_background && DefaultBackgroundFrequencies()) {
    *count_in_pass = true;
    return TermRarity(DefaultBackgroundFrequencies(), nullptr);
  }
  if (!input) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::unique_ptr<DocumentReader>> reader = open_input();
    if (!reader.ok()) return reader.status();
    Result<DocumentFrequencies> counted = CountFrequenciesInArena(*reader.value(), options);
    if (!counted.ok()) return counted.status();
    input = std::make_shared<const DocumentFrequencies>(std::move(counted).value());
    stats->frequencies_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::shared_ptr<const DocumentFrequencies> background;
  if (options.story.use_background) background = DefaultBackgroundFrequencies();
  return TermRarity(background, input, options.story.input_weight_documents);
}

Result<std::vector<SimilarityEdge>> StoryEdges(const std::vector<StorySketch>& sketches,
                                               const std::vector<bool>& skip,
                                               const TermRarity& rarity,
                                               const PipelineOptions& options,
                                               const Pipeline::InputFactory& open_input,
                                               RunStats* stats,
                                               std::vector<std::optional<StoryText>>* texts) {
  const StoryOptions& story = options.story.compare;
  SalientIndex index(story.min_shared_salient);
  for (std::size_t d = 0; d < sketches.size(); ++d) {
    if (!skip[d]) index.Add(static_cast<DocIndex>(d), sketches[d].salient);
  }
  std::vector<std::pair<DocIndex, DocIndex>> candidates = index.Candidates();
  stats->candidate_pairs = candidates.size();
  // similarity <= cbrt(numbers), as cosine and coverage are at most 1.
  const double min_numbers = std::pow(options.story.threshold, 3.0);
  std::erase_if(candidates, [&](const std::pair<DocIndex, DocIndex>& p) {
    return NumberAgreement(sketches[p.first].numbers, sketches[p.second].numbers, story) <
           min_numbers;
  });
  std::vector<bool> needed(sketches.size(), false);
  for (const auto& [a, b] : candidates) needed[a] = needed[b] = true;
  texts->assign(sketches.size(), std::nullopt);
  std::vector<SimilarityEdge> edges;
  if (candidates.empty()) return edges;

  // Re-read the documents of candidate pairs and build their story view.
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  std::size_t seen = 0;
  tbb::enumerable_thread_specific<NormalizedText> normalized;  // reused across documents
  NEARDUP_RETURN_IF_ERROR(ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        seen = first + batch.size();
        if (seen > needed.size()) return Status::InvalidInput("input grew between two reads");
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!needed[d]) return;
          const std::string_view text = SignedText(batch[i], options);
          NormalizedText& nt = normalized.local();
          Normalize(text, story.normalize, &nt);
          (*texts)[d] = BuildStoryText(text, nt, rarity, story);
        });
        return Status::OK();
      },
      nullptr, &needed));
  if (seen != needed.size()) return Status::InvalidInput("input shrank between two reads");
  stats->reread_documents =
      static_cast<std::uint64_t>(std::count(needed.begin(), needed.end(), true));

  // Pairs in candidate order, in chunks: a pair whose documents are already
  // joined (through pairs confirmed before it) cannot change the clusters and
  // is not compared. Which pairs are compared depends on the chunk size, not on
  // the number of threads, and the clusters on neither.
  constexpr std::size_t kChunk = 4096;
  UnionFind joined(sketches.size());
  std::vector<std::size_t> pending;
  std::vector<double> similarity;
  std::uint64_t compared = 0;
  for (std::size_t begin = 0; begin < candidates.size(); begin += kChunk) {
    const std::size_t end = std::min(candidates.size(), begin + kChunk);
    pending.clear();
    for (std::size_t i = begin; i < end; ++i) {
      if (joined.Find(candidates[i].first) != joined.Find(candidates[i].second))
        pending.push_back(i);
    }
    similarity.assign(pending.size(), 0.0);
    tbb::parallel_for(std::size_t{0}, pending.size(), [&](std::size_t k) {
      const auto& [a, b] = candidates[pending[k]];
      similarity[k] = StorySimilarity(*(*texts)[a], *(*texts)[b], story, options.story.threshold);
    });
    compared += pending.size();
    for (std::size_t k = 0; k < pending.size(); ++k) {
      if (similarity[k] < options.story.threshold) continue;
      const auto& [a, b] = candidates[pending[k]];
      edges.push_back(SimilarityEdge{a, b, similarity[k]});
      joined.Union(a, b);
    }
  }
  stats->exact_checks = compared;
  return edges;
}

}  // namespace neardup::internal
