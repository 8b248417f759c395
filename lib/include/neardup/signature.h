// Stage "signature": shingle hashes -> fixed-size signatures.
//
// MinHash keeps k minimum hash values of a document's shingles: one per hash
// function (Broder 1997), or by default one per bin of a single hash (one
// permutation hashing, see MinHashScheme). The fraction of positions where
// two signatures agree estimates the Jaccard similarity of their shingle
// sets, with standard error about sqrt(J(1-J)/k). The exact-level fingerprint
// is a 128-bit XXH3 hash of the normalized text (ExactFingerprint) or of its
// token hashes (TokenSequenceFingerprint).
//
//   MinHasher hasher(MinHashOptions{});                 // k = 128
//   std::vector<std::uint32_t> a(hasher.num_perm()), b(hasher.num_perm());
//   hasher.Sign(shingles_a, a);
//   hasher.Sign(shingles_b, b);
//   double j = EstimateJaccard(a, b);
//
// Signing is a pure function of (shingles, options): MinHasher is immutable
// after construction and safe to share between threads.
#ifndef NEARDUP_SIGNATURE_H_
#define NEARDUP_SIGNATURE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace neardup {

// Instruction-set variant of MinHasher::Sign. Every kernel gives bit-identical
// signatures; only speed differs (bench_kernels BM_MinHash/<kernel>/k).
enum class MinHashKernel {
  kAuto,    // fastest the CPU supports: kAvx2 if available, else kScalar
  kScalar,  // portable reference loop
  kAvx2,    // x86 AVX2; falls back to kScalar on CPUs without AVX2
};

// "auto", "scalar" or "avx2".
const char* MinHashKernelName(MinHashKernel kernel);

// How a MinHash signature of length k is made. Both estimate Jaccard
// similarity as the fraction of agreeing positions.
enum class MinHashScheme {
  // One hash per shingle picks one of k bins and a value; each bin keeps its
  // minimum value (one permutation hashing, Li, Owen and Zhang, NIPS 2012).
  // Bins no shingle fell in copy the value of a filled bin chosen by a
  // per-bin hash sequence that every document shares (optimal densification,
  // Shrivastava, ICML 2017), which keeps the estimate unbiased. O(n + k) per
  // document of n shingles; for n well above k the error is that of
  // kPermutations, for short documents somewhat larger.
  kOnePermutation,
  // k independent hash functions, the minimum of each (Broder 1997). O(nk).
  kPermutations,
};

// "oph" or "kperm".
const char* MinHashSchemeName(MinHashScheme scheme);

struct MinHashOptions {
  // k, signature length. Error of the Jaccard estimate is sqrt(J(1-J)/k):
  // 0.035 at J = 0.8, k = 128. A signature takes 4k bytes; the pipeline
  // keeps only its LSH band keys and the sketch (pipeline.h).
  int num_perm = 128;
  std::uint64_t seed =
      1;  // derives the k hash functions; signatures are comparable only under equal seeds
  MinHashKernel kernel = MinHashKernel::kAuto;  // kPermutations only; forcing one is for tests
                                                // and benchmarks
  MinHashScheme scheme = MinHashScheme::kOnePermutation;
  // Bins of the b-bit sketch Sign() can write beside the signature (see
  // "b-bit sketches" below): a multiple of 16 in [16, kMaxSketchBins].
  // Memory: sketch_bins / 2 bytes per document.
  int sketch_bins = 512;
};

inline constexpr int kMaxSketchBins = 8192;

// Signature value of a document without shingles. Two such signatures are
// never reported as similar by EstimateJaccard.
inline constexpr std::uint32_t kEmptySignatureValue = 0xFFFFFFFFu;

class MinHasher {
 public:
  // REQUIRES: options.num_perm >= 1
  explicit MinHasher(const MinHashOptions& options);

  int num_perm() const { return k_; }
  MinHashScheme scheme() const { return scheme_; }

  // The kernel Sign runs: options.kernel resolved against the CPU, so never
  // kAuto, and kScalar when kAvx2 was asked for but is unavailable.
  MinHashKernel kernel() const { return kernel_; }

  // Writes the k-value signature of `shingles` (any order, repeats allowed)
  // to `out`. No shingles gives kEmptySignatureValue everywhere.
  // REQUIRES: out.size() == num_perm()
  void Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out) const;

  int sketch_bins() const { return sketch_bins_; }
  std::size_t sketch_bytes() const { return static_cast<std::size_t>(sketch_bins_) / 2; }

  // Sign, and also the b-bit sketch of the same shingles to `sketch`. Under
  // kOnePermutation both come from one pass over the shingles.
  // REQUIRES: out.size() == num_perm(), sketch.size() == sketch_bytes()
  void Sign(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out,
            std::span<std::uint8_t> sketch) const;

 private:
  // Signature (when `out` is not empty) and sketch mins (when `sketch_mins`
  // is not null) of kOnePermutation.
  void SignOnePermutation(std::span<const std::uint64_t> shingles, std::span<std::uint32_t> out,
                          std::uint32_t* sketch_mins) const;

  int k_;
  int sketch_bins_;
  MinHashScheme scheme_;
  std::uint64_t bin_seed_ = 0;  // keys the shingle -> (bin, value) hash (kOnePermutation, sketch)
  std::uint64_t densify_seed_ = 0;          // kOnePermutation: keys the donor sequences
  std::vector<std::uint64_t> mul_;          // multiplier of hash function i (random)
  std::vector<std::uint64_t> add_;          // addend of hash function i (random)
  MinHashKernel kernel_;                    // resolved kernel, never kAuto
  std::vector<std::uint64_t> avx2_params_;  // mul_/add_ in the AVX2 kernel's block layout
};

// Fraction of positions where `a` and `b` agree, in [0, 1]; 0 when either
// signature is empty (all kEmptySignatureValue).
// REQUIRES: a.size() == b.size() > 0
double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// b-bit sketches: a compact, precise Jaccard estimate to decide candidate
// pairs with (Li and König, "b-Bit minwise hashing", WWW 2010; Li, Owen and
// Zhang, "One permutation hashing", NIPS 2012).
//
// The one-permutation hash of each shingle also picks one of sketch_bins
// bins; each bin keeps its minimum value, stored as a 4-bit code: 0 for a
// bin no shingle fell in, else 1..15 from the minimum's low bits. Where
// either document has a shingle in a bin (U bins), the smallest value of the
// union lies in both sets with probability J, and then both bins hold the
// same minimum and the same code; otherwise the codes still agree by chance,
// with probability c = 1/15, when both bins are filled. With M agreeing
// filled bins out of B filled in both, the estimate is
//     J^ = (M - c B) / ((1 - c) U)
// with variance about J(1-J)/U (N-U)/(N-1) + (B - J U) c / ((1 - c) U^2) for a
// union of N shingles. Documents of n distinct shingles fill U ~ bins (1 -
// e^(-n/bins)) bins, so the estimate is at least as good as a signature of U
// full values: 512 bins (256 bytes) beat a 128-value signature (512 bytes)
// twice over in variance from n = 250. Empty bins are told apart instead of
// densified.
//
//   MinHasher hasher(MinHashOptions{});                 // 512 sketch bins
//   std::vector<std::uint8_t> a(hasher.sketch_bytes()), b(hasher.sketch_bytes());
//   hasher.Sign(shingles_a, signature_a, a);
//   hasher.Sign(shingles_b, signature_b, b);
//   double j = CompareBbitSketches(a, b).Jaccard();
//
// Bin i's code is in the low half of byte i/2 for even i, the high half for
// odd i. Sketches compare only under equal seeds and bins.
inline constexpr double kSketchChanceAgreement = 1.0 / 15.0;  // c

// How two sketches agree, and the Jaccard estimate and its error from that.
struct BbitComparison {
  int bins = 0;           // bins per sketch
  int filled_either = 0;  // U: bins filled in either sketch
  int filled_both = 0;    // B: bins filled in both
  int agreeing = 0;       // M: bins filled in both with equal codes

  // J^ clamped to [0, 1]; 0 when no bin is filled.
  double Jaccard() const;
  // Standard error of J^ for a pair whose true Jaccard is j. The U filled
  // bins' minimums are a sample without replacement from the union, so the
  // binomial term J(1-J)/U shrinks by (N - U) / (N - 1) for a union of N
  // shingles, with N estimated high from U. Infinite when no bin is filled.
  double StandardError(double j) const;
};

// REQUIRES: a.size() == b.size(), a multiple of 8
BbitComparison CompareBbitSketches(std::span<const std::uint8_t> a,
                                   std::span<const std::uint8_t> b);

// Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two shingle multisets taken as
// sets; 0 when both are empty. For tests and verification.
double ExactJaccard(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

// SimHash (Charikar, "Similarity estimation techniques from rounding
// algorithms", STOC 2002): each feature votes +w on the bits set in its hash
// and -w on the others; the fingerprint keeps the sign of every bit's total.
// The fraction of differing bits estimates angle/pi between the two weighted
// feature vectors, so near-duplicates are a small Hamming distance apart
// (Manku, Jain and Das Sarma, WWW 2007).
struct WeightedFeature {
  std::uint64_t hash;  // feature hash (e.g. a shingle hash)
  float weight;        // > 0
};

enum class FeatureWeight {
  kBinary,            // every distinct feature weighs 1 (the document's feature set)
  kTermFrequency,     // occurrences
  kLogTermFrequency,  // 1 + ln(occurrences)
};

// Weight of a feature seen `occurrences` times in a document (>= 1).
float CountWeight(std::size_t occurrences, FeatureWeight weight);

// Collapses repeated hashes into one feature weighted as asked. Output sorted by hash.
std::vector<WeightedFeature> CountFeatures(std::span<const std::uint64_t> hashes,
                                           FeatureWeight weight = FeatureWeight::kTermFrequency);

// 64-bit SimHash of weighted features. Features are accumulated in the order
// given, so the result is a pure function of the span. No features gives 0.
std::uint64_t SimHash(std::span<const WeightedFeature> features);

// The same fingerprint computed with the scalar reference loop (tests check
// that both kernels agree bit for bit).
std::uint64_t SimHashScalar(std::span<const WeightedFeature> features);

// Number of differing bits.
inline int HammingDistance(std::uint64_t a, std::uint64_t b) { return __builtin_popcountll(a ^ b); }

// The near level with SimHash (PipelineOptions::simhash, NearMethod::kSimHash):
// fingerprints of word shingle sets, near-duplicates within a Hamming radius.
struct SimHashOptions {
  // Measured on gen_planted corpora of 100,000 documents (copies with 5-gram
  // Jaccard >= 0.85, distractors <= 0.5; bench/results/2026-11-24-cpp.md):
  // word bigram sets put copies closest to their originals while keeping
  // unrelated documents apart; at radius 7 pairwise precision 1.0000 and
  // recall 0.954 (radius 6: recall 0.909; 8: 0.978 with precision 0.9997).
  // Term-frequency weights let frequent bigrams ("of the") pull unrelated
  // documents together (precision 0.967 at radius 7).
  int shingle_size = 2;
  FeatureWeight weight = FeatureWeight::kBinary;
  int radius = 7;  // maximum Hamming distance of near-duplicates, of 64 bits
};

struct Fingerprint128 {
  std::uint64_t low;
  std::uint64_t high;
  friend bool operator==(const Fingerprint128&, const Fingerprint128&) = default;
  friend auto operator<=>(const Fingerprint128&, const Fingerprint128&) = default;
};

// XXH3-128 of a normalized text (the exact level's identity).
Fingerprint128 ExactFingerprint(std::string_view normalized_text);

// The same identity computed from the text's token hashes (HashedText), which
// the signing path has without building the text: equal texts have equal
// token hashes, and two different texts share a fingerprint only through a
// 64-bit collision between two of their tokens or a 128-bit one between the
// sequences. Its values differ from ExactFingerprint's and are in the host's
// byte order: compare them only with each other, within one run.
Fingerprint128 TokenSequenceFingerprint(std::span<const std::uint64_t> token_hashes);

}  // namespace neardup

#endif  // NEARDUP_SIGNATURE_H_
