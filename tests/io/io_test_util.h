// Helpers shared by the io tests.
#ifndef NEARDUP_TESTS_IO_IO_TEST_UTIL_H_
#define NEARDUP_TESTS_IO_IO_TEST_UTIL_H_

#include <neardup/io.h>

#include <memory>
#include <string>
#include <vector>

namespace neardup::testing {

// Every document of `inputs` up to the end or the first error, which goes to
// *error (left untouched on success).
inline std::vector<Document> ReadAll(const std::vector<std::string>& inputs, Status* error,
                                     const ReaderOptions& options = {}) {
  std::vector<Document> docs;
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader(inputs, options);
  if (!reader.ok()) {
    *error = reader.status();
    return docs;
  }
  while (true) {
    Document doc;
    Result<bool> more = reader.value()->Next(&doc);
    if (!more.ok()) {
      *error = more.status();
      return docs;
    }
    if (!more.value()) return docs;
    docs.push_back(std::move(doc));
  }
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_IO_IO_TEST_UTIL_H_
