// Input format detection: by name first, then by the decoded first bytes;
// whether bytes look binary.
#include <filesystem>
#include <system_error>

#include "io/byte_source.h"
#include "io/sniff.h"
#include "neardup/io.h"

namespace neardup {

namespace fs = std::filesystem;

namespace internal {

NamedFormat FormatFromName(const std::string& path) {
  fs::path name = fs::path(path).filename();
  if (name.extension() == ".gz" || name.extension() == ".zst") name = name.stem();
  if (name.extension() == ".jsonl" || name.extension() == ".ndjson") return NamedFormat::kJsonl;
  if (name.extension() == ".warc" || name.extension() == ".wet") return NamedFormat::kWarc;
  return NamedFormat::kOther;
}

Result<std::string> DecodedPrefix(const std::string& path, std::size_t max) {
  Codec codec;
  Result<std::unique_ptr<ByteSource>> source = OpenDecodedFile(path, &codec);
  if (!source.ok()) return source.status();
  std::string prefix(max, '\0');
  std::size_t got = 0;
  while (got < max) {
    Result<std::size_t> n = source.value()->Read(prefix.data() + got, max - got);
    if (!n.ok() || n.value() == 0) break;  // a fault shows when the file is read
    got += n.value();
  }
  prefix.resize(got);
  return prefix;
}

Result<InputFormat> FormatFromContent(const std::string& path) {
  Result<std::string> prefix = DecodedPrefix(path, 4096);
  if (!prefix.ok()) return prefix.status();
  std::string_view p = prefix.value();
  if (p.starts_with("WARC/1.")) return InputFormat::kWarc;
  if (p.starts_with("\xEF\xBB\xBF")) p.remove_prefix(3);  // a byte order mark, as LineReader skips
  const std::size_t first = p.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && p[first] == '{') return InputFormat::kJsonl;
  return InputFormat::kTextFile;
}

bool LooksBinary(std::string_view prefix) {
  std::size_t control = 0;
  for (char ch : prefix) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    control += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B;
  }
  return control * 10 > prefix.size();
}

}  // namespace internal

Result<InputFormat> DetectFormat(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound(path + ": no such file or directory");
  if (fs::is_directory(st)) return InputFormat::kDirectory;
  if (!fs::is_regular_file(st)) return Status::InvalidArgument(path + ": not a file or directory");
  // The name decides the format; the codec is left to the magic bytes when
  // the file is opened (see io.h). A file of another name is WARC when its
  // decoded bytes say so (a crawl saved as x.gz or x.dat).
  switch (internal::FormatFromName(path)) {
    case internal::NamedFormat::kJsonl:
      return InputFormat::kJsonl;
    case internal::NamedFormat::kWarc:
      return InputFormat::kWarc;
    case internal::NamedFormat::kOther:
      break;
  }
  Result<std::string> prefix = internal::DecodedPrefix(path, 7);
  if (prefix.ok() && prefix.value() == "WARC/1.") return InputFormat::kWarc;
  return InputFormat::kTextFile;
}

std::string OutputName(const std::string& input) {
  if (input == "-") return "stdin";
  fs::path p = fs::absolute(input).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();  // "pages/" and "." name their directory
  return p.filename().string();
}

}  // namespace neardup
