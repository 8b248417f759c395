// Stage "signature": shingle hashes -> fixed-size signatures.
//
// MinHash keeps k minimum hash values of a document's shingles: one per hash
// function (Broder 1997), or by default one per bin of a single hash (one
// permutation hashing, see MinHashScheme). The fraction of positions where
// two signatures agree estimates the Jaccard similarity of their shingle
// sets, with standard error about sqrt(J(1-J)/k). The exact-level fingerprint is a 128-bit
// XXH3 hash of the normalized text.
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
  int num_perm = 128;  // k, signature length. Error of the Jaccard estimate is
                       // sqrt(J(1-J)/k): 0.035 at J = 0.8, k = 128. Memory: 4k bytes per document.
  std::uint64_t seed =
      1;  // derives the k hash functions; signatures are comparable only under equal seeds
  MinHashKernel kernel = MinHashKernel::kAuto;  // kPermutations only; forcing one is for tests
                                                // and benchmarks
  MinHashScheme scheme = MinHashScheme::kOnePermutation;
};

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

 private:
  void SignOnePermutation(std::span<const std::uint64_t> shingles,
                          std::span<std::uint32_t> out) const;

  int k_;
  MinHashScheme scheme_;
  std::uint64_t bin_seed_ = 0;      // kOnePermutation: keys the shingle -> (bin, value) hash
  std::uint64_t densify_seed_ = 0;  // kOnePermutation: keys the donor sequences
  std::vector<std::uint64_t> mul_;  // multiplier of hash function i (random)
  std::vector<std::uint64_t> add_;  // addend of hash function i (random)
  MinHashKernel kernel_;            // resolved kernel, never kAuto
  std::vector<std::uint64_t> avx2_params_;  // mul_/add_ in the AVX2 kernel's block layout
};

// Fraction of positions where `a` and `b` agree, in [0, 1]; 0 when either
// signature is empty (all kEmptySignatureValue).
// REQUIRES: a.size() == b.size() > 0
double EstimateJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

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
