// MinHash kernels (lib/signature/minhash*.cc) against the scalar reference:
// every kernel must give bit-identical signatures (STYLE.md item 12). Kernels
// the CPU cannot run are skipped with a warning that names them, and every
// test prints the kernels it ran.
#include "signature/minhash_kernels.h"

#include <neardup/signature.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "../test_util.h"

namespace neardup {
namespace {

bool CpuHasAvx2() {
#if NEARDUP_MINHASH_HAVE_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

// The non-reference kernels this CPU can run; warns about the others.
std::vector<MinHashKernel> FastKernels() {
  std::vector<MinHashKernel> kernels;
  if (CpuHasAvx2()) {
    kernels.push_back(MinHashKernel::kAvx2);
  } else {
    WARN("SKIPPED kernel avx2: this CPU does not support AVX2");
  }
  return kernels;
}

MinHasher Hasher(int k, std::uint64_t seed, MinHashKernel kernel) {
  MinHashOptions options;
  options.num_perm = k;
  options.seed = seed;
  options.kernel = kernel;
  options.scheme = MinHashScheme::kPermutations;  // the scheme the kernels are for
  return MinHasher(options);
}

// Signs into the front of a larger buffer pre-filled with a sentinel, and
// checks the kernel wrote exactly k values (the tail block of a k that is not
// a multiple of 8 must not spill).
std::vector<std::uint32_t> Sign(const MinHasher& hasher, const std::vector<std::uint64_t>& set) {
  const auto k = static_cast<std::size_t>(hasher.num_perm());
  constexpr std::uint32_t kSentinel = 0x5A5A5A5Au;
  std::vector<std::uint32_t> buffer(k + 16, kSentinel);
  hasher.Sign(set, std::span<std::uint32_t>(buffer).first(k));
  for (std::size_t i = k; i < buffer.size(); ++i) REQUIRE(buffer[i] == kSentinel);
  buffer.resize(k);
  return buffer;
}

// Random keys plus the edge cases of the 32-bit fold: keys folding to 0 and
// to 0xFFFFFFFF, all-zero and all-one keys, and repeats.
std::vector<std::uint64_t> MakeSet(testing::Rng& rng, std::size_t n) {
  static const std::uint64_t kEdges[] = {0,
                                         ~std::uint64_t{0},
                                         0xFFFFFFFFull,
                                         0xFFFFFFFF00000000ull,
                                         0x1234567812345678ull,  // folds to 0
                                         0x00000001FFFFFFFEull,  // folds to 0xFFFFFFFF
                                         1};
  std::vector<std::uint64_t> set;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = rng.Next();
    if (r % 16 == 0) {
      set.push_back(kEdges[rng.Below(std::size(kEdges))]);
    } else if (r % 16 == 1 && !set.empty()) {
      set.push_back(set[rng.Below(set.size())]);
    } else {
      set.push_back(rng.Next());
    }
  }
  return set;
}

TEST_CASE("MinHash kernels: the split used by AVX2 equals the 64-bit formula",
          "[minhash][kernels]") {
  using internal::MinHashValue;
  using internal::MinHashValueSplit;
  const std::uint64_t kEdge64[] = {0,
                                   1,
                                   0xFFFFFFFFull,
                                   0x100000000ull,
                                   0x7FFFFFFFFFFFFFFFull,
                                   0x8000000000000000ull,
                                   0xFFFFFFFF00000000ull,
                                   0xFFFFFFFFFFFFFFFEull,
                                   ~std::uint64_t{0}};
  const std::uint32_t kEdge32[] = {0, 1, 2, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu};
  for (const std::uint64_t a : kEdge64) {
    for (const std::uint64_t b : kEdge64) {
      for (const std::uint32_t x : kEdge32) {
        INFO("a = " << a << ", b = " << b << ", x = " << x);
        REQUIRE(MinHashValueSplit(a, b, x) == MinHashValue(a, b, x));
      }
    }
  }
  testing::Rng rng(0xA1);
  for (int i = 0; i < 1000000; ++i) {
    const std::uint64_t a = rng.Next(), b = rng.Next();
    const auto x = static_cast<std::uint32_t>(rng.Next());
    if (MinHashValueSplit(a, b, x) != MinHashValue(a, b, x)) {
      INFO("a = " << a << ", b = " << b << ", x = " << x);
      REQUIRE(MinHashValueSplit(a, b, x) == MinHashValue(a, b, x));
    }
  }
  // Known value: a = 2^64 - 1, b = 2^64 - 1, x = 2^32 - 1:
  // a*x + b = -(2^32 - 1) - 1 = -2^32 = 0xFFFFFFFF00000000 (mod 2^64).
  CHECK(MinHashValue(~std::uint64_t{0}, ~std::uint64_t{0}, 0xFFFFFFFFu) == 0xFFFFFFFFu);
}

TEST_CASE("MinHash kernels: every kernel matches the scalar reference", "[minhash][kernels]") {
  const std::vector<MinHashKernel> kernels = FastKernels();
  std::string ran = "scalar (reference)";
  for (const MinHashKernel kernel : kernels) ran += std::string(", ") + MinHashKernelName(kernel);
  WARN("MinHash kernels tested: " << ran);

  testing::Rng rng(0xC0FFEE);
  for (const int k : {1, 7, 8, 64, 128, 200, 256}) {
    for (const std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{100}, std::size_t{5000}}) {
      for (int trial = 0; trial < 3; ++trial) {
        const std::uint64_t seed = rng.Next();
        const std::vector<std::uint64_t> set = MakeSet(rng, n);
        const MinHasher reference = Hasher(k, seed, MinHashKernel::kScalar);
        REQUIRE(reference.kernel() == MinHashKernel::kScalar);
        const std::vector<std::uint32_t> expected = Sign(reference, set);
        for (const MinHashKernel kernel : kernels) {
          const MinHasher hasher = Hasher(k, seed, kernel);
          INFO("kernel " << MinHashKernelName(kernel) << ", k = " << k << ", n = " << n
                         << ", trial " << trial);
          REQUIRE(hasher.kernel() == kernel);
          CHECK(Sign(hasher, set) == expected);
          // A copied hasher keeps its kernel and parameters.
          const MinHasher copy = hasher;
          CHECK(copy.kernel() == kernel);
          CHECK(Sign(copy, set) == expected);
        }
      }
    }
  }
}

TEST_CASE("MinHash kernels: Sign overwrites the output and ignores order", "[minhash][kernels]") {
  testing::Rng rng(0xBEEF);
  std::vector<MinHashKernel> kernels = FastKernels();
  kernels.push_back(MinHashKernel::kScalar);
  for (const MinHashKernel kernel : kernels) {
    INFO("kernel " << MinHashKernelName(kernel));
    const MinHasher hasher = Hasher(13, 7, kernel);
    const std::vector<std::uint64_t> set = MakeSet(rng, 37);
    std::vector<std::uint64_t> reversed(set.rbegin(), set.rend());
    const std::vector<std::uint32_t> sig = Sign(hasher, set);
    CHECK(Sign(hasher, reversed) == sig);
    std::vector<std::uint32_t> reused(13, 0);  // zeros would survive a missing reset
    hasher.Sign(set, reused);
    CHECK(reused == sig);
    hasher.Sign({}, reused);
    CHECK(reused == std::vector<std::uint32_t>(13, kEmptySignatureValue));
  }
}

TEST_CASE("MinHash kernels: forcing a kernel selects it", "[minhash][kernels]") {
  const bool avx2 = CpuHasAvx2();
  const MinHashKernel best = avx2 ? MinHashKernel::kAvx2 : MinHashKernel::kScalar;
  WARN("CPU supports AVX2: " << (avx2 ? "yes" : "no") << "; kAuto resolves to "
                             << MinHashKernelName(best));
  CHECK(Hasher(64, 1, MinHashKernel::kScalar).kernel() == MinHashKernel::kScalar);
  CHECK(Hasher(64, 1, MinHashKernel::kAuto).kernel() == best);
  MinHashOptions k_hash;
  k_hash.scheme = MinHashScheme::kPermutations;
  CHECK(MinHasher(k_hash).kernel() == best);
  // One permutation hashing has one (scalar) loop.
  CHECK(MinHasher(MinHashOptions{}).kernel() == MinHashKernel::kScalar);
  // Forcing AVX2 on a CPU without it falls back to the scalar kernel rather
  // than fault.
  CHECK(Hasher(64, 1, MinHashKernel::kAvx2).kernel() == best);
}

}  // namespace
}  // namespace neardup
