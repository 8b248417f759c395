// The three input readers and the reader that chains them.
#include <simdjson.h>

#include <filesystem>

#include "core/utf8.h"
#include "io/io_internal.h"
#include "neardup/io.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

std::uint64_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

class TextFileReader final : public DocumentReader {
 public:
  TextFileReader(std::string path, std::uint64_t total) : path_(std::move(path)), total_(total) {}

  Result<bool> Next(Document* doc) override {
    if (done_) return false;
    done_ = true;
    Result<std::string> text = internal::ReadFile(path_);
    if (!text.ok()) return text.status();
    doc->id = path_;
    doc->text = std::move(text).value();
    doc->source = SourceLocation{path_, 0};
    doc->repaired_bytes = 0;
    read_ = total_;
    return true;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string path_;
  std::uint64_t total_;
  std::uint64_t read_ = 0;
  bool done_ = false;
};

class DirectoryReader final : public DocumentReader {
 public:
  DirectoryReader(std::string dir, std::vector<std::string> files, std::uint64_t total)
      : dir_(std::move(dir)), files_(std::move(files)), total_(total) {}

  Result<bool> Next(Document* doc) override {
    if (next_ == files_.size()) return false;
    const std::string& rel = files_[next_++];
    const std::string full = FullPath(rel);
    Result<std::string> text = internal::ReadFile(full);
    if (!text.ok()) return text.status();
    read_ += text.value().size();
    doc->id = rel;
    doc->text = std::move(text).value();
    doc->source = SourceLocation{full, 0};
    doc->repaired_bytes = 0;
    return true;
  }
  std::uint64_t bytes_read() const override { return read_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string FullPath(const std::string& rel) const { return (fs::path(dir_) / rel).string(); }

  std::string dir_;
  std::vector<std::string> files_;  // relative paths, sorted
  std::size_t next_ = 0;
  std::uint64_t total_;
  std::uint64_t read_ = 0;
};

class JsonlReader final : public DocumentReader {
 public:
  JsonlReader(std::string path, const ReaderOptions& options, std::uint64_t total)
      : path_(std::move(path)), options_(options), total_(total) {}

  Status Open() { return lines_.Open(path_); }

  Result<bool> Next(Document* doc) override {
    std::uint64_t line_number = 0;
    Result<bool> more = lines_.NextNonBlank(&line_, &line_number);
    if (!more.ok() || !more.value()) return more;
    const SourceLocation where{path_, line_number};
    std::size_t repaired = 0;
    simdjson::dom::element root;
    simdjson::error_code err = parser_.parse(line_).get(root);
    if (err == simdjson::UTF8_ERROR) {
      // JSON must be UTF-8; repair the record rather than lose it, and count.
      line_ = internal::RepairUtf8(line_, &repaired);
      err = parser_.parse(line_).get(root);
    }
    if (err) {
      return Status::InvalidInput(where.ToString() +
                                  ": malformed JSON: " + simdjson::error_message(err));
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) {
      return Status::InvalidInput(where.ToString() + ": not a JSON object");
    }
    simdjson::dom::element text;
    std::string_view text_view;
    if (object[options_.text_field].get(text) || text.get_string().get(text_view)) {
      return Status::InvalidInput(where.ToString() + ": missing string field \"" +
                                  options_.text_field + "\"");
    }
    doc->text.assign(text_view);
    simdjson::dom::element id;
    if (object[options_.id_field].get(id)) {
      doc->id = where.ToString();
    } else if (id.is_string()) {
      doc->id.assign(std::string_view(id.get_string().value_unsafe()));
    } else if (id.is_number()) {
      doc->id = simdjson::minify(id);
    } else {
      return Status::InvalidInput(where.ToString() + ": field \"" + options_.id_field +
                                  "\" is neither a string nor a number");
    }
    doc->source = where;
    doc->repaired_bytes = repaired;
    return true;
  }
  std::uint64_t bytes_read() const override { return lines_.bytes_read(); }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::string path_;
  ReaderOptions options_;
  std::uint64_t total_;
  internal::LineReader lines_;
  std::string line_;
  simdjson::dom::parser parser_;
};

// What OpenReader learned about one input before reading it.
struct InputPlan {
  std::string path;
  InputFormat format;
  std::vector<std::string> files;  // directory inputs: relative paths, sorted
  std::uint64_t bytes = 0;         // total size, for progress
};

Result<InputPlan> PlanInput(const std::string& path) {
  Result<InputFormat> format = DetectFormat(path);
  if (!format.ok()) return format.status();
  InputPlan plan{path, format.value(), {}, 0};
  if (plan.format != InputFormat::kDirectory) {
    plan.bytes = FileSize(path);
    return plan;
  }
  Result<std::vector<std::string>> files = internal::ListFiles(path);
  if (!files.ok()) return files.status();
  plan.files = std::move(files).value();
  for (const std::string& f : plan.files) plan.bytes += FileSize((fs::path(path) / f).string());
  return plan;
}

// Opens each input when the previous one is exhausted.
class ChainReader final : public DocumentReader {
 public:
  ChainReader(std::vector<InputPlan> plans, const ReaderOptions& options)
      : plans_(std::move(plans)), options_(options) {
    for (const InputPlan& p : plans_) total_ += p.bytes;
  }

  Result<bool> Next(Document* doc) override {
    while (true) {
      if (current_ == nullptr) {
        if (next_input_ == plans_.size()) return false;
        Result<std::unique_ptr<DocumentReader>> r = OpenOne(plans_[next_input_]);
        if (!r.ok()) return r.status();
        current_ = std::move(r).value();
        ++next_input_;
      }
      Result<bool> more = current_->Next(doc);
      if (!more.ok()) return more;
      if (more.value()) {
        doc->input = next_input_ - 1;
        return true;
      }
      done_bytes_ += current_->bytes_read();
      current_.reset();
    }
  }
  std::uint64_t bytes_read() const override {
    return done_bytes_ + (current_ ? current_->bytes_read() : 0);
  }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  Result<std::unique_ptr<DocumentReader>> OpenOne(InputPlan& plan) {
    switch (plan.format) {
      case InputFormat::kDirectory:
        return std::unique_ptr<DocumentReader>(
            new DirectoryReader(plan.path, std::move(plan.files), plan.bytes));
      case InputFormat::kJsonl: {
        auto reader = std::make_unique<JsonlReader>(plan.path, options_, plan.bytes);
        NEARDUP_RETURN_IF_ERROR(reader->Open());
        return std::unique_ptr<DocumentReader>(std::move(reader));
      }
      case InputFormat::kTextFile:
        return std::unique_ptr<DocumentReader>(new TextFileReader(plan.path, plan.bytes));
    }
    return Status::Internal("unknown input format");
  }

  std::vector<InputPlan> plans_;
  ReaderOptions options_;
  std::uint64_t total_ = 0;
  std::size_t next_input_ = 0;
  std::unique_ptr<DocumentReader> current_;
  std::uint64_t done_bytes_ = 0;
};

}  // namespace

Result<std::unique_ptr<DocumentReader>> OpenReader(const std::vector<std::string>& inputs,
                                                   const ReaderOptions& options) {
  // Every input is checked (and each directory listed) up front, so a typo in
  // the last one fails before hours of work, and progress knows the total.
  std::vector<InputPlan> plans;
  for (const std::string& path : inputs) {
    Result<InputPlan> plan = PlanInput(path);
    if (!plan.ok()) return plan.status();
    plans.push_back(std::move(plan).value());
  }
  return std::unique_ptr<DocumentReader>(new ChainReader(std::move(plans), options));
}

}  // namespace neardup
