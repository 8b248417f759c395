// WriteKept: the kept records of an input, in the input's own format.
// Every writer walks its input with the same record framing as the reader
// (LineReader, WarcRecordReader, the binary-file test), so the i-th kept flag
// always belongs to the i-th record the reader reported.
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

#include "io/access_points.h"
#include "io/byte_source.h"
#include "io/files.h"
#include "io/line_reader.h"
#include "io/readers_internal.h"
#include "io/sniff.h"
#include "io/warc_record.h"
#include "neardup/io.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSniffBytes = 8192;  // as the directory reader

Status CountMismatch(const std::string& input) {
  return Status::InvalidArgument(input +
                                 ": number of kept flags differs from the records in the input "
                                 "(did it change during the run?)");
}

// Hands out the kept flags in order.
class KeptCursor {
 public:
  KeptCursor(std::span<const bool> kept, std::string input)
      : kept_(kept), input_(std::move(input)) {}
  Result<bool> Take() {
    if (next_ == kept_.size()) return CountMismatch(input_);
    return kept_[next_++];
  }
  bool done() const { return next_ == kept_.size(); }

 private:
  std::span<const bool> kept_;
  std::string input_;
  std::size_t next_ = 0;
};

// `path` names a place strictly below `dir`, judged on the words of the
// path: no "..", no absolute part. What WriteKept writes is checked this
// way; the output directory itself is one neardup created (staging), so it
// holds no links that could lead elsewhere.
bool IsBelow(const fs::path& path, const std::string& dir) {
  const fs::path d = fs::path(dir).lexically_normal();
  const fs::path rel = path.lexically_normal().lexically_relative(d);
  if (rel.empty() || rel.is_absolute() || rel == ".") return false;
  for (const fs::path& part : rel) {
    if (part == "..") return false;
  }
  return true;
}

Status EnsureParent(const std::string& path) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  return Status::OK();
}

Status CopyFileAtomically(const std::string& from, const std::string& to) {
  Result<std::string> data = internal::ReadFile(from);
  if (!data.ok()) return data.status();
  NEARDUP_RETURN_IF_ERROR(EnsureParent(to));
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(to, /*durable=*/false);
  if (!out.ok()) return out.status();
  NEARDUP_RETURN_IF_ERROR(out.value()->Write(data.value()));
  return out.value()->Commit();
}

// A compressed input read before with `options` is read from its decoded
// copy when it has a complete one (ReaderOptions::spill_dir), not decoded again.
Status WriteKeptJsonl(const std::string& input, KeptCursor* kept, const std::string& target,
                      const ReaderOptions& options) {
  AccessPointCache* cache =
      options.access_points != nullptr && options.access_points->Find(input) != nullptr
          ? options.access_points.get()
          : nullptr;
  internal::LineReader lines;
  NEARDUP_RETURN_IF_ERROR(lines.Open(input, "", cache));
  NEARDUP_RETURN_IF_ERROR(EnsureParent(target));
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(target, /*durable=*/false);
  if (!out.ok()) return out.status();
  // Same codec as the input, so the output is in the input's own format.
  Result<std::unique_ptr<internal::ByteSink>> sink =
      internal::NewEncodingSink(lines.codec(), out.value().get(), target);
  if (!sink.ok()) return sink.status();
  std::string line;
  std::uint64_t line_number = 0;
  while (true) {
    Result<bool> more = lines.NextNonBlank(&line, &line_number);
    if (!more.ok()) {
      // The reader skipped the rest of the file as one record (skip_bad);
      // without skip_bad the run failed before anything was written.
      Result<bool> flag = kept->Take();
      if (!flag.ok()) return more.status();
      break;
    }
    if (!more.value()) break;
    Result<bool> flag = kept->Take();
    if (!flag.ok()) return flag.status();
    if (flag.value()) NEARDUP_RETURN_IF_ERROR(sink.value()->Write(line));
  }
  NEARDUP_RETURN_IF_ERROR(sink.value()->Finish());
  return out.value()->Commit();
}

// `bytes` as one gzip member.
Result<std::string> GzipOneMember(std::string_view bytes) {
  z_stream s{};
  if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("deflateInit2 failed");
  }
  std::string out;
  char buffer[1 << 14];
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  std::size_t left = bytes.size();
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    // Fed in pieces that fit uInt, so a record of any size is accepted.
    if (s.avail_in == 0 && left > 0) {
      const std::size_t piece = std::min<std::size_t>(left, std::size_t{1} << 30);
      s.avail_in = static_cast<uInt>(piece);
      left -= piece;
    }
    s.next_out = reinterpret_cast<Bytef*>(buffer);
    s.avail_out = sizeof(buffer);
    ret = deflate(&s, left == 0 ? Z_FINISH : Z_NO_FLUSH);
    if (ret == Z_STREAM_ERROR) {
      deflateEnd(&s);
      return Status::Internal("deflate failed");
    }
    out.append(buffer, sizeof(buffer) - s.avail_out);
  }
  deflateEnd(&s);
  return out;
}

Status CopyRange(std::FILE* f, const std::string& path, std::uint64_t begin, std::uint64_t end,
                 AtomicFile* out) {
  if (std::fseek(f, static_cast<long>(begin), SEEK_SET) != 0) {
    return Status::IOError(internal::ErrnoMessage(path));
  }
  char buffer[1 << 14];
  for (std::uint64_t left = end - begin; left > 0;) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof(buffer)));
    if (std::fread(buffer, 1, want, f) != want) return Status::IOError(path + ": read error");
    NEARDUP_RETURN_IF_ERROR(out->Write(std::string_view(buffer, want)));
    left -= want;
  }
  return Status::OK();
}

// A kept record of a gzip WARC file is copied as its own compressed bytes
// when it is made of whole gzip members (Common Crawl writes one member per
// record), else compressed again as one member. Whether it is, and where its
// members lie, the record reader's own decoder says (RawOffsetOf): the file
// is decoded once here, not again to index its members.
class KeptGzipRecords {
 public:
  KeptGzipRecords(std::string input, AtomicFile* out) : input_(std::move(input)), out_(out) {}

  // The record just read; `kept` whether it is written. The one before it is
  // written first, now that its end is known.
  Status Add(internal::WarcRecordReader* records, internal::WarcRecord* record, bool kept) {
    NEARDUP_RETURN_IF_ERROR(Flush(records));
    if (!kept) return Status::OK();
    pending_ = true;
    raw_begin_ = records->RawOffsetOf(record->offset);
    end_ = record->offset + record->raw.size();
    raw_ = std::move(record->raw);
    return Status::OK();
  }
  // Writes the pending record. Its end is a member start (or the end of the
  // last member) once the reader has read past it: the next record, the end
  // of the file or a fault.
  Status Flush(internal::WarcRecordReader* records) {
    if (!pending_) return Status::OK();
    pending_ = false;
    const std::optional<std::uint64_t> raw_end =
        raw_begin_ ? records->RawOffsetOf(end_) : std::nullopt;
    if (raw_end) return CopyMembers(*raw_begin_, *raw_end);
    Result<std::string> compressed = GzipOneMember(raw_);
    if (!compressed.ok()) return compressed.status();
    return out_->Write(compressed.value());
  }

 private:
  Status CopyMembers(std::uint64_t begin, std::uint64_t end) {
    if (file_ == nullptr) {
      file_.reset(std::fopen(input_.c_str(), "rb"));
      if (file_ == nullptr) return Status::IOError(internal::ErrnoMessage(input_));
    }
    return CopyRange(file_.get(), input_, begin, end, out_);
  }

  std::string input_;
  AtomicFile* out_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
  bool pending_ = false;                    // a kept record waits for its end
  std::optional<std::uint64_t> raw_begin_;  // its first member's file offset, if it starts one
  std::uint64_t end_ = 0;                   // its decoded end
  std::string raw_;                         // its bytes
};

// gzip records go through KeptGzipRecords, plain and zstd through an encoding
// sink; a zstd file with a complete decoded copy (ReaderOptions::spill_dir)
// is read from the copy. A gzip file is always decoded: its copy would not
// say where its members lie.
Status WriteKeptWarc(const std::string& input, KeptCursor* kept, const std::string& target,
                     const ReaderOptions& options) {
  internal::WarcRecordReader records;
  std::shared_ptr<const internal::AccessIndex> index =
      options.access_points != nullptr ? options.access_points->Find(input) : nullptr;
  std::shared_ptr<const internal::DecodedSpill> copy =
      index != nullptr ? index->CompleteSpill() : nullptr;
  AccessPointCache* cache = copy != nullptr && copy->codec() != internal::Codec::kGzip
                                ? options.access_points.get()
                                : nullptr;
  NEARDUP_RETURN_IF_ERROR(
      records.Open(input, false, cache, cache != nullptr ? options.spill_dir : std::string()));
  NEARDUP_RETURN_IF_ERROR(EnsureParent(target));
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(target, /*durable=*/false);
  if (!out.ok()) return out.status();
  std::unique_ptr<internal::ByteSink> sink;
  std::unique_ptr<KeptGzipRecords> members;
  if (records.codec() == internal::Codec::kGzip) {
    members = std::make_unique<KeptGzipRecords>(input, out.value().get());
  } else {
    Result<std::unique_ptr<internal::ByteSink>> s =
        internal::NewEncodingSink(records.codec(), out.value().get(), target);
    if (!s.ok()) return s.status();
    sink = std::move(s).value();
  }
  internal::WarcRecord record;
  while (true) {
    Result<bool> more = records.Next(&record);
    if (!more.ok()) {
      if (members != nullptr) NEARDUP_RETURN_IF_ERROR(members->Flush(&records));
      Result<bool> flag = kept->Take();  // a bad record: never written
      if (!flag.ok()) return more.status();
      if (records.fatal()) break;
      continue;
    }
    if (!more.value()) break;
    Result<bool> flag = kept->Take();
    if (!flag.ok()) return flag.status();
    if (members != nullptr) {
      NEARDUP_RETURN_IF_ERROR(members->Add(&records, &record, flag.value()));
    } else if (flag.value()) {
      NEARDUP_RETURN_IF_ERROR(sink->Write(record.raw));
    }
  }
  if (members != nullptr) NEARDUP_RETURN_IF_ERROR(members->Flush(&records));
  if (sink != nullptr) NEARDUP_RETURN_IF_ERROR(sink->Finish());
  return out.value()->Commit();
}

Status WriteKeptFile(const std::string& path, const std::string& name, KeptCursor* kept,
                     const std::string& target, bool in_tree, const ReaderOptions& options) {
  switch (internal::FormatFromName(name)) {
    case internal::NamedFormat::kJsonl:
      return WriteKeptJsonl(path, kept, target, options);
    case internal::NamedFormat::kWarc:
      return WriteKeptWarc(path, kept, target, options);
    case internal::NamedFormat::kOther:
      break;
  }
  if (in_tree) {
    Result<std::string> data = internal::ReadFile(path);
    if (!data.ok()) return data.status();
    if (internal::LooksBinary(std::string_view(data.value()).substr(0, kSniffBytes))) {
      return kept->Take().status();  // skipped by the reader
    }
  }
  Result<bool> flag = kept->Take();
  if (!flag.ok()) return flag.status();
  return flag.value() ? CopyFileAtomically(path, target) : Status::OK();
}

}  // namespace

Status WriteKept(const std::string& input, std::span<const bool> kept, const std::string& out_dir,
                 const ReaderOptions& options) {
  std::string path = input;
  Result<InputFormat> format = Status::OK();
  if (input == "-") {
    if (options.stdin_path.empty()) return Status::InvalidArgument("-: standard input not saved");
    path = options.stdin_path;
    format = internal::FormatFromContent(path);
  } else {
    format = DetectFormat(input);
  }
  if (!format.ok()) return format.status();
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Status::IOError(out_dir + ": " + ec.message());
  const fs::path target = fs::path(out_dir) / OutputName(input);
  if (!IsBelow(target, out_dir)) {
    return Status::InvalidArgument(input + ": its output " + target.string() +
                                   " would lie outside " + out_dir);
  }
  KeptCursor cursor(kept, input);
  switch (format.value()) {
    case InputFormat::kJsonl:
      NEARDUP_RETURN_IF_ERROR(WriteKeptJsonl(path, &cursor, target.string(), options));
      break;
    case InputFormat::kWarc:
      NEARDUP_RETURN_IF_ERROR(WriteKeptWarc(path, &cursor, target.string(), options));
      break;
    case InputFormat::kTextFile: {
      Result<bool> flag = cursor.Take();
      if (!flag.ok()) return flag.status();
      if (flag.value()) NEARDUP_RETURN_IF_ERROR(CopyFileAtomically(path, target.string()));
      break;
    }
    case InputFormat::kDirectory: {
      Result<std::vector<internal::TreeEntry>> files = internal::ListTree(input);
      if (!files.ok()) return files.status();
      fs::create_directories(target, ec);
      if (ec) return Status::IOError(target.string() + ": " + ec.message());
      for (const internal::TreeEntry& entry : files.value()) {
        if (!entry.skip_reason.empty()) {
          NEARDUP_RETURN_IF_ERROR(cursor.Take().status());  // skipped by the reader
          continue;
        }
        if (!IsBelow(target / entry.rel, target.string())) {
          return Status::InvalidArgument(input + ": " + entry.rel + " would be written outside " +
                                         target.string());
        }
        NEARDUP_RETURN_IF_ERROR(WriteKeptFile((fs::path(input) / entry.rel).string(), entry.rel,
                                              &cursor, (target / entry.rel).string(), true,
                                              options));
      }
      break;
    }
  }
  if (!cursor.done()) return CountMismatch(input);
  return Status::OK();
}

}  // namespace neardup
