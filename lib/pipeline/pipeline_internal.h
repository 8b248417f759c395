// Pieces of Pipeline::Run shared by its passes (internal).
#ifndef NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_
#define NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "core/hash_sort.h"
#include "neardup/pipeline.h"
#include "pipeline/story_words.h"
#include "story/pair_scratch.h"
#include "story/story_scratch.h"
#include "story/story_vectors.h"

namespace neardup::internal {

// Reads `reader` to the end in batches of options.batch_documents documents or
// options.batch_bytes bytes, calling fn(batch, index of its first document).
// The next batch is read while fn runs, so fn must not touch `reader`; for
// progress, `*bytes_read` (when given) holds reader.bytes_read() as of the
// batch fn is called with. With `wanted` (a re-read of an input read
// before, wanted->size() documents long), document d is only read when
// (*wanted)[d]; the others are skipped (DocumentReader::Skip) and stand in
// their batch as empty documents, and an input that now holds more or fewer
// documents is an error. With `record_at` as well, the wanted documents are
// read alone (DocumentReader::ReadAt) and nothing else is read; a document
// whose id is not the one record_at gives is an error.
using BatchFn = std::function<Status(std::vector<Document>& batch, DocIndex first)>;
// Where document d's record starts, to read it again alone, and its id.
struct RecordAt {
  std::size_t input;
  std::uint64_t offset;
  std::uint64_t line;
  std::string_view id;
};
using RecordAtFn = std::function<RecordAt(DocIndex)>;
// With `part`, document d is only read when it belongs to that part of a
// split signing pass (SignPart); the others are skipped and stand in their batch as empty
// documents.
struct PartOf {
  PartSpec spec;
  bool Has(std::size_t d) const { return (d / spec.block_documents) % spec.parts == spec.part; }
};
Status ForEachBatch(DocumentReader& reader, const PipelineOptions& options, const BatchFn& fn,
                    std::uint64_t* bytes_read = nullptr, const std::vector<bool>* wanted = nullptr,
                    const RecordAtFn* record_at = nullptr, const PartOf* part = nullptr);

// Rows of `width` values (one per document) that grow in blocks of kBlockRows
// rows. Unlike a std::vector, growing never copies, so memory stays at the
// rows in use instead of briefly reaching three times that while reallocating.
// Row() may be called from several threads once Resize() has returned.
template <typename T>
class RowStore {
 public:
  static constexpr std::size_t kBlockRows = 4096;

  explicit RowStore(std::size_t width) : width_(width) {}

  // Grows to `rows` rows; new rows are value-initialized.
  void Resize(std::size_t rows) {
    while (blocks_.size() * kBlockRows < rows) {
      blocks_.push_back(std::make_unique<T[]>(kBlockRows * width_));
    }
    rows_ = rows;
  }
  std::size_t size() const { return rows_; }
  std::span<T> Row(std::size_t r) { return {Block(r) + (r % kBlockRows) * width_, width_}; }
  std::span<const T> Row(std::size_t r) const {
    return {Block(r) + (r % kBlockRows) * width_, width_};
  }
  T& operator[](std::size_t r) { return Row(r)[0]; }
  const T& operator[](std::size_t r) const { return Row(r)[0]; }

 private:
  T* Block(std::size_t r) const { return width_ == 0 ? nullptr : blocks_[r / kBlockRows].get(); }

  std::size_t width_;
  std::size_t rows_ = 0;
  std::vector<std::unique_ptr<T[]>> blocks_;
};

// Per-document results of the signing pass, in blocks that grow without
// copying (RowStore). The MinHash method keeps the LSH keys of a document's
// signature bands and its b-bit sketch, not the signature itself.
struct Signatures {
  Signatures(std::size_t bands, std::size_t sketch_bytes)
      : band_keys(bands), sketch(sketch_bytes) {}
  RowStore<std::uint64_t> band_keys;  // MinHash: one per LSH band
  RowStore<std::uint8_t> sketch;      // MinHash: MinHasher::sketch_bytes() per document
  RowStore<Fingerprint128> exact{1};  // one per document
  // PipelineOptions::containment: distinct shingles of each document (rows
  // only then).
  RowStore<std::uint32_t> shingle_counts{1};
  std::vector<std::uint64_t> simhash;  // one per document (SimHash method only)
};

// What the signing pass keeps of every document, in input order.
struct SignedDocuments {
  SignedDocuments(std::size_t bands, std::size_t sketch_bytes) : sigs(bands, sketch_bytes) {}
  std::deque<DocumentInfo> infos;  // grows without copying; pointers stay valid
  Signatures sigs;
  std::vector<CompactDraft> drafts;  // story level: per document
};

// Per-thread scratch space of the signing pass.
struct SignScratch {
  NormalizedText normalized;
  HashedText hashed;
  std::vector<std::uint64_t> shingles;
  std::vector<std::uint32_t> signature;  // MinHash, before its bands are keyed
  StoryScratch story;                    // the story level's sketches
  std::vector<std::uint32_t> story_ids;  // and the ids of their words (SketchDocument)
};

// --- Explanations at the near level (explain_near.cc) ---
// How `member` compares with `rep` (ClusterReport::Member::NearEvidence):
// `checked` holds the pairs verification decided exactly (a < b, sorted),
// with their exact similarity.
ClusterReport::Member::NearEvidence ExplainNearMember(DocIndex member, DocIndex rep,
                                                      const Signatures& sigs,
                                                      const PipelineOptions& options,
                                                      std::span<const SimilarityEdge> checked);

// --- Threshold sweeps (sweep.cc), PipelineOptions::sweep ---
// Near level: the LSH bands and rows of each sweep threshold, in order (empty
// without a sweep). The signing pass keys all of them, one after another.
std::vector<LshParams> SweepLshParams(const PipelineOptions& options, int num_perm);
// Band keys kept per document: the sweep's bands, or lsh.bands.
std::size_t BandKeyWidth(const PipelineOptions& options, const LshParams& lsh, int num_perm);

// The signing pass of one run: normalizes and signs batches of documents
// (in parallel inside a batch) into a SignedDocuments. Pipeline::Run signs
// the whole input with it, SignPart one part of it.
class BatchSigner {
 public:
  // `hasher` is null unless the level is near with MinHash; `rarity` and
  // `story_words` only at the story level, where the dictionaries name the
  // drafts' words and, with `count_story_words`, count the input's words.
  BatchSigner(const PipelineOptions& options, const MinHasher* hasher, const LshParams& lsh,
              const TermRarity* rarity, WordDictionaries* story_words, bool count_story_words,
              SignedDocuments* out, RunStats* stats)
      : options_(options),
        hasher_(hasher),
        lsh_(lsh),
        rarity_(rarity),
        story_words_(story_words),
        count_story_words_(count_story_words),
        out_(out),
        stats_(stats),
        sweep_lsh_(hasher != nullptr ? SweepLshParams(options, hasher->num_perm())
                                     : std::vector<LshParams>{}) {}
  // Signs `batch`; its documents become out->infos.size() onwards (their
  // ids, sources and URLs are moved there: only the texts and counts are
  // left). Adds to stats->bytes, truncated_documents and repaired_bytes.
  void Sign(std::vector<Document>& batch);

 private:
  const PipelineOptions& options_;
  const MinHasher* hasher_;
  LshParams lsh_;
  const TermRarity* rarity_;
  WordDictionaries* story_words_;
  bool count_story_words_;
  SignedDocuments* out_;
  RunStats* stats_;
  tbb::enumerable_thread_specific<SignScratch> scratch_;
  std::vector<LshParams> sweep_lsh_;  // PipelineOptions::sweep: band keys of each, in turn
};

// Loads the part files of options.signed_parts (written by SignPart for
// every part of the same input, with the same options) into *out in input
// order; their skipped records into *skipped; adds their byte counts to
// *stats. At the story level the drafts' words get ids of `story_words`
// (the loading thread's dictionary), which with `count_words` also gets the
// words the parts counted while signing (the whole input's counts). Fails
// naming the file when one is missing, damaged (checksum), written with
// other options, or does not fit the others.
Status LoadSignedParts(const PipelineOptions& options, const LshParams& lsh,
                       std::size_t sketch_bytes, WordDictionaries* story_words, bool count_words,
                       SignedDocuments* out, std::vector<SkippedRecord>* skipped, RunStats* stats);

// The part of a document that is normalized and signed: all of it, or its
// first options.max_document_bytes bytes, cut before a UTF-8 continuation byte.
std::string_view SignedText(const Document& doc, const PipelineOptions& options);

// Counts the documents of `infos` (in input order) whose id an earlier one
// already has into stats->repeated_ids, and fills stats->repeated_id* from
// the first of them. Takes 16 bytes per document while it runs.
void FindRepeatedIds(const std::deque<DocumentInfo>& infos, RunStats* stats);

// Pipeline::Run's first pass: loads options.signed_parts (LoadSignedParts;
// their skipped records into *part_skipped), or opens the input into
// *reader and signs it in batches (BatchSigner; `hasher`, `rarity`,
// `story_words` and `count_in_pass` as BatchSigner takes them), reporting
// progress after each batch. Then counts the documents, the empty ones and
// the repeated ids (FindRepeatedIds) into *stats.
Status ReadAndSign(const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                   const MinHasher* hasher, const TermRarity* rarity, WordDictionaries* story_words,
                   bool count_in_pass, SignedDocuments* signed_docs,
                   std::unique_ptr<DocumentReader>* reader,
                   std::vector<SkippedRecord>* part_skipped, RunStats* stats);

// A candidate pair's estimated Jaccard, and the estimate's standard error if
// the pair's true Jaccard were the threshold.
struct NearEstimate {
  double similarity;
  double standard_error;
};
using NearEstimateFn = std::function<NearEstimate(DocIndex, DocIndex)>;

// --- Containment (containment.cc) ---
// The threshold candidates are verified against: options.containment when
// set, else options.lsh.threshold.
double NearThreshold(const PipelineOptions& options);
// The LSH bands and rows of the near level: OptimalLshParams at
// options.lsh.threshold, or with options.containment at the Jaccard that
// containment implies for sizes options.containment_ratio apart.
LshParams NearLshParams(const PipelineOptions& options);
// Containment of the smaller of two shingle sets (sizes `na` and `nb`) in the
// larger, from their sketches' comparison, and its standard error if it
// were `threshold`.
NearEstimate ContainmentEstimate(const BbitComparison& c, std::uint32_t na, std::uint32_t nb,
                                 double threshold);
// Containment of the smaller of two sorted, distinct sets in the larger.
double SortedSetContainment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
// Gives each cluster its member with the most distinct shingles (size(d);
// ties: the earliest) as representative, listed first, the others in input
// order with their similarity to it; renumbers the clusters in input order
// of their representatives. The one place that decides which document a
// containment cluster keeps.
std::vector<Cluster> ContainingRepresentatives(std::vector<Cluster> clusters,
                                               const std::function<std::uint32_t(DocIndex)>& size,
                                               const SimilarityFn& similarity);

// Decides each candidate pair: on its estimate when that is more than
// options.exact_margin standard errors from the threshold, otherwise on the
// exact Jaccard of the two documents' shingle sets, computed after re-reading
// the input (open_input) and re-shingling only the documents involved:
// reading just those when `record_at` is given (every document has an
// offset), else passing over the others.
// Returns the pairs that reach the threshold, in candidate order.
Result<std::vector<SimilarityEdge>> VerifyNear(std::span<const CandidatePair> candidates,
                                               const NearEstimateFn& estimate,
                                               const PipelineOptions& options,
                                               const Pipeline::InputFactory& open_input,
                                               const RecordAtFn& record_at, std::size_t num_docs,
                                               RunStats* stats,
                                               std::vector<SimilarityEdge>* checked = nullptr);

// The exact similarity (Jaccard, or containment with options.containment)
// of each pair `edges[i]`, i in `which`, written into its similarity: the
// input re-read (open_input, or record_at) and only those pairs' documents
// re-shingled, in as many reads as options.verify_bytes needs.
Status ExactSimilarities(std::span<SimilarityEdge> edges, std::vector<std::size_t> which,
                         const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                         const RecordAtFn& record_at, std::size_t num_docs, RunStats* stats);

// Near level with a sweep: for each threshold T of options.sweep (band keys
// of SweepLshParams in sigs), the clusters `cluster -t T` finds: `copies`
// (the exact-copy edges) and the candidates of T's bands decided as
// VerifyNear decides them at T, each pair estimated once and checked
// exactly once. Reports each threshold's clusters to sink.OnSweep.
Status SweepNear(const std::deque<DocumentInfo>& infos, const Signatures& sigs,
                 std::span<const DocIndex> indexed, std::span<const SimilarityEdge> copies,
                 const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                 const RecordAtFn& record_at, RunStats* stats, DecisionSink& sink);

// A document as the exact check sees it: the sorted, distinct 32-bit keys of
// the shingles of its SignedText (verify_near.cc says why 32 bits).
struct ShingleSetScratch {  // per thread
  HashedText hashed;
  std::vector<std::uint32_t> keys;
  HashSortScratch<std::uint32_t> sort;
};
std::vector<std::uint32_t> ExactShingleSet(const Document& doc, const PipelineOptions& options,
                                           ShingleSetScratch* scratch);
// Jaccard of two such sets.
double SortedSetJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
// Values two sorted, distinct sets share.
std::size_t SortedSetCommon(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// Incremental runs (PriorIndex), exact and near levels.
// The documents of `docs` whose fingerprint an earlier document has, as
// matches (one per document: the earliest indexed one).
Result<std::vector<PriorMatch>> PriorExactMatches(
    PriorIndex& prior, std::span<const DocIndex> docs,
    const std::function<Fingerprint128(DocIndex)>& fp);
// An earlier document joined to a document of the run, with their similarity.
struct PriorEdge {
  DocIndex doc;
  PriorDoc prior;
  double similarity;
};
// Near level: the earlier documents sharing an LSH band with documents of
// `docs`, decided as VerifyNear decides (estimate, or exact Jaccard within
// the margin: the run's document re-read through open_input, the earlier
// one through PriorIndex::ReadText). Returns the pairs that pass.
Result<std::vector<PriorEdge>> PriorNearEdges(
    PriorIndex& prior, const LshParams& lsh, std::span<const DocIndex> docs,
    const BandKeysFn& band_keys,
    const std::function<std::span<const std::uint8_t>(DocIndex)>& sketch, std::size_t sketch_bytes,
    const PipelineOptions& options, const Pipeline::InputFactory& open_input,
    const RecordAtFn& record_at, std::size_t num_docs, RunStats* stats);

// Near level, MinHash: what RunNearMinHash reads. Pointers are borrowed for
// the call; similarity keeps referring to *sigs.
struct NearMinHashInput {
  const std::deque<DocumentInfo>* infos;
  const Signatures* sigs;
  const std::vector<bool>* is_copy;  // exact copies: kept out of the bands
  std::size_t sketch_bytes;
  const PipelineOptions* options;
  const Pipeline::InputFactory* open_input;
  const RecordAtFn* record_at;
  PriorIndex* prior;  // null without an index of earlier documents
};
// What it adds to the run.
struct NearMinHashOutput {
  SimilarityFn similarity;               // Jaccard (or containment) estimate
  std::vector<SimilarityEdge>* edges;    // the exact copies' on entry; verified pairs appended
  std::vector<PriorEdge>* prior_edges;   // earlier documents' pairs appended
  std::vector<SimilarityEdge>* checked;  // options.near_evidence: pairs decided exactly
  bool swept = false;                    // options.sweep: reported to the sink, run done
};
// Indexes the documents with words that are not exact copies in the LSH
// bands, verifies their candidates (VerifyNear) and, with an index, the
// earlier documents they meet (PriorNearEdges). With options.sweep reports
// every threshold's clusters (SweepNear) instead.
Status RunNearMinHash(const NearMinHashInput& in, DecisionSink& sink, RunStats* stats,
                      NearMinHashOutput* out);

// Incremental runs: the earlier clusters a run met, as clustering nodes
// 0..k-1 (k = reps.size()); document d is node k + d.
struct PriorNodes {
  std::vector<PriorDoc> reps;                       // the clusters' representatives, earliest first
  std::deque<DocumentInfo> infos;                   // reps described
  std::vector<std::vector<std::uint8_t>> sketches;  // reps' sketches (empty without)
};
// Maps each prior edge's earlier document to its cluster's representative;
// those representatives, earliest first (so a cluster holding one is
// represented by the earliest), become nodes 0..k-1 of *nodes, described
// and, with `read_sketches`, their sketches (sketch_bytes each) read. When
// k > 0, shifts *edges to nodes, appends the prior edges, and makes
// *similarity compare sketches of nodes at the near level (1 otherwise); it
// then refers to *nodes and `sigs`. Counts RunStats::prior_matches.
Status JoinPriorNodes(PriorIndex& prior, std::size_t sketch_bytes, bool read_sketches, bool near,
                      const Signatures& sigs, std::vector<PriorEdge>* prior_edges,
                      std::vector<SimilarityEdge>* edges, SimilarityFn* similarity, RunStats* stats,
                      PriorNodes* nodes);

// Hands the run's documents to the index: their keys, sketches and the
// representative each is a duplicate of (prior_reps: node -> earlier
// representative), and the earlier clusters the run joined.
Status RecordBatch(PriorIndex& prior, const std::vector<Cluster>& clusters,
                   const std::vector<PriorDoc>& prior_reps, const std::deque<DocumentInfo>& infos,
                   const std::vector<bool>& is_copy, const Signatures& sigs, bool near);

// The 64 bits of a key that JoinEqualKeys buckets by: the first its
// ordering compares (Fingerprint128's operator<=> compares `low` first).
inline std::uint64_t LeadingBits(std::uint64_t key) { return key; }
inline std::uint64_t LeadingBits(const Fingerprint128& key) { return key.low; }

// Edges joining every document of `docs` to the earliest document with an
// equal key(d); marks each document so joined in *joined. Edges come sorted
// by key, then document; similarity 1. Keys are hashes: they are read once
// (on the run's threads) and sorted by a hash sort (SortByHashKey) on their
// LeadingBits, the few runs with equal leading bits then by key and document.
template <typename KeyFn>
std::vector<SimilarityEdge> JoinEqualKeys(const std::vector<DocIndex>& docs, KeyFn key,
                                          std::vector<bool>* joined) {
  using Key = std::decay_t<decltype(key(DocIndex{}))>;
  struct Keyed {
    Key key;
    DocIndex doc;
  };
  std::vector<Keyed> keyed(docs.size());
  tbb::parallel_for(std::size_t{0}, docs.size(), [&](std::size_t i) {
    keyed[i] = Keyed{key(docs[i]), docs[i]};
  });
  HashSortScratch<Keyed> scratch;
  SortByHashKey(
      &keyed, [](const Keyed& x) { return LeadingBits(x.key); }, &scratch);
  const auto by_key_then_doc = [](const Keyed& x, const Keyed& y) {
    return x.key != y.key ? x.key < y.key : x.doc < y.doc;
  };
  std::vector<SimilarityEdge> edges;
  for (std::size_t first = 0; first < keyed.size();) {
    std::size_t end = first + 1;
    while (end < keyed.size() && LeadingBits(keyed[end].key) == LeadingBits(keyed[first].key)) {
      ++end;
    }
    if (end - first > 1) {
      std::sort(keyed.begin() + static_cast<std::ptrdiff_t>(first),
                keyed.begin() + static_cast<std::ptrdiff_t>(end), by_key_then_doc);
      for (std::size_t i = first; i < end;) {
        std::size_t j = i + 1;
        for (; j < end && keyed[j].key == keyed[i].key; ++j) {
          edges.push_back(SimilarityEdge{keyed[i].doc, keyed[j].doc, 1.0});
          (*joined)[keyed[j].doc] = true;
        }
        i = j;
      }
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

// The near level with SimHash: appends to *edges (the exact copies' on
// entry) the SimHashEdges of the documents with words that are not exact
// copies. Returns the similarity of two documents (SimHashSimilarity of
// their fingerprints), which refers to `sigs`.
SimilarityFn RunNearSimHash(const std::deque<DocumentInfo>& infos, const Signatures& sigs,
                            const std::vector<bool>& is_copy, const PipelineOptions& options,
                            RunStats* stats, std::vector<SimilarityEdge>* edges);

// The near level with SimHash fingerprints.
inline bool IsSimHash(const PipelineOptions& o) {
  return o.level == Level::kNear && o.method == NearMethod::kSimHash;
}

// One table of per-thread counts (counts add: the result does not depend on
// which thread saw which document); empties *tables.
DocumentFrequencies MergeThreadTables(tbb::enumerable_thread_specific<DocumentFrequencies>* tables);

// CountDocumentFrequencies on the calling thread's TBB arena; with `part`,
// of that block part's documents only (the others skipped, not counted).
Result<DocumentFrequencies> CountFrequenciesInArena(DocumentReader& reader,
                                                    const PipelineOptions& options,
                                                    const PartOf* part = nullptr);
// The same in an arena of options.threads (CountDocumentFrequencies, and a
// block part's counts for sign-part --count-words).
Result<DocumentFrequencies> CountFrequencies(DocumentReader& reader, const PipelineOptions& options,
                                             const PartOf* part);

// Story level: word rarity for the signing pass: options.statistics as the
// input's counts, blended with the background table (unless
// options.story.use_background is false). Without statistics but with the
// background, returns the background alone and sets *count_in_pass: the
// signing pass then counts the input's words and BlendedRarity makes the
// rarity the comparisons use. Without either, counts in a pass of its own.
Result<TermRarity> StoryRarity(const PipelineOptions& options,
                               const Pipeline::InputFactory& open_input, RunStats* stats,
                               bool* count_in_pass);
TermRarity BlendedRarity(const PipelineOptions& options, DocumentFrequencies input);

// Story level, signing pass: the sketch of document `text` (`normalized`
// under options.normalize) as a CompactDraft of `words`' ids; with `count`,
// also counts its distinct words there (as options.normalize makes them).
// The words' rarity comes from `words`' cache of `rarity`; `ids` is scratch.
CompactDraft SketchDocument(std::string_view text, const NormalizedText& normalized,
                            const TermRarity& rarity, const PipelineOptions& options, bool count,
                            WordDictionary* words, StoryScratch& scratch,
                            std::vector<std::uint32_t>* ids);

// Hands the heap's free pages back to the system (glibc; elsewhere
// nothing). The story level's steps free what the last one built (drafts,
// the candidate index, the vectors) in the threads' own malloc arenas,
// where the next step, running elsewhere, would not reuse it: without this
// the peak is the sum of the steps' peaks, not the largest of them.
void ReleaseFreeMemory();

// Story level: the word vectors of the documents marked in `needed`
// (StoryVectors: 4 bytes a term), finished from their drafts
// (FinishStoryText; the rarity of a dictionary's word looked up once), the
// terms named by the classes of the hashes the finished vectors hold.
// Consumes the drafts, each released as soon as it is done with.
// (story_vectors.cc)
StoryVectors FinishVectors(std::vector<CompactDraft>& drafts, const WordDictionaries& words,
                           const std::vector<bool>& needed, const TermRarity& rarity,
                           const StoryOptions& story);

// For each document, the average-linkage merge (StoryEdges' result, in
// merge order) in which it joined others while alone.
std::vector<std::optional<ClusterReport::Member::Link>> StoryLinks(
    const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> merges);

// Story level: the clusters among documents sharing salient words, as edges
// whose connected components they are (AverageLinkage's merges).
// drafts[d] holds document d's salient words and draft, its words named in
// `words`; documents marked in `skip` stay out. Every candidate pair is scored (StorySimilarity)
// and the documents are clustered by average linkage over those similarities (pairs not candidates
// count 0) at options.story.threshold. The drafts of candidates' documents are finished into word
// vectors (FinishVectors), kept in *vectors for reporting (those of documents
// that cannot join a cluster released), and the pairs whose exemption from the
// phrase gate was withdrawn in *subject_pairs (both ways, sorted). Consumes the drafts. The result
// does not depend on the number of threads.
// With options.sweep, *sweep_merges (not null) receives the merges at each
// sweep threshold in turn, and the result is empty.
// The phrase gate (GatePhrases) reads the documents of gated pairs again
// (open_input; alone when `record_at` is given). *subject_pairs (not null)
// receives WithdrawSubjectExemptions' pairs.
Result<std::vector<SimilarityEdge>> StoryEdges(
    std::vector<CompactDraft>& drafts, const WordDictionaries& words, const std::vector<bool>& skip,
    const TermRarity& rarity, const PipelineOptions& options,
    const Pipeline::InputFactory& open_input, const RecordAtFn& record_at, RunStats* stats,
    StoryVectors* vectors, std::vector<std::pair<DocIndex, DocIndex>>* subject_pairs,
    std::vector<std::vector<SimilarityEdge>>* sweep_merges = nullptr);

// Story level: what RunStoryLevel leaves for clustering, explaining and
// reporting.
struct StoryRun {
  StoryVectors vectors;  // documents compared (and able to join a cluster)
  // With explanations, the full StoryTexts of the clusters' documents
  // (ExplainStoryClusters), by document; else empty.
  std::vector<std::optional<StoryText>> explained;
  // (document, partner) of each pair whose exemption from the phrase gate
  // was withdrawn (WithdrawSubjectExemptions), both ways, sorted.
  std::vector<std::pair<DocIndex, DocIndex>> subject_pairs;
  std::vector<DocIndex> original_of;  // exact copy -> first copy
  // The merge that brought each member into its cluster
  // (ClusterReport::Member::link).
  std::vector<std::optional<ClusterReport::Member::Link>> link_of;
  std::vector<std::vector<SimilarityEdge>> sweep_merges;  // options.sweep: StoryEdges'
};
// The story level's decisions: StoryEdges of the documents with words that
// are not exact copies, appended to *edges (the exact copies' on entry), and
// their StoryLinks, into *run. Returns the similarity of two documents
// (StorySimilarity of their first copies' vectors, 1 for copies of one
// document or documents without a vector), which refers to *run: it must stay
// in place while the function is used.
Result<SimilarityFn> RunStoryLevel(std::vector<CompactDraft>& drafts, const WordDictionaries& words,
                                   const std::deque<DocumentInfo>& infos,
                                   const std::vector<bool>& is_copy, const TermRarity& rarity,
                                   const PipelineOptions& options,
                                   const Pipeline::InputFactory& open_input,
                                   const RecordAtFn& record_at, RunStats* stats,
                                   std::vector<SimilarityEdge>* edges, StoryRun* run);

// Story level with a sweep: the clusters at each threshold, from the exact
// copies' edges and that threshold's average-linkage merges.
Status ReportSweep(const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> copies,
                   const std::vector<std::vector<SimilarityEdge>>& merges,
                   const SimilarityFn& similarity, const PipelineOptions& options,
                   DecisionSink& sink);

// The phrase gate (StoryOptions::phrase_*) on scored story pairs: each pair
// with gated[i] != 0 (PhraseGated by its similarity and marks, found while
// scoring) has its similarity multiplied by PhraseGate of its word-pair
// containment, from the two documents read again. num_docs: the input's
// documents. REQUIRES: gated.size() == scored->size() unless the gate is
// off. Counts RunStats::phrase_pairs and phrase_documents. Does not depend on
// the number of threads.
Status GatePhrases(std::size_t num_docs, std::span<const std::uint8_t> gated,
                   std::vector<SimilarityEdge>* scored, const PipelineOptions& options,
                   const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                   RunStats* stats);

// What WithdrawSubjectExemptions reads of a document: its words
// (StoryText::words) and its marks (StoryText::marks, sorted; any names that
// keep their order and equality).
struct SubjectView {
  std::function<std::size_t(DocIndex)> words;
  std::function<std::span<const std::uint32_t>(DocIndex)> marks;
};
// The phrase gate's exemption withdrawn (StoryOptions::phrase_subject_*):
// sets gated[i] for each scored pair of similarity >= phrase_min_similarity
// not gated yet whose documents (both of phrase_subject_min_words words or
// more) share a single mark, held by at least phrase_subject_share of the
// pair's other neighbours (the documents scored at phrase_min_similarity or
// more with either, before the gate; at least 2 holding it), and appends
// each such pair to *partners both ways ((a, b) and (b, a)), then sorts
// them. Returns how many pairs. Does not depend on the number of threads.
std::uint64_t WithdrawSubjectExemptions(std::span<const SimilarityEdge> scored,
                                        const SubjectView& documents, const StoryOptions& story,
                                        std::vector<std::uint8_t>* gated,
                                        std::vector<std::pair<DocIndex, DocIndex>>* partners);
// For explanations: the evidence *e (CompareStories of a and b) of a pair
// WithdrawSubjectExemptions gated, with the gate applied (phrase_subject,
// phrase_gated, the containment of their word pairs and the factor).
void WithdrawnExemption(const StoryText& a, const StoryText& b, const StoryOptions& story,
                        StoryEvidence* e);

// Story level, for explanations: the full BuildStoryText (sentences,
// numbers, salient words) of each cluster representative compared with a
// member, and of those members (documents with a vector in run->vectors),
// into run->explained, re-reading those documents (open_input; alone when
// `record_at` is given): CompareStories then reports sentence coverage and
// numbers, and SharedSalientTerms the words as the representative writes
// them.
Status ExplainStoryClusters(std::span<const Cluster> clusters, const TermRarity& rarity,
                            const PipelineOptions& options,
                            const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                            RunStats* stats, StoryRun* run);

// Clustering the run's nodes (incremental runs: the k earlier
// representatives first, then the documents; without an index k = 0).
// (cluster_nodes.cc)
using NodeInfoFn = std::function<const DocumentInfo&(DocIndex node)>;
// The keep order of options.keep over nodes [0, nodes): earlier nodes (< k)
// first, in node order (an earlier document stays kept), then the
// documents by the rule, ties in input order.
KeepRankFn KeepRanks(const KeepOptions& keep, DocIndex k, std::size_t nodes,
                     const NodeInfoFn& info);
// Connected components of `edges`, represented by their first node in keep
// order (`rank`), split by the chain guard when `within` is set (counted in
// stats->chain_*), as clusters (ClustersFromGroups).
// With `within`, the guarded parts are then anchored on their kept
// documents by `anchor` (AnchorOnKept).
Result<std::vector<Cluster>> ClusterNodes(std::size_t nodes, std::span<const SimilarityEdge> edges,
                                          const SimilarityFn& similarity, const KeepRankFn& rank,
                                          const WithinFn& within, RunStats* stats,
                                          KeptAnchor anchor = KeptAnchor::kCenter);
// The chain guard's test at the near level with MinHash: a pair of nodes
// joined by one of `edges` (verified) is within; any other pair is decided
// on `estimate` (over nodes) when that is more than options.exact_margin
// standard errors from the threshold, else on the exact Jaccard of the two
// documents (VerifyNear: the input re-read), or on the estimate when one
// of them is an earlier document (counted in stats->chain_estimated).
WithinFn MinHashWithin(std::span<const SimilarityEdge> edges, DocIndex k,
                       const NearEstimateFn& estimate, const PipelineOptions& options,
                       const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                       std::size_t num_docs, RunStats* stats);
// With SimHash: within SimHashGuardRadius(options.simhash.radius,
// options.exact_margin) bits.
WithinFn SimHashWithin(std::span<const std::uint64_t> fingerprints, const PipelineOptions& options,
                       RunStats* stats);
// The Hamming distance up to which the chain guard counts a SimHash pair
// as within the threshold `radius`: radius + margin standard errors of the
// distance of a pair whose fingerprints differ in radius of 64 bits on
// average (cluster_nodes.cc derives it). At margin 4 (exact_margin's
// default) it is at least 2 * radius up to radius 12, where no (center,
// member) pair the guard checks can be farther (two verified pairs), so
// every member left without a center rejoins one; components are then cut
// only where a second center takes members of its own (a chain).
int SimHashGuardRadius(int radius, double margin);

// --- The report phase (report.cc) ---
// Nodes are as for ClusterNodes: the k earlier representatives, then
// document d as node k + d.
struct ReportInput {
  std::span<const Cluster> clusters;  // in id order
  Level level = Level::kNear;
  DocIndex k = 0;
  const std::deque<DocumentInfo>* infos = nullptr;        // the run's documents
  const std::deque<DocumentInfo>* prior_infos = nullptr;  // the k earlier representatives
  std::span<const SkippedRecord> skipped;                 // records skipped, in input order
  // Story level: each cluster's member reports, by cluster id (taken);
  // null: a member reports its node's info and similarity.
  std::vector<std::vector<ClusterReport::Member>>* members = nullptr;
  // Near level with MinHash and --explain: a member's evidence against its
  // representative (ExplainNearMember); empty otherwise.
  std::function<ClusterReport::Member::NearEvidence(DocIndex member, DocIndex rep)> near_evidence;
};
// Sends in.clusters to sink.OnCluster in id order, then one decision per
// document in input order with the skipped records where they were read,
// then the earlier clusters joined to older ones (OnEarlierMerged) by
// earlier document; counts stats->duplicates and stats->skipped.
Status ReportRun(const ReportInput& in, DecisionSink& sink, RunStats* stats);
// Story level: each cluster's members with their evidence against the
// representative (from the word vectors, or the full texts when explained:
// the same similarity) and the salient words they share, computed in
// parallel (clusters are independent) before the clusters go out in order.
std::vector<std::vector<ClusterReport::Member>> StoryMemberReports(
    std::span<const Cluster> clusters, const std::deque<DocumentInfo>& infos,
    const std::vector<bool>& is_copy, const StoryRun& run, const PipelineOptions& options);

}  // namespace neardup::internal

#endif  // NEARDUP_PIPELINE_PIPELINE_INTERNAL_H_
