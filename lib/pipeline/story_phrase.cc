// Story level, the phrase gate (StoryOptions::phrase_*): scored pairs whose
// similarity rests on generic words keep a share of it set by how many of
// their adjacent word pairs they share. The word pairs are not in the
// drafts (they would double a draft's size), so the documents of gated
// pairs are read again, alone where the input allows it.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

namespace {

// Gated pairs by their later document: the re-read goes through the input
// in order, so a pair's containment is taken in the batch that reads its
// later document, when the earlier one's word pairs are at hand, and a
// document's word pairs are released after the batch of its last gated
// pair. Only the documents still waiting for a partner hold theirs.
struct GatePlan {
  std::vector<std::size_t> later_at;  // by_later[later_at[d], later_at[d + 1])
  std::vector<std::size_t> by_later;  // gated pairs' indices in scored
  std::vector<DocIndex> last_use;     // the latest document it is gated with
  std::vector<DocIndex> by_last_use;  // the documents read, by their last use

  GatePlan(std::size_t num_docs, std::uint64_t pairs, std::span<const std::uint8_t> gated,
           const std::vector<SimilarityEdge>& scored, const std::vector<bool>& wanted)
      : later_at(num_docs + 1, 0), by_later(pairs), last_use(num_docs, 0) {
    for (std::size_t i = 0; i < scored.size(); ++i) {
      if (!gated[i]) continue;
      const SimilarityEdge& e = scored[i];
      const DocIndex later = std::max(e.a, e.b);
      ++later_at[later + 1];
      last_use[e.a] = std::max(last_use[e.a], later);
      last_use[e.b] = std::max(last_use[e.b], later);
    }
    for (std::size_t d = 0; d < num_docs; ++d) later_at[d + 1] += later_at[d];
    {
      std::vector<std::size_t> next(later_at.begin(), later_at.end() - 1);
      for (std::size_t i = 0; i < scored.size(); ++i) {
        if (gated[i]) by_later[next[std::max(scored[i].a, scored[i].b)]++] = i;
      }
    }
    std::vector<std::size_t> at(num_docs + 1, 0);
    for (std::size_t d = 0; d < num_docs; ++d) at[last_use[d] + 1] += wanted[d];
    for (std::size_t d = 0; d < num_docs; ++d) at[d + 1] += at[d];
    by_last_use.resize(at[num_docs]);
    for (std::size_t d = 0; d < num_docs; ++d) {
      if (wanted[d]) by_last_use[at[last_use[d]]++] = static_cast<DocIndex>(d);
    }
  }
};

}  // namespace

Status GatePhrases(std::size_t num_docs, std::span<const std::uint8_t> gated,
                   std::vector<SimilarityEdge>* scored, const PipelineOptions& options,
                   const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                   RunStats* stats) {
  const StoryOptions& story = options.story.compare;
  if (story.phrase_floor <= 0 || scored->empty()) return Status::OK();
  std::vector<bool> wanted(num_docs, false);
  std::uint64_t pairs = 0;
  for (std::size_t i = 0; i < scored->size(); ++i) {
    if (!gated[i]) continue;
    wanted[(*scored)[i].a] = wanted[(*scored)[i].b] = true;
    ++pairs;
  }
  stats->phrase_pairs = pairs;
  if (pairs == 0) return Status::OK();
  stats->phrase_documents =
      static_cast<std::uint64_t>(std::count(wanted.begin(), wanted.end(), true));
  const GatePlan plan(num_docs, pairs, gated, *scored, wanted);
  std::size_t released = 0;  // plan.by_last_use[0, released): word pairs released

  std::vector<std::vector<std::uint32_t>> word_pairs(num_docs);
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  struct Scratch {
    NormalizedText normalized;
    WordPairScratch pairs;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;  // reused across documents
  return ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!wanted[d]) return;
          Scratch& local = scratch.local();
          Normalize(SignedText(batch[i], options), story.normalize, &local.normalized);
          word_pairs[d] = WordPairHashes(local.normalized, local.pairs);
        });
        const std::size_t end = std::min(num_docs, first + batch.size());
        tbb::parallel_for(std::size_t{first}, end, [&](std::size_t later) {
          for (std::size_t k = plan.later_at[later]; k < plan.later_at[later + 1]; ++k) {
            SimilarityEdge& e = (*scored)[plan.by_later[k]];
            e.similarity *=
                PhraseGate(WordPairContainment(word_pairs[e.a], word_pairs[e.b]), story);
          }
        });
        for (;
             released < plan.by_last_use.size() && plan.last_use[plan.by_last_use[released]] < end;
             ++released) {
          std::vector<std::uint32_t>().swap(word_pairs[plan.by_last_use[released]]);
        }
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr);
}

}  // namespace neardup::internal
