// b-bit sketch encoding (internal; see "b-bit sketches" in signature.h).
#ifndef NEARDUP_SIGNATURE_BBIT_SKETCH_H_
#define NEARDUP_SIGNATURE_BBIT_SKETCH_H_

#include <cstdint>
#include <span>

namespace neardup::internal {

// Minimum of a bin no shingle fell in; shingle values are kept below it.
inline constexpr std::uint32_t kEmptySketchBin = 0xFFFFFFFFu;

// Writes the 4-bit codes of 2 * out.size() bin minimums, two per byte.
void EncodeSketch(const std::uint32_t* mins, std::span<std::uint8_t> out);

}  // namespace neardup::internal

#endif  // NEARDUP_SIGNATURE_BBIT_SKETCH_H_
