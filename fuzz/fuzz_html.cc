// libFuzzer target: HtmlToText never fails, and keeps valid UTF-8 valid.
#include <neardup/io.h>
#include <neardup/normalize.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::string text = neardup::HtmlToText(html);
  // Text is cut only at ASCII bytes and entities decode to valid UTF-8.
  if (neardup::IsValidUtf8(html) && !neardup::IsValidUtf8(text)) std::abort();
  // Whitespace collapses and markup is dropped; only entities can grow text
  // (at most 4 output bytes for the 2 of "&#" plus a digit).
  if (text.size() > 2 * size + 4) std::abort();
  return 0;
}
