// libFuzzer target: the JSONL reader (through a file, as OpenReader reads it:
// plain, gzip or zstd by the magic bytes), strict and with skip_bad; every
// document with an offset reads again alone (ReadAt) as Next gave it, both
// while the file is read and, through a second reader sharing the options
// (and so a compressed file's access points), afterwards in reverse order;
// then all at once (ReadManyAt);
// and WriteKept agrees with the reader on the number of records. First, the
// file decoded ahead (the member- and frame-parallel decoder,
// io/parallel_source.h) must give the sequential decoder's bytes and error.
#include <neardup/io.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_files.h"
#include "io/byte_source.h"

using namespace neardup;

namespace {

// The decoded bytes of `path` up to its end or first error, and that error.
std::pair<std::string, Status> DecodeAll(const std::string& path, bool ahead) {
  std::pair<std::string, Status> out;
  internal::Codec codec = internal::Codec::kNone;
  Result<std::unique_ptr<internal::ByteSource>> source =
      internal::OpenDecodedFile(path, &codec, nullptr, ahead);
  if (!source.ok()) std::abort();  // the file is there
  std::string buffer(std::size_t{1} << 16, '\0');
  while (true) {
    Result<std::size_t> got = source.value()->Read(buffer.data(), buffer.size());
    if (!got.ok()) {
      out.second = got.status();
      return out;
    }
    if (got.value() == 0) return out;
    out.first.append(buffer.data(), got.value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz::WriteInput("in.jsonl", data, size);
  {
    const auto sequential = DecodeAll(path, false);
    const auto ahead = DecodeAll(path, true);
    if (sequential.first != ahead.first || sequential.second.code() != ahead.second.code() ||
        sequential.second.message() != ahead.second.message()) {
      std::abort();
    }
  }
  for (bool skip_bad : {false, true}) {
    ReaderOptions options;
    options.skip_bad = skip_bad;
    Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, options);
    if (!reader.ok()) std::abort();
    std::size_t documents = 0;
    bool failed = false;
    Document doc;
    std::vector<Document> read;
    while (true) {
      Result<bool> more = reader.value()->Next(&doc);
      if (!more.ok()) {
        failed = true;
        break;
      }
      if (!more.value()) break;
      ++documents;
      fuzz::CheckReadsAlone(*reader.value(), doc);
      if (read.size() < 64) read.push_back(doc);
    }
    Result<std::unique_ptr<DocumentReader>> second = OpenReader({path}, options);
    if (!second.ok()) std::abort();
    for (auto it = read.rbegin(); it != read.rend(); ++it) {
      fuzz::CheckReadsAlone(*second.value(), *it);
    }
    fuzz::CheckReadManyAlone(*second.value(), read);
    if (skip_bad && failed) std::abort();  // skip_bad never fails on content
    if (!skip_bad) continue;
    // Every other record kept: WriteKept must see exactly the records read.
    const std::size_t records = documents + reader.value()->skipped().size();
    std::unique_ptr<bool[]> kept(new bool[records + 1]);
    for (std::size_t i = 0; i < records; ++i) kept[i] = i % 2 == 0;
    if (!WriteKept(path, std::span<const bool>(kept.get(), records), fuzz::Dir() + "/out", options)
             .ok()) {
      std::abort();
    }
  }
  return 0;
}
