// One batch of an index on disk: an immutable segment file (internal).
// Layout (little-endian, docs/FORMATS.md "Index segments"): a 224-byte
// header with a table of seven checksummed sections, then the sections.
#ifndef NEARDUP_STORE_SEGMENT_H_
#define NEARDUP_STORE_SEGMENT_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "neardup/store.h"

namespace neardup::internal {

enum SegmentSection : std::uint32_t {
  kBatchSection,    // u32-length strings: name, id field, text field; u32 n; n input paths
                    // (absolute), n input names as given (sources name them so)
  kDocsSection,     // one DocRecord per document
  kStringsSection,  // ids and source file names the DocRecords point into
  kExactSection,    // ExactRecord per indexed document, sorted by fingerprint
  kBandsSection,    // per band, a 12-byte (u64 key, u32 document) per indexed document, sorted
  kSketchSection,   // sketch_bytes per document (zeros when not indexed)
  kMergesSection,   // (u64 earlier representative, u64 the one that took over), sorted
  kSegmentSections,
};

struct SectionEntry {
  std::uint64_t offset;
  std::uint64_t size;
  std::uint64_t checksum;  // XXH64 (seed 0) of the section's bytes
};

struct SegmentHeader {
  char magic[8];  // "NDIXSEG1"
  std::uint32_t version;
  std::uint32_t bands;         // LSH bands (0 at the exact level)
  std::uint32_t sketch_bytes;  // per document (0 at the exact level)
  std::uint32_t sections;      // kSegmentSections
  std::uint64_t first;         // PriorDoc of the first document
  std::uint64_t count;         // documents
  std::uint64_t indexed;       // documents in the exact and band runs
  SectionEntry table[kSegmentSections];
  std::uint64_t checksum;  // XXH64 of the bytes above
};
static_assert(sizeof(SegmentHeader) == 224);

inline constexpr std::uint32_t kSourceIsInput = 0xffffffffu;  // DocRecord::file_len
inline constexpr std::uint32_t kHasWords = 1;
inline constexpr std::uint32_t kIndexed = 2;

struct DocRecord {
  std::uint64_t representative;  // PriorDoc, <= the document's own number
  std::uint64_t offset;          // Document::offset (kNoOffset: cannot be read alone)
  std::uint64_t line;            // SourceLocation::line
  std::uint64_t strings;         // offset of id, then source file, in kStringsSection
  std::uint32_t id_len;
  std::uint32_t file_len;  // kSourceIsInput: the source file is the batch input as given
  std::uint32_t input;     // which of the batch's inputs
  std::uint32_t flags;     // kHasWords | kIndexed
};
static_assert(sizeof(DocRecord) == 48);

struct ExactRecord {
  std::uint64_t low;
  std::uint64_t high;
  std::uint64_t doc;  // PriorDoc
};
static_assert(sizeof(ExactRecord) == 24);

inline constexpr std::size_t kBandRecordBytes = 12;  // u64 key, u32 document within the segment

struct BatchSection {
  std::string name;
  std::string id_field;
  std::string text_field;
  std::vector<std::string> inputs;  // absolute paths, to read documents again
  std::vector<std::string> given;   // as given on the command line: the sources' file names
};

// Writes the segment of `batch` (documents first .. first + documents - 1)
// to `out`; *bytes and *checksum get its size and XXH64.
Status WriteSegment(const IndexedBatch& batch, const BatchSection& meta, PriorDoc first,
                    std::uint32_t bands, std::uint32_t sketch_bytes, std::FILE* out,
                    std::uint64_t* bytes, std::uint64_t* checksum);

}  // namespace neardup::internal

namespace neardup {

// An open segment file: its header and batch section, read at Open;
// everything else read on demand with pread.
struct IndexSnapshot::Segment {
  std::string path;
  int fd = -1;
  internal::SegmentHeader header{};
  internal::BatchSection batch;
  ~Segment();

  static Result<std::unique_ptr<Segment>> Open(const std::string& path);
  // Reads `size` bytes at `offset` of section `s` into `out`.
  Status Read(internal::SegmentSection s, std::uint64_t offset, std::uint64_t size,
              void* out) const;
  Result<std::vector<char>> ReadSection(internal::SegmentSection s) const;
  Status Corrupt(const std::string& what) const;  // InvalidInput naming the file
  // Every check of IndexSnapshot::Verify for this file.
  Status Verify(const IndexBatch& expected) const;
};

}  // namespace neardup

#endif  // NEARDUP_STORE_SEGMENT_H_
