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

  std::vector<std::vector<std::uint32_t>> word_pairs(num_docs);
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  tbb::enumerable_thread_specific<NormalizedText> normalized;  // reused across documents
  NEARDUP_RETURN_IF_ERROR(ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!wanted[d]) return;
          NormalizedText& nt = normalized.local();
          Normalize(SignedText(batch[i], options), story.normalize, &nt);
          word_pairs[d] = WordPairHashes(nt);
        });
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr));
  tbb::parallel_for(std::size_t{0}, scored->size(), [&](std::size_t i) {
    if (!gated[i]) return;
    SimilarityEdge& e = (*scored)[i];
    e.similarity *= PhraseGate(WordPairContainment(word_pairs[e.a], word_pairs[e.b]), story);
  });
  return Status::OK();
}

}  // namespace neardup::internal
