// Deterministic 64-bit generator (splitmix64) for tests and the benchmarks
// that reuse their generators; no test framework needed.
#ifndef NEARDUP_TESTS_RNG_H_
#define NEARDUP_TESTS_RNG_H_

#include <cstdint>

namespace neardup::testing {

// Deterministic 64-bit generator (splitmix64) so statistical tests are repeatable.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

 private:
  std::uint64_t state_;
};

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_RNG_H_
