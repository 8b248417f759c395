// One batch of an index on disk: an immutable segment file, and the sorted
// runs of a range of batches: a run file (internal).
// Layout (little-endian, docs/FORMATS.md "The index directory"): a 224-byte
// segment header with a table of seven checksummed sections, then the
// sections; a 112-byte run file header, then the exact and band runs.
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

// SegmentHeader::version. Version 1 segments hold their batch's exact and
// band runs; version 2 segments leave those sections empty, the runs being
// in a run file.
inline constexpr std::uint32_t kVersion = 2;
inline constexpr std::uint32_t kRunsInSegment = 1;
// OK on a little-endian host; the format's byte order is little-endian.
Status CheckHostByteOrder();

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

// A run file ("runs-AAAAAA-BBBBBB.ndr"): the exact and band runs of batches
// AAAAAA..BBBBBB (1-based), merged: entries of every indexed document of
// those batches, documents first .. first + count - 1.
struct RunHeader {
  char magic[8];          // "NDIXRUN1"
  std::uint32_t version;  // 1
  std::uint32_t bands;
  std::uint64_t first_batch;  // 0-based
  std::uint64_t batches;
  std::uint64_t first;     // PriorDoc of the first document of the first batch
  std::uint64_t count;     // documents of the batches
  std::uint64_t indexed;   // entries of the exact run and of each band
  SectionEntry exact;      // ExactRecord per entry, sorted
  SectionEntry band_runs;  // per band, kBandRecordBytes per entry (u32 document - first), sorted
  std::uint64_t checksum;  // XXH64 of the bytes above (the MANIFEST names the file by it)
};
static_assert(sizeof(RunHeader) == 112);
inline constexpr std::uint32_t kRunVersion = 1;

// Where the runs of a range of batches are: a run file, or a version 1
// segment's own sections.
struct RunSource {
  int fd = -1;
  std::string path;
  std::uint32_t bands = 0;
  std::uint64_t first_batch = 0, batches = 0;
  std::uint64_t first = 0, count = 0, indexed = 0;
  SectionEntry exact{}, band_runs{};
  std::uint64_t checksum = 0;  // a run file's header checksum; 0 for a segment
  bool run_file = false;       // else a format 1 segment's own runs
};

// Reads a run one entry at a time through a buffer (memory bounded whatever
// the run's size).
class RunReader {
 public:
  RunReader(int fd, std::uint64_t offset, std::uint64_t size, std::size_t record);
  // The next entry, or null at the end; *error on a read error.
  const char* Next(Status* error);
  const char* Peek() const { return at_ < filled_ ? buffer_.data() + at_ : nullptr; }

 private:
  Status Fill();
  int fd_;
  std::uint64_t offset_, end_;
  std::size_t record_;
  std::vector<char> buffer_;
  std::size_t at_ = 0, filled_ = 0;
};

// Writes the runs of `batch` (documents first ..) as a run file for batch
// number `batch_index` (0-based); *checksum gets the header's checksum.
Status WriteRunFile(const IndexedBatch& batch, std::uint64_t batch_index, PriorDoc first,
                    std::uint32_t bands, std::FILE* out, std::uint64_t* bytes,
                    std::uint64_t* checksum);
// Merges adjacent sources (in batch order) into one run file.
Status MergeRuns(const std::vector<const RunSource*>& sources, std::FILE* out, std::uint64_t* bytes,
                 std::uint64_t* checksum);
// Opens a run file and checks its header (magic, version, checksum).
Result<RunSource> OpenRunFile(const std::string& path);
// Verify's checks of a run source: section checksums and sizes, sorted
// order, and that each band and the exact run hold every indexed document
// (`indexed`, of documents first .. first + count - 1) once.
Status VerifyRuns(const RunSource& runs, const std::vector<bool>& indexed);

struct BatchSection {
  std::string name;
  std::string id_field;
  std::string text_field;
  std::vector<std::string> inputs;  // absolute paths, to read documents again
  std::vector<std::string> given;   // as given on the command line: the sources' file names
};

// Writes the segment of `batch` (documents first .. first + documents - 1)
// to `out`; *bytes and *checksum get its size and XXH64.
// Version kVersion leaves the runs to WriteRunFile; kRunsInSegment (what
// format 1 indexes hold) writes them into the segment.
Status WriteSegment(const IndexedBatch& batch, const BatchSection& meta, PriorDoc first,
                    std::uint32_t bands, std::uint32_t sketch_bytes, std::FILE* out,
                    std::uint64_t* bytes, std::uint64_t* checksum,
                    std::uint32_t version = kVersion);

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
  // Every check of IndexSnapshot::Verify for this file (a version 1
  // segment's runs included); *indexed gets which documents are indexed.
  Status Verify(const IndexBatch& expected, std::vector<bool>* indexed) const;
  // A version 1 segment's own runs as a source of batch `batch_index`.
  internal::RunSource OwnRuns(std::uint64_t batch_index) const;
};

// The runs of the index: sources tiling its batches in order.
struct IndexSnapshot::RunFiles {
  std::vector<internal::RunSource> sources;
  std::vector<int> owned;  // descriptors of the run files
  ~RunFiles();
};

}  // namespace neardup

#endif  // NEARDUP_STORE_SEGMENT_H_
