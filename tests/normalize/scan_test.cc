// The block scanner against the scalar reference (lib/normalize/scan.h), and
// NormalizeAndHash against Normalize + HashShingleToken.
#include "normalize/scan.h"

#include <neardup/normalize.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace neardup {
namespace {

using internal::ScanKernel;

void CheckSameTokens(const std::string& text, const NormalizeOptions& options) {
  NormalizedText fast, reference;
  internal::Normalize(text, options, ScanKernel::kAuto, &fast);
  internal::Normalize(text, options, ScanKernel::kScalar, &reference);
  REQUIRE(fast.text == reference.text);
  REQUIRE(fast.repaired_bytes == reference.repaired_bytes);
  REQUIRE(fast.tokens.size() == reference.tokens.size());
  for (std::size_t i = 0; i < fast.tokens.size(); ++i) {
    const Token& a = fast.tokens[i];
    const Token& b = reference.tokens[i];
    INFO("token " << i);
    CHECK(a.norm_begin == b.norm_begin);
    CHECK(a.norm_end == b.norm_end);
    CHECK(a.orig_begin == b.orig_begin);
    CHECK(a.orig_end == b.orig_end);
    CHECK(a.ascii == b.ascii);
  }
  // The hashing path gives one hash per token.
  for (const ScanKernel kernel : {ScanKernel::kAuto, ScanKernel::kScalar}) {
    HashedText hashed;
    internal::NormalizeAndHash(text, options, 7, kernel, &hashed);
    REQUIRE(hashed.repaired_bytes == reference.repaired_bytes);
    REQUIRE(hashed.token_hashes.size() == reference.tokens.size());
    for (std::size_t i = 0; i < reference.tokens.size(); ++i) {
      CHECK(hashed.token_hashes[i] == HashShingleToken(reference.TokenText(i), 7));
    }
  }
}

// Random text from pieces that stress block boundaries: ASCII words and
// punctuation of every length, multi-byte characters (a letter, a combining
// mark, a soft hyphen, an ideograph, a compatibility ligature, a no-break
// space), and invalid bytes.
std::string RandomText(std::mt19937_64* rng, std::size_t pieces, bool ascii_only) {
  static const std::vector<std::string> kAscii = {"a",
                                                  "The",
                                                  "quick",
                                                  "BROWN",
                                                  "f0x",
                                                  "1999",
                                                  " ",
                                                  "  ",
                                                  ", ",
                                                  ".",
                                                  "\n",
                                                  "\r\n",
                                                  "\t",
                                                  "-",
                                                  "'",
                                                  "x_y",
                                                  "@",
                                                  "[",
                                                  "`",
                                                  "{",
                                                  "Zz9",
                                                  "abcdefghijklmnopq",
                                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"};
  static const std::vector<std::string> kOther = {
      "\xC3\xA9",          // é
      "e\xCC\x81",         // e + combining acute
      "\xC2\xAD",          // soft hyphen
      "\xE4\xB8\xAD",      // 中
      "\xEF\xAC\x81",      // ﬁ
      "\xC2\xA0",          // no-break space
      "\xCE\xA3\xCE\x91",  // ΣΑ
      "\xFF",              // invalid
      "\xE2\x80",          // truncated sequence
  };
  std::string text;
  for (std::size_t i = 0; i < pieces; ++i) {
    if (!ascii_only && (*rng)() % 8 == 0) {
      text += kOther[(*rng)() % kOther.size()];
    } else {
      text += kAscii[(*rng)() % kAscii.size()];
    }
  }
  return text;
}

TEST_CASE("scanners: the block scanner gives the reference's tokens", "[normalize][scan]") {
  if (!internal::HaveBlockScanner()) {
    WARN("no block scanner on this build: both kernels are the scalar one");
  }
  std::mt19937_64 rng(20261124);
  for (const bool nfkc : {true, false}) {
    for (const bool case_fold : {true, false}) {
      const NormalizeOptions options{nfkc, case_fold};
      for (int round = 0; round < 300; ++round) {
        const bool ascii_only = round % 2 == 0;
        const std::string text = RandomText(&rng, 1 + rng() % 120, ascii_only);
        INFO("nfkc " << nfkc << " case_fold " << case_fold << " text '" << text << "'");
        CheckSameTokens(text, options);
      }
    }
  }
}

TEST_CASE("scanners: words across every block boundary", "[normalize][scan]") {
  // A word of each length from 1 to 40 placed at every offset in 0..33, so
  // it starts, ends and spans 16-byte blocks in every way; then the same with
  // a non-ASCII letter inside the word and beside it.
  for (std::size_t len = 1; len <= 40; ++len) {
    for (std::size_t offset = 0; offset < 34; ++offset) {
      const std::string word(len, 'W');
      CheckSameTokens(std::string(offset, ' ') + word + " tail words here", {});
      std::string mixed = std::string(offset, '.') + word;
      mixed.insert(offset + len / 2, "\xC3\xA9");
      CheckSameTokens(mixed + "\xC3\xA9x" + word, {});
    }
  }
}

TEST_CASE("scanners: empty, separators only, one long word", "[normalize][scan]") {
  CheckSameTokens("", {});
  CheckSameTokens(std::string(100, ' '), {});
  CheckSameTokens(std::string(1000, 'q'), {});
  CheckSameTokens(std::string(64, '\xFF'), {});
}

}  // namespace
}  // namespace neardup
