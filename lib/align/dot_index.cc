#include "align/dot_index.h"

#include <algorithm>
#include <cmath>

namespace neardup::internal {

double Dot(const Vec& a, const Vec& b) {
  double sum = 0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      sum += a[i++].second * b[j++].second;
    }
  }
  return sum;
}

DotIndex::DotIndex(const std::vector<Vec>& targets) : targets_(targets), norms_(targets.size()) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (const auto& [h, w] : targets[i]) postings_[h].emplace_back(i, w);
    norms_[i] = std::sqrt(Dot(targets[i], targets[i]));
  }
}

std::size_t DotIndex::Work(const Vec& query) const {
  std::size_t work = 0;
  for (const auto& [h, w] : query) {
    auto it = postings_.find(h);
    if (it != postings_.end()) work += it->second.size();
  }
  return work;
}

void DotIndex::Unique(std::vector<std::size_t>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

void DotIndex::Row(const Vec& query, std::size_t near, SparseRow* row) const {
  if (exact_) {
    for (const auto& [h, w] : query) {
      auto it = postings_.find(h);
      if (it == postings_.end()) continue;
      for (const auto& [i, tw] : it->second) Add(i, w * tw, row);
    }
    Unique(&row->touched);
    return;
  }
  std::vector<std::pair<const Postings*, double>> lists;  // with the query's weight
  for (const auto& [h, w] : query) {
    auto it = postings_.find(h);
    if (it != postings_.end()) lists.emplace_back(&it->second, w);
  }
  std::sort(lists.begin(), lists.end(),
            [](const auto& x, const auto& y) { return x.first->size() < y.first->size(); });
  std::size_t walked = 0;
  for (const auto& [list, w] : lists) {
    if (walked + list->size() > kWalk) break;
    walked += list->size();
    for (const auto& [i, tw] : *list) Add(i, w * tw, row);
  }
  if (walked == 0 && !lists.empty()) {
    const Postings& list = *lists.front().first;
    const double w = lists.front().second;
    const auto mid = static_cast<std::size_t>(
        std::lower_bound(list.begin(), list.end(), near,
                         [](const auto& p, std::size_t x) { return p.first < x; }) -
        list.begin());
    const std::size_t from = mid > kWalk / 2 ? mid - kWalk / 2 : 0;
    const std::size_t to = std::min(list.size(), from + kWalk);
    for (std::size_t k = from; k < to; ++k) Add(list[k].first, w * list[k].second, row);
  }
  if (row->touched.size() > kCandidates) {
    // By partial cosine (a short heading beats a long sentence holding
    // its words); ties (common stems only) go to the targets nearest `near`.
    for (std::size_t i : row->touched) row->dot[i] = norms_[i] > 0 ? row->dot[i] / norms_[i] : 0;
    auto distance = [near](std::size_t x) { return x > near ? x - near : near - x; };
    auto larger = [row, &distance](std::size_t x, std::size_t y) {
      if (row->dot[x] != row->dot[y]) return row->dot[x] > row->dot[y];
      return distance(x) != distance(y) ? distance(x) < distance(y) : x < y;
    };
    std::nth_element(row->touched.begin(),
                     row->touched.begin() + static_cast<std::ptrdiff_t>(kCandidates),
                     row->touched.end(), larger);
    for (std::size_t k = kCandidates; k < row->touched.size(); ++k) {
      row->dot[row->touched[k]] = 0;
    }
    row->touched.resize(kCandidates);
  }
  Unique(&row->touched);
  for (std::size_t i : row->touched) row->dot[i] = Dot(query, targets_[i]);
}

// Whether rows of `queries` against `index` can be exact: their total work
// stays within `budget` postings.
bool ExactWithin(const DotIndex& index, const std::vector<Vec>& queries, std::size_t budget) {
  std::size_t work = 0;
  for (const Vec& q : queries) {
    work += index.Work(q);
    if (work > budget) return false;
  }
  return true;
}

// Targets whose windows of up to `w_max` targets hold one of `touched`:
// each touched index and the w_max - 1 before it, ascending, appended to *out.
void WindowStarts(const std::vector<std::size_t>& touched, std::size_t w_max,
                  std::vector<std::size_t>* out) {
  for (std::size_t i : touched) {
    for (std::size_t t = 0; t < w_max && t <= i; ++t) out->push_back(i - t);
  }
}

}  // namespace neardup::internal
