// Tests for HashToken, HashShingleToken and ShingleHashes
// (lib/normalize/shingle.cc).
//
// The reference below implements the documented definitions independently:
// a token's hash is XXH3-64 of its bytes zero-padded to 16 with seed
// `seed + length` (XXH3-64 of the bytes past 16), and a shingle's hash is
// XXH64's avalanche of a multilinear sum of its token hashes, with odd
// multipliers from SplitMix64.
#include <neardup/normalize.h>
#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace neardup {
namespace {

std::vector<std::uint64_t> Shingles(const std::string& text, int size = 5, std::uint64_t seed = 0) {
  ShingleOptions options;
  options.size = size;
  options.seed = seed;
  std::vector<std::uint64_t> out;
  ShingleHashes(Normalize(text), options, &out);
  return out;
}

std::uint64_t ReferenceTokenHash(const std::string& token, std::uint64_t seed) {
  if (token.size() > 16) return XXH3_64bits_withSeed(token.data(), token.size(), seed);
  unsigned char block[16] = {};
  std::memcpy(block, token.data(), token.size());
  return XXH3_64bits_withSeed(block, sizeof block, seed + token.size());
}

// SplitMix64 (Steele, Lea and Flood 2014) and XXH64's avalanche, as published.
std::uint64_t NextSplitMix(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t Xxh64Avalanche(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  h *= 0x165667B19E3779F9ull;
  return h ^ (h >> 32);
}

std::vector<std::uint64_t> ReferenceShingles(const std::vector<std::string>& tokens, int size,
                                             std::uint64_t seed) {
  std::vector<std::uint64_t> out;
  if (tokens.empty()) return out;
  const std::size_t n = std::min(tokens.size(), static_cast<std::size_t>(size));
  std::uint64_t state = seed;
  const std::uint64_t length_multiplier = NextSplitMix(&state) | 1;
  std::vector<std::uint64_t> multipliers;
  for (std::size_t j = 0; j < n; ++j) multipliers.push_back(NextSplitMix(&state) | 1);
  for (std::size_t start = 0; start + n <= tokens.size(); ++start) {
    std::uint64_t sum = n * length_multiplier;
    for (std::size_t j = 0; j < n; ++j) {
      sum += multipliers[j] * ReferenceTokenHash(tokens[start + j], seed);
    }
    out.push_back(Xxh64Avalanche(sum));
  }
  return out;
}

TEST_CASE("ShingleHashes: count is tokens - n + 1", "[shingle]") {
  // 12 tokens, n = 5 -> 8 shingles.
  const std::string text = "one two three four five six seven eight nine ten eleven twelve";
  CHECK(Shingles(text).size() == 8);
  // Exactly n tokens -> one shingle.
  CHECK(Shingles("one two three four five").size() == 1);
  // Other sizes: n = 1 gives one shingle per token, n = 12 one shingle.
  CHECK(Shingles(text, 1).size() == 12);
  CHECK(Shingles(text, 3).size() == 10);
  CHECK(Shingles(text, 12).size() == 1);
}

TEST_CASE("ShingleHashes: shorter than n gives one shingle, empty gives none", "[shingle]") {
  CHECK(Shingles("just three words").size() == 1);
  CHECK(Shingles("single").size() == 1);
  CHECK(Shingles("").empty());
  CHECK(Shingles(" ... \r\n ").empty());
  // The one shingle of a short document covers all its words: equal to the
  // n = 3 shingle of the same three words.
  CHECK(Shingles("just three words") == Shingles("just three words", 3));
  // The output vector is cleared first.
  std::vector<std::uint64_t> out = {1, 2, 3};
  ShingleHashes(Normalize(""), ShingleOptions{}, &out);
  CHECK(out.empty());
}

TEST_CASE("ShingleHashes: punctuation, case and whitespace do not matter", "[shingle]") {
  const std::string a = "The quick brown fox jumps over the lazy dog.";
  const std::string b = "the QUICK, brown -- fox\r\njumps \u201Cover\u201D the  lazy dog";
  const std::string c = "\uFF34he quick\tbrown fox\u00A0jumps over the lazy dog!!!";
  REQUIRE(Shingles(a).size() == 5);
  CHECK(Shingles(b) == Shingles(a));
  CHECK(Shingles(c) == Shingles(a));
}

TEST_CASE("ShingleHashes: word order matters", "[shingle]") {
  const std::vector<std::uint64_t> a = Shingles("alpha beta gamma delta epsilon");
  const std::vector<std::uint64_t> b = Shingles("beta alpha gamma delta epsilon");
  const std::vector<std::uint64_t> c = Shingles("epsilon delta gamma beta alpha");
  REQUIRE(a.size() == 1);
  CHECK(a != b);
  CHECK(a != c);
  // A swapped pair changes exactly the shingles that contain it: shingle i
  // covers tokens i..i+4, so swapping tokens 6 and 7 of 12 (0-based) changes
  // shingles 2..7 and keeps 0 and 1.
  const std::vector<std::uint64_t> x = Shingles("t0 t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11");
  const std::vector<std::uint64_t> y = Shingles("t0 t1 t2 t3 t4 t5 t7 t6 t8 t9 t10 t11");
  REQUIRE(x.size() == 8);
  REQUIRE(y.size() == 8);
  CHECK(x[0] == y[0]);
  CHECK(x[1] == y[1]);
  for (std::size_t i = 2; i < 8; ++i) CHECK(x[i] != y[i]);
}

TEST_CASE("HashShingleToken: XXH3 of the token padded to 16 bytes, at every length", "[shingle]") {
  // Lengths 0 to 40 cover the padded path (0-16) and XXH3's own past it.
  std::string token;
  for (std::size_t length = 0; length <= 40; ++length) {
    INFO("length " << length);
    for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{7}, ~std::uint64_t{0}}) {
      CHECK(HashShingleToken(token, seed) == ReferenceTokenHash(token, seed));
    }
    token.push_back(static_cast<char>('a' + length % 26));
  }
  // Padding does not make a token equal to one with trailing zero bytes: the
  // length is in the seed.
  CHECK(HashShingleToken(std::string("ab"), 0) != HashShingleToken(std::string("ab\0", 3), 0));
  CHECK(HashShingleToken("", 0) != HashShingleToken(std::string(1, '\0'), 0));
}

TEST_CASE("ShingleHashes: matches the documented definition", "[shingle]") {
  // HashToken, the key of word statistics, stays XXH3-64 of the token bytes.
  CHECK(HashToken("fox", 0) == XXH3_64bits_withSeed("fox", 3, 0));
  CHECK(HashToken("fox", 42) == XXH3_64bits_withSeed("fox", 3, 42));
  CHECK(HashToken("", 0) == XXH3_64bits_withSeed("", 0, 0));

  // ASCII and folded words, and one past 16 bytes.
  const std::string text =
      "Na\u00EFve Stra\u00DFe \u4E2D\u6587 one two three four five six "
      "antidisestablishmentarianism";
  const NormalizedText nt = Normalize(text);
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < nt.tokens.size(); ++i) tokens.emplace_back(nt.TokenText(i));
  REQUIRE(tokens.size() == 11);
  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xDEADBEEF}}) {
    for (const int size : {1, 2, 5, 11, 12}) {
      INFO("seed " << seed << " size " << size);
      ShingleOptions options;
      options.size = size;
      options.seed = seed;
      std::vector<std::uint64_t> got;
      ShingleHashes(nt, options, &got);
      CHECK(got == ReferenceShingles(tokens, size, seed));
    }
  }
}

TEST_CASE("ShingleHashes: different seeds give different hashes", "[shingle]") {
  const std::string text = "one two three four five six seven";
  const std::vector<std::uint64_t> a = Shingles(text, 5, 0);
  const std::vector<std::uint64_t> b = Shingles(text, 5, 1);
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 3);
  // 64-bit hashes: an accidental equality has probability 2^-64 per shingle.
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] != b[i]);
  CHECK(Shingles(text, 5, 1) == b);  // and the same seed repeats
  CHECK(HashToken("word", 0) != HashToken("word", 1));
}

TEST_CASE("ShingleHashes: repeated text gives repeated hashes", "[shingle]") {
  // "a b c d e a b c d e": shingle 0 and shingle 5 cover the same words.
  const std::vector<std::uint64_t> h = Shingles("a b c d e a b c d e");
  REQUIRE(h.size() == 6);
  CHECK(h[0] == h[5]);
  CHECK(h[0] != h[1]);
}

}  // namespace
}  // namespace neardup
