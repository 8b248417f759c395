// Checks SimHashIndex against brute force at scale and times both:
//   simhash_exactness [N=100000] [RADIUS...=3 7]
// N random 64-bit fingerprints, a tenth of them followed by a planted
// partner with 0..radius+3 random bits flipped (seed 1). Prints, per radius,
// the pair counts, whether the two sets are identical, and the times.
// Exit code 1 if any set differs.
#include <neardup/index.h>

#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

std::uint64_t SplitMix(std::uint64_t* s) {
  std::uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace neardup;
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  std::vector<int> radii;
  for (int i = 2; i < argc; ++i) radii.push_back(std::atoi(argv[i]));
  if (radii.empty()) radii = {3, 7};
  int status = 0;
  for (int radius : radii) {
    std::uint64_t seed = 1;
    std::vector<std::uint64_t> fps;
    while (fps.size() < n) {
      const std::uint64_t fp = SplitMix(&seed);
      fps.push_back(fp);
      if (SplitMix(&seed) % 10 == 0 && fps.size() < n) {
        std::uint64_t near = fp;
        const auto flips =
            static_cast<int>(SplitMix(&seed) % static_cast<std::uint64_t>(radius + 4));
        while (std::popcount(near ^ fp) < flips) near ^= std::uint64_t{1} << (SplitMix(&seed) % 64);
        fps.push_back(near);
      }
    }
    auto start = std::chrono::steady_clock::now();
    SimHashIndex index(radius);
    for (std::size_t d = 0; d < n; ++d) index.Add(static_cast<DocIndex>(d), fps[d]);
    const std::vector<HammingPair> found = index.PairsWithinRadius();
    const double table_seconds = Seconds(start);
    start = std::chrono::steady_clock::now();
    std::vector<HammingPair> brute;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const int d = std::popcount(fps[i] ^ fps[j]);
        if (d <= radius) brute.push_back({static_cast<DocIndex>(i), static_cast<DocIndex>(j), d});
      }
    }
    const double brute_seconds = Seconds(start);
    const bool same = found == brute;
    status |= !same;
    std::printf(
        "n=%zu radius=%d blocks=%d tables=%d: tables %zu pairs in %.3f s, brute force %zu pairs "
        "in %.2f s: %s\n",
        n, radius, index.plan().blocks, index.plan().tables, found.size(), table_seconds,
        brute.size(), brute_seconds, same ? "identical" : "DIFFERENT");
  }
  return status;
}
