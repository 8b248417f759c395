// Permuted-table search: exactly the brute-force set of pairs within the radius.
#include <neardup/index.h>

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>

#include "test_util.h"

namespace neardup {
namespace {

using testing::Rng;

// Random fingerprints, then for a tenth of them a partner with exactly d
// random bits flipped, d uniform in [0, max_flips].
std::vector<std::uint64_t> PlantedFingerprints(Rng& rng, std::size_t n, int max_flips) {
  std::vector<std::uint64_t> fps;
  while (fps.size() < n) {
    const std::uint64_t fp = rng.Next();
    fps.push_back(fp);
    if (rng.Below(10) == 0 && fps.size() < n) {
      std::uint64_t near = fp;
      const int flips = static_cast<int>(rng.Below(static_cast<std::uint64_t>(max_flips) + 1));
      while (std::popcount(near ^ fp) < flips) near ^= std::uint64_t{1} << rng.Below(64);
      fps.push_back(near);
    }
  }
  // Shuffle so partners are not adjacent in document order.
  for (std::size_t i = fps.size() - 1; i > 0; --i) std::swap(fps[i], fps[rng.Below(i + 1)]);
  return fps;
}

std::vector<HammingPair> BruteForce(const std::vector<std::uint64_t>& fps, int radius) {
  std::vector<HammingPair> out;
  for (std::size_t i = 0; i < fps.size(); ++i) {
    for (std::size_t j = i + 1; j < fps.size(); ++j) {
      const int d = std::popcount(fps[i] ^ fps[j]);
      if (d <= radius) out.push_back({static_cast<DocIndex>(i), static_cast<DocIndex>(j), d});
    }
  }
  return out;
}

TEST_CASE("SimHashIndex returns exactly the pairs within the radius") {
  Rng rng(9);
  for (int radius : {0, 3, 7, 10}) {
    const std::vector<std::uint64_t> fps = PlantedFingerprints(rng, 4000, radius + 3);
    SimHashIndex index(radius);
    for (std::size_t d = 0; d < fps.size(); ++d) index.Add(static_cast<DocIndex>(d), fps[d]);
    const std::vector<HammingPair> expected = BruteForce(fps, radius);
    INFO("radius " << radius << ", plan: " << index.plan().blocks << " blocks, "
                   << index.plan().tables << " tables");
    // About 4000/11 planted partners, (radius + 1)/(radius + 4) of them within
    // the radius: at least ~90 pairs, so the comparison is not vacuous.
    REQUIRE(expected.size() >= 50);
    CHECK(index.PairsWithinRadius() == expected);
  }
}

TEST_CASE("SimHashIndex finds pairs that differ in every block but k") {
  // Adversarial layout for the pigeonhole argument: flips spread one per
  // block, so exactly B - k blocks agree.
  for (int radius : {3, 7}) {
    SimHashIndex probe(radius);
    const SimHashTablePlan plan = PlanSimHashTables(radius, 2);
    REQUIRE(plan.blocks > radius);
    const std::uint64_t a = 0x0123456789ABCDEFull;
    std::uint64_t b = a;
    const int width = 64 / plan.blocks;
    for (int i = 0; i < radius; ++i) b ^= std::uint64_t{1} << (i * width);
    SimHashIndex index(radius);
    index.Add(0, a);
    index.Add(1, b);
    const std::vector<HammingPair> pairs = index.PairsWithinRadius();
    REQUIRE(pairs.size() == 1);
    CHECK(pairs[0] == HammingPair{0, 1, radius});
  }
}

TEST_CASE("PlanSimHashTables: enough blocks for the radius, tables = C(B, k)") {
  for (int radius : {0, 1, 3, 7, 12}) {
    for (std::size_t n : {std::size_t{10}, std::size_t{100000}, std::size_t{100000000}}) {
      const SimHashTablePlan p = PlanSimHashTables(radius, n);
      INFO("radius " << radius << ", n " << n);
      CHECK(p.blocks > radius);
      double tables = 1;
      for (int i = 1; i <= radius; ++i) tables = tables * (p.blocks - radius + i) / i;
      CHECK(p.tables == static_cast<int>(tables));
    }
  }
  // More fingerprints call for longer keys (fewer documents per bucket).
  CHECK(PlanSimHashTables(3, 100000000).key_bits >= PlanSimHashTables(3, 1000).key_bits);
}

}  // namespace
}  // namespace neardup
