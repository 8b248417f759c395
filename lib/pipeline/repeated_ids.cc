// FindRepeatedIds: documents sharing an id, found by sorting (hash of the id,
// index) pairs rather than by a set of the ids themselves, which would copy
// every id.
#include <algorithm>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

void FindRepeatedIds(const std::deque<DocumentInfo>& infos, RunStats* stats) {
  std::vector<std::pair<std::size_t, std::size_t>> keys;  // (hash of id, position in infos)
  keys.reserve(infos.size());
  const std::hash<std::string_view> hash;
  for (std::size_t i = 0; i < infos.size(); ++i) keys.emplace_back(hash(infos[i].id), i);
  std::sort(keys.begin(), keys.end());
  stats->repeated_ids = 0;
  const DocumentInfo* first = nullptr;    // the first document with a repeated id
  const DocumentInfo* earlier = nullptr;  // the first document with its id
  // Within a run of equal hashes (one id but for hash collisions), each id
  // is compared with those before it, which come before it in input order.
  for (std::size_t begin = 0; begin < keys.size();) {
    std::size_t end = begin + 1;
    while (end < keys.size() && keys[end].first == keys[begin].first) ++end;
    for (std::size_t k = begin + 1; k < end; ++k) {
      const DocumentInfo& doc = infos[keys[k].second];
      for (std::size_t j = begin; j < k; ++j) {
        const DocumentInfo& other = infos[keys[j].second];
        if (other.id != doc.id) continue;
        ++stats->repeated_ids;
        if (first == nullptr || doc.index < first->index) {
          first = &doc;
          earlier = &other;
        }
        break;
      }
    }
    begin = end;
  }
  if (first != nullptr) {
    stats->repeated_id = first->id;
    stats->repeated_id_first = earlier->source;
    stats->repeated_id_again = first->source;
  }
}

}  // namespace neardup::internal
