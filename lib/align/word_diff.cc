#include "align/word_diff.h"

#include <algorithm>
#include <cstddef>

namespace neardup::internal {
namespace {

// One bounded Myers search from (0, 0) over x and y: appends to `ops` the
// script of a shortest path to (n, m) when one needs at most `max_d` edits,
// else of the furthest-reaching path after `max_d` edits. Returns how many
// elements of x and y that path consumed.
struct Reached {
  std::size_t x = 0;
  std::size_t y = 0;
};

// Where Search's forward pass ended: after step `d`, at (x, y); `inside`
// false when no point of the last step lies inside the grid.
struct SearchEnd {
  std::ptrdiff_t d = 0;
  std::ptrdiff_t x = 0;
  std::ptrdiff_t y = 0;
  bool inside = true;
};

// Search's forward pass: steps d = 0, 1, ... until (n, m) is reached or
// the budget `max_d` is spent, keeping in *trace the furthest x of diagonals
// -d..d after each step d (at offset d * d), for the backtrack.
SearchEnd Forward(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y,
                  std::ptrdiff_t max_d, std::vector<std::ptrdiff_t>* v_buf,
                  std::vector<std::ptrdiff_t>* trace) {
  const auto n = static_cast<std::ptrdiff_t>(x.size());
  const auto m = static_cast<std::ptrdiff_t>(y.size());
  const std::ptrdiff_t limit = std::min(n + m, max_d);
  // v[k] = furthest x reached on diagonal k = x - y.
  std::vector<std::ptrdiff_t>& v = *v_buf;
  v.assign(static_cast<std::size_t>(2 * limit + 3), 0);
  const std::ptrdiff_t off = limit + 1;
  auto at = [&](std::ptrdiff_t k) -> std::ptrdiff_t& {
    return v[static_cast<std::size_t>(k + off)];
  };
  trace->clear();
  for (std::ptrdiff_t d = 0; d <= limit; ++d) {
    bool done = false;  // (n, m) reached at this step
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
    trace->insert(trace->end(), v.begin() + (off - d), v.begin() + (off + d + 1));
    if (done) return SearchEnd{d, n, m, true};  // a finished search ends at (n, m)
    if (d == limit) {
      // Out of budget: the diagonal that got furthest along both texts
      // (points past the end of x or y do not count).
      std::ptrdiff_t best = -1;  // x + y of the furthest point
      SearchEnd end{d, 0, 0, false};
      for (std::ptrdiff_t k = -d; k <= d; k += 2) {
        const std::ptrdiff_t px = at(k);
        const std::ptrdiff_t py = px - k;
        if (px > n || py > m || py < 0) continue;
        if (px + py > best) {
          best = px + py;
          end = SearchEnd{d, px, py, true};
        }
      }
      return end;
    }
  }
  return SearchEnd{0, 0, 0, false};  // max_d < 0: no step taken
}

Reached Search(std::span<const std::uint64_t> x, std::span<const std::uint64_t> y,
               std::ptrdiff_t max_d, std::vector<std::ptrdiff_t>* v_buf,
               std::vector<std::ptrdiff_t>* trace, std::vector<EditOp>* ops) {
  const SearchEnd end = Forward(x, y, max_d, v_buf, trace);
  if (!end.inside) {  // no point inside the grid (cannot happen; stay total anyway)
    ops->insert(ops->end(), x.size(), EditOp::kDelete);
    ops->insert(ops->end(), y.size(), EditOp::kInsert);
    return Reached{x.size(), y.size()};
  }
  std::ptrdiff_t px = end.x;
  std::ptrdiff_t py = end.y;
  // Backtrack from the end point to (0, 0), collecting ops in reverse.
  std::vector<EditOp> rev;
  const Reached reached{static_cast<std::size_t>(px), static_cast<std::size_t>(py)};
  for (std::ptrdiff_t d = end.d; d > 0; --d) {
    const std::ptrdiff_t base = (d - 1) * (d - 1);  // step d - 1 starts here in the trace
    auto prev_at = [&](std::ptrdiff_t k) {
      return (*trace)[static_cast<std::size_t>(base + k + d - 1)];
    };
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
  ops->insert(ops->end(), rev.rbegin(), rev.rend());
  return reached;
}

}  // namespace

std::vector<EditOp> MyersDiff(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                              std::size_t max_edits) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::span<const std::uint64_t> x = a.subspan(prefix, a.size() - prefix - suffix);
  std::span<const std::uint64_t> y = b.subspan(prefix, b.size() - prefix - suffix);

  std::vector<EditOp> ops(prefix, EditOp::kEqual);
  ops.reserve(a.size() + b.size());
  std::vector<std::ptrdiff_t> v, trace;
  const auto max_d = static_cast<std::ptrdiff_t>(std::max<std::size_t>(max_edits, 1));
  // Each search consumes at least min(max_d, what is left) elements, so this
  // runs at most (N + M) / max_d + 1 searches of O(max_d^2 + snakes) each.
  while (!x.empty() || !y.empty()) {
    Reached r = Search(x, y, max_d, &v, &trace, &ops);
    if (r.x + r.y == 0) {  // no progress (cannot happen): the rest is one change
      ops.insert(ops.end(), x.size(), EditOp::kDelete);
      ops.insert(ops.end(), y.size(), EditOp::kInsert);
      r = Reached{x.size(), y.size()};
    }
    x = x.subspan(r.x);
    y = y.subspan(r.y);
  }
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
