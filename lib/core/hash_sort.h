// Sorting by hash keys in linear expected time (internal).
//
// Hash keys are close to uniform over their range, so a counting sort on the
// top bits into about one value per bucket leaves each bucket with a handful
// of values, which an insertion sort finishes. That is linear in expectation
// against n log n for a comparison sort. Equal keys only make their own
// bucket longer, and cost the insertion sort nothing; keys that are not
// hashes, which would make it quadratic, end in std::stable_sort.
#ifndef NEARDUP_CORE_HASH_SORT_H_
#define NEARDUP_CORE_HASH_SORT_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace neardup::internal {

// Reused buffers of SortByHashKey.
template <class T>
struct HashSortScratch {
  std::vector<T> values;
  std::vector<std::uint32_t> counts;
};

// Sorts in[0, n) by key(value) into out[0, n), stably. The keys' top
// `equal_top_bits` bits are the same for all values (0: nothing known), so
// buckets are cut from the bits below them. `counts` is a reused buffer.
template <class T, class KeyFn>
void SortRangeByHashKey(const T* in, T* out, std::size_t n, KeyFn key, int equal_top_bits,
                        std::vector<std::uint32_t>* counts) {
  using Key = std::invoke_result_t<KeyFn, const T&>;
  static_assert(std::is_unsigned_v<Key>);
  constexpr int kKeyBits = static_cast<int>(sizeof(Key)) * 8;
  const auto by_key = [&key](const T& x, const T& y) { return key(x) < key(y); };
  if (n < 64) {
    std::copy(in, in + n, out);
    std::stable_sort(out, out + n, by_key);
    return;
  }
  // About one value a bucket (2^bits <= n), but at most 2^20 buckets: the
  // counts stay at 4 MiB, and 16 values a bucket (at n = 2^24) are still an
  // insertion sort's.
  const int bits =
      std::min({static_cast<int>(std::bit_width(n)) - 1, 20, kKeyBits - equal_top_bits});
  const int shift = kKeyBits - bits;
  const auto bucket = [&](const T& x) {
    return static_cast<std::size_t>(static_cast<Key>(key(x) << equal_top_bits) >> shift);
  };
  counts->assign((std::size_t{1} << bits) + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++(*counts)[bucket(in[i]) + 1];
  for (std::size_t b = 1; b < counts->size(); ++b) (*counts)[b] += (*counts)[b - 1];
  for (std::size_t i = 0; i < n; ++i) out[(*counts)[bucket(in[i])]++] = in[i];
  // Values are now in bucket order, so an insertion sort of the whole range
  // moves each one within its bucket only: a few places for hash keys. Keys
  // that are not hashes could make that quadratic, so past a budget of moves
  // the range is handed to std::stable_sort instead (a long run of one key
  // repeated costs no moves).
  std::size_t budget = 8 * n;
  for (std::size_t i = 1; i < n; ++i) {
    const T x = out[i];
    std::size_t j = i;
    for (; j > 0 && key(x) < key(out[j - 1]); --j) out[j] = out[j - 1];
    out[j] = x;
    const std::size_t moved = i - j;
    if (moved > budget) {
      std::stable_sort(out, out + n, by_key);
      return;
    }
    budget -= moved;
  }
}

// Sorts *v by key(value), an unsigned integer, keeping the input order of
// values with equal keys (stable).
template <class T, class KeyFn>
void SortByHashKey(std::vector<T>* v, KeyFn key, HashSortScratch<T>* scratch) {
  scratch->values.resize(v->size());
  SortRangeByHashKey(v->data(), scratch->values.data(), v->size(), key, 0, &scratch->counts);
  v->swap(scratch->values);
}

}  // namespace neardup::internal

#endif  // NEARDUP_CORE_HASH_SORT_H_
