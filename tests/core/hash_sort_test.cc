// Tests for SortByHashKey and SortRangeByHashKey (lib/core/hash_sort.h):
// the same order as std::stable_sort by key, whatever the keys look like.
#include "core/hash_sort.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

namespace neardup::internal {
namespace {

struct Item {
  std::uint64_t key;
  std::uint32_t position;  // input order, to see stability
  friend bool operator==(const Item&, const Item&) = default;
};

// Items with keys from `draw`, numbered in input order.
template <class Draw>
std::vector<Item> Items(std::size_t n, Draw draw) {
  std::vector<Item> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = Item{draw(), static_cast<std::uint32_t>(i)};
  return items;
}

void CheckLikeStableSort(std::vector<Item> items) {
  std::vector<Item> expected = items;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Item& x, const Item& y) { return x.key < y.key; });
  HashSortScratch<Item> scratch;
  SortByHashKey(
      &items, [](const Item& x) { return x.key; }, &scratch);
  CHECK(items == expected);
}

TEST_CASE("SortByHashKey: uniform keys with repeats, stable", "[hash_sort]") {
  std::mt19937_64 rng(11);
  for (const std::size_t n : {0u, 1u, 63u, 64u, 65u, 1000u, 100000u}) {
    INFO("n = " << n);
    // A pool of n / 4 distinct keys, so most keys repeat.
    std::vector<std::uint64_t> pool(std::max<std::size_t>(n / 4, 1));
    for (std::uint64_t& k : pool) k = rng();
    CheckLikeStableSort(Items(n, [&] { return pool[rng() % pool.size()]; }));
  }
}

TEST_CASE("SortByHashKey: keys that are not hashes still sort", "[hash_sort]") {
  std::mt19937_64 rng(12);
  // Small integers all land in the first bucket; a few huge buckets.
  CheckLikeStableSort(Items(5000, [&] { return rng() % 1000; }));
  CheckLikeStableSort(Items(5000, [&] { return (rng() % 3) << 62; }));
  // Already sorted, reversed, all equal.
  std::uint64_t up = 0, down = ~std::uint64_t{0};
  CheckLikeStableSort(Items(5000, [&] { return up += 0x9E3779B97F4A7C15ull >> 20; }));
  CheckLikeStableSort(Items(5000, [&] { return down -= 1ull << 40; }));
  CheckLikeStableSort(Items(5000, [] { return std::uint64_t{42}; }));
}

TEST_CASE("SortByHashKey: 32-bit keys", "[hash_sort]") {
  std::mt19937 rng(13);
  std::vector<std::uint32_t> v(20000);
  for (std::uint32_t& x : v) x = static_cast<std::uint32_t>(rng()) | 1u;
  std::vector<std::uint32_t> expected = v;
  std::sort(expected.begin(), expected.end());
  HashSortScratch<std::uint32_t> scratch;
  SortByHashKey(
      &v, [](std::uint32_t x) { return x; }, &scratch);
  CHECK(v == expected);
}

TEST_CASE("SortRangeByHashKey: keys sharing their top bits sort on the bits below", "[hash_sort]") {
  // A part of a partition by the top byte: buckets must come from the bits
  // below it, and the order is still a stable sort's.
  std::mt19937_64 rng(14);
  for (const std::size_t n : {10u, 5000u}) {
    std::vector<std::uint64_t> pool(n / 3 + 1);
    for (std::uint64_t& k : pool) k = (std::uint64_t{0xAB} << 56) | (rng() >> 8);
    const std::vector<Item> items = Items(n, [&] { return pool[rng() % pool.size()]; });
    std::vector<Item> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Item& x, const Item& y) { return x.key < y.key; });
    std::vector<Item> out(n);
    std::vector<std::uint32_t> counts;
    SortRangeByHashKey(
        items.data(), out.data(), n, [](const Item& x) { return x.key; }, 8, &counts);
    CHECK(out == expected);
  }
}

}  // namespace
}  // namespace neardup::internal
