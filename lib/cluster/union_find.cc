#include <numeric>
#include <utility>

#include "neardup/cluster.h"

namespace neardup {

UnionFind::UnionFind(std::size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), DocIndex{0});
}

DocIndex UnionFind::Find(DocIndex x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];  // path halving
    x = parent_[x];
  }
  return x;
}

bool UnionFind::Union(DocIndex x, DocIndex y) {
  x = Find(x);
  y = Find(y);
  if (x == y) return false;
  if (size_[x] < size_[y]) std::swap(x, y);
  parent_[y] = x;
  size_[x] += size_[y];
  return true;
}

}  // namespace neardup
