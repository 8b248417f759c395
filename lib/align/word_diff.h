// Word-level shortest edit script (internal to align).
#ifndef NEARDUP_ALIGN_WORD_DIFF_H_
#define NEARDUP_ALIGN_WORD_DIFF_H_

#include <cstdint>
#include <span>
#include <vector>

namespace neardup::internal {

enum class EditOp : std::uint8_t {
  kEqual,   // a[i] == b[j]: advance both
  kDelete,  // a[i] only: advance a
  kInsert,  // b[j] only: advance b
};

// A shortest edit script turning `a` into `b` (Myers 1986, "An O(ND)
// Difference Algorithm and Its Variations"): as many kEqual as a longest
// common subsequence, one op per element of a and b. Deletions come before
// insertions within a changed region, as in diff(1). Time O((N + M) D), memory
// O(D^2) for D edits after the common prefix and suffix are stripped.
std::vector<EditOp> MyersDiff(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

}  // namespace neardup::internal

#endif  // NEARDUP_ALIGN_WORD_DIFF_H_
