// Stage "stats": document frequencies of normalized words, for weighting
// features by rarity (inverse document frequency).
//
// A DocumentFrequencies table counts, for each word (by its XXH3 token hash,
// seed 0, as HashToken computes it), how many documents contain it. Tables
// built from different inputs merge by addition, so a background table from
// public text and the input's own counts combine into one:
//
//   DocumentFrequencies df;
//   df.AddDocument(Normalize(text));                 // once per document
//   std::string bytes = df.Serialize();             // what Load reads back
//   Result<DocumentFrequencies> bg = DocumentFrequencies::Load("background.ndstats");
//   df.Merge(bg.value());
//   double w = df.Idf(HashToken("harbor", 0));       // ln((N + 1) / (df + 0.5))
//
// File format (little-endian): "NDDF", u32 version (1), u64 documents,
// u64 entries, then entries sorted by hash: u64 token hash, u32 count.
// Thread safety: the const methods (and copying) may be called from several
// threads at once, on any table; the non-const ones need exclusive access.
// Additions (AddDocument, AddDistinct) are kept pending and sorted in by the
// first const call after them, under a lock that the other readers wait on;
// once the table is compact, reads take no lock.
#ifndef NEARDUP_STATS_H_
#define NEARDUP_STATS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neardup/normalize.h"
#include "neardup/status.h"

namespace neardup {

class DocumentFrequencies {
 public:
  DocumentFrequencies() = default;
  // A copy holds the counts, compact; the source's pending additions are
  // sorted in first (a const call).
  DocumentFrequencies(const DocumentFrequencies& other);
  DocumentFrequencies& operator=(const DocumentFrequencies& other);
  DocumentFrequencies(DocumentFrequencies&& other) noexcept;
  DocumentFrequencies& operator=(DocumentFrequencies&& other) noexcept;

  // Counts each distinct token of one document once.
  void AddDocument(const NormalizedText& text);

  // Counts one document whose distinct token hashes are `distinct`.
  void AddDistinct(std::span<const std::uint64_t> distinct);
  // Adds another table's counts and documents.
  void Merge(const DocumentFrequencies& other);
  // The table of `documents` documents with these counts.
  // REQUIRES: `entries` sorted by hash, no hash twice, every count > 0.
  static DocumentFrequencies FromCounts(
      std::uint64_t documents, std::vector<std::pair<std::uint64_t, std::uint32_t>> entries);

  // Drops tokens seen in fewer than `min_count` documents (they keep the
  // maximum IDF, as unseen tokens do), so that Serialize writes a smaller
  // table.
  void Prune(std::uint32_t min_count);

  std::uint64_t documents() const { return documents_; }
  std::size_t size() const;  // distinct tokens
  // Every (token hash, count), sorted by hash. The reference stays valid
  // until the next non-const call on this table (or its destruction).
  const std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries() const {
    Compact();
    return entries_;
  }
  // Documents containing the token (0 when unseen).
  std::uint32_t Count(std::uint64_t token_hash) const;
  // ln((documents + 1) / (count + 0.5)): rare tokens weigh more; an unseen
  // token gets the largest value.
  double Idf(std::uint64_t token_hash) const;

  // The table in the file format Load and Parse read (magic, version,
  // documents, then sorted (hash, count) entries). Writing it is the
  // caller's: neardup::AtomicFile (io.h) writes a file whole.
  std::string Serialize() const;
  static Result<DocumentFrequencies> Load(const std::string& path);
  // The same from a file's bytes held in memory; `name` names it in errors.
  static Result<DocumentFrequencies> Parse(std::string_view bytes, const std::string& name);

  // Sorts and sums pending additions into the table. Every const method
  // does it first; calling it ahead only moves the cost.
  void Compact() const;

  friend bool operator==(const DocumentFrequencies& a, const DocumentFrequencies& b);

 private:
  // A word counted in place since the last Compact (AddDistinct).
  struct HotCount {
    std::uint64_t hash;
    std::uint32_t count;  // 0: the slot is free
  };

  // Compact's work, under compact_mutex_ or with exclusive access.
  void CompactLocked() const;

  std::uint64_t documents_ = 0;
  // Whether additions are pending. Set by writers; read with acquire by
  // Compact, cleared with release under compact_mutex_ once they are sorted in.
  mutable std::atomic<bool> stale_{false};
  mutable std::mutex compact_mutex_;  // serializes Compact between readers
  // Sorted by hash, counts summed; kept compact lazily so additions stay O(1).
  mutable std::vector<std::pair<std::uint64_t, std::uint32_t>> entries_;
  mutable std::vector<std::uint64_t> pending_;       // token hashes added since the last Compact
  mutable std::vector<std::uint64_t> sort_scratch_;  // Compact's sort buffer, reused
  mutable std::vector<std::uint32_t> sort_counts_;   // Compact's bucket counts, reused
  mutable std::vector<HotCount> hot_;  // direct-mapped by hash; empty until AddDistinct
  mutable std::size_t hot_used_ = 0;   // slots of hot_ taken
};

}  // namespace neardup

#endif  // NEARDUP_STATS_H_
