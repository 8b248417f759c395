// The shipped background table, embedded in the library at build time
// (lib/tools/embed_file from data/background/enwiki-2015.nddf).
#include <cstddef>
#include <mutex>
#include <string_view>

#include "neardup/story.h"

extern const char neardup_background_nddf[];
extern const std::size_t neardup_background_nddf_size;

namespace neardup {

std::shared_ptr<const DocumentFrequencies> DefaultBackgroundFrequencies() {
  static std::once_flag once;
  static std::shared_ptr<const DocumentFrequencies> table;
  std::call_once(once, [] {
    Result<DocumentFrequencies> parsed = DocumentFrequencies::Parse(
        std::string_view(neardup_background_nddf, neardup_background_nddf_size),
        "embedded background table");
    // The bytes were checked when the library was built (tests/story); an
    // unreadable table leaves the story level on the input's own counts.
    if (parsed.ok()) {
      table = std::make_shared<const DocumentFrequencies>(std::move(parsed).value());
    }
  });
  return table;
}

}  // namespace neardup
