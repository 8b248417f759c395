// Helpers for fuzz targets that read their input through a file, as
// OpenReader does.
#ifndef NEARDUP_FUZZ_FUZZ_FILES_H_
#define NEARDUP_FUZZ_FUZZ_FILES_H_

#include <neardup/io.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace neardup::fuzz {

void RemoveDir();

// A directory of this process's own, removed at exit. Never destroyed, so
// the exit handler that removes it can still read it.
inline const std::string& Dir() {
  static const std::string* const dir = [] {
    auto* d = new std::string(std::filesystem::temp_directory_path().string() + "/neardup-fuzz-" +
                              std::to_string(::getpid()));
    std::filesystem::create_directories(*d);
    std::atexit(RemoveDir);  // libFuzzer ends a timed run with exit()
    return d;
  }();
  return *dir;
}

inline void RemoveDir() {
  std::error_code ec;
  std::filesystem::remove_all(Dir(), ec);
}

// Writes the input to Dir()/name and returns the path.
inline std::string WriteInput(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = Dir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
  return path;
}

// Aborts unless a document Next gave with an offset reads again alone
// (ReadAt) as it was read.
inline void CheckReadsAlone(DocumentReader& reader, const Document& doc) {
  if (doc.offset == kNoOffset) return;
  Document again;
  if (!reader.ReadAt(doc.input, doc.offset, doc.source.line, &again).ok() || again.id != doc.id ||
      again.text != doc.text || again.url != doc.url ||
      again.repaired_bytes != doc.repaired_bytes || again.offset != doc.offset) {
    std::abort();
  }
}

// Aborts unless the documents Next gave with an offset read again all at
// once (ReadManyAt, through `reader`'s access points) as they were read.
inline void CheckReadManyAlone(DocumentReader& reader, const std::vector<Document>& docs) {
  std::vector<DocumentReader::Place> where;
  std::vector<const Document*> want;
  for (const Document& doc : docs) {
    if (doc.offset == kNoOffset) continue;
    where.push_back({doc.input, doc.offset, doc.source.line});
    want.push_back(&doc);
  }
  std::vector<Document> got(where.size());
  std::size_t read = 0;
  if (!reader.ReadManyAt(where, got, &read).ok() || read != where.size()) std::abort();
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].id != want[i]->id || got[i].text != want[i]->text || got[i].url != want[i]->url ||
        got[i].offset != want[i]->offset || got[i].input != want[i]->input) {
      std::abort();
    }
  }
}

}  // namespace neardup::fuzz

#endif  // NEARDUP_FUZZ_FUZZ_FILES_H_
