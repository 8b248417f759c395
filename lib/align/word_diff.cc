#include "align/word_diff.h"

#include <algorithm>
#include <cstddef>

namespace neardup::internal {

std::vector<EditOp> MyersDiff(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::span<const std::uint64_t> x = a.subspan(prefix, a.size() - prefix - suffix);
  const std::span<const std::uint64_t> y = b.subspan(prefix, b.size() - prefix - suffix);
  const auto n = static_cast<std::ptrdiff_t>(x.size());
  const auto m = static_cast<std::ptrdiff_t>(y.size());

  // v[k] = furthest x reached on diagonal k = x - y. trace[d] keeps v for
  // diagonals -d..d after step d, for the backtrack.
  const std::ptrdiff_t max = n + m;
  std::vector<std::ptrdiff_t> v(static_cast<std::size_t>(2 * max + 3), 0);
  const std::ptrdiff_t off = max + 1;
  auto at = [&](std::ptrdiff_t k) -> std::ptrdiff_t& {
    return v[static_cast<std::size_t>(k + off)];
  };
  std::vector<std::vector<std::ptrdiff_t>> trace;
  std::ptrdiff_t final_d = 0;
  for (std::ptrdiff_t d = 0; d <= max; ++d) {
    bool done = false;
    for (std::ptrdiff_t k = -d; k <= d; k += 2) {
      std::ptrdiff_t px;
      if (k == -d || (k != d && at(k - 1) < at(k + 1))) {
        px = at(k + 1);  // down: insertion
      } else {
        px = at(k - 1) + 1;  // right: deletion
      }
      std::ptrdiff_t py = px - k;
      while (px < n && py < m &&
             x[static_cast<std::size_t>(px)] == y[static_cast<std::size_t>(py)]) {
        ++px;
        ++py;
      }
      at(k) = px;
      if (px >= n && py >= m) done = true;
    }
    trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
    if (done) {
      final_d = d;
      break;
    }
  }

  // Backtrack from (n, m) to (0, 0), collecting ops in reverse.
  std::vector<EditOp> rev;
  std::ptrdiff_t px = n;
  std::ptrdiff_t py = m;
  for (std::ptrdiff_t d = final_d; d > 0; --d) {
    const std::vector<std::ptrdiff_t>& prev = trace[static_cast<std::size_t>(d - 1)];
    auto prev_at = [&](std::ptrdiff_t k) { return prev[static_cast<std::size_t>(k + d - 1)]; };
    const std::ptrdiff_t k = px - py;
    const bool down = k == -d || (k != d && prev_at(k - 1) < prev_at(k + 1));
    const std::ptrdiff_t prev_k = down ? k + 1 : k - 1;
    const std::ptrdiff_t prev_x = prev_at(prev_k);
    const std::ptrdiff_t prev_y = prev_x - prev_k;
    const std::ptrdiff_t start_x = down ? prev_x : prev_x + 1;
    while (px > start_x) {
      rev.push_back(EditOp::kEqual);
      --px;
      --py;
    }
    rev.push_back(down ? EditOp::kInsert : EditOp::kDelete);
    px = prev_x;
    py = prev_y;
  }
  while (px > 0) {
    rev.push_back(EditOp::kEqual);
    --px;
  }

  std::vector<EditOp> ops(prefix, EditOp::kEqual);
  ops.insert(ops.end(), rev.rbegin(), rev.rend());
  ops.insert(ops.end(), suffix, EditOp::kEqual);
  // Within each changed region put deletions first (stable, so the LCS is unchanged).
  for (std::size_t i = 0; i < ops.size();) {
    if (ops[i] == EditOp::kEqual) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < ops.size() && ops[j] != EditOp::kEqual) ++j;
    std::stable_partition(ops.begin() + static_cast<std::ptrdiff_t>(i),
                          ops.begin() + static_cast<std::ptrdiff_t>(j),
                          [](EditOp op) { return op == EditOp::kDelete; });
    i = j;
  }
  return ops;
}

}  // namespace neardup::internal
