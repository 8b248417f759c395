// How an input's format is judged (internal): from its name, from its first
// decoded bytes, and whether those bytes look binary.
#ifndef NEARDUP_IO_SNIFF_H_
#define NEARDUP_IO_SNIFF_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "neardup/io.h"
#include "neardup/status.h"

namespace neardup::internal {

// True when the first bytes of a file look binary: a NUL byte, or more than
// one in ten bytes a control character other than tab, line breaks, form
// feed and escape.
bool LooksBinary(std::string_view prefix);

// How a file in a tree or a named input is read, judged from its name:
// .jsonl/.ndjson and .warc/.wet, each optionally with .gz or .zst.
enum class NamedFormat { kJsonl, kWarc, kOther };
NamedFormat FormatFromName(const std::string& path);

// The first bytes of `path` after gzip/zstd decoding (up to max).
Result<std::string> DecodedPrefix(const std::string& path, std::size_t max);

// Sniffs the decoded bytes of `path`: "WARC/1." is kWarc, a first non-blank
// '{' (after a UTF-8 byte order mark, if any) kJsonl, anything else kTextFile.
Result<InputFormat> FormatFromContent(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_SNIFF_H_
