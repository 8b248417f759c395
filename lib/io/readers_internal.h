// The per-format document readers behind OpenReader (internal). Each keeps
// its own list of skipped records; a reader that wraps others (a directory,
// the chain over all inputs) collects theirs in order.
#ifndef NEARDUP_IO_READERS_INTERNAL_H_
#define NEARDUP_IO_READERS_INTERNAL_H_

#include <memory>
#include <string>
#include <vector>

#include "io/warc_record.h"
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

}  // namespace neardup::internal

#endif  // NEARDUP_IO_READERS_INTERNAL_H_
