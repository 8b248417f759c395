// The per-format document readers behind OpenReader (internal). Each keeps
// its own list of skipped records; a reader that wraps others (a directory,
// the chain over all inputs) collects theirs in order.
#ifndef NEARDUP_IO_READERS_INTERNAL_H_
#define NEARDUP_IO_READERS_INTERNAL_H_

#include <memory>
#include <string>
#include <vector>

#include "io/io_internal.h"
#include "neardup/io.h"

namespace neardup::internal {

// `path` is opened; `display` names it in ids, sources and messages.
Result<std::unique_ptr<DocumentReader>> NewJsonlReader(const std::string& path,
                                                       const std::string& display,
                                                       const ReaderOptions& options,
                                                       std::uint64_t total);
Result<std::unique_ptr<DocumentReader>> NewWarcReader(const std::string& path,
                                                      const std::string& display,
                                                      const ReaderOptions& options,
                                                      std::uint64_t total);

// The text of a WARC record that is a document (see io.h), or false with the
// reason it is not one.
bool WarcRecordText(const WarcRecord& record, std::string* text, std::string* reason);

// Copies the records `from` skipped since *absorbed into *to; *absorbed
// becomes from.skipped().size().
void AbsorbSkipped(const DocumentReader& from, std::size_t* absorbed,
                   std::vector<SkippedRecord>* to);

// Sniffs the decoded bytes of `path`: "WARC/1." is kWarc, a first non-blank
// '{' (after a UTF-8 byte order mark, if any) kJsonl, anything else kTextFile.
Result<InputFormat> FormatFromContent(const std::string& path);

}  // namespace neardup::internal

#endif  // NEARDUP_IO_READERS_INTERNAL_H_
