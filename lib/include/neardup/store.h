// Stage "store": a persistent index of every document deduplicated before,
// so that each new batch is deduplicated against itself and all earlier
// batches without recomputing them (`neardup index`).
//
// An index is a directory:
//   MANIFEST         the parameters (fixed at Init) and the list of batches,
//                    each with its segment file, size and checksum; replaced
//                    whole (AtomicFile: write, fsync, rename, fsync dir)
//   seg-NNNNNN.nds   one immutable segment per batch: its documents (id,
//                    source, representative), b-bit sketches, and the
//                    earlier clusters the batch joined; checksummed sections
//   runs-A-B.ndr     the exact fingerprints and LSH band keys of batches
//                    A..B as sorted runs, merged as batches are added (a
//                    power of two of batches per file)
//   LOCK             flock()ed by the add in progress
// The format is in docs/FORMATS.md. Segments and run files are written and
// fsynced before the MANIFEST naming them replaces the old one, so a reader
// (or a killed add) sees the index before the add or after it, never
// between; merged run files replace the ones they merge the same way.
//
//   Result<std::unique_ptr<IndexAdd>> add = IndexAdd::Begin(dir, "2026-12-07", inputs, reader);
//   Status s = pipeline.Run(open_input, sink, add.value().get());  // pipeline.h
//   ... write the outputs ...
//   s = add.value()->Commit();
#ifndef NEARDUP_STORE_H_
#define NEARDUP_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "neardup/io.h"
#include "neardup/pipeline.h"
#include "neardup/status.h"

namespace neardup {

// One batch added to an index.
struct IndexBatch {
  std::string name;                 // --batch NAME (letters, digits, . _ : -)
  std::string segment;              // file name in the index directory
  std::uint64_t first = 0;          // PriorDoc of its first document
  std::uint64_t documents = 0;      // documents of the batch
  std::uint64_t bytes = 0;          // segment file size
  std::uint64_t checksum = 0;       // XXH64 of the whole segment file
  std::vector<std::string> inputs;  // absolute paths, as read (filled by Open)
};

struct IndexFigures {
  std::uint64_t batches = 0;
  std::uint64_t documents = 0;
  std::uint64_t indexed = 0;  // with words and no exact copy of an earlier one
  std::uint64_t merges = 0;   // earlier clusters joined by a later batch
  std::uint64_t bytes = 0;    // MANIFEST and segments on disk
};

// The options an index fixes (level, threshold, the LSH error weights,
// bands and rows, shingle, num_perm, seeds, scheme, sketch bins, exact
// margin, max document bytes, normalization) as MANIFEST lines
// "option NAME VALUE".
std::string IndexOptionsText(const PipelineOptions& options);

// A read-only view of an index as its MANIFEST was when opened: later adds
// are not seen (their segments are new files; the ones named here never
// change). Serves as the PriorIndex of `index query` (Record does nothing).
// Not thread-safe.
class IndexSnapshot : public PriorIndex {
 public:
  // `reader` reads the earlier batches' inputs again for the exact check.
  static Result<std::unique_ptr<IndexSnapshot>> Open(const std::string& dir,
                                                     const ReaderOptions& reader = {});
  ~IndexSnapshot() override;

  const PipelineOptions& options() const { return options_; }
  const std::vector<IndexBatch>& batches() const { return batches_; }
  Result<IndexFigures> Figures() const;
  // Checks every structure: MANIFEST checksum and options, each segment's
  // size, file checksum, header, section checksums, sorted runs and the
  // ranges of every reference. Corruption naming the file and what is wrong.
  Status Verify() const;
  // Files an interrupted add left (a segment no MANIFEST names, temporary
  // files); the next add replaces or removes them.
  std::vector<std::string> Leftovers() const;

  PriorDoc documents() const override;
  Status MatchExact(std::span<const ExactKey> keys, std::vector<PriorMatch>* out) override;
  Status MatchBand(int band, std::span<const BandKey> keys, std::vector<PriorMatch>* out) override;
  Status ReadSketch(PriorDoc doc, std::span<std::uint8_t> out) override;
  Result<PriorDoc> Representative(PriorDoc doc) override;
  Result<DocumentInfo> Describe(PriorDoc doc) override;
  Result<bool> ReadText(PriorDoc doc, Document* out) override;
  Status Record(const IndexedBatch& batch) override;

  struct Segment;   // store/segment.h
  struct RunFiles;  // store/segment.h
  // A "runs" line of the MANIFEST: the run file holding the merged runs of
  // batches first_batch .. first_batch + batches - 1 (0-based), its size
  // and its header's checksum.
  struct RunsLine {
    std::string file;
    std::uint64_t first_batch = 0, batches = 0, bytes = 0, checksum = 0;
  };

 protected:
  IndexSnapshot() = default;
  Status Load(const std::string& dir, const ReaderOptions& reader);
  Result<const Segment*> SegmentOf(PriorDoc doc) const;

  std::string dir_;
  std::string manifest_text_;  // as read, checksum line included
  PipelineOptions options_;
  std::vector<IndexBatch> batches_;
  std::vector<std::unique_ptr<Segment>> segments_;
  std::unique_ptr<RunFiles> runs_;
  std::vector<RunsLine> runs_lines_;
  std::map<PriorDoc, PriorDoc> merged_;  // earlier representative -> the one that took over
  ReaderOptions reader_;
  std::map<std::size_t, std::unique_ptr<DocumentReader>> open_batches_;  // for ReadText
};

// Creates the index directory `dir` (which must not exist, or be empty)
// with `options` fixed: exact level, or near level with MinHash, options
// that Pipeline::Validate accepts; else InvalidArgument.
Status InitIndex(const std::string& dir, const PipelineOptions& options);

// An add in progress: holds the index's LOCK (a second add is refused),
// serves the index as it was as the PriorIndex of the run, and Record()
// writes the batch's segment to a temporary file. Commit() makes it part of
// the index; destroying it uncommitted leaves the index as it was.
class IndexAdd : public IndexSnapshot {
 public:
  // `inputs` are the batch's inputs (stored as absolute paths). A batch
  // named `name` already in the index with the same inputs makes
  // already_added() true (a rerun of an add that completed: nothing to do);
  // with other inputs it is an InvalidArgument. An empty name takes the
  // batch's number. When another add holds the lock: an error, and *locked
  // (when given) set to true.
  static Result<std::unique_ptr<IndexAdd>> Begin(const std::string& dir, std::string name,
                                                 const std::vector<std::string>& inputs,
                                                 const ReaderOptions& reader,
                                                 bool* locked = nullptr);
  ~IndexAdd() override;

  bool already_added() const { return already_added_; }
  const std::string& name() const { return name_; }
  Status Record(const IndexedBatch& batch) override;
  // REQUIRES: Record() succeeded. Makes the batch part of the index, then
  // merges the newest runs (their MANIFEST replaced a second time).
  Status Commit();

 private:
  IndexAdd() = default;
  Status Reload();     // the index as its MANIFEST now is
  Status MergeRuns();  // merges the newest runs (see index_store.cc)
  void RemoveUnnamedRuns() const;
  int lock_fd_ = -1;
  bool already_added_ = false;
  std::string name_;
  std::vector<std::string> inputs_;        // absolute
  std::vector<std::string> given_;         // as given
  std::unique_ptr<AtomicFile> segment_;    // written by Record
  std::unique_ptr<AtomicFile> runs_file_;  // the batch's runs, written by Record
  IndexBatch recorded_;
  RunsLine recorded_runs_;
};

}  // namespace neardup

#endif  // NEARDUP_STORE_H_
