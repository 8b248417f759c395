// Portable randomness for gen_planted: the same seed gives the same numbers on
// every platform. Nothing here uses std:: distributions or libm functions,
// whose results differ between standard libraries and platforms.
//
//   Rng rng(StreamKey(seed, kPlanStream));
//   if (rng.Chance(0.3)) copies = 1 + rng.Below(max_copies);
//   Shuffle(order, rng);
#ifndef NEARDUP_BENCH_CORPUS_RANDOM_H_
#define NEARDUP_BENCH_CORPUS_RANDOM_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace neardup::gen {

// splitmix64's output function: a bijective 64-bit mix.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Independent random streams, keyed by seed, stream and up to two indices,
// so that each document's randomness does not depend on the order of work.
// All streams are listed here, so that no two uses share one.
enum Stream : uint64_t {
  kCutStream = 1,
  kBaseOrderStream,
  kSiteStream,
  kPlanStream,
  kRecombineStream,
  kVariantStream,
  kTemplatedStream,
};

constexpr uint64_t StreamKey(uint64_t seed, Stream stream, uint64_t a = 0, uint64_t b = 0) {
  return Mix64(Mix64(Mix64(seed ^ Mix64(stream)) ^ a) ^ b);
}

// 53 random bits as a double in [0, 1); exact, hence the same everywhere.
constexpr double ToUnit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// A uniform in [0, 1) tied to position `i` rather than drawn from a stream, so
// that renderings at different strengths decide alike for the same position.
constexpr double UnitAt(uint64_t key, uint64_t i) { return ToUnit(Mix64(key ^ Mix64(i))); }

// xoshiro256**, seeded through splitmix64. Not thread-safe; one per stream.
class Rng {
 public:
  explicit Rng(uint64_t key) {
    for (uint64_t& word : state_) word = key = Mix64(key);
  }

  uint64_t Next() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n) for n > 0, without modulo bias: draws below 2^64 mod n
  // are rejected.
  uint64_t Below(uint64_t n) {
    const uint64_t reject_below = (0 - n) % n;
    uint64_t x;
    do {
      x = Next();
    } while (x < reject_below);
    return x % n;
  }

  double Unit() { return ToUnit(Next()); }
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_[4];
};

// Fisher-Yates, drawing from `rng` only.
template <typename T>
void Shuffle(std::vector<T>& items, Rng& rng) {
  for (size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[rng.Below(i)]);
  }
}

template <typename T, size_t N>
const T& Pick(const T (&items)[N], Rng& rng) {
  return items[rng.Below(N)];
}

// exp(x) for moderate |x|, with the same bits on every platform (libm's exp
// may differ in the last bit).
double PortableExp(double x);

}  // namespace neardup::gen

#endif  // NEARDUP_BENCH_CORPUS_RANDOM_H_
