#include <filesystem>
#include <system_error>

#include "neardup/io.h"

namespace neardup {

namespace fs = std::filesystem;

Result<InputFormat> DetectFormat(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound(path + ": no such file or directory");
  if (fs::is_directory(st)) return InputFormat::kDirectory;
  if (!fs::is_regular_file(st)) return Status::InvalidArgument(path + ": not a file or directory");
  // The name decides the format; the codec is left to the magic bytes when
  // the file is opened (see io.h).
  fs::path name = fs::path(path).filename();
  if (name.extension() == ".gz" || name.extension() == ".zst") name = name.stem();
  if (name.extension() == ".jsonl" || name.extension() == ".ndjson") return InputFormat::kJsonl;
  return InputFormat::kTextFile;
}

std::string OutputName(const std::string& input) {
  fs::path p = fs::absolute(input).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "pages/" and "." name their directory
  return p.filename().string();
}

}  // namespace neardup
