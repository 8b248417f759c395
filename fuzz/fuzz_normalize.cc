// libFuzzer target: normalization and shingling of arbitrary bytes; checks the
// token offsets against both texts.
#include <neardup/normalize.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view original(reinterpret_cast<const char*>(data) + 1, size - 1);
  neardup::NormalizeOptions options;
  options.nfkc = (data[0] & 1) != 0;
  options.case_fold = (data[0] & 2) != 0;
  const neardup::NormalizedText n = neardup::Normalize(original, options);
  if (!neardup::IsValidUtf8(n.text)) std::abort();
  // Normalized tokens follow each other; original ranges never go back, and
  // tokens that folding split out of one word ("ŀe" -> "l·e" -> l, e) share
  // that word's range.
  std::uint32_t last_orig_begin = 0, last_orig_end = 0, last_norm = 0;
  for (const neardup::Token& t : n.tokens) {
    if (t.norm_begin >= t.norm_end || t.norm_end > n.text.size()) std::abort();
    if (t.orig_begin >= t.orig_end || t.orig_end > original.size()) std::abort();
    if (t.norm_begin < last_norm) std::abort();
    const bool same_word = t.orig_begin == last_orig_begin && t.orig_end == last_orig_end;
    if (!same_word && t.orig_begin < last_orig_end) std::abort();
    last_orig_begin = t.orig_begin;
    last_orig_end = t.orig_end;
    last_norm = t.norm_end;
  }
  for (std::size_t i = 0; i <= n.text.size(); ++i) {
    if (n.ToOriginal(i) > original.size()) std::abort();
  }
  std::vector<std::uint64_t> shingles;
  neardup::ShingleHashes(n, neardup::ShingleOptions{}, &shingles);
  if (!n.tokens.empty() && shingles.empty()) std::abort();
  return 0;
}
