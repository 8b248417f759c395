// b-bit sketches: encoding bin minimums, and comparing two sketches (see
// "b-bit sketches" in signature.h). MinHasher::Sign computes the minimums.
#include "signature/bbit_sketch.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

#include "neardup/signature.h"

namespace neardup {
namespace {

// A filled bin's code in 1..15 from the low 16 bits of its minimum, which
// are close to uniform whatever the minimum's size.
std::uint8_t Code(std::uint32_t min) {
  if (min == internal::kEmptySketchBin) return 0;
  return static_cast<std::uint8_t>(1 + (((min & 0xFFFFu) * 15u) >> 16));
}

// One bit per 4-bit code of `w` (bit 4i for code i): set where the code is not 0.
std::uint64_t Filled(std::uint64_t w) {
  return (w | w >> 1 | w >> 2 | w >> 3) & 0x1111111111111111ull;
}

// Bits set in a Filled() mask, without a popcount instruction (the library
// is built for any x86-64): pairs of nibbles summed into bytes (at most 2
// each), then the 8 bytes summed by one multiply (at most 16).
int CountFilled(std::uint64_t mask) {
  const std::uint64_t bytes = (mask + (mask >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((bytes * 0x0101010101010101ull) >> 56);
}

}  // namespace

namespace internal {

void EncodeSketch(const std::uint32_t* mins, std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(Code(mins[2 * i]) | Code(mins[2 * i + 1]) << 4);
  }
}

}  // namespace internal

double BbitComparison::Jaccard() const {
  if (filled_either == 0) return 0.0;
  const double c = kSketchChanceAgreement;
  const double j = (agreeing - c * filled_both) / ((1 - c) * filled_either);
  return std::clamp(j, 0.0, 1.0);
}

double BbitComparison::StandardError(double j) const {
  if (filled_either == 0) return std::numeric_limits<double>::infinity();
  const double c = kSketchChanceAgreement;
  const double u = filled_either;
  // The U filled bins' minimums are U distinct elements of the union, and
  // every element is as likely to be among them as any other: a sample
  // without replacement, so the number in both sets is hypergeometric, with
  // the binomial variance times (N - U) / (N - 1) for a union of N. N comes
  // from U through the bins' occupancy, E[U] = bins (1 - (1 - 1/bins)^N);
  // the L = N - U elements that shared a bin are counted with 2 standard
  // deviations (L is about Poisson) plus one to spare, so that short
  // documents, whose few collisions are the only sampling, are not trusted
  // beyond what they show.
  double fpc = 1;
  if (filled_either < bins) {
    const double n = std::log1p(-u / bins) / std::log1p(-1.0 / bins);
    const double lost = std::max(0.0, n - u);
    const double lost_high = lost + 2 * std::sqrt(lost) + 1;
    fpc = std::min(1.0, lost_high / (u + lost_high - 1));
  }
  // Each bin filled in both without a shared minimum agrees by chance with
  // probability c.
  const double chance_bins = std::max(0.0, filled_both - j * u);
  return std::sqrt(j * (1 - j) * fpc / u + chance_bins * c / ((1 - c) * u * u));
}

BbitComparison CompareBbitSketches(std::span<const std::uint8_t> a,
                                   std::span<const std::uint8_t> b) {
  assert(a.size() == b.size() && a.size() % 8 == 0);
  BbitComparison out;
  out.bins = static_cast<int>(2 * a.size());
  for (std::size_t i = 0; i < a.size(); i += 8) {
    std::uint64_t wa, wb;
    std::memcpy(&wa, a.data() + i, 8);
    std::memcpy(&wb, b.data() + i, 8);
    const std::uint64_t fa = Filled(wa), fb = Filled(wb);
    const std::uint64_t differ = Filled(wa ^ wb);
    out.filled_either += CountFilled(fa | fb);
    out.filled_both += CountFilled(fa & fb);
    out.agreeing += CountFilled(fa & ~differ);  // filled in a with b's code, so filled in both
  }
  return out;
}

}  // namespace neardup
