#include <xxhash.h>

#include "neardup/signature.h"

namespace neardup {

Fingerprint128 ExactFingerprint(std::string_view normalized_text) {
  const XXH128_hash_t h = XXH3_128bits(normalized_text.data(), normalized_text.size());
  return Fingerprint128{h.low64, h.high64};
}

Fingerprint128 TokenSequenceFingerprint(std::span<const std::uint64_t> token_hashes) {
  const XXH128_hash_t h = XXH3_128bits(token_hashes.data(), token_hashes.size_bytes());
  return Fingerprint128{h.low64, h.high64};
}

}  // namespace neardup
