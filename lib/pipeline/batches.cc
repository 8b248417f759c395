#include <tbb/task_group.h>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

namespace {

struct Batch {
  std::vector<Document> documents;
  Status status;
  bool last = false;             // the reader had nothing after these
  std::uint64_t bytes_read = 0;  // reader.bytes_read() after these
};

// Empties *doc as a new Document would be, but keeps its text buffer while
// the batch's kept buffers fit in *budget bytes: reading into reused buffers
// saves an allocation per document. The budget matters because a slot keeps
// the largest text it has held; without it, a batch's buffers could grow far
// past batch_bytes.
void Reset(Document* doc, std::size_t* budget) {
  doc->id.clear();
  doc->text.clear();
  doc->source.file.clear();
  doc->source.line = 0;
  doc->input = 0;
  doc->repaired_bytes = 0;
  doc->url.clear();
  if (doc->text.capacity() > *budget) {
    std::string().swap(doc->text);
  } else {
    *budget -= doc->text.capacity();
  }
}

// Reads the batch whose first document is document `first` into *out,
// reusing the documents it holds.
void ReadBatch(DocumentReader& reader, const PipelineOptions& options,
               const std::vector<bool>* wanted, DocIndex first, Batch* out) {
  std::vector<Document>& docs = out->documents;
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::size_t budget = options.batch_bytes;
  while (count < options.batch_documents && bytes < options.batch_bytes) {
    if (count == docs.size()) docs.emplace_back();
    Document& doc = docs[count];
    Reset(&doc, &budget);
    const std::size_t index = first + count;
    const bool skip = wanted != nullptr && index < wanted->size() && !(*wanted)[index];
    Result<bool> next = skip ? reader.Skip() : reader.Next(&doc);
    if (!next.ok()) {
      out->status = next.status();
      break;
    }
    if (!next.value()) {
      out->last = true;
      break;
    }
    bytes += doc.text.size();
    ++count;
  }
  docs.resize(count);
  out->bytes_read = reader.bytes_read();
}

}  // namespace

Status ForEachBatch(DocumentReader& reader, const PipelineOptions& options, const BatchFn& fn,
                    std::uint64_t* bytes_read, const std::vector<bool>* wanted) {
  // Two batches in flight: a task reads the next one while fn works on the
  // current one, so reading (a single stream) overlaps the parallel work.
  // Batches, and the order fn sees them in, are what a plain loop would give.
  Batch current, next;
  ReadBatch(reader, options, wanted, 0, &current);
  DocIndex first = 0;
  while (current.status.ok() && !current.documents.empty()) {
    tbb::task_group prefetch;
    const bool more = !current.last;
    const DocIndex after = first + static_cast<DocIndex>(current.documents.size());
    if (more) prefetch.run([&] { ReadBatch(reader, options, wanted, after, &next); });
    if (bytes_read) *bytes_read = current.bytes_read;
    const Status done = fn(current.documents, first);
    prefetch.wait();
    NEARDUP_RETURN_IF_ERROR(done);
    if (!more) return Status::OK();
    first = after;
    std::swap(current, next);
    // Its documents stay, to be read into again.
    next.status = Status::OK();
    next.last = false;
    next.bytes_read = 0;
  }
  return current.status;
}

std::string_view SignedText(const Document& doc, const PipelineOptions& options) {
  const std::string_view text(doc.text);
  if (text.size() <= options.max_document_bytes) return text;
  std::size_t cut = options.max_document_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace neardup::internal
