// libFuzzer target: normalization and shingling of arbitrary bytes; checks the
// token offsets against both texts, the block scanner against the scalar
// reference, and the hashing path against the offsets path.
#include <neardup/normalize.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "normalize/scan.h"

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

  neardup::NormalizedText reference;
  neardup::internal::Normalize(original, options, neardup::internal::ScanKernel::kScalar,
                               &reference);
  if (reference.text != n.text || reference.tokens.size() != n.tokens.size() ||
      reference.repaired_bytes != n.repaired_bytes) {
    std::abort();
  }
  for (std::size_t i = 0; i < n.tokens.size(); ++i) {
    const neardup::Token& a = n.tokens[i];
    const neardup::Token& b = reference.tokens[i];
    if (a.norm_begin != b.norm_begin || a.norm_end != b.norm_end || a.orig_begin != b.orig_begin ||
        a.orig_end != b.orig_end || a.ascii != b.ascii) {
      std::abort();
    }
  }
  neardup::HashedText hashed;
  neardup::NormalizeAndHash(original, options, 0, &hashed);
  if (hashed.token_hashes.size() != n.tokens.size()) std::abort();
  for (std::size_t i = 0; i < n.tokens.size(); ++i) {
    if (hashed.token_hashes[i] != neardup::HashShingleToken(n.TokenText(i), 0)) std::abort();
  }
  std::vector<std::uint64_t> from_hashes;
  neardup::ShingleHashes(hashed, neardup::ShingleOptions{}, &from_hashes);
  if (from_hashes != shingles) std::abort();
  return 0;
}
