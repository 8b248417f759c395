// Scanner selection for tests and benchmarks (internal).
//
// Normalize and NormalizeAndHash find words with one of two scanners that
// must agree: a scalar one, one character at a time (the reference), and a
// block one that classifies 64 bytes at once with SSE2, finds the words of
// the ASCII run at their start from bit masks, and takes the scalar step for
// each non-ASCII character.
// tests/normalize/scan_test.cc checks that they give the same tokens.
#ifndef NEARDUP_NORMALIZE_SCAN_H_
#define NEARDUP_NORMALIZE_SCAN_H_

#include <string_view>

#include "neardup/normalize.h"

namespace neardup::internal {

enum class ScanKernel {
  kAuto,    // the block scanner where the CPU has it (every x86-64), else scalar
  kScalar,  // the reference
};

// True when kAuto runs the block scanner on this build.
bool HaveBlockScanner();

void Normalize(std::string_view original, const NormalizeOptions& options, ScanKernel kernel,
               NormalizedText* out);
void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, ScanKernel kernel, HashedText* out);

}  // namespace neardup::internal

#endif  // NEARDUP_NORMALIZE_SCAN_H_
