#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

Status ForEachBatch(DocumentReader& reader, const PipelineOptions& options, const BatchFn& fn) {
  std::vector<Document> batch;
  DocIndex next_index = 0;
  bool more = true;
  while (more) {
    batch.clear();
    std::size_t bytes = 0;
    while (batch.size() < options.batch_documents && bytes < options.batch_bytes) {
      Document doc;
      Result<bool> next = reader.Next(&doc);
      if (!next.ok()) return next.status();
      if (!next.value()) {
        more = false;
        break;
      }
      bytes += doc.text.size();
      batch.push_back(std::move(doc));
    }
    if (batch.empty()) break;
    const DocIndex first = next_index;
    next_index += static_cast<DocIndex>(batch.size());
    NEARDUP_RETURN_IF_ERROR(fn(batch, first));
  }
  return Status::OK();
}

std::string_view SignedText(const Document& doc, const PipelineOptions& options) {
  const std::string_view text(doc.text);
  if (text.size() <= options.max_document_bytes) return text;
  std::size_t cut = options.max_document_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace neardup::internal
