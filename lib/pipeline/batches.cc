#include <tbb/task_group.h>

#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

namespace {

struct Batch {
  std::vector<Document> documents;
  Status status;
  bool last = false;             // the reader had nothing after these
  std::uint64_t bytes_read = 0;  // reader.bytes_read() after these
};

// Reads the batch whose first document is document `first`, reading the
// wanted ones alone and leaving the others empty. The wanted documents of
// the batch's span are read at once (DocumentReader::ReadManyAt, which may
// decode them on several threads); the batch then ends where reading them
// one by one would have ended it (options.batch_bytes of text), and what was
// read past that end is read again by the next batch.
void ReadBatchAt(DocumentReader& reader, const PipelineOptions& options,
                 const std::vector<bool>& wanted, const RecordAtFn& record_at, DocIndex first,
                 Batch* out) {
  out->documents.clear();
  const std::size_t end = std::min<std::size_t>(wanted.size(), first + options.batch_documents);
  out->documents.reserve(end - first);
  std::vector<std::size_t> indices;
  std::vector<RecordAt> ats;
  std::vector<DocumentReader::Place> places;
  for (std::size_t index = first; index < end; ++index) {
    if (!wanted[index]) continue;
    indices.push_back(index);
    ats.push_back(record_at(static_cast<DocIndex>(index)));
    places.push_back(DocumentReader::Place{ats.back().input, ats.back().offset, ats.back().line});
  }
  std::vector<Document> read(places.size());
  std::size_t got = 0;
  const Status status = reader.ReadManyAt(places, read, &got);
  std::size_t bytes = 0;
  std::size_t index = first;
  std::size_t next = 0;  // in indices
  for (; index < end && bytes < options.batch_bytes; ++index) {
    Document& doc = out->documents.emplace_back();
    if (next == indices.size() || indices[next] != index) continue;
    if (next == got) {
      out->status = status;
      out->documents.pop_back();
      return;
    }
    doc = std::move(read[next]);
    if (doc.id != ats[next].id) {
      out->status = Status::InvalidInput(doc.source.ToString() + ": document \"" + doc.id +
                                         "\" where \"" + std::string(ats[next].id) +
                                         "\" was read before: the input changed between two reads");
      out->documents.pop_back();
      return;
    }
    ++next;
    bytes += doc.text.size();
  }
  out->last = index == wanted.size();
  out->bytes_read = reader.bytes_read();
}

// Reads the batch whose first document is document `first`.
void ReadBatch(DocumentReader& reader, const PipelineOptions& options,
               const std::vector<bool>* wanted, const PartOf* part, DocIndex first, Batch* out) {
  out->documents.clear();
  std::size_t bytes = 0;
  while (out->documents.size() < options.batch_documents && bytes < options.batch_bytes) {
    Document doc;
    const std::size_t index = first + out->documents.size();
    const bool skip = (wanted != nullptr && index < wanted->size() && !(*wanted)[index]) ||
                      (part != nullptr && !part->Has(index));
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
    out->documents.push_back(std::move(doc));
  }
  out->bytes_read = reader.bytes_read();
}

}  // namespace

Status ForEachBatch(DocumentReader& reader, const PipelineOptions& options, const BatchFn& fn,
                    std::uint64_t* bytes_read, const std::vector<bool>* wanted,
                    const RecordAtFn* record_at, const PartOf* part) {
  // Two batches in flight: a task reads the next one while fn works on the
  // current one, so reading (a single stream) overlaps the parallel work.
  // Batches, and the order fn sees them in, are what a plain loop would give.
  // A re-read (`wanted` given) must meet as many documents as the read
  // before it.
  const auto check_count = [wanted](std::size_t read) {
    if (wanted == nullptr || read == wanted->size()) return Status::OK();
    return Status::InvalidInput(read > wanted->size() ? "input grew between two reads"
                                                      : "input shrank between two reads");
  };
  const auto read_batch = [&](DocIndex first, Batch* out) {
    if (wanted != nullptr && record_at != nullptr) {
      ReadBatchAt(reader, options, *wanted, *record_at, first, out);
    } else {
      ReadBatch(reader, options, wanted, part, first, out);
    }
  };
  Batch current, next;
  read_batch(0, &current);
  DocIndex first = 0;
  while (current.status.ok() && !current.documents.empty()) {
    tbb::task_group prefetch;
    const bool more = !current.last;
    const DocIndex after = first + static_cast<DocIndex>(current.documents.size());
    if (wanted != nullptr && after > wanted->size()) return check_count(after);
    if (more) prefetch.run([&] { read_batch(after, &next); });
    if (bytes_read) *bytes_read = current.bytes_read;
    const Status done = fn(current.documents, first);
    prefetch.wait();
    NEARDUP_RETURN_IF_ERROR(done);
    if (!more) return check_count(after);
    first = after;
    std::swap(current, next);
    // The documents signed are cleared by the next read (on the reading task,
    // not here between two parallel steps); the vector keeps its capacity.
    next.status = Status::OK();
    next.last = false;
    next.bytes_read = 0;
  }
  NEARDUP_RETURN_IF_ERROR(current.status);
  return check_count(first);
}

std::string_view SignedText(const Document& doc, const PipelineOptions& options) {
  const std::string_view text(doc.text);
  if (text.size() <= options.max_document_bytes) return text;
  std::size_t cut = options.max_document_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

}  // namespace neardup::internal
