// The WARC/WET document reader: which records are documents and their text.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "io/readers_internal.h"
#include "io/spill.h"
#include "io/warc_record.h"

namespace neardup::internal {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

enum class Kind { kHtml, kPlain, kOther };

Kind KindOf(std::string_view content_type, std::string_view body) {
  const std::string type = LowerCase(content_type.substr(0, content_type.find(';')));
  if (type.find("html") != std::string::npos) return Kind::kHtml;
  if (Trim(type) == "text/plain") return Kind::kPlain;
  if (!Trim(type).empty()) return Kind::kOther;
  // No type given: sniff for markup the way browsers do, on the first bytes.
  const std::string head = LowerCase(body.substr(0, 512));
  if (head.find("<html") != std::string::npos || head.find("<!doctype html") != std::string::npos) {
    return Kind::kHtml;
  }
  return Kind::kOther;
}

// Undoes Transfer-Encoding: chunked; false when the framing is broken.
bool Dechunk(std::string_view body, std::string* out) {
  out->clear();
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) return false;
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (std::size_t i = pos; i < eol; ++i, ++digits) {
      const char c = Lower(body[i]);
      if (c >= '0' && c <= '9') {
        size = size * 16 + static_cast<std::uint64_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        size = size * 16 + static_cast<std::uint64_t>(c - 'a' + 10);
      } else {
        break;
      }
      if (digits > 15) return false;
    }
    if (digits == 0) return false;
    pos = eol + 1;
    if (size == 0) return true;
    if (size > body.size() - pos) return false;
    out->append(body.substr(pos, static_cast<std::size_t>(size)));
    pos += static_cast<std::size_t>(size);
    if (body.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (body.substr(pos, 1) == "\n") {
      pos += 1;
    }
  }
  return true;
}

bool TextOf(Kind kind, std::string_view content_type, std::string_view body, std::string* text,
            std::string* reason) {
  switch (kind) {
    case Kind::kHtml:
      *text = HtmlToText(body);
      return true;
    case Kind::kPlain:
      text->assign(body);
      return true;
    case Kind::kOther:
      break;
  }
  *reason = content_type.empty()
                ? "content without a text type (not a document)"
                : "Content-Type " + std::string(content_type) + " (not a document)";
  return false;
}

bool ResponseText(std::string_view block, std::string* text, std::string* reason) {
  if (!block.starts_with("HTTP/")) {
    *reason = "response without an HTTP status line (not a document)";
    return false;
  }
  std::size_t header_end = block.find("\r\n\r\n");
  std::size_t body_begin = header_end == std::string_view::npos ? 0 : header_end + 4;
  const std::size_t lf = block.find("\n\n");
  if (lf != std::string_view::npos && (header_end == std::string_view::npos || lf < header_end)) {
    header_end = lf;
    body_begin = lf + 2;
  }
  if (header_end == std::string_view::npos) {
    header_end = block.size();
    body_begin = block.size();
  }
  std::string_view content_type, transfer_encoding, content_encoding;
  std::string_view headers = block.substr(0, header_end);
  headers.remove_prefix(std::min(headers.size(), headers.find('\n')));  // the status line
  while (!headers.empty()) {
    headers.remove_prefix(1);  // '\n'
    const std::string_view line = headers.substr(0, headers.find('\n'));
    headers.remove_prefix(line.size());
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = LowerCase(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-type") content_type = value;
    if (name == "transfer-encoding") transfer_encoding = value;
    if (name == "content-encoding") content_encoding = value;
  }
  std::string_view body = block.substr(body_begin);
  const std::string encoding = LowerCase(content_encoding);
  if (!encoding.empty() && encoding != "identity") {
    *reason = "response body is " + std::string(content_encoding) + "-encoded (not a document)";
    return false;
  }
  std::string dechunked;
  if (LowerCase(transfer_encoding).find("chunked") != std::string::npos &&
      Dechunk(body, &dechunked)) {
    body = dechunked;
  }
  return TextOf(KindOf(content_type, body), content_type, body, text, reason);
}

class WarcReader final : public DocumentReader {
 public:
  WarcReader(std::string path, std::string display, const ReaderOptions& options,
             std::uint64_t total)
      : path_(std::move(path)), display_(std::move(display)), options_(options), total_(total) {}

  Status Open() {
    Status s = records_.Open(path_, options_.decode_ahead, options_.access_points.get(),
                             options_.spill_dir);
    if (!s.ok() && display_ != path_) return Status(s.code(), display_ + ": " + s.message());
    return s;
  }

  Result<bool> Next(Document* doc) override {
    while (!done_) {
      Result<bool> more = records_.Next(&record_);
      const SourceLocation where{display_, record_.number};
      const std::string id = record_.record_id.empty() ? where.ToString() : record_.record_id;
      if (!more.ok()) {
        if (!options_.skip_bad) {
          return Status(more.status().code(),
                        where.ToString() + ": " + more.status().message() + " (WARC record " +
                            std::to_string(record_.number) + " at decoded byte " +
                            std::to_string(record_.offset) + ")");
        }
        std::string reason = more.status().message();
        if (records_.fatal()) reason += " (rest of file abandoned)";
        skipped_.push_back(SkippedRecord{id, where, 0, std::move(reason), true, 0});
        done_ = records_.fatal();
        continue;
      }
      if (!more.value()) break;
      std::string reason;
      if (!WarcRecordText(record_, &doc->text, &reason)) {
        skipped_.push_back(SkippedRecord{id, where, 0, std::move(reason), false, 0});
        continue;
      }
      doc->id = id;
      doc->url = record_.target_uri;
      doc->source = where;
      doc->repaired_bytes = 0;
      doc->offset = records_.RawOffsetOf(record_.offset).value_or(kNoOffset);
      if (doc->offset != kNoOffset && record_.offset > 0 && records_.spill() != nullptr) {
        // Records that start gzip members (Common Crawl's one member per
        // record) are read alone from the compressed file: a decoded copy
        // would not be read.
        records_.spill()->Abandon();
      }
      return true;
    }
    done_ = true;
    return false;
  }
  // The record at file offset `offset`, read by a reader of its own: in a
  // plain file any record, in gzip one that starts a member (Common Crawl
  // writes one member per record).
  Status ReadAt(std::size_t, std::uint64_t offset, std::uint64_t line, Document* doc) override {
    const SourceLocation where{display_, line};
    Result<std::unique_ptr<ByteSource>> source = OpenDecodedFileAt(path_, records_.codec(), offset);
    if (!source.ok()) return source.status();
    WarcRecordReader one;
    one.Open(std::move(source).value(), records_.codec());
    WarcRecord record;
    Result<bool> more = one.Next(&record);
    std::string reason;
    if (!more.ok()) {
      reason = more.status().message();
    } else if (!more.value()) {
      reason = "no record here (the input changed since it was read)";
    } else if (WarcRecordText(record, &doc->text, &reason)) {
      doc->id = record.record_id.empty() ? where.ToString() : record.record_id;
      doc->url = record.target_uri;
      doc->source = where;
      doc->repaired_bytes = 0;
      doc->offset = offset;
      return Status::OK();
    }
    return Status::InvalidInput(where.ToString() + ": " + reason);
  }
  // Each record is read by a reader of its own (ReadAt uses nothing else of
  // this reader's), so several are read at once.
  Status ReadManyAt(std::span<const Place> where, std::span<Document> docs,
                    std::size_t* read) override {
    std::vector<Status> status(where.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, where.size()),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          status[i] =
                              ReadAt(where[i].input, where[i].offset, where[i].line, &docs[i]);
                        }
                      });
    for (*read = 0; *read < where.size(); ++*read) NEARDUP_RETURN_IF_ERROR(status[*read]);
    return Status::OK();
  }
  std::uint64_t bytes_read() const override { return records_.bytes_read(); }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  std::string path_;
  std::string display_;
  ReaderOptions options_;
  std::uint64_t total_;
  WarcRecordReader records_;
  WarcRecord record_;
  std::vector<SkippedRecord> skipped_;
  bool done_ = false;
};

}  // namespace

bool WarcRecordText(const WarcRecord& record, std::string* text, std::string* reason) {
  if (record.type == "conversion") {
    text->assign(record.block());
    return true;
  }
  if (record.type == "response") return ResponseText(record.block(), text, reason);
  if (record.type == "resource") {
    return TextOf(KindOf(record.content_type, record.block()), record.content_type, record.block(),
                  text, reason);
  }
  *reason = record.type.empty() ? "record without a WARC-Type (not a document)"
                                : record.type + " record (not a document)";
  return false;
}

Result<std::unique_ptr<DocumentReader>> NewWarcReader(const std::string& path,
                                                      const std::string& display,
                                                      const ReaderOptions& options,
                                                      std::uint64_t total) {
  auto reader = std::make_unique<WarcReader>(path, display, options, total);
  NEARDUP_RETURN_IF_ERROR(reader->Open());
  return std::unique_ptr<DocumentReader>(std::move(reader));
}

}  // namespace neardup::internal
