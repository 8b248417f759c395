// The text-file and directory readers, and the reader that chains inputs.
#include <cstdio>
#include <filesystem>

#include "io/access_points.h"
#include "io/files.h"
#include "io/readers_internal.h"
#include "io/sniff.h"

namespace neardup {

const std::vector<SkippedRecord>& DocumentReader::skipped() const {
  static const std::vector<SkippedRecord> kNone;
  return kNone;
}

Result<bool> DocumentReader::Skip() {
  Document scratch;
  return Next(&scratch);
}

Status DocumentReader::ReadAt(std::size_t, std::uint64_t, std::uint64_t, Document*) {
  return Status::InvalidArgument("this reader cannot read a document alone");
}

Status DocumentReader::ReadManyAt(std::span<const Place> where, std::span<Document> docs,
                                  std::size_t* read) {
  for (*read = 0; *read < where.size(); ++*read) {
    const Place& at = where[*read];
    NEARDUP_RETURN_IF_ERROR(ReadAt(at.input, at.offset, at.line, &docs[*read]));
  }
  return Status::OK();
}

namespace {

namespace fs = std::filesystem;

// Bytes looked at to tell a binary file from a text file.
constexpr std::size_t kSniffBytes = 8192;

std::uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

class TextFileReader final : public DocumentReader {
 public:
  TextFileReader(std::string path, std::string display, std::uint64_t total)
      : path_(std::move(path)), display_(std::move(display)), total_(total) {}

  Result<bool> Next(Document* doc) override {
    if (done_) return false;
    done_ = true;
    Result<std::string> text = internal::ReadFile(path_);
    if (!text.ok()) return text.status();
    read_ = total_;
    // As in a directory: a binary file is a skipped record, not a document.
    if (internal::LooksBinary(std::string_view(text.value()).substr(0, kSniffBytes))) {
      skipped_.push_back(SkippedRecord{display_, SourceLocation{display_, 0}, 0,
                                       "binary file (not a document)", false, 0});
      return false;
    }
    doc->id = display_;
    doc->text = std::move(text).value();
    doc->url.clear();
    doc->source = SourceLocation{display_, 0};
    doc->repaired_bytes = 0;
    return true;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  std::string path_;
  std::string display_;
  std::uint64_t total_;
  std::uint64_t read_ = 0;
  bool done_ = false;
  std::vector<SkippedRecord> skipped_;  // the file, when it is binary
};

// A tree: each file read by its name (JSONL, WARC) or as one text document;
// binary files are skipped.
class DirectoryReader final : public DocumentReader {
 public:
  DirectoryReader(std::string dir, std::vector<internal::TreeEntry> files,
                  const ReaderOptions& options, std::uint64_t total)
      : dir_(std::move(dir)), files_(std::move(files)), options_(options), total_(total) {}

  Result<bool> Next(Document* doc) override { return Advance(doc); }
  Result<bool> Skip() override { return Advance(nullptr); }
  std::uint64_t bytes_read() const override {
    return read_ + (nested_ != nullptr ? nested_->bytes_read() : 0);
  }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  // Next(doc), or Skip() when doc is null.
  Result<bool> Advance(Document* doc) {
    Document scratch;  // a text file is read to tell text from binary even when skipped
    while (true) {
      if (nested_ != nullptr) {
        Result<bool> more = doc != nullptr ? nested_->Next(doc) : nested_->Skip();
        internal::AbsorbSkipped(*nested_, &absorbed_, &skipped_);
        if (!more.ok() || more.value()) return more;
        read_ += nested_->bytes_read();
        nested_.reset();
      }
      if (next_ == files_.size()) return false;
      const internal::TreeEntry& entry = files_[next_++];
      const std::string& rel = entry.rel;
      const std::string full = (fs::path(dir_) / rel).string();
      if (!entry.skip_reason.empty()) {
        skipped_.push_back(
            SkippedRecord{rel, SourceLocation{full, 0}, 0, entry.skip_reason, false, 0});
        continue;
      }
      const std::uint64_t size = FileSize(full);
      Result<std::unique_ptr<DocumentReader>> nested = Status::OK();
      switch (internal::FormatFromName(rel)) {
        case internal::NamedFormat::kJsonl:
          nested = internal::NewJsonlReader(full, full, options_, size);
          break;
        case internal::NamedFormat::kWarc:
          nested = internal::NewWarcReader(full, full, options_, size);
          break;
        case internal::NamedFormat::kOther: {
          Result<std::string> text = internal::ReadFile(full);
          if (!text.ok()) return text.status();
          read_ += text.value().size();
          const std::string_view prefix = std::string_view(text.value()).substr(0, kSniffBytes);
          if (internal::LooksBinary(prefix)) {
            skipped_.push_back(SkippedRecord{rel, SourceLocation{full, 0}, 0,
                                             "binary file (not a document)", false, 0});
            continue;
          }
          Document& out = doc != nullptr ? *doc : scratch;
          out.id = rel;
          out.text = std::move(text).value();
          out.url.clear();
          out.source = SourceLocation{full, 0};
          out.repaired_bytes = 0;
          return true;
        }
      }
      if (!nested.ok()) return nested.status();
      nested_ = std::move(nested).value();
      absorbed_ = 0;
    }
  }

  std::string dir_;
  std::vector<internal::TreeEntry> files_;  // sorted by relative path
  ReaderOptions options_;
  std::size_t next_ = 0;
  std::uint64_t total_;
  std::uint64_t read_ = 0;
  std::unique_ptr<DocumentReader> nested_;  // the JSONL or WARC file being read
  std::size_t absorbed_ = 0;                // of nested_->skipped()
  std::vector<SkippedRecord> skipped_;
};

// What OpenReader learned about one input before reading it.
struct InputPlan {
  std::string path;     // what is opened
  std::string display;  // how ids, sources and messages name it ("-" for stdin)
  InputFormat format;
  std::vector<internal::TreeEntry> files;  // directory inputs: sorted by relative path
  std::uint64_t bytes = 0;                 // total size, for progress
};

Result<InputPlan> PlanInput(const std::string& path, const ReaderOptions& options) {
  if (path == "-") {
    if (options.stdin_path.empty()) {
      return Status::InvalidArgument("-: standard input is not available to this reader");
    }
    Result<InputFormat> format = internal::FormatFromContent(options.stdin_path);
    if (!format.ok()) return format.status();
    return InputPlan{options.stdin_path, "-", format.value(), {}, FileSize(options.stdin_path)};
  }
  Result<InputFormat> format = DetectFormat(path);
  if (!format.ok()) return format.status();
  InputPlan plan{path, path, format.value(), {}, 0};
  if (plan.format != InputFormat::kDirectory) {
    plan.bytes = FileSize(path);
    return plan;
  }
  Result<std::vector<internal::TreeEntry>> files = internal::ListTree(path);
  if (!files.ok()) return files.status();
  plan.files = std::move(files).value();
  for (const internal::TreeEntry& f : plan.files) {
    if (f.skip_reason.empty()) plan.bytes += FileSize((fs::path(path) / f.rel).string());
  }
  return plan;
}

// Opens each input when the previous one is exhausted.
class ChainReader final : public DocumentReader {
 public:
  ChainReader(std::vector<InputPlan> plans, const ReaderOptions& options)
      : plans_(std::move(plans)), options_(options) {
    for (const InputPlan& p : plans_) total_ += p.bytes;
  }

  Result<bool> Next(Document* doc) override { return Advance(doc); }
  Result<bool> Skip() override { return Advance(nullptr); }
  std::uint64_t bytes_read() const override {
    return done_bytes_ + (current_ ? current_->bytes_read() : 0);
  }
  std::uint64_t bytes_total() const override { return total_; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }
  std::uint64_t access_point_bytes() const override {
    return options_.access_points != nullptr ? options_.access_points->bytes() : 0;
  }
  std::uint64_t spill_bytes() const override {
    return options_.access_points != nullptr ? options_.access_points->spill_bytes() : 0;
  }

 private:
  // Next(doc), or Skip() when doc is null.
  Result<bool> Advance(Document* doc) {
    while (true) {
      if (current_ == nullptr) {
        if (next_input_ == plans_.size()) return false;
        Result<std::unique_ptr<DocumentReader>> r = OpenOne(plans_[next_input_]);
        if (!r.ok()) return r.status();
        current_ = std::move(r).value();
        absorbed_ = 0;
        ++next_input_;
      }
      Result<bool> more = doc != nullptr ? current_->Next(doc) : current_->Skip();
      // Records skipped during this call precede the document it returns.
      const std::size_t first_new = skipped_.size();
      internal::AbsorbSkipped(*current_, &absorbed_, &skipped_);
      for (std::size_t i = first_new; i < skipped_.size(); ++i) {
        skipped_[i].input = next_input_ - 1;
        skipped_[i].documents_before = documents_;
      }
      if (!more.ok()) return more;
      if (more.value()) {
        if (doc != nullptr) {
          doc->input = next_input_ - 1;
          // Only a JSONL or WARC input reads a document alone (a file in a
          // directory input does not).
          if (!ReadsAlone(plans_[doc->input].format)) doc->offset = kNoOffset;
        }
        ++documents_;
        return true;
      }
      done_bytes_ += current_->bytes_read();
      current_.reset();
    }
  }

  Status ReadAt(std::size_t input, std::uint64_t offset, std::uint64_t line,
                Document* doc) override {
    if (input >= plans_.size() || !ReadsAlone(plans_[input].format)) {
      return Status::InvalidArgument("input " + std::to_string(input) +
                                     " cannot read a document alone");
    }
    random_.resize(plans_.size());
    if (random_[input] == nullptr) {
      const InputPlan& plan = plans_[input];
      Result<std::unique_ptr<DocumentReader>> r =
          plan.format == InputFormat::kJsonl
              ? internal::NewJsonlReader(plan.path, plan.display, options_, plan.bytes)
              : internal::NewWarcReader(plan.path, plan.display, options_, plan.bytes);
      if (!r.ok()) return r.status();
      random_[input] = std::move(r).value();
    }
    NEARDUP_RETURN_IF_ERROR(random_[input]->ReadAt(input, offset, line, doc));
    doc->input = input;
    return Status::OK();
  }

  // Runs of places in one input go to that input's reader at once.
  Status ReadManyAt(std::span<const Place> where, std::span<Document> docs,
                    std::size_t* read) override {
    *read = 0;
    while (*read < where.size()) {
      const std::size_t input = where[*read].input;
      std::size_t end = *read + 1;
      while (end < where.size() && where[end].input == input) ++end;
      // Opens the input's reader, or fails as ReadAt would.
      if (input >= plans_.size() || !ReadsAlone(plans_[input].format) || random_.size() <= input ||
          random_[input] == nullptr) {
        NEARDUP_RETURN_IF_ERROR(
            ReadAt(input, where[*read].offset, where[*read].line, &docs[*read]));
        ++*read;
        continue;
      }
      std::size_t got = 0;
      const Status status = random_[input]->ReadManyAt(where.subspan(*read, end - *read),
                                                       docs.subspan(*read, end - *read), &got);
      for (std::size_t i = *read; i < *read + got; ++i) docs[i].input = input;
      *read += got;
      NEARDUP_RETURN_IF_ERROR(status);
    }
    return Status::OK();
  }

  static bool ReadsAlone(InputFormat format) {
    return format == InputFormat::kJsonl || format == InputFormat::kWarc;
  }

  Result<std::unique_ptr<DocumentReader>> OpenOne(InputPlan& plan) {
    switch (plan.format) {
      case InputFormat::kDirectory:
        return std::unique_ptr<DocumentReader>(
            new DirectoryReader(plan.path, std::move(plan.files), options_, plan.bytes));
      case InputFormat::kJsonl:
        return internal::NewJsonlReader(plan.path, plan.display, options_, plan.bytes);
      case InputFormat::kWarc:
        return internal::NewWarcReader(plan.path, plan.display, options_, plan.bytes);
      case InputFormat::kTextFile:
        return std::unique_ptr<DocumentReader>(
            new TextFileReader(plan.path, plan.display, plan.bytes));
    }
    return Status::Internal("unknown input format");
  }

  std::vector<InputPlan> plans_;
  ReaderOptions options_;
  std::uint64_t total_ = 0;
  std::size_t next_input_ = 0;
  std::unique_ptr<DocumentReader> current_;
  std::vector<std::unique_ptr<DocumentReader>> random_;  // per JSONL input, for ReadAt
  std::size_t absorbed_ = 0;                             // of current_->skipped()
  std::uint64_t done_bytes_ = 0;
  std::uint64_t documents_ = 0;  // documents returned so far
  std::vector<SkippedRecord> skipped_;
};

}  // namespace

namespace internal {

void AbsorbSkipped(const DocumentReader& from, std::size_t* absorbed,
                   std::vector<SkippedRecord>* to) {
  const std::vector<SkippedRecord>& records = from.skipped();
  for (; *absorbed < records.size(); ++*absorbed) to->push_back(records[*absorbed]);
}

}  // namespace internal

bool LooksBinary(std::string_view text) {
  return internal::LooksBinary(text.substr(0, kSniffBytes));
}

Result<std::unique_ptr<DocumentReader>> OpenReader(const std::vector<std::string>& inputs,
                                                   const ReaderOptions& options) {
  // Every input is checked (and each directory listed) up front, so a typo in
  // the last one fails before hours of work, and progress knows the total.
  std::vector<InputPlan> plans;
  for (const std::string& path : inputs) {
    Result<InputPlan> plan = PlanInput(path, options);
    if (!plan.ok()) return plan.status();
    plans.push_back(std::move(plan).value());
  }
  return std::unique_ptr<DocumentReader>(new ChainReader(std::move(plans), options));
}

}  // namespace neardup
