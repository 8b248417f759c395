// Pieces of Pipeline::Run shared by its passes (internal).
#ifndef NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_
#define NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_

#include <algorithm>
#include <functional>
#include <vector>

#include "neardup/pipeline.h"

namespace neardup::internal {

// Reads `reader` to the end in batches of options.batch_documents documents or
// options.batch_bytes bytes, calling fn(batch, index of its first document).
using BatchFn = std::function<Status(std::vector<Document>& batch, DocIndex first)>;
Status ForEachBatch(DocumentReader& reader, const PipelineOptions& options, const BatchFn& fn);

// The part of a document that is normalized and signed: all of it, or its
// first options.max_document_bytes bytes, cut before a UTF-8 continuation byte.
std::string_view SignedText(const Document& doc, const PipelineOptions& options);

// Decides each candidate pair: on its MinHash estimate when that is more than
// options.exact_margin standard errors from the threshold, otherwise on the
// exact Jaccard of the two documents' shingle sets, computed after re-reading
// the input (open_input) and re-shingling only the documents involved.
// Returns the pairs that reach the threshold, in candidate order.
Result<std::vector<SimilarityEdge>> VerifyNear(std::span<const CandidatePair> candidates,
                                               const SimilarityFn& estimate,
                                               const PipelineOptions& options,
                                               const Pipeline::InputFactory& open_input,
                                               std::size_t num_docs, RunStats* stats);

// Edges joining every document of `docs` to the earliest document with an
// equal key(d); marks each document so joined in *joined. Edges come sorted
// by key, then document; similarity 1.
template <typename KeyFn>
std::vector<SimilarityEdge> JoinEqualKeys(std::vector<DocIndex> docs, KeyFn key,
                                          std::vector<bool>* joined) {
  std::sort(docs.begin(), docs.end(),
            [&](DocIndex x, DocIndex y) { return key(x) != key(y) ? key(x) < key(y) : x < y; });
  std::vector<SimilarityEdge> edges;
  for (std::size_t first = 0; first < docs.size();) {
    std::size_t end = first + 1;
    for (; end < docs.size() && key(docs[end]) == key(docs[first]); ++end) {
      edges.push_back(SimilarityEdge{docs[first], docs[end], 1.0});
      (*joined)[docs[end]] = true;
    }
    first = end;
  }
  return edges;
}

// SimHash near level: edges joining documents whose fingerprints are within
// options.simhash.radius, with similarity 1 - distance / 64. Documents marked
// in `skip` (no words, or exact copies) are left out; documents with an
// identical fingerprint are joined to the first of them, which alone enters
// the tables.
std::vector<SimilarityEdge> SimHashEdges(std::span<const std::uint64_t> fingerprints,
                                         const std::vector<bool>& skip,
                                         const PipelineOptions& options, RunStats* stats);

// The SimHash fingerprint of a normalized document under options.simhash
// (and options.statistics when set). `shingles` is scratch space.
std::uint64_t SimHashFingerprint(const NormalizedText& text, const PipelineOptions& options,
                                 std::vector<std::uint64_t>* shingles);

// Similarity of two SimHash fingerprints: 1 - Hamming distance / 64.
inline double SimHashSimilarity(std::uint64_t a, std::uint64_t b) {
  return 1.0 - HammingDistance(a, b) / 64.0;
}

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_
