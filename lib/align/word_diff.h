// Word-level edit script (internal to align).
#ifndef NEARDUP_ALIGN_WORD_DIFF_H_
#define NEARDUP_ALIGN_WORD_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace neardup::internal {

enum class EditOp : std::uint8_t {
  kEqual,   // a[i] == b[j]: advance both
  kDelete,  // a[i] only: advance a
  kInsert,  // b[j] only: advance b
};

// Edits one Myers search may spend before it settles for a partial path
// (MyersDiff). Its trace takes about kMaxEditsPerStep^2 x 8 bytes (8 MB).
inline constexpr std::size_t kMaxEditsPerStep = 1024;

// An edit script turning `a` into `b`, one op per element of a and b, after
// Myers 1986, "An O(ND) Difference Algorithm and Its Variations".
// Deletions come before insertions within a changed region, as in diff(1).
// When the common prefix and suffix are stripped and the rest needs at most
// `max_edits` edits, the script is a shortest one (as many kEqual as a
// longest common subsequence). Otherwise the search stops after `max_edits`
// edits, keeps the path that reached furthest (the most elements of a and b
// consumed, as GNU diff's TOO_EXPENSIVE heuristic does) and searches again
// from its end: the script is then valid but may have more edits than needed.
// Time O((N + M) x max_edits), memory O(N + M + max_edits^2), for any input.
// REQUIRES: max_edits > 0
std::vector<EditOp> MyersDiff(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b,
                              std::size_t max_edits = kMaxEditsPerStep);

}  // namespace neardup::internal

#endif  // NEARDUP_ALIGN_WORD_DIFF_H_
