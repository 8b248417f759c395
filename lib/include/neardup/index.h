// Stage "index": signatures -> candidate pairs.
//
// LSH banding (Indyk and Motwani 1998; Leskovec, Rajaraman and Ullman, "Mining
// of Massive Datasets", ch. 3): a k-value MinHash signature is cut into b bands
// of r rows; two documents become a candidate pair when all r values of at
// least one band agree, which happens with probability 1 - (1 - s^r)^b for
// Jaccard similarity s (the S-curve). (b, r) are chosen for a threshold t by
// minimizing  w_fp * ∫_0^t P(s) ds + w_fn * ∫_t^1 (1 - P(s)) ds.
//
//   LshParams p = OptimalLshParams(LshOptions{.threshold = 0.8}, 128);
//   LshIndex index(p);
//   for (DocIndex d = 0; d < n; ++d) index.Add(d, signature_of(d));
//   std::vector<CandidatePair> pairs = index.Candidates();
//
// Not thread-safe; Candidates() runs its bands in parallel on the calling
// thread's TBB arena. Output never depends on the number of threads.
#ifndef NEARDUP_INDEX_H_
#define NEARDUP_INDEX_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "neardup/document.h"

namespace neardup {

struct LshOptions {
  double threshold = 0.8;  // Jaccard similarity the S-curve is centred for (the verify threshold)
  // Weights of the two error areas. Candidates are verified afterwards, so a
  // false positive costs one signature comparison while a false negative is a
  // duplicate lost for good: the default favours recall. At t = 0.8, k = 128
  // it gives b = 18, r = 7: P(0.85) = 0.999, P(0.8) = 0.986, P(0.5) = 0.13,
  // where equal weights (b = 9, r = 13) would find only 69% of pairs at 0.85.
  double false_positive_weight = 0.01;
  double false_negative_weight = 0.99;
  int bands = 0;  // force b (with rows); 0 derives (b, r) from the threshold
  int rows = 0;   // force r (with bands); b * r must not exceed the signature length
};

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// Probability that two documents with Jaccard s share at least one band.
double CandidateProbability(double s, const LshParams& params);

// The (b, r) with b * r <= num_perm that minimizes the weighted error areas,
// or the forced values when options.bands and options.rows are set.
// REQUIRES: 0 < options.threshold <= 1, num_perm >= 1
LshParams OptimalLshParams(const LshOptions& options, int num_perm);

struct CandidatePair {
  DocIndex a;  // a < b
  DocIndex b;
  friend bool operator==(const CandidatePair&, const CandidatePair&) = default;
  friend auto operator<=>(const CandidatePair&, const CandidatePair&) = default;
};

// Holds every band's keys of every added document (16 bytes per document
// per band). The pipeline does not use it: it keys bands as it signs and
// calls LshCandidatesFromKeys. LshIndex, LshCandidates and
// LshCandidatesFromKeys give the same pairs by the same bucket rule.
class LshIndex {
 public:
  static constexpr std::size_t kMaxBucketWindow = 64;

  explicit LshIndex(const LshParams& params);

  // Adds a document's signature.
  // REQUIRES: signature.size() >= bands * rows; each doc added once
  void Add(DocIndex doc, std::span<const std::uint32_t> signature);

  // Sorted, duplicate-free candidate pairs: every pair of documents sharing
  // a bucket in some band. A bucket larger than kMaxBucketWindow + 1 (many
  // near-identical documents) pairs each member, in index order, with the
  // next kMaxBucketWindow members only, which keeps the bucket connected and
  // the cost linear in its size instead of quadratic.
  // Sorts the band tables in place; call it once, after the last Add().
  std::vector<CandidatePair> Candidates();

  const LshParams& params() const { return params_; }
  std::size_t size() const { return band_keys_.empty() ? 0 : band_keys_[0].size(); }

 private:
  struct Entry {
    std::uint64_t key;  // hash of the band's r values
    DocIndex doc;
  };
  LshParams params_;
  std::vector<std::vector<Entry>> band_keys_;  // [band] -> one entry per document
};

// What LshIndex::Candidates() returns after Add(d, signature(d)) for every d
// of `docs`, without an LshIndex: the bands run in parallel on the calling
// thread's TBB arena, one task per band, and each worker thread holds the
// keys of the one band it is on (16 bytes per document) instead of every
// band's (16 bytes per document per band); no signature is copied.
// REQUIRES: signature(d).size() >= bands * rows for every d of docs;
//           signature may be called from several threads at once
using SignatureFn = std::function<std::span<const std::uint32_t>(DocIndex)>;
std::vector<CandidatePair> LshCandidates(const LshParams& params, std::span<const DocIndex> docs,
                                         const SignatureFn& signature);

// The keys LshIndex and LshCandidates give a signature's bands: keys[band]
// for each of the params.bands bands. Two signatures share a band's key when
// they agree on its r values (or, with probability 2^-64, by chance). A
// caller can key its documents' bands as it signs them and keep those
// (8 bytes per band) instead of the signatures (4 bytes per value).
// REQUIRES: keys.size() == bands, signature.size() >= bands * rows
void LshBandKeys(const LshParams& params, std::span<const std::uint32_t> signature,
                 std::span<std::uint64_t> keys);

// LshCandidates over band keys from LshBandKeys: the same pairs, without
// the signatures.
// REQUIRES: keys(d).size() >= bands for every d of docs; keys may be called
//           from several threads at once
using BandKeysFn = std::function<std::span<const std::uint64_t>(DocIndex)>;
std::vector<CandidatePair> LshCandidatesFromKeys(const LshParams& params,
                                                 std::span<const DocIndex> docs,
                                                 const BandKeysFn& keys);

// SimHash search by permuted tables (Manku, Jain and Das Sarma, "Detecting
// near-duplicates for web crawling", WWW 2007). The 64 bits are cut into B
// blocks; two fingerprints within Hamming distance k differ in at most k
// blocks, so they agree exactly on some B - k of them (pigeonhole). One table
// per choice of B - k blocks, keyed on those blocks' bits, therefore finds
// every pair within k; each match is then checked exactly. The tables run
// in parallel, one task per table, and each task sorts its own copy of the
// fingerprints (16 bytes per document per table in progress).
//
//   SimHashIndex index(/*radius=*/7);
//   for (DocIndex d = 0; d < n; ++d) index.Add(d, fingerprint_of(d));
//   std::vector<HammingPair> pairs = index.PairsWithinRadius();

struct SimHashTablePlan {
  int blocks = 0;    // B
  int tables = 0;    // C(B, k)
  int key_bits = 0;  // bits of the smallest table key
};

// The block count B in [k + 1, 64] minimizing the estimated work
// tables * n * (log2 n + expected bucket size), for n fingerprints.
// REQUIRES: 0 <= radius < 64
SimHashTablePlan PlanSimHashTables(int radius, std::size_t num_fingerprints);

struct HammingPair {
  DocIndex a;  // a < b
  DocIndex b;
  int distance;
  friend bool operator==(const HammingPair&, const HammingPair&) = default;
  friend auto operator<=>(const HammingPair&, const HammingPair&) = default;
};

class SimHashIndex {
 public:
  // REQUIRES: 0 <= radius < 64
  explicit SimHashIndex(int radius);

  void Add(DocIndex doc, std::uint64_t fingerprint);

  // Every pair of added documents within the radius, sorted, each once.
  // Runs its tables in parallel on the calling thread's TBB arena; the
  // result does not depend on the thread count.
  std::vector<HammingPair> PairsWithinRadius() const;

  // The plan PairsWithinRadius uses for the documents added so far.
  SimHashTablePlan plan() const { return PlanSimHashTables(radius_, entries_.size()); }

 private:
  struct Entry {
    std::uint64_t fingerprint;
    DocIndex doc;
  };
  int radius_;
  std::vector<Entry> entries_;
};

}  // namespace neardup

#endif  // NEARDUP_INDEX_H_
