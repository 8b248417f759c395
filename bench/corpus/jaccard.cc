#include "jaccard.h"

#include <cstdio>

namespace neardup::gen {

ShingleSet Shingles(std::string_view text) {
  ShingleSet shingles;
  ForEachShingle(text, [&](uint64_t hash) { shingles.push_back(hash); });
  std::sort(shingles.begin(), shingles.end());
  shingles.erase(std::unique(shingles.begin(), shingles.end()), shingles.end());
  return shingles;
}

// A merge of the two sorted sets.
Jaccard Compare(const ShingleSet& a, const ShingleSet& b) {
  uint64_t shared = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return {shared, a.size() + b.size() - shared};
}

// Rounded half up in integers rather than by printf("%.4f"), so that every
// platform prints the same digits.
std::string FormatJaccard(const Jaccard& j) {
  const uint64_t scaled = j.total == 0 ? 10000 : (j.shared * 20000 + j.total) / (2 * j.total);
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%04llu", static_cast<unsigned long long>(scaled / 10000),
                static_cast<unsigned long long>(scaled % 10000));
  return text;
}

}  // namespace neardup::gen
