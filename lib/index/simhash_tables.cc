// Permuted-table search for SimHash fingerprints; see index.h for the
// pigeonhole argument that makes it exact.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

#include "neardup/index.h"

namespace neardup {
namespace {

// Masks of the B blocks: the first 64 % B blocks are one bit wider.
std::vector<std::uint64_t> BlockMasks(int blocks) {
  std::vector<std::uint64_t> masks;
  int start = 0;
  for (int i = 0; i < blocks; ++i) {
    const int width = 64 / blocks + (i < 64 % blocks ? 1 : 0);
    const std::uint64_t ones = width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
    masks.push_back(ones << start);
    start += width;
  }
  return masks;
}

// Every choice of `choose` of the blocks, as the OR of their masks.
std::vector<std::uint64_t> TableKeys(int blocks, int choose) {
  const std::vector<std::uint64_t> masks = BlockMasks(blocks);
  std::vector<std::uint64_t> keys;
  std::vector<int> pick(static_cast<std::size_t>(choose));
  for (int i = 0; i < choose; ++i) pick[static_cast<std::size_t>(i)] = i;
  while (true) {
    std::uint64_t key = 0;
    for (int p : pick) key |= masks[static_cast<std::size_t>(p)];
    keys.push_back(key);
    // Next combination in lexicographic order.
    int i = choose - 1;
    while (i >= 0 && pick[static_cast<std::size_t>(i)] == blocks - choose + i) --i;
    if (i < 0) break;
    ++pick[static_cast<std::size_t>(i)];
    for (int j = i + 1; j < choose; ++j) {
      pick[static_cast<std::size_t>(j)] = pick[static_cast<std::size_t>(j - 1)] + 1;
    }
  }
  return keys;
}

double Binomial(int n, int k) {
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

}  // namespace

SimHashTablePlan PlanSimHashTables(int radius, std::size_t num_fingerprints) {
  assert(radius >= 0 && radius < 64);
  const double n = std::max<double>(2.0, static_cast<double>(num_fingerprints));
  SimHashTablePlan best;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int blocks = radius + 1; blocks <= 64; ++blocks) {
    const double tables = Binomial(blocks, radius);
    if (tables > 4096) break;  // more tables than any useful plan needs
    const int key_bits = (blocks - radius) * (64 / blocks);
    // Per table: sort n entries, then compare each with its expected bucket mates.
    const double cost = tables * n * (std::log2(n) + n / std::ldexp(1.0, key_bits));
    if (cost < best_cost) {
      best_cost = cost;
      best = SimHashTablePlan{blocks, static_cast<int>(tables), key_bits};
    }
  }
  return best;
}

SimHashIndex::SimHashIndex(int radius) : radius_(radius) { assert(radius >= 0 && radius < 64); }

void SimHashIndex::Add(DocIndex doc, std::uint64_t fingerprint) {
  entries_.push_back(Entry{fingerprint, doc});
}

std::vector<HammingPair> SimHashIndex::PairsWithinRadius() const {
  const SimHashTablePlan plan = PlanSimHashTables(radius_, entries_.size());
  const std::vector<std::uint64_t> keys = TableKeys(plan.blocks, plan.blocks - radius_);
  std::vector<std::vector<HammingPair>> per_table(keys.size());
  tbb::parallel_for(std::size_t{0}, keys.size(), [&](std::size_t t) {
    const std::uint64_t key = keys[t];
    std::vector<Entry> table = entries_;
    std::sort(table.begin(), table.end(), [key](const Entry& x, const Entry& y) {
      const std::uint64_t kx = x.fingerprint & key, ky = y.fingerprint & key;
      return kx != ky ? kx < ky : x.doc < y.doc;
    });
    std::vector<HammingPair>& out = per_table[t];
    for (std::size_t start = 0; start < table.size();) {
      std::size_t end = start + 1;
      const std::uint64_t k = table[start].fingerprint & key;
      while (end < table.size() && (table[end].fingerprint & key) == k) ++end;
      for (std::size_t i = start; i < end; ++i) {
        for (std::size_t j = i + 1; j < end; ++j) {
          const int d = std::popcount(table[i].fingerprint ^ table[j].fingerprint);
          if (d <= radius_) out.push_back(HammingPair{table[i].doc, table[j].doc, d});
        }
      }
      start = end;
    }
  });
  std::vector<HammingPair> all;
  for (const auto& v : per_table) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace neardup
