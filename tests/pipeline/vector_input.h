// In-memory documents as pipeline input, for the pipeline's tests.
#ifndef NEARDUP_TESTS_PIPELINE_VECTOR_INPUT_H_
#define NEARDUP_TESTS_PIPELINE_VECTOR_INPUT_H_

#include <neardup/pipeline.h>

#include <memory>
#include <vector>

namespace neardup::testing {

// Reads the documents of `docs` in order (borrowed: must outlive the reader).
class VectorReader final : public DocumentReader {
 public:
  explicit VectorReader(const std::vector<Document>* docs) : docs_(docs) {}
  Result<bool> Next(Document* doc) override {
    if (next_ == docs_->size()) return false;
    *doc = (*docs_)[next_++];
    return true;
  }
  std::uint64_t bytes_read() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  const std::vector<Document>* docs_;
  std::size_t next_ = 0;
};

// Opens `docs` afresh each time the pipeline asks (it reads twice to verify).
inline Pipeline::InputFactory InputOf(const std::vector<Document>& docs) {
  return [&docs] {
    return Result<std::unique_ptr<DocumentReader>>(std::make_unique<VectorReader>(&docs));
  };
}

}  // namespace neardup::testing

#endif  // NEARDUP_TESTS_PIPELINE_VECTOR_INPUT_H_
