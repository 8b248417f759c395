#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_for_each.h>
#include <tbb/task_arena.h>

#include "pipeline/pipeline_internal.h"

namespace neardup {
namespace internal {

DocumentFrequencies MergeThreadTables(
    tbb::enumerable_thread_specific<DocumentFrequencies>* tables) {
  // Each table sorts its pending additions on its own thread (entries() does
  // it); the merges of the sorted tables that follow are linear.
  tbb::parallel_for_each(tables->begin(), tables->end(),
                         [](const DocumentFrequencies& t) { t.entries(); });
  DocumentFrequencies total;
  for (DocumentFrequencies& t : *tables) {
    if (total.documents() == 0) {
      total = std::move(t);  // the first table need not be copied
    } else {
      total.Merge(t);
    }
  }
  tables->clear();  // the per-thread tables and their buffers
  return total;
}

Result<DocumentFrequencies> CountFrequenciesInArena(DocumentReader& reader,
                                                    const PipelineOptions& options,
                                                    const PartOf* part) {
  // One table per thread, merged at the end: counts add, so the result is
  // the same whichever thread saw which document.
  tbb::enumerable_thread_specific<DocumentFrequencies> tables;
  tbb::combinable<NormalizedText> scratch;
  std::uint64_t bytes_read = 0;
  Status status = ForEachBatch(
      reader, options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          if (part != nullptr && !part->Has(first + i)) return;  // another part's, left empty
          NormalizedText& nt = scratch.local();
          Normalize(SignedText(batch[i], options), options.normalize, &nt);
          tables.local().AddDocument(nt);
        });
        if (options.progress) {
          options.progress(Progress{first + batch.size(), bytes_read, reader.bytes_total(), false});
        }
        return Status::OK();
      },
      &bytes_read, nullptr, nullptr, part);
  if (!status.ok()) return status;
  return MergeThreadTables(&tables);
}

Result<DocumentFrequencies> CountFrequencies(DocumentReader& reader, const PipelineOptions& options,
                                             const PartOf* part) {
  tbb::task_arena arena(EffectiveThreads(options.threads));
  Result<DocumentFrequencies> result = Status::Internal("not run");
  arena.execute([&] { result = CountFrequenciesInArena(reader, options, part); });
  return result;
}

}  // namespace internal

Result<DocumentFrequencies> CountDocumentFrequencies(DocumentReader& reader,
                                                     const PipelineOptions& options) {
  return internal::CountFrequencies(reader, options, nullptr);
}

}  // namespace neardup
