// BatchSigner: the signing pass, shared by Pipeline::Run and SignPart.
#include <tbb/parallel_for.h>

#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// The distinct values of *v (sorted in place): the size of a document's
// shingle set, which containment compares against.
std::uint32_t DistinctCount(std::vector<std::uint64_t>* v) {
  std::sort(v->begin(), v->end());
  return static_cast<std::uint32_t>(std::unique(v->begin(), v->end()) - v->begin());
}

// A threshold sweep's band keys: each threshold's bands in turn.
void KeySweepBands(std::span<const LshParams> sweep, std::span<const std::uint32_t> signature,
                   std::span<std::uint64_t> keys) {
  std::size_t at = 0;
  for (const LshParams& p : sweep) {
    const auto bands = static_cast<std::size_t>(p.bands);
    LshBandKeys(p, signature, keys.subspan(at, bands));
    at += bands;
  }
}

}  // namespace

void BatchSigner::Sign(std::vector<Document>& batch) {
  std::deque<DocumentInfo>& infos = out_->infos;
  Signatures& sigs = out_->sigs;
  const auto first = static_cast<DocIndex>(infos.size());
  for (const Document& doc : batch) {
    stats_->bytes += doc.text.size();
    stats_->truncated_documents += doc.text.size() > options_.max_document_bytes;
  }
  // Filled in the parallel loop below, each document's strings moved there:
  // copied here they would be one thread's work.
  infos.resize(infos.size() + batch.size());
  const bool simhash = IsSimHash(options_);
  const bool story = options_.level == Level::kStory;
  sigs.exact.Resize(infos.size());
  sigs.band_keys.Resize(infos.size());
  sigs.sketch.Resize(infos.size());
  const bool containment = hasher_ != nullptr && options_.containment > 0;
  if (containment) sigs.shingle_counts.Resize(infos.size());
  if (simhash) sigs.simhash.resize(infos.size());
  if (story) out_->drafts.resize(infos.size());
  std::vector<std::size_t> repaired(batch.size());
  tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
    SignScratch& s = scratch_.local();
    const DocIndex d = first + static_cast<DocIndex>(i);
    Document& doc = batch[i];
    infos[d] = DocumentInfo{d,
                            std::move(doc.id),
                            std::move(doc.source),
                            doc.input,
                            doc.text.size(),
                            0,
                            std::move(doc.url),
                            doc.offset};
    const std::string_view text = SignedText(batch[i], options_);
    if (hasher_ != nullptr) {
      // MinHash needs no token offsets: the one-pass hashing path.
      NormalizeAndHash(text, options_.normalize, options_.shingle.seed, &s.hashed);
      infos[d].words = s.hashed.token_hashes.size();
      repaired[i] = s.hashed.repaired_bytes + batch[i].repaired_bytes;
      sigs.exact[d] = TokenSequenceFingerprint(s.hashed.token_hashes);
      ShingleHashes(s.hashed, options_.shingle, &s.shingles);
      s.signature.resize(static_cast<std::size_t>(hasher_->num_perm()));
      hasher_->Sign(s.shingles, s.signature, sigs.sketch.Row(d));
      if (sweep_lsh_.empty()) {
        LshBandKeys(lsh_, s.signature, sigs.band_keys.Row(d));
      } else {
        KeySweepBands(sweep_lsh_, s.signature, sigs.band_keys.Row(d));
      }
      if (containment) sigs.shingle_counts[d] = DistinctCount(&s.shingles);
      return;
    }
    Normalize(text, options_.normalize, &s.normalized);
    infos[d].words = s.normalized.tokens.size();
    repaired[i] = s.normalized.repaired_bytes + batch[i].repaired_bytes;
    sigs.exact[d] = ExactFingerprint(s.normalized.text);
    if (simhash) {
      sigs.simhash[d] = SimHashFingerprint(s.normalized, options_, &s.shingles);
    } else if (story) {
      out_->drafts[d] = SketchDocument(text, s.normalized, *rarity_, options_, count_story_words_,
                                       &story_words_->Local(), s.story, &s.story_ids);
    }
  });
  for (std::size_t r : repaired) stats_->repaired_bytes += r;
}

Status ReadAndSign(const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                   const MinHasher* hasher, const TermRarity* rarity, WordDictionaries* story_words,
                   bool count_in_pass, SignedDocuments* signed_docs,
                   std::unique_ptr<DocumentReader>* reader,
                   std::vector<SkippedRecord>* part_skipped, RunStats* stats) {
  const std::deque<DocumentInfo>& infos = signed_docs->infos;
  if (!options.signed_parts.empty()) {
    NEARDUP_RETURN_IF_ERROR(
        LoadSignedParts(options, stats->lsh, hasher != nullptr ? hasher->sketch_bytes() : 0,
                        story_words, count_in_pass, signed_docs, part_skipped, stats));
  } else {
    Result<std::unique_ptr<DocumentReader>> opened = open_input();
    if (!opened.ok()) return opened.status();
    *reader = std::move(opened).value();
    DocumentReader& input = **reader;
    BatchSigner signer(options, hasher, stats->lsh, rarity, story_words, count_in_pass, signed_docs,
                       stats);
    std::uint64_t bytes_read = 0;  // for progress: the reader's position after this batch
    auto sign_batch = [&](std::vector<Document>& batch, DocIndex) -> Status {
      signer.Sign(batch);
      if (options.progress) {
        options.progress(Progress{infos.size(), bytes_read, input.bytes_total(), false});
      }
      return Status::OK();
    };
    NEARDUP_RETURN_IF_ERROR(ForEachBatch(input, options, sign_batch, &bytes_read));
    stats->access_point_bytes = input.access_point_bytes();
    stats->spill_bytes = input.spill_bytes();
  }
  stats->documents = infos.size();
  for (const DocumentInfo& info : infos) stats->empty_documents += info.words == 0;
  FindRepeatedIds(infos, stats);
  return Status::OK();
}

}  // namespace neardup::internal
