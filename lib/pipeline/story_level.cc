// Story level: rarity, candidates from salient words, confirmation by
// CompareStories on StoryTexts finished from the signing pass's drafts.
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

StorySketch SketchDocument(std::string_view text, const NormalizedText& normalized,
                           const TermRarity& rarity, const PipelineOptions& options,
                           DocumentFrequencies* counts) {
  const StoryOptions& story = options.story.compare;
  StorySketch sketch = SketchStory(text, normalized, rarity, story);
  if (counts) counts->AddDistinct(sketch.draft.hashes);
  // The draft must hold the StoryText's words, normalized as the story level
  // normalizes them.
  if (options.normalize.nfkc != story.normalize.nfkc ||
      options.normalize.case_fold != story.normalize.case_fold) {
    sketch.draft = SketchStory(text, Normalize(text, story.normalize), rarity, story).draft;
  }
  return sketch;
}

Result<std::vector<SimilarityEdge>> StoryEdges(std::vector<StorySketch>& sketches,
                                               const std::vector<bool>& skip,
                                               const TermRarity& rarity,
                                               const PipelineOptions& options, RunStats* stats,
                                               std::vector<std::optional<StoryText>>* texts,
                                               std::vector<StoryEvidence>* evidence) {
  const StoryOptions& story = options.story.compare;
  SalientIndex index(story.min_shared_salient);
  {
    std::vector<std::span<const std::uint64_t>> salient(sketches.size());
    for (std::size_t d = 0; d < sketches.size(); ++d) {
      if (!skip[d]) salient[d] = sketches[d].salient;
    }
    index.AddAll(0, salient);
  }
  std::vector<std::pair<DocIndex, DocIndex>> candidates = index.Candidates();
  stats->candidate_pairs = candidates.size();
  // similarity <= cbrt(numbers), as cosine and coverage are at most 1.
  const double min_numbers = std::pow(options.story.threshold, 3.0);
  std::vector<std::uint8_t> plausible(candidates.size());
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    const auto& [a, b] = candidates[i];
    plausible[i] =
        NumberAgreement(sketches[a].draft.numbers, sketches[b].draft.numbers, story) >= min_numbers;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (plausible[i]) candidates[kept++] = candidates[i];
  }
  candidates.resize(kept);
  std::vector<bool> needed(sketches.size(), false);
  for (const auto& [a, b] : candidates) needed[a] = needed[b] = true;
  texts->assign(sketches.size(), std::nullopt);

  // The story view of the documents of candidate pairs, from their drafts;
  // every sketch is released as soon as it is done with.
  tbb::parallel_for(std::size_t{0}, sketches.size(), [&](std::size_t d) {
    StorySketch sketch = std::move(sketches[d]);
    if (needed[d]) (*texts)[d] = FinishStoryText(std::move(sketch.draft), rarity);
  });
  std::vector<SimilarityEdge> edges;
  if (candidates.empty()) return edges;

  // Pairs in candidate order, in chunks: a pair whose documents are already
  // joined (through pairs confirmed before it) cannot change the clusters and
  // is not compared. Which pairs are compared depends on the chunk size, not on
  // the number of threads, and the clusters on neither.
  constexpr std::size_t kChunk = 4096;
  UnionFind joined(sketches.size());
  std::vector<std::size_t> pending;
  std::vector<double> similarity;
  std::vector<StoryEvidence> found;  // of the pairs that reach the threshold
  evidence->clear();
  std::uint64_t compared = 0;
  for (std::size_t begin = 0; begin < candidates.size(); begin += kChunk) {
    const std::size_t end = std::min(candidates.size(), begin + kChunk);
    pending.clear();
    for (std::size_t i = begin; i < end; ++i) {
      if (joined.Find(candidates[i].first) != joined.Find(candidates[i].second))
        pending.push_back(i);
    }
    similarity.assign(pending.size(), 0.0);
    found.resize(pending.size());
    tbb::parallel_for(std::size_t{0}, pending.size(), [&](std::size_t k) {
      const auto& [a, b] = candidates[pending[k]];
      similarity[k] =
          StorySimilarity(*(*texts)[a], *(*texts)[b], story, options.story.threshold, &found[k]);
    });
    compared += pending.size();
    for (std::size_t k = 0; k < pending.size(); ++k) {
      if (similarity[k] < options.story.threshold) continue;
      const auto& [a, b] = candidates[pending[k]];
      edges.push_back(SimilarityEdge{a, b, similarity[k]});
      evidence->push_back(found[k]);
      joined.Union(a, b);
    }
  }
  stats->exact_checks = compared;
  return edges;
}

Status AddClusterSalientWords(std::span<const Cluster> clusters,
                              const std::vector<DocIndex>& original_of, const TermRarity& rarity,
                              const PipelineOptions& options,
                              const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                              RunStats* stats, std::vector<std::optional<StoryText>>* texts) {
  std::vector<bool> wanted(texts->size(), false);
  for (const Cluster& c : clusters) {
    const DocIndex rep = original_of[c.representative];
    auto compared = [&](const ClusterMember& m) {
      return original_of[m.doc] != rep && (*texts)[original_of[m.doc]];
    };
    if ((*texts)[rep] && std::any_of(c.members.begin(), c.members.end(), compared)) {
      wanted[rep] = true;
    }
  }
  stats->reread_documents =
      static_cast<std::uint64_t>(std::count(wanted.begin(), wanted.end(), true));
  if (stats->reread_documents == 0) return Status::OK();

  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  tbb::enumerable_thread_specific<NormalizedText> normalized;  // reused across documents
  return ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!wanted[d]) return;
          const std::string_view text = SignedText(batch[i], options);
          NormalizedText& nt = normalized.local();
          Normalize(text, options.story.compare.normalize, &nt);
          AddSalientWords(text, nt, rarity, options.story.compare, &*(*texts)[d]);
        });
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr);
}

}  // namespace neardup::internal
