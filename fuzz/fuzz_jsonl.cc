// libFuzzer target: the JSONL reader (through a file, as OpenReader reads it:
// plain, gzip or zstd by the magic bytes), strict and with skip_bad; every
// document with an offset reads again alone (ReadAt) as Next gave it; and
// WriteKept agrees with the reader on the number of records.
#include <neardup/io.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace neardup;

namespace {

void RemoveDir();

// Never destroyed, so the exit handler that removes it can still read it.
const std::string& Dir() {
  static const std::string* const dir = [] {
    auto* d = new std::string(std::filesystem::temp_directory_path().string() +
                              "/neardup-fuzz-jsonl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(*d);
    std::atexit(RemoveDir);  // libFuzzer ends a timed run with exit()
    return d;
  }();
  return *dir;
}

void RemoveDir() {
  std::error_code ec;
  std::filesystem::remove_all(Dir(), ec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = Dir() + "/in.jsonl";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  for (bool skip_bad : {false, true}) {
    ReaderOptions options;
    options.skip_bad = skip_bad;
    Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, options);
    if (!reader.ok()) std::abort();
    std::size_t documents = 0;
    bool failed = false;
    Document doc;
    while (true) {
      Result<bool> more = reader.value()->Next(&doc);
      if (!more.ok()) {
        failed = true;
        break;
      }
      if (!more.value()) break;
      ++documents;
      // A document with an offset reads again alone as it was read.
      if (doc.offset != kNoOffset) {
        Document again;
        if (!reader.value()->ReadAt(doc.input, doc.offset, doc.source.line, &again).ok() ||
            again.id != doc.id || again.text != doc.text ||
            again.repaired_bytes != doc.repaired_bytes || again.offset != doc.offset) {
          std::abort();
        }
      }
    }
    if (skip_bad && failed) std::abort();  // skip_bad never fails on content
    if (!skip_bad) continue;
    // Every other record kept: WriteKept must see exactly the records read.
    const std::size_t records = documents + reader.value()->skipped().size();
    std::unique_ptr<bool[]> kept(new bool[records + 1]);
    for (std::size_t i = 0; i < records; ++i) kept[i] = i % 2 == 0;
    if (!WriteKept(path, std::span<const bool>(kept.get(), records), Dir() + "/out", options)
             .ok()) {
      std::abort();
    }
  }
  return 0;
}
