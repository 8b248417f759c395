#include <filesystem>
#include <system_error>

#include "io/byte_source.h"
#include "io/io_internal.h"
#include "neardup/io.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;

Status CountMismatch(const std::string& input) {
  return Status::InvalidArgument(input +
                                 ": number of kept flags differs from the documents in the input "
                                 "(did it change during the run?)");
}

Status CopyFileAtomically(const std::string& from, const std::string& to) {
  Result<std::string> data = internal::ReadFile(from);
  if (!data.ok()) return data.status();
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  if (ec) return Status::IOError(to + ": " + ec.message());
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(to);
  if (!out.ok()) return out.status();
  NEARDUP_RETURN_IF_ERROR(out.value()->Write(data.value()));
  return out.value()->Commit();
}

Status WriteKeptJsonl(const std::string& input, std::span<const bool> kept,
                      const std::string& target) {
  internal::LineReader lines;
  NEARDUP_RETURN_IF_ERROR(lines.Open(input));
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create(target);
  if (!out.ok()) return out.status();
  // Same codec as the input, so the output is in the input's own format.
  Result<std::unique_ptr<internal::ByteSink>> sink =
      internal::NewEncodingSink(lines.codec(), out.value().get(), target);
  if (!sink.ok()) return sink.status();
  std::string line;
  std::uint64_t line_number = 0;
  std::size_t doc = 0;
  while (true) {
    Result<bool> more = lines.NextNonBlank(&line, &line_number);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    if (doc == kept.size()) return CountMismatch(input);
    if (kept[doc++]) NEARDUP_RETURN_IF_ERROR(sink.value()->Write(line));
  }
  if (doc != kept.size()) return CountMismatch(input);
  NEARDUP_RETURN_IF_ERROR(sink.value()->Finish());
  return out.value()->Commit();
}

}  // namespace

Status WriteKept(const std::string& input, std::span<const bool> kept, const std::string& out_dir) {
  Result<InputFormat> format = DetectFormat(input);
  if (!format.ok()) return format.status();
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Status::IOError(out_dir + ": " + ec.message());
  const fs::path target = fs::path(out_dir) / OutputName(input);
  switch (format.value()) {
    case InputFormat::kJsonl:
      return WriteKeptJsonl(input, kept, target.string());
    case InputFormat::kTextFile:
      if (kept.size() != 1) return CountMismatch(input);
      return kept[0] ? CopyFileAtomically(input, target.string()) : Status::OK();
    case InputFormat::kDirectory: {
      Result<std::vector<std::string>> files = internal::ListFiles(input);
      if (!files.ok()) return files.status();
      if (files.value().size() != kept.size()) return CountMismatch(input);
      fs::create_directories(target, ec);
      if (ec) return Status::IOError(target.string() + ": " + ec.message());
      for (std::size_t i = 0; i < kept.size(); ++i) {
        if (!kept[i]) continue;
        const std::string& rel = files.value()[i];
        NEARDUP_RETURN_IF_ERROR(
            CopyFileAtomically((fs::path(input) / rel).string(), (target / rel).string()));
      }
      return Status::OK();
    }
  }
  return Status::Internal("unknown input format");
}

}  // namespace neardup
