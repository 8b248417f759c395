// Fixed inputs whose normalized text, shingle hashes, MinHash and SimHash
// signatures are promised never to change silently: stored signatures and
// indexes depend on them. tests/golden/gen_golden.cc writes the expected
// values (vectors.inc) from these inputs.
#ifndef NEARDUP_TESTS_GOLDEN_GOLDEN_INPUTS_H_
#define NEARDUP_TESTS_GOLDEN_GOLDEN_INPUTS_H_

namespace neardup::golden {

inline constexpr const char* kInputs[] = {
    "",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.\r\nThe quick brown fox jumps again.",
    "\xE2\x80\x9C"
    "Stra\xC3\x9F"
    "e\xE2\x80\x9D, caf\xC3\xA9 and na\xC3\xAFve: "
    "\xEF\xBC\xB4\xEF\xBD\x85\xEF\xBD\x98\xEF\xBD\x94 \xEF\xAC\x81le",
    "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7\xE5\xA4\xA7\xE9\x9B\xA8 rain in Tokyo",
    "broken \xFF\xFE bytes \xC0\xAF and text",
    "one two three four five six seven eight nine ten eleven twelve",
};

}  // namespace neardup::golden

#endif  // NEARDUP_TESTS_GOLDEN_GOLDEN_INPUTS_H_
