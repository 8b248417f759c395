// Stage "pipeline": runs read -> normalize -> sign -> index -> verify ->
// cluster over a DocumentReader and reports to a DecisionSink.
//
// Levels:
//   exact: documents with the same normalized text (same words in the same
//          order after NFKC + case folding) form a cluster; similarity 1.
//   near:  MinHash signatures over word shingles, LSH candidates, kept when the
//          Jaccard similarity of their shingle sets reaches the threshold; exact
//          copies are joined first and only one of them enters the index.
//          Candidates are estimated on b-bit sketches signed with the
//          signatures. A candidate whose estimate is clearly above (below) the
//          threshold is kept (dropped) on the estimate; one within
//          `exact_margin` standard errors of it is decided on its exact
//          Jaccard, computed in a second pass that re-reads and re-shingles
//          only the documents of such pairs.
//          With NearMethod::kSimHash instead: 64-bit SimHash fingerprints of
//          word-bigram sets, pairs within a Hamming radius found by permuted
//          tables; similarity = 1 - distance / 64.
//   story: rewrites of one story (story.h, StoryLevelOptions there): exact
//          copies joined first; candidates share salient words; each is
//          scored by StorySimilarity (weighted cosine of rarity-weighted
//          words, names and numbers, on data kept from the signing pass),
//          and average linkage over the scores is cut at
//          StoryLevelOptions::threshold.
// Documents without words (empty, whitespace or punctuation only) are never
// clustered.
//
//   PipelineOptions options;                  // near level, threshold 0.8
//   Pipeline pipeline(options);
//   MySink sink;                              // implements DecisionSink
//   Status s = pipeline.Run([&] { return OpenReader(paths, {}); }, sink);
//
// The sink receives every cluster in id order, then one decision per document
// in input order, with each record the reader skipped (OnSkipped) at its
// place. Output is identical for any number of threads.
#ifndef NEARDUP_PIPELINE_H_
#define NEARDUP_PIPELINE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "neardup/cluster.h"
#include "neardup/document.h"
#include "neardup/index.h"
#include "neardup/io.h"
#include "neardup/normalize.h"
#include "neardup/signature.h"
#include "neardup/stats.h"
#include "neardup/status.h"
#include "neardup/story.h"

namespace neardup {

enum class Level { kExact, kNear, kStory };

// How the near level finds similar documents.
enum class NearMethod {
  // Jaccard of word 5-gram sets via MinHash + LSH; per document 8 bytes per LSH
  // band (144 at 0.8) and a sketch of sketch_bins / 2 bytes (256 by default)
  kMinHash,
  kSimHash,  // Hamming distance of 64-bit SimHash fingerprints; 8 bytes per document
};
const char* NearMethodName(NearMethod method);
std::optional<NearMethod> ParseNearMethod(std::string_view name);

// "exact", "near" or "story".
const char* LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);

// Which member of a cluster is kept (its representative; the others are its
// duplicates). Ties fall back to input order, so the choice does not depend
// on threads or batches.
struct DocumentInfo;

enum class KeepRule {
  kEarliest,  // the first in input order (the default; with containment, the containing one)
  kLongest,   // the most bytes of original text (DocumentInfo::bytes, before normalization)
  kLatest,    // the last in input order
  kPriority,  // the first rule of KeepOptions::priority that the document matches
};

// One line of a priority file: a glob (fnmatch(3) without flags: `*` and `?`
// match any character, `/` included; `[...]` a set; `\` escapes) matched
// against a document's input file (SourceLocation::file), its source
// ("file:line") or its URL; a prefix `path:`, `source:` or `url:` limits it
// to one of them.
struct KeepPattern {
  enum class Field { kAny, kPath, kSource, kUrl };
  Field field = Field::kAny;
  std::string glob;
  std::string where;  // "FILE:LINE" of the rule, for messages
};

struct KeepOptions {
  KeepRule rule = KeepRule::kEarliest;
  // kPriority: the rules in order; a document matching none ranks after
  // every rule.
  std::vector<KeepPattern> priority;
};

// "earliest", "longest", "latest" or "priority".
const char* KeepRuleName(KeepRule rule);

// Parses a priority file's text (`file` names it in messages): one glob per
// line, optionally prefixed (KeepPattern); blank lines and lines whose first
// non-blank character is `#` are ignored; leading and trailing blanks are
// trimmed. A line with an unknown escape at its end, an unclosed `[` or an
// empty glob after its prefix is an error naming FILE:LINE.
Result<std::vector<KeepPattern>> ParseKeepRules(std::string_view text, const std::string& file);
// Reads and parses the file at `path`.
Result<std::vector<KeepPattern>> LoadKeepRules(const std::string& path);
// True when `pattern` matches `info` (KeepPattern). Thread-safe.
bool KeepPatternMatches(const KeepPattern& pattern, const DocumentInfo& info);

struct Progress {
  std::uint64_t documents = 0;    // documents read so far
  std::uint64_t bytes_read = 0;   // input bytes consumed so far
  std::uint64_t bytes_total = 0;  // total input bytes, 0 when unknown
  bool done = false;              // the last call of a run
};
using ProgressFn = std::function<void(const Progress&)>;

struct PipelineOptions {
  Level level = Level::kNear;
  NearMethod method = NearMethod::kMinHash;
  NormalizeOptions normalize;
  ShingleOptions shingle;  // word 5-grams (MinHash)
  SimHashOptions simhash;  // signature.h
  // Optional word document frequencies (`neardup stats build`, --stats).
  // With them, SimHash weighs each shingle by the mean IDF of its words on
  // top of SimHashOptions::weight, so common phrasing counts for less.
  // At the story level they are the input's counts, and the counting pass
  // over the input is skipped.
  std::shared_ptr<const DocumentFrequencies> statistics;
  StoryLevelOptions story;  // story.h
  // k = 128: LSH bands of the signature find candidate pairs; they are
  // estimated on the b-bit sketch (sketch_bins = 512 bins of 4 bits: 256
  // bytes per document). Only the band keys and the sketch are kept.
  MinHashOptions minhash;
  LshOptions lsh;  // lsh.threshold is also the verification threshold (default 0.8)
  // Candidates whose estimate lies within exact_margin standard errors of
  // the threshold t (the pair's BbitComparison::StandardError(t)) are
  // decided on exact Jaccard (a second read of their documents). 4 standard
  // errors leave a 6e-5 chance per pair of deciding on a misleading
  // estimate; 0 decides every pair on the estimate alone.
  double exact_margin = 4.0;

  // Near level with MinHash, --containment: 0 joins documents on Jaccard
  // (lsh.threshold). Above 0, a pair is joined when the smaller document's
  // shingle set is at least this much contained in the larger one's,
  // |A n B| / |A| with |A| <= |B|, estimated from the sketches' Jaccard and
  // both documents' distinct shingle counts, and decided exactly within
  // exact_margin standard errors as for Jaccard; lsh.threshold is then not
  // used. Under the default keep rule (KeepRule::kEarliest) a cluster's
  // representative is its member with the most distinct shingles (ties: the
  // earliest), so a contained document is a duplicate of the document that
  // contains it (see ContainingRepresentatives in
  // lib/pipeline/containment.cc); another `keep` rule chooses as it does
  // without containment. Not with SimHash, signed_parts or an index of
  // earlier documents.
  double containment = 0;
  // Candidates for containment: LSH banding is tuned for the Jaccard that
  // containment C implies between documents whose sizes differ by this
  // factor, C / (1 + ratio - C) (0.29 for C = 0.9). Pairs whose sizes differ
  // more are found with lower probability (the S-curve at their Jaccard).
  double containment_ratio = 3.0;

  // Near level with MinHash (`--explain`): fill ClusterReport::Member::near
  // for every member but the representative. Costs one sketch comparison
  // per member; no second read.
  bool near_evidence = false;

  // `neardup tune`: when not empty, Run scores the candidates once and
  // reports the clusters at each of these thresholds (ascending) through
  // DecisionSink::OnSweep, the clusters `neardup cluster -t T` finds; it
  // then reports nothing else. Near level with MinHash (candidates of every
  // threshold's LSH bands; the band keys of all of them are kept) and story
  // level (average linkage cut at each threshold). lsh.threshold and
  // story.threshold are not used.
  std::vector<double> sweep;

  // Which member of a cluster is kept (KeepOptions). With an index of
  // earlier documents (PriorIndex), an earlier document stays kept: the
  // rule only chooses among the run's documents of a cluster that holds no
  // earlier document.
  KeepOptions keep;
  // The chain guard, near level: each member of a cluster must be within
  // the threshold of the cluster's center, a member with the most verified
  // pairs in its connected component (SplitChains in cluster.h): members
  // share a verified pair with it, or are checked against it (MinHash:
  // estimated Jaccard on the sketches, decided exactly within exact_margin
  // standard errors as verification decides; SimHash: within the Hamming
  // radius plus exact_margin standard errors of a distance at the radius,
  // 16 bits at radius 7, since there is no exact check to fall back on).
  // A component that fails is split around several centers and
  // counted in RunStats::chain_splits; which member is kept still follows
  // `keep` inside each part, so a member may be below the threshold against
  // the kept one (two copies of one original). The exact level needs none
  // (its members are identical texts); the story level clusters by average
  // linkage; with containment (whose pairs need not be within a Jaccard
  // threshold) it is not applied. On by default: with MinHash it changes no
  // cluster at 0.8 on gen_planted's 10,000 and 100,000 documents or
  // corpora/*, nor with SimHash at radius 7 on gen_planted's 10,000
  // (seeds 1 and 29) and 100,000 documents. README, "Chained clusters".
  bool chain_guard = true;
  // With the chain guard: what a part's kept document must be within the
  // threshold of (KeptAnchor in cluster.h; `--chain-anchor`). kCenter (the
  // default) leaves members within the threshold of their center only;
  // kResplit and kKeepWithin make them within it of the kept document, by
  // splitting again or by keeping another member. README, "Chained
  // clusters", measures all three.
  KeptAnchor chain_anchor = KeptAnchor::kCenter;

  // A longer document is signed on its first max_document_bytes bytes (cut
  // at a character boundary) and counted in RunStats::truncated_documents.
  // Must be below 4 GiB (offsets are 32-bit).
  std::size_t max_document_bytes = 256u << 20;

  // Parameters that affect speed and memory, not results.
  // Memory, near level with MinHash (k = 128): per document, kept to the
  // end, its LSH band keys (8 bytes per band: 144 at threshold 0.8), its
  // b-bit sketch (minhash.sketch_bins / 2 bytes: 256 by default), the exact
  // fingerprint (16) and its DocumentInfo (about 150-200 with short
  // strings); the signature itself is not kept: it is keyed as it is signed.
  // Transiently, while candidates are found, one band's keys (16 bytes per
  // document) per worker thread, the bands running in parallel. On top, two
  // batches of text in flight (one read while the other is signed) and at
  // most verify_bytes of shingle sets. Measured: 759-804 bytes per document
  // of peak RSS at 1M documents, 1-2 threads (docs/PERFORMANCE.md, "End to
  // end").
  int threads =
      0;  // worker threads; 0 uses every core, more than that are capped (EffectiveThreads)
  std::size_t batch_documents = 4096;   // documents read before a parallel signing step
  std::size_t batch_bytes = 64u << 20;  // ... or this many bytes of text, whichever comes first
  // Shingle sets (4 bytes per distinct shingle) the exact check holds at once
  // while it waits for a pair's later document; pairs beyond it wait for one
  // more read of the input.
  std::size_t verify_bytes = 128u << 20;
  // Called after each batch read and once at the end, on the thread that
  // called Run (or CountDocumentFrequencies); may be empty.
  ProgressFn progress;

  // Signatures signed ahead of the run by SignPart, one file per part of the
  // same input under the same options (any order): Run's first pass loads
  // them instead of reading and signing the input; later passes (the exact
  // check, the story level's phrase gate and explanations) still read it.
  // Every level and method, without containment or a sweep (Validate); at
  // the story level the parts also carry the words their documents hold,
  // counted while signing. The output is the same as without them.
  std::vector<std::string> signed_parts;
};

// What the pipeline keeps of a document once its text is signed.
struct DocumentInfo {
  DocIndex index;
  std::string id;
  SourceLocation source;
  std::size_t input = 0;             // which input the document came from
  std::size_t bytes = 0;             // length of the original text
  std::size_t words = 0;             // normalized tokens
  std::string url{};                 // Document::url (WARC-Target-URI), empty when unknown
  std::uint64_t offset = kNoOffset;  // Document::offset
  std::string batch{};               // incremental runs: the earlier batch holding it; else empty
};

struct ClusterReport {
  struct Member {
    const DocumentInfo* doc;
    double similarity;  // to the representative
    // Story level: how this member compares with the representative (empty
    // for the representative and exact copies of it).
    std::optional<StoryEvidence> evidence;
    std::vector<std::string> shared_terms;  // salient words shared with the representative
    // Story level: how the average linkage brought the document in: alone,
    // it joined the group of `group_size` documents whose first document is
    // `with`, at `average` similarity over all of them (later merges moved
    // it with its group). Empty for exact copies: the linkage saw their
    // first copy only.
    struct Link {
      const DocumentInfo* with;
      double average;
      std::uint32_t group_size;
    };
    std::optional<Link> link;
    // Near level with PipelineOptions::near_evidence (`--explain`): how this
    // member compares with the representative. Empty for the representative.
    struct NearEvidence {
      bool containment;             // the measure: containment, else Jaccard
      double estimate;              // estimated on the two sketches
      double standard_error;        // of the estimate, were the true value the threshold
      std::optional<double> exact;  // when verification decided this pair exactly
      std::optional<int> band;      // the first LSH band the two share (0-based); none: the
                                    // member joined through other members
    };
    std::optional<NearEvidence> near = std::nullopt;
  };
  std::uint32_t id;
  Level level;
  const DocumentInfo* representative;
  std::vector<Member> members;  // input order, representative first
};

struct Decision {
  const DocumentInfo* doc;
  std::optional<std::uint32_t> cluster;  // the cluster holding the document, if any
  bool kept;                             // false for every cluster member but the representative
  const DocumentInfo* duplicate_of;      // the representative, when not kept; else null
  std::optional<double> similarity;      // to the representative, when in a cluster
  // Documents in that cluster (ClusterReport::members; with an index, an
  // earlier representative counts one); 1 when in none.
  std::uint32_t cluster_size = 1;
};

struct RunStats {
  std::uint64_t documents = 0;
  std::uint64_t bytes = 0;
  std::uint64_t empty_documents = 0;      // no words: never clustered
  std::uint64_t repaired_bytes = 0;       // invalid UTF-8 bytes replaced
  std::uint64_t truncated_documents = 0;  // signed on their first max_document_bytes only
  std::uint64_t candidate_pairs = 0;      // LSH output (near level)
  std::uint64_t exact_checks = 0;         // candidates decided on exact Jaccard
  std::uint64_t joined_pairs = 0;         // near-threshold candidates left undecided: already
                                          // joined by sure edges, so no cluster depends on them
  std::uint64_t reread_documents = 0;     // documents read again: near, shingled for the
                                          // exact check; story, representatives whose
                                          // salient words are reported
  std::uint64_t reread_passes = 0;        // reads of the input for them (see verify_bytes)
  // Story level, the phrase gate: pairs it applied to, and the documents read
  // again for their word pairs.
  std::uint64_t phrase_pairs = 0;
  std::uint64_t phrase_documents = 0;
  std::uint64_t similar_pairs = 0;  // edges that passed verification, exact copies included
  std::uint64_t clusters = 0;
  std::uint64_t duplicates = 0;  // documents not kept
  std::uint64_t skipped = 0;     // input records that are not documents (SkippedRecord)
  // Memory held by the access points of compressed inputs after the first
  // read (ReaderOptions::access_points), which the second read seeks through.
  std::uint64_t access_point_bytes = 0;
  // Disk taken by the decoded copies of compressed inputs after the first
  // read (ReaderOptions::spill_dir), which later reads read instead.
  std::uint64_t spill_bytes = 0;
  // Documents whose id an earlier document already has (a JSONL input with
  // repeated ids, the same file given twice): an id then names several
  // documents, and only a source tells them apart. The first such document
  // in input order: its id, where the first document with that id was read,
  // and where it was read again.
  std::uint64_t repeated_ids = 0;
  std::string repeated_id;
  SourceLocation repeated_id_first;
  SourceLocation repeated_id_again;
  LshParams lsh;                   // bands and rows used (near level)
  double read_sign_seconds = 0;    // reading, normalizing and signing
  double cluster_seconds = 0;      // indexing, verifying and clustering
  double exact_seconds = 0;        // near level, part of cluster_seconds: the exact check
  double frequencies_seconds = 0;  // story level: the counting pass
  // Incremental runs (PriorIndex):
  std::uint64_t prior_candidates = 0;    // (document, earlier document) pairs sharing a band
  std::uint64_t prior_matches = 0;       // of them and exact copies, pairs that passed
  std::uint64_t prior_exact_checks = 0;  // decided on exact Jaccard (the earlier one re-read)
  std::uint64_t prior_estimated = 0;     // of those, decided on the estimate: input gone
  std::uint64_t merged_clusters = 0;     // earlier clusters this run joined to an earlier one
  // The chain guard (PipelineOptions::chain_guard):
  std::uint64_t chain_splits = 0;          // connected components split
  std::uint64_t chain_parts = 0;           // clusters of two or more they became
  std::uint64_t chain_pairs = 0;           // (representative, member) pairs checked
  std::uint64_t chain_exact_checks = 0;    // of them, decided on exact Jaccard
  std::uint64_t chain_anchor_pairs = 0;    // chain_anchor: (kept, member) pairs checked
  std::uint64_t chain_anchor_changed = 0;  // chain_anchor: parts re-split or given another kept one
  std::uint64_t chain_estimated = 0;       // of them, near the threshold with an earlier
                                           // document: decided on the estimate
};

// The worker threads Run and CountDocumentFrequencies use for
// PipelineOptions::threads == requested: every core the process may run on
// (its CPU affinity, as TBB counts them) when requested is 0 or more than
// that. TBB would start no more workers anyway, and would print a warning
// on stderr when asked to. Thread-safe.
int EffectiveThreads(int requested);

// Receives a run's results. Run calls it on the thread that called Run
// (inside Run's TBB arena), one call at a time: every OnCluster first (by
// cluster id), then one OnDecision per document and one OnSkipped per
// skipped record, in input order, then OnEarlierMerged; a sweep calls
// OnSweep only. How long what a call gets stays valid:
//   - the Decision, ClusterReport, SkippedRecord and OnSweep's span of
//     reports, with the reports' member vectors and strings: during the call
//     only (decisions and reports are built for the call, destroyed after);
//   - the DocumentInfo they point to (Decision::doc and duplicate_of,
//     ClusterReport::representative, Member::doc, Link::with) and the two
//     OnEarlierMerged references: until Run returns (the pipeline keeps
//     every document's DocumentInfo, earlier ones included, for the whole
//     run). Copy what must outlive Run.
// A non-OK Status stops the run, and Run returns it.
// Run hands clusters and decisions over in chunks (OnClusters, OnDecisions),
// which by default call OnCluster and OnDecision for each in turn. A sink
// that turns events into bytes may override them to format a chunk on
// several threads: the call runs inside Run's TBB arena, so tbb::parallel_for
// there uses the run's threads (-j), and the sink writes the chunk's output
// in order (the output must not depend on the number of threads).
class DecisionSink {
 public:
  virtual ~DecisionSink() = default;
  virtual Status OnCluster(const ClusterReport& cluster) = 0;
  virtual Status OnDecision(const Decision& decision) = 0;
  // Consecutive clusters, by id: OnCluster for each, stopping at the first
  // error. The reports are valid during the call only, as OnCluster's.
  virtual Status OnClusters(std::span<const ClusterReport> clusters) {
    for (const ClusterReport& c : clusters) NEARDUP_RETURN_IF_ERROR(OnCluster(c));
    return Status::OK();
  }
  // Consecutive decisions in input order with no skipped record between
  // them: OnDecision for each, stopping at the first error.
  virtual Status OnDecisions(std::span<const Decision> decisions) {
    for (const Decision& d : decisions) NEARDUP_RETURN_IF_ERROR(OnDecision(d));
    return Status::OK();
  }
  // A record the reader skipped (DocumentReader::skipped()); called among the
  // decisions at its place in input order (before the decision of the
  // document read after it).
  virtual Status OnSkipped(const SkippedRecord&) { return Status::OK(); }
  // Threshold sweeps (PipelineOptions::sweep): the clusters at `threshold`,
  // as OnCluster would report them one by one. Called once per threshold, in
  // the order given, instead of OnCluster, OnDecision and OnSkipped.
  virtual Status OnSweep(double /*threshold*/, std::span<const ClusterReport> /*clusters*/) {
    return Status::OK();
  }
  // Incremental runs (PriorIndex): `earlier`, the representative of an
  // earlier cluster that this run joined to the older cluster of `now`. One
  // run over all the batches would have decided `earlier` (and the
  // documents that name it as duplicate_of) a duplicate of `now`; its own
  // batch's decision stays as it was. Called after every decision, in the
  // order the earlier documents were added.
  virtual Status OnEarlierMerged(const DocumentInfo& /*earlier*/, const DocumentInfo& /*now*/,
                                 double /*similarity*/) {
    return Status::OK();
  }
};

// Incremental runs. The documents of earlier runs, kept in a persistent index
// (store.h), take part in a run as if they were read before its input, so
// that a run over batch B_n against the index of B_1..B_{n-1} decides B_n's
// documents as one run over B_1..B_n would: a document is a duplicate of the
// earliest document of its connected component, earlier documents included.
// Earlier documents are numbered in the order they were added (PriorDoc),
// are never reported as decisions, and keep the decisions they had.
using PriorDoc = std::uint64_t;

struct ExactKey {  // a document's exact identity (TokenSequenceFingerprint)
  Fingerprint128 fingerprint;
  DocIndex doc;
};
struct BandKey {  // a document's LSH key in one band (LshBandKeys)
  std::uint64_t key;
  DocIndex doc;
};
struct PriorMatch {
  DocIndex doc;    // a document of the run
  PriorDoc prior;  // an earlier document with the same key
};

// What a run hands to the index: every document of the input, through
// accessors valid only during PriorIndex::Record.
struct IndexedBatch {
  std::size_t documents = 0;
  std::function<const DocumentInfo&(DocIndex)> info;
  // Has words and is no exact copy of an earlier document: it enters the
  // exact table and (near level) the LSH bands; only these are matched later.
  std::function<bool(DocIndex)> indexed;
  std::function<Fingerprint128(DocIndex)> exact;
  std::function<std::span<const std::uint64_t>(DocIndex)> band_keys;  // near level; else empty
  std::function<std::span<const std::uint8_t>(DocIndex)> sketch;      // near level; else empty
  // The earliest document of its cluster (PriorDoc numbering; itself when
  // in none): what a later duplicate of it is reported a duplicate of.
  std::function<PriorDoc(DocIndex)> representative;
  // Earlier clusters this run joined: (representative, the earlier one that
  // now represents its documents), first > second; sorted.
  std::vector<std::pair<PriorDoc, PriorDoc>> merges;
};

// The earlier documents. Run calls it from the thread that called Run, one
// call at a time. Errors stop the run.
class PriorIndex {
 public:
  virtual ~PriorIndex() = default;
  virtual PriorDoc documents() const = 0;  // earlier documents: [0, documents())
  // For each key of `keys` (sorted by fingerprint) that an indexed earlier
  // document has, appends (key's document, that earlier document).
  virtual Status MatchExact(std::span<const ExactKey> keys, std::vector<PriorMatch>* out) = 0;
  // Near level: for each key of `keys` (band `band`, sorted by key) appends
  // (key's document, earlier document) for every indexed earlier document
  // with that key in that band.
  virtual Status MatchBand(int band, std::span<const BandKey> keys,
                           std::vector<PriorMatch>* out) = 0;
  // Near level: the b-bit sketch of `doc` into `out` (MinHasher::sketch_bytes()).
  virtual Status ReadSketch(PriorDoc doc, std::span<std::uint8_t> out) = 0;
  // The current representative of `doc`'s cluster (after later merges).
  virtual Result<PriorDoc> Representative(PriorDoc doc) = 0;
  // Id, source and batch of `doc`.
  virtual Result<DocumentInfo> Describe(PriorDoc doc) = 0;
  // `doc`'s text, read again from its input for the exact check; false when
  // that input is gone or changed (the pair is then decided on its estimate).
  virtual Result<bool> ReadText(PriorDoc doc, Document* out) = 0;
  // The run's documents, after clustering and before the decisions go out.
  virtual Status Record(const IndexedBatch& batch) = 0;
};

class Pipeline {
 public:
  explicit Pipeline(PipelineOptions options);

  // Checks the options: threshold in (0, 1], shingle sizes >= 1, num_perm
  // >= 1, bands and rows both forced or both 0, bands * rows <= num_perm,
  // sketch_bins a multiple of 16 in [16, kMaxSketchBins], exact_margin >= 0,
  // 0 < max_document_bytes < 4 GiB, threads >= 0, the story options (threshold
  // in (0, 1], 1 <= min_shared_salient <= salient_terms, input weight > 0),
  // Hamming radius in [0, 32], a chain anchor other than kCenter only with the
  // chain guard at the near level without containment, containment in [0, 1]
  // (above 0: MinHash, no signed_parts, containment_ratio >= 1), near_evidence
  // at the near level with MinHash only, a sweep (MinHash or story level)
  // of thresholds in (0, 1] without containment or signed_parts. Run checks
  // them first and returns the error as InvalidArgument.
  Status Validate() const;

  // Opens the input from its start. Run calls it once per read of the input:
  // the first pass (unless signed_parts are given), and again for the story
  // level's counting pass (no statistics, no background table), for each
  // pass of the near level's exact check (verification, a sweep, the chain
  // guard; one pass per verify_bytes' worth of pending pairs), for an
  // index's exact check of the run's documents against earlier ones, and for
  // the story level's phrase gate and explanations. Each call must yield the
  // same documents in the same order.
  using InputFactory = std::function<Result<std::unique_ptr<DocumentReader>>()>;

  // Reads every document, clusters them and reports to `sink`. Stops at the
  // first reader or sink error and returns it. With `prior` (exact level, or
  // near level with MinHash; not with containment, a sweep or near_evidence:
  // InvalidArgument), the documents of `prior` take part as earlier
  // documents: a decision's duplicate_of may then be one of them (its
  // DocumentInfo::batch set), and its clusters count first. Runs in a TBB
  // arena of EffectiveThreads(options.threads) threads. One Run at a time
  // per Pipeline (it writes stats()).
  Status Run(const InputFactory& open_input, DecisionSink& sink, PriorIndex* prior = nullptr);

  // The last Run's counters, reset once Run's option checks pass (filled in
  // part when Run fails later). The reference is valid as long as the
  // Pipeline; the next Run overwrites what it refers to.
  const RunStats& stats() const { return stats_; }

 private:
  Status RunInArena(const InputFactory& open_input, DecisionSink& sink, PriorIndex* prior);

  PipelineOptions options_;
  RunStats stats_;
};

// How the signing pass is split over processes or machines
// (python/neardup/dask.py).
enum class PartSplit {
  // Documents dealt to the parts in blocks of PartSpec::block_documents in
  // input order (block b to part b % parts). Any input; every part reads
  // the whole input, skipping (not parsing) the other parts' documents.
  kBlocks,
  // The inputs laid end to end, cut into `parts` spans of equal bytes: a
  // plain JSONL file is cut at line starts (a part holds the lines that
  // start in its span); any other input (gzip or zstd JSONL, WARC, text
  // files, directories, which count as 0 bytes) is read whole by the part
  // whose span holds its first byte. A part reads only its own lines and
  // files. Files only (not standard input). SignPartOfFiles.
  kRanges,
};

struct PartSpec {
  std::size_t part = 0;   // this part, < parts
  std::size_t parts = 1;  // how many parts
  // kBlocks: documents dealt at a time. 4096 = PipelineOptions::batch_documents,
  // so that a worker's batches are whole blocks.
  std::size_t block_documents = 4096;
  PartSplit split = PartSplit::kBlocks;
  // Write the part's word document frequencies (a statistics file,
  // DocumentFrequencies::Load reads it) instead of its signatures: the
  // first pass of the story level without the background table, whose
  // parts sign with the parts' counts added up as statistics. The parts'
  // tables merged are CountDocumentFrequencies of the whole input.
  bool word_counts = false;
};

// Reads the whole input (skipping, not parsing, the other parts' documents
// where the reader can), signs the documents of part `part` as Run's first
// pass would, and writes them to `out_path` (atomically, with a checksum;
// format in lib/pipeline/signed_parts.cc). Run with
// PipelineOptions::signed_parts naming the files of all parts gives the
// output Run gives on the input itself. Every level and method, but the
// story level without statistics and without the background table (its
// salient words need the whole input's counts before the first document is
// signed: count them first, CountDocumentFrequencies, and sign with them as
// statistics). Open compressed JSONL without access points
// (ReaderOptions::access_points null): they would serve this process only.
// Thread-safe for different out_paths.
Status SignPart(const Pipeline::InputFactory& open_input, const PipelineOptions& options,
                const PartSpec& part, const std::string& out_path);

// SignPart for split kRanges (part.split is ignored): opens `inputs` with
// `reader` itself and reads only part `part`'s lines and files (see
// PartSplit). Documents, ids, source lines, skipped records and the output
// of Run with all parts' files are those of the whole input; an input error
// (without ReaderOptions::skip_bad) is reported as reading the whole input
// reports it, naming the file and its line in the whole file. Compressed
// JSONL is read without access points whatever `reader` says.
// Thread-safe for different out_paths.
Status SignPartOfFiles(const std::vector<std::string>& inputs, const ReaderOptions& reader,
                       const PipelineOptions& options, const PartSpec& part,
                       const std::string& out_path);

// True when kRanges spreads `inputs` over `parts` parts evenly enough: no
// input that must be read whole (see PartSplit) holds more than a part's
// share of the bytes, and there is no directory or standard input. The
// choice of `neardup sign-part --split auto`.
Result<bool> RangesBalance(const std::vector<std::string>& inputs, std::size_t parts);

// Document frequencies of the words of every document `reader` yields: one
// pass, documents normalized in parallel (options.normalize, threads, batch
// sizes) exactly as Run normalizes them. The table does not depend on the
// number of threads.
Result<DocumentFrequencies> CountDocumentFrequencies(DocumentReader& reader,
                                                     const PipelineOptions& options);

}  // namespace neardup

#endif  // NEARDUP_PIPELINE_H_
