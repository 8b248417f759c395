// libFuzzer target: the WARC record reader over plain or gzip bytes in memory,
// and the text of every record (HTTP parsing, dechunking, HTML); then the
// same bytes as a WARC file through OpenReader, where every document with an
// offset must read again alone (ReadAt) as it was read.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_files.h"
#include "io/byte_source.h"
#include "io/readers_internal.h"
#include "io/warc_record.h"

using namespace neardup;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  const internal::Codec codec = internal::CodecFromMagic(bytes);
  std::unique_ptr<internal::ByteSource> source = internal::NewMemorySource(std::move(bytes));
  if (codec == internal::Codec::kGzip) {
    Result<std::unique_ptr<internal::ByteSource>> gz = internal::NewGzipSource(std::move(source));
    if (!gz.ok()) return 0;
    source = std::move(gz).value();
  }
  internal::WarcRecordReader reader;
  reader.Open(std::move(source), codec);
  internal::WarcRecord record;
  std::uint64_t last_offset = 0;
  for (int i = 0; i < 10000; ++i) {
    Result<bool> more = reader.Next(&record);
    if (!more.ok()) {
      if (reader.fatal()) break;
      continue;
    }
    if (!more.value()) break;
    // Records come in order and hold their whole block.
    if (record.offset < last_offset) std::abort();
    if (record.block_begin + record.block_size > record.raw.size()) std::abort();
    last_offset = record.offset + record.raw.size();
    std::string text, reason;
    if (!internal::WarcRecordText(record, &text, &reason) && reason.empty()) std::abort();
  }
  const std::string path = fuzz::WriteInput("in.warc", data, size);
  ReaderOptions options;
  options.skip_bad = true;
  Result<std::unique_ptr<DocumentReader>> opened = OpenReader({path}, options);
  if (!opened.ok()) return 0;
  Document doc;
  std::vector<Document> read;
  for (int i = 0; i < 10000; ++i) {
    Result<bool> more = opened.value()->Next(&doc);
    if (!more.ok() || !more.value()) break;
    fuzz::CheckReadsAlone(*opened.value(), doc);
    if (read.size() < 64) read.push_back(doc);
  }
  fuzz::CheckReadManyAlone(*opened.value(), read);  // all at once (ReadManyAt)
  return 0;
}
