// Normalize and NormalizeAndHash: the word scanner (scan_words.h) feeding
// one of two sinks, the normalized text with every token's offsets
// (TokenSink) or the tokens' hashes alone (HashSink).
#include "neardup/normalize.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/utf8.h"
#include "normalize/block_scan.h"
#include "normalize/scan.h"
#include "normalize/scan_words.h"
#include "normalize/token_hash.h"

namespace neardup {
namespace {

// Bytes writable past the end of the normalized text: ASCII words of up to
// 16 bytes move with one 16-byte store (TextWriter).
constexpr std::size_t kSlack = 16;

// Appends tokens to a text, separated by single spaces. Writes through a
// pointer into a buffer kept kSlack bytes longer than the text, and shrinks
// the string to the text in its destructor.
class TextWriter {
 public:
  TextWriter(std::string* text, std::size_t expected) : text_(text) {
    text_->resize(expected + kSlack);
  }
  ~TextWriter() { text_->resize(size_); }
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;

  // Appends `token`; returns its offset in the text.
  // REQUIRES: kSlack bytes past the end of `token` are readable.
  std::size_t AddAscii(std::string_view token) {
    char* at = Start(token.size());
#if defined(__SSE2__)
    if (token.size() <= 16) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(at), internal::Load16(token.data()));
      return Finish(token.size());
    }
#endif
    std::memcpy(at, token.data(), token.size());
    return Finish(token.size());
  }
  std::size_t Add(std::string_view token) {
    char* at = Start(token.size());
    std::memcpy(at, token.data(), token.size());
    return Finish(token.size());
  }

 private:
  // Room for a space, the token and kSlack; returns where the token goes.
  char* Start(std::size_t token_size) {
    const std::size_t need = size_ + 1 + token_size + kSlack;
    if (need > text_->size()) text_->resize(std::max(need, 2 * text_->size()));
    char* p = text_->data();
    if (size_ != 0) p[size_++] = ' ';
    return p + size_;
  }
  std::size_t Finish(std::size_t token_size) {
    const std::size_t offset = size_;
    size_ += token_size;
    return offset;
  }

  std::string* text_;
  std::size_t size_ = 0;
};

// Builds a NormalizedText: the text and every token's offsets.
class TokenSink {
 public:
  TokenSink(NormalizedText* out, std::size_t expected) : out_(out), writer_(&out->text, expected) {}
  void Ascii(std::string_view folded, std::size_t begin, std::size_t end) {
    AddToken(writer_.AddAscii(folded), folded.size(), begin, end, /*ascii=*/true);
  }
  void Piece(std::string_view folded, std::size_t begin, std::size_t end) {
    AddToken(writer_.Add(folded), folded.size(), begin, end, /*ascii=*/false);
  }

 private:
  void AddToken(std::size_t at, std::size_t size, std::size_t begin, std::size_t end, bool ascii) {
    out_->tokens.push_back(
        Token{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + size),
              static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), ascii});
  }
  NormalizedText* out_;
  TextWriter writer_;
};

// Builds a HashedText: every token's hash.
class HashSink {
 public:
  explicit HashSink(HashedText* out) : out_(out) {}
  // An ASCII word is followed by kFoldedSlack readable bytes.
  NEARDUP_HASH_INLINE void Ascii(std::string_view folded, std::size_t, std::size_t) {
    out_->token_hashes.push_back(
        internal::ShingleTokenHashPadded(folded.data(), folded.size(), out_->seed));
  }
  void Piece(std::string_view folded, std::size_t, std::size_t) {
    out_->token_hashes.push_back(internal::ShingleTokenHash(folded, out_->seed));
  }

 private:
  HashedText* out_;
};

}  // namespace

namespace internal {

bool HaveBlockScanner() { return kHaveBlockScanner; }

void Normalize(std::string_view original, const NormalizeOptions& options, ScanKernel kernel,
               NormalizedText* out) {
  out->tokens.clear();
  TokenSink sink(out, original.size());
  out->repaired_bytes = ScanWords(original, options, kernel, sink);
}

void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, ScanKernel kernel, HashedText* out) {
  out->token_hashes.clear();
  out->seed = seed;
  HashSink sink(out);
  out->repaired_bytes = ScanWords(original, options, kernel, sink);
}

}  // namespace internal

void Normalize(std::string_view original, const NormalizeOptions& options, NormalizedText* out) {
  internal::Normalize(original, options, internal::ScanKernel::kAuto, out);
}

void NormalizeAndHash(std::string_view original, const NormalizeOptions& options,
                      std::uint64_t seed, HashedText* out) {
  internal::NormalizeAndHash(original, options, seed, internal::ScanKernel::kAuto, out);
}

NormalizedText Normalize(std::string_view original, const NormalizeOptions& options) {
  NormalizedText out;
  Normalize(original, options, &out);
  return out;
}

bool IsValidUtf8(std::string_view bytes) { return internal::IsValidUtf8(bytes); }

std::string RepairUtf8(std::string_view bytes, std::size_t* repaired) {
  return internal::RepairUtf8(bytes, repaired);
}

}  // namespace neardup
