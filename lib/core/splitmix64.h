// splitmix64 (internal): a fast generator for expanding one seed into many
// well-mixed 64-bit parameters (hash multipliers, seeds), and Murmur3's
// finalizer for keying hashes by a seed.
#ifndef NEARDUP_CORE_SPLITMIX64_H_
#define NEARDUP_CORE_SPLITMIX64_H_

#include <cstdint>

namespace neardup::internal {

// The next value of the sequence whose state is *state (advanced).
inline std::uint64_t SplitMix64(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Murmur3's 64-bit finalizer: a bijection whose every output bit depends on
// every input bit.
inline std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace neardup::internal

#endif  // NEARDUP_CORE_SPLITMIX64_H_
