// Segment files: writing one from a run's IndexedBatch, reading and
// verifying them.
#include "store/segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "io/pread.h"

namespace neardup::internal {
namespace {

constexpr char kMagic[8] = {'N', 'D', 'I', 'X', 'S', 'E', 'G', '1'};

template <typename T>
void Append(std::vector<char>* out, const T& value) {
  const char* p = reinterpret_cast<const char*>(&value);
  out->insert(out->end(), p, p + sizeof(T));
}

void AppendString(std::vector<char>* out, std::string_view s) {
  Append(out, static_cast<std::uint32_t>(s.size()));
  out->insert(out->end(), s.begin(), s.end());
}

std::uint64_t Checksum(const void* data, std::size_t size) { return XXH64(data, size, 0); }

// The exact run and the band runs of `indexed` (documents of `batch`).
void AppendRuns(const IndexedBatch& batch, const std::vector<DocIndex>& indexed, PriorDoc first,
                std::uint32_t bands, std::vector<char>* exact_out, std::vector<char>* bands_out) {
  std::vector<ExactRecord> exact;
  for (DocIndex d : indexed) {
    const Fingerprint128 fp = batch.exact(d);
    exact.push_back(ExactRecord{fp.low, fp.high, first + d});
  }
  std::sort(exact.begin(), exact.end(), [](const ExactRecord& x, const ExactRecord& y) {
    return std::tie(x.low, x.high, x.doc) < std::tie(y.low, y.high, y.doc);
  });
  for (const ExactRecord& e : exact) Append(exact_out, e);
  std::vector<std::pair<std::uint64_t, DocIndex>> keys(indexed.size());
  for (std::uint32_t b = 0; b < bands; ++b) {
    for (std::size_t i = 0; i < indexed.size(); ++i) {
      keys[i] = {batch.band_keys(indexed[i])[b], indexed[i]};
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& [key, d] : keys) {
      Append(bands_out, key);
      Append(bands_out, static_cast<std::uint32_t>(d));
    }
  }
}

constexpr char kRunMagic[8] = {'N', 'D', 'I', 'X', 'R', 'U', 'N', '1'};

// Writes `h` (sections already described) at the start of `out`, where room was left.
Status FinishRunFile(RunHeader* h, std::FILE* out, std::uint64_t* bytes, std::uint64_t* checksum) {
  std::memcpy(h->magic, kRunMagic, sizeof(kRunMagic));
  h->version = kRunVersion;
  h->checksum = Checksum(h, offsetof(RunHeader, checksum));
  const bool ok = std::fflush(out) == 0 && std::fseek(out, 0, SEEK_SET) == 0 &&
                  std::fwrite(h, sizeof(*h), 1, out) == 1 && std::fflush(out) == 0 &&
                  std::fseek(out, 0, SEEK_END) == 0;
  *bytes = sizeof(RunHeader) + h->exact.size + h->band_runs.size;
  *checksum = h->checksum;
  return ok ? Status::OK() : Status::IOError("writing a run file: " + std::string(strerror(errno)));
}

}  // namespace

RunReader::RunReader(int fd, std::uint64_t offset, std::uint64_t size, std::size_t record)
    : fd_(fd), offset_(offset), end_(offset + size), record_(record) {
  buffer_.resize(record * ((256 << 10) / record));
}

Status RunReader::Fill() {
  const std::size_t left = filled_ - at_;
  std::memmove(buffer_.data(), buffer_.data() + at_, left);
  at_ = 0;
  filled_ = left;
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size() - filled_, end_ - offset_));
  if (want == 0) return Status::OK();
  const ssize_t got = internal::PreadFull(fd_, buffer_.data() + filled_, want, offset_);
  if (got < 0) return Status::InvalidInput(std::strerror(errno));
  filled_ += static_cast<std::size_t>(got);
  offset_ += static_cast<std::uint64_t>(got);
  if (static_cast<std::size_t>(got) < want) return Status::InvalidInput("run truncated");
  return Status::OK();
}

const char* RunReader::Next(Status* error) {
  if (filled_ - at_ < record_) {
    *error = Fill();
    if (!error->ok() || filled_ - at_ < record_) return nullptr;
  }
  const char* p = buffer_.data() + at_;
  at_ += record_;
  return p;
}

Status WriteRunFile(const IndexedBatch& batch, std::uint64_t batch_index, PriorDoc first,
                    std::uint32_t bands, std::FILE* out, std::uint64_t* bytes,
                    std::uint64_t* checksum) {
  NEARDUP_RETURN_IF_ERROR(CheckHostByteOrder());
  std::vector<DocIndex> indexed;
  for (DocIndex d = 0; d < batch.documents; ++d) {
    if (batch.indexed(d)) indexed.push_back(d);
  }
  std::vector<char> exact, band_runs;
  AppendRuns(batch, indexed, first, bands, &exact, &band_runs);
  RunHeader h{};
  h.bands = bands;
  h.first_batch = batch_index;
  h.batches = 1;
  h.first = first;
  h.count = batch.documents;
  h.indexed = indexed.size();
  h.exact = SectionEntry{sizeof(RunHeader), exact.size(), Checksum(exact.data(), exact.size())};
  h.band_runs = SectionEntry{sizeof(RunHeader) + exact.size(), band_runs.size(),
                             Checksum(band_runs.data(), band_runs.size())};
  const RunHeader room{};
  const bool ok =
      std::fwrite(&room, sizeof(room), 1, out) == 1 &&
      (exact.empty() || std::fwrite(exact.data(), exact.size(), 1, out) == 1) &&
      (band_runs.empty() || std::fwrite(band_runs.data(), band_runs.size(), 1, out) == 1);
  if (!ok) return Status::IOError("writing a run file: " + std::string(strerror(errno)));
  return FinishRunFile(&h, out, bytes, checksum);
}

// One k-way merge of a run (the exact one, or one band's) of `sources`
// into `out`, its records of `record` bytes added to `state`: offset_of(r)
// gives source r's run (offset, size), less orders two records of sources,
// write converts one into the merged run's form. k is small (sources grow
// geometrically), so the smallest head is found by a scan. Returns the
// bytes written; the first error goes to *status.
template <typename OffsetOf, typename Less, typename Write>
std::uint64_t MergeRun(const std::vector<const RunSource*>& sources, std::size_t record,
                       OffsetOf offset_of, Less less, Write write, XXH64_state_t* state,
                       std::FILE* out, Status* status_out) {
  Status& status = *status_out;
  std::vector<RunReader> readers;
  for (const RunSource* r : sources) {
    const auto [at, size] = offset_of(*r);
    readers.emplace_back(r->fd, at, size, record);
  }
  std::vector<const char*> head(sources.size());
  for (std::size_t i = 0; i < readers.size() && status.ok(); ++i)
    head[i] = readers[i].Next(&status);
  std::uint64_t written = 0;
  char buf[32];
  while (status.ok()) {
    std::size_t best = sources.size();
    for (std::size_t i = 0; i < head.size(); ++i) {
      if (head[i] != nullptr &&
          (best == sources.size() || less(head[i], *sources[i], head[best], *sources[best])))
        best = i;
    }
    if (best == sources.size()) break;
    write(head[best], *sources[best], buf);
    XXH64_update(state, buf, record);
    if (std::fwrite(buf, record, 1, out) != 1) {
      status = Status::IOError("writing a run file: " + std::string(strerror(errno)));
    }
    written += record;
    head[best] = readers[best].Next(&status);
  }
  return written;
}

Status MergeRuns(const std::vector<const RunSource*>& sources, std::FILE* out, std::uint64_t* bytes,
                 std::uint64_t* checksum) {
  RunHeader h{};
  h.bands = sources.front()->bands;
  h.first_batch = sources.front()->first_batch;
  h.first = sources.front()->first;
  for (const RunSource* r : sources) {
    if (r->bands != h.bands || r->first_batch != h.first_batch + h.batches ||
        r->first != h.first + h.count) {
      return Status::Internal("merging runs that are not adjacent");
    }
    h.batches += r->batches;
    h.count += r->count;
    h.indexed += r->indexed;
  }
  const RunHeader room{};
  if (std::fwrite(&room, sizeof(room), 1, out) != 1) {
    return Status::IOError("writing a run file: " + std::string(strerror(errno)));
  }
  XXH64_state_t* state = XXH64_createState();
  Status status;
  XXH64_reset(state, 0);
  const std::uint64_t exact_bytes = MergeRun(
      sources, sizeof(ExactRecord),
      [](const RunSource& r) {
        return std::pair{r.exact.offset, r.exact.size};
      },
      [](const char* x, const RunSource&, const char* y, const RunSource&) {
        ExactRecord a, b;
        std::memcpy(&a, x, sizeof(a));
        std::memcpy(&b, y, sizeof(b));
        return std::tie(a.low, a.high, a.doc) < std::tie(b.low, b.high, b.doc);
      },
      [](const char* x, const RunSource&, char* to) { std::memcpy(to, x, sizeof(ExactRecord)); },
      state, out, &status);
  h.exact = SectionEntry{sizeof(RunHeader), exact_bytes, XXH64_digest(state)};
  XXH64_reset(state, 0);  // one checksum over every band's run
  std::uint64_t band_bytes = 0;
  for (std::uint32_t band = 0; band < h.bands && status.ok(); ++band) {
    const std::uint64_t first = h.first;
    band_bytes += MergeRun(
        sources, kBandRecordBytes,
        [band](const RunSource& r) {
          const std::uint64_t size = r.indexed * kBandRecordBytes;
          return std::pair{r.band_runs.offset + band * size, size};
        },
        [](const char* x, const RunSource& rx, const char* y, const RunSource& ry) {
          std::uint64_t kx, ky;
          std::uint32_t dx, dy;
          std::memcpy(&kx, x, 8);
          std::memcpy(&ky, y, 8);
          std::memcpy(&dx, x + 8, 4);
          std::memcpy(&dy, y + 8, 4);
          return std::pair{kx, rx.first + dx} < std::pair{ky, ry.first + dy};
        },
        [first](const char* x, const RunSource& r, char* to) {
          std::uint32_t d;
          std::memcpy(to, x, 8);
          std::memcpy(&d, x + 8, 4);
          d = static_cast<std::uint32_t>(r.first + d - first);
          std::memcpy(to + 8, &d, 4);
        },
        state, out, &status);
  }
  h.band_runs = SectionEntry{sizeof(RunHeader) + exact_bytes, band_bytes, XXH64_digest(state)};
  XXH64_freeState(state);
  NEARDUP_RETURN_IF_ERROR(status);
  return FinishRunFile(&h, out, bytes, checksum);
}

namespace {

// The bytes of `fd` up to its end (or a read error) and their XXH64.
std::pair<std::uint64_t, std::uint64_t> FileSizeAndChecksum(int fd) {
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t got = PreadFull(fd, buf.data(), buf.size(), total);
    if (got <= 0) break;  // an error ends the file: its size then differs
    XXH64_update(state, buf.data(), static_cast<std::size_t>(got));
    total += static_cast<std::uint64_t>(got);
    if (static_cast<std::size_t>(got) < buf.size()) break;
  }
  const std::uint64_t sum = XXH64_digest(state);
  XXH64_freeState(state);
  return {total, sum};
}

}  // namespace

// Segments and run files are little-endian (docs/FORMATS.md). Their records are read and
// written as this host's structs, so a big-endian host refuses them rather
// than misread them.
Status CheckHostByteOrder() {
  if constexpr (std::endian::native != std::endian::little) {
    return Status::InvalidArgument(
        "index segments are little-endian and this host is big-endian: not supported");
  }
  return Status::OK();
}

Status WriteSegment(const IndexedBatch& batch, const BatchSection& meta, PriorDoc first,
                    std::uint32_t bands, std::uint32_t sketch_bytes, std::FILE* out,
                    std::uint64_t* bytes, std::uint64_t* checksum, std::uint32_t version) {
  NEARDUP_RETURN_IF_ERROR(CheckHostByteOrder());
  std::vector<char> sections[kSegmentSections];
  AppendString(&sections[kBatchSection], meta.name);
  AppendString(&sections[kBatchSection], meta.id_field);
  AppendString(&sections[kBatchSection], meta.text_field);
  Append(&sections[kBatchSection], static_cast<std::uint32_t>(meta.inputs.size()));
  for (const std::string& input : meta.inputs) AppendString(&sections[kBatchSection], input);
  for (const std::string& input : meta.given) AppendString(&sections[kBatchSection], input);

  std::vector<DocIndex> indexed;
  sections[kSketchSection].resize(batch.documents * sketch_bytes);
  for (DocIndex d = 0; d < batch.documents; ++d) {
    const DocumentInfo& info = batch.info(d);
    const bool in_runs = batch.indexed(d);
    if (in_runs) indexed.push_back(d);
    DocRecord r{};
    r.representative = batch.representative(d);
    r.offset = info.offset;
    r.line = info.source.line;
    r.strings = sections[kStringsSection].size();
    r.id_len = static_cast<std::uint32_t>(info.id.size());
    r.input = static_cast<std::uint32_t>(info.input);
    r.flags = (info.words > 0 ? kHasWords : 0) | (in_runs ? kIndexed : 0);
    std::vector<char>& strings = sections[kStringsSection];
    strings.insert(strings.end(), info.id.begin(), info.id.end());
    if (info.input < meta.given.size() && info.source.file == meta.given[info.input]) {
      r.file_len = kSourceIsInput;
    } else {
      r.file_len = static_cast<std::uint32_t>(info.source.file.size());
      strings.insert(strings.end(), info.source.file.begin(), info.source.file.end());
    }
    Append(&sections[kDocsSection], r);
    if (in_runs && sketch_bytes > 0) {
      const std::span<const std::uint8_t> sketch = batch.sketch(d);
      std::memcpy(sections[kSketchSection].data() + std::size_t{d} * sketch_bytes, sketch.data(),
                  sketch_bytes);
    }
  }
  if (version == kRunsInSegment) {
    AppendRuns(batch, indexed, first, bands, &sections[kExactSection], &sections[kBandsSection]);
  }
  for (const auto& [from, to] : batch.merges) {
    Append(&sections[kMergesSection], from);
    Append(&sections[kMergesSection], to);
  }

  SegmentHeader h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.version = version;
  h.bands = bands;
  h.sketch_bytes = sketch_bytes;
  h.sections = kSegmentSections;
  h.first = first;
  h.count = batch.documents;
  h.indexed = indexed.size();
  std::uint64_t offset = sizeof(SegmentHeader);
  for (std::uint32_t s = 0; s < kSegmentSections; ++s) {
    h.table[s] =
        SectionEntry{offset, sections[s].size(), Checksum(sections[s].data(), sections[s].size())};
    offset += sections[s].size();
  }
  h.checksum = Checksum(&h, offsetof(SegmentHeader, checksum));
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  bool ok = std::fwrite(&h, sizeof(h), 1, out) == 1;
  XXH64_update(state, &h, sizeof(h));
  for (const std::vector<char>& s : sections) {
    ok = ok && (s.empty() || std::fwrite(s.data(), s.size(), 1, out) == 1);
    XXH64_update(state, s.data(), s.size());
  }
  *checksum = XXH64_digest(state);
  XXH64_freeState(state);
  *bytes = offset;
  return ok ? Status::OK() : Status::IOError("writing a segment: " + std::string(strerror(errno)));
}

}  // namespace neardup::internal

namespace neardup {

using internal::DocRecord;
using internal::ExactRecord;
using internal::SegmentSection;

IndexSnapshot::Segment::~Segment() {
  if (fd >= 0) ::close(fd);
}

Status IndexSnapshot::Segment::Corrupt(const std::string& what) const {
  return Status::InvalidInput(path + ": " + what);
}

Result<std::unique_ptr<IndexSnapshot::Segment>> IndexSnapshot::Segment::Open(
    const std::string& path) {
  auto seg = std::make_unique<Segment>();
  seg->path = path;
  if (Status s = internal::CheckHostByteOrder(); !s.ok()) return seg->Corrupt(s.message());
  seg->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (seg->fd < 0) return Status::InvalidInput(path + ": " + std::strerror(errno));
  if (::pread(seg->fd, &seg->header, sizeof(seg->header), 0) !=
      static_cast<ssize_t>(sizeof(seg->header))) {
    return seg->Corrupt("shorter than a segment header");
  }
  const internal::SegmentHeader& h = seg->header;
  if (std::memcmp(h.magic, "NDIXSEG1", 8) != 0) {
    return seg->Corrupt("not a neardup index segment (bad magic)");
  }
  if (h.version == __builtin_bswap32(internal::kVersion)) {
    return seg->Corrupt("written in big-endian byte order; index segments are little-endian");
  }
  if (h.version != internal::kVersion && h.version != internal::kRunsInSegment) {
    return seg->Corrupt("segment format version " + std::to_string(h.version) +
                        "; this neardup reads versions 1 and 2");
  }
  if (h.checksum != XXH64(&h, offsetof(internal::SegmentHeader, checksum), 0) ||
      h.sections != internal::kSegmentSections) {
    return seg->Corrupt("header checksum mismatch");
  }
  Result<std::vector<char>> batch = seg->ReadSection(internal::kBatchSection);
  if (!batch.ok()) return batch.status();
  const std::vector<char>& b = batch.value();
  std::size_t at = 0;
  auto next_string = [&](std::string* s) {
    std::uint32_t len = 0;
    if (b.size() - at < 4) return false;
    std::memcpy(&len, b.data() + at, 4);
    at += 4;
    if (b.size() - at < len) return false;
    s->assign(b.data() + at, len);
    at += len;
    return true;
  };
  internal::BatchSection& meta = seg->batch;
  std::uint32_t n = 0;
  bool ok = next_string(&meta.name) && next_string(&meta.id_field) &&
            next_string(&meta.text_field) && b.size() - at >= 4;
  if (ok) {
    std::memcpy(&n, b.data() + at, 4);
    at += 4;
    meta.inputs.resize(n);
    for (std::uint32_t i = 0; ok && i < n; ++i) ok = next_string(&meta.inputs[i]);
    meta.given.resize(n);
    for (std::uint32_t i = 0; ok && i < n; ++i) ok = next_string(&meta.given[i]);
  }
  if (!ok || at != b.size()) return seg->Corrupt("malformed batch section");
  return seg;
}

Status IndexSnapshot::Segment::Read(SegmentSection s, std::uint64_t offset, std::uint64_t size,
                                    void* out) const {
  const internal::SectionEntry& e = header.table[s];
  if (offset > e.size || size > e.size - offset) return Corrupt("reference beyond its section");
  const ssize_t got = internal::PreadFull(fd, out, size, e.offset + offset);
  if (got < 0) return Corrupt(std::strerror(errno));
  if (static_cast<std::uint64_t>(got) < size) return Corrupt("truncated");
  return Status::OK();
}

Result<std::vector<char>> IndexSnapshot::Segment::ReadSection(SegmentSection s) const {
  std::vector<char> out(header.table[s].size);
  NEARDUP_RETURN_IF_ERROR(Read(s, 0, out.size(), out.data()));
  if (XXH64(out.data(), out.size(), 0) != header.table[s].checksum) {
    static const char* const kNames[] = {"batch", "documents", "strings", "exact",
                                         "bands", "sketches",  "merges"};
    return Corrupt(std::string("checksum mismatch in the ") + kNames[s] + " section");
  }
  return out;
}

Status IndexSnapshot::Segment::Verify(const IndexBatch& expected,
                                      std::vector<bool>* indexed_out) const {
  const internal::SegmentHeader& h = header;
  // The whole file against the MANIFEST's size and checksum.
  const auto [total, sum] = internal::FileSizeAndChecksum(fd);
  if (total != expected.bytes) {
    return Corrupt("size " + std::to_string(total) + ", the MANIFEST says " +
                   std::to_string(expected.bytes));
  }
  if (sum != expected.checksum) return Corrupt("file checksum differs from the MANIFEST's");
  if (h.first != expected.first || h.count != expected.documents) {
    return Corrupt("documents differ from the MANIFEST's");
  }
  if (batch.name != expected.name) return Corrupt("batch name differs from the MANIFEST's");
  std::uint64_t at = sizeof(internal::SegmentHeader);
  for (std::uint32_t s = 0; s < internal::kSegmentSections; ++s) {
    if (h.table[s].offset != at) return Corrupt("section table out of order");
    at += h.table[s].size;
  }
  if (at != total) return Corrupt("sections do not fill the file");
  const std::uint64_t end = h.first + h.count;
  Result<std::vector<char>> docs = ReadSection(internal::kDocsSection);
  if (!docs.ok()) return docs.status();
  Result<std::vector<char>> strings = ReadSection(internal::kStringsSection);
  if (!strings.ok()) return strings.status();
  if (docs.value().size() != h.count * sizeof(DocRecord)) return Corrupt("documents section size");
  std::vector<bool> indexed(h.count);
  std::uint64_t indexed_count = 0;
  for (std::uint64_t i = 0; i < h.count; ++i) {
    DocRecord r;
    std::memcpy(&r, docs.value().data() + i * sizeof(DocRecord), sizeof(r));
    const std::uint64_t file_len = r.file_len == internal::kSourceIsInput ? 0 : r.file_len;
    // --keep may make a later document of the same batch the representative.
    if (r.representative >= end) {
      return Corrupt("document " + std::to_string(h.first + i) +
                     " has a representative in a later batch");
    }
    if (r.input >= batch.inputs.size()) return Corrupt("document input out of range");
    if (r.strings > strings.value().size() ||
        r.id_len + file_len > strings.value().size() - r.strings) {
      return Corrupt("document strings out of range");
    }
    if ((r.flags & ~(internal::kHasWords | internal::kIndexed)) != 0 ||
        ((r.flags & internal::kIndexed) && !(r.flags & internal::kHasWords))) {
      return Corrupt("document flags invalid");
    }
    indexed[i] = (r.flags & internal::kIndexed) != 0;
    indexed_count += indexed[i];
  }
  if (indexed_count != h.indexed) return Corrupt("indexed count differs from the header's");
  if (h.version == internal::kRunsInSegment) {
    NEARDUP_RETURN_IF_ERROR(internal::VerifyRuns(OwnRuns(0), indexed));
  } else if (h.table[internal::kExactSection].size != 0 ||
             h.table[internal::kBandsSection].size != 0) {
    return Corrupt("a version 2 segment with runs of its own");
  }
  Result<std::vector<char>> sketches = ReadSection(internal::kSketchSection);
  if (!sketches.ok()) return sketches.status();
  if (sketches.value().size() != h.count * h.sketch_bytes) return Corrupt("sketch section size");
  Result<std::vector<char>> merges = ReadSection(internal::kMergesSection);
  if (!merges.ok()) return merges.status();
  if (merges.value().size() % 16 != 0) return Corrupt("merges section size");
  for (std::size_t i = 0; i < merges.value().size(); i += 16) {
    std::uint64_t from, to;
    std::memcpy(&from, merges.value().data() + i, 8);
    std::memcpy(&to, merges.value().data() + i + 8, 8);
    if (!(to < from && from < h.first)) return Corrupt("merge out of range");
  }
  *indexed_out = std::move(indexed);
  return Status::OK();
}

internal::RunSource IndexSnapshot::Segment::OwnRuns(std::uint64_t batch_index) const {
  internal::RunSource r;
  r.fd = fd;
  r.path = path;
  r.bands = header.bands;
  r.first_batch = batch_index;
  r.batches = 1;
  r.first = header.first;
  r.count = header.count;
  r.indexed = header.indexed;
  r.exact = header.table[internal::kExactSection];
  r.band_runs = header.table[internal::kBandsSection];
  return r;
}

IndexSnapshot::RunFiles::~RunFiles() {
  for (int fd : owned) ::close(fd);
}

}  // namespace neardup

namespace neardup::internal {

Result<RunSource> OpenRunFile(const std::string& path) {
  NEARDUP_RETURN_IF_ERROR(CheckHostByteOrder());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const std::string why = path + ": " + std::strerror(errno);
    return errno == ENOENT ? Status::NotFound(why) : Status::InvalidInput(why);
  }
  RunHeader h{};
  struct stat st {};
  auto fail = [&](const std::string& what) {
    ::close(fd);
    return Status::InvalidInput(path + ": " + what);
  };
  if (::pread(fd, &h, sizeof(h), 0) != static_cast<ssize_t>(sizeof(h))) {
    return fail("shorter than a run file header");
  }
  if (std::memcmp(h.magic, kRunMagic, sizeof(kRunMagic)) != 0) {
    return fail("not a neardup index run file (bad magic)");
  }
  if (h.version == __builtin_bswap32(kRunVersion)) {
    return fail("written in big-endian byte order; index run files are little-endian");
  }
  if (h.version != kRunVersion) {
    return fail("run file format version " + std::to_string(h.version) +
                "; this neardup reads version " + std::to_string(kRunVersion));
  }
  if (h.checksum != Checksum(&h, offsetof(RunHeader, checksum))) {
    return fail("header checksum mismatch");
  }
  if (::fstat(fd, &st) != 0 || h.exact.offset != sizeof(RunHeader) ||
      h.band_runs.offset != h.exact.offset + h.exact.size ||
      static_cast<std::uint64_t>(st.st_size) != h.band_runs.offset + h.band_runs.size) {
    return fail("sections do not fill the file");
  }
  RunSource r;
  r.fd = fd;
  r.path = path;
  r.bands = h.bands;
  r.first_batch = h.first_batch;
  r.batches = h.batches;
  r.first = h.first;
  r.count = h.count;
  r.indexed = h.indexed;
  r.exact = h.exact;
  r.band_runs = h.band_runs;
  r.checksum = h.checksum;
  r.run_file = true;
  return r;
}

Status VerifyRuns(const RunSource& r, const std::vector<bool>& indexed) {
  auto corrupt = [&r](const std::string& what) {
    return Status::InvalidInput(r.path + ": " + what);
  };
  const std::uint64_t n =
      static_cast<std::uint64_t>(std::count(indexed.begin(), indexed.end(), true));
  if (indexed.size() != r.count || n != r.indexed) {
    return corrupt("indexed documents differ from the segments'");
  }
  if (r.exact.size != n * sizeof(ExactRecord)) return corrupt("exact run size");
  if (r.band_runs.size != std::uint64_t{r.bands} * n * kBandRecordBytes) {
    return corrupt("band runs size");
  }
  XXH64_state_t* state = XXH64_createState();
  Status status;
  std::vector<bool> seen;
  // Streams one run of `entries` records at `offset` into the checksum,
  // checking each entry against the previous one and its document.
  auto check = [&](std::uint64_t offset, std::size_t record, const std::string& name,
                   auto key_doc) -> Status {
    seen.assign(r.count, false);
    RunReader reader(r.fd, offset, n * record, record);
    Status error;
    decltype(key_doc(nullptr)) last{};
    for (std::uint64_t i = 0; i < n; ++i) {
      const char* p = reader.Next(&error);
      if (p == nullptr) return error.ok() ? corrupt(name + " truncated") : corrupt(error.message());
      XXH64_update(state, p, record);
      const auto kd = key_doc(p);
      const std::uint64_t doc = kd.second;
      if (doc >= r.count || !indexed[doc] || seen[doc]) {
        return corrupt(name + " names a document out of range, not indexed or twice");
      }
      seen[doc] = true;
      if (i > 0 && kd <= last) return corrupt(name + " not sorted");
      last = kd;
    }
    return Status::OK();
  };
  XXH64_reset(state, 0);
  status = check(r.exact.offset, sizeof(ExactRecord), "exact run", [&r](const char* p) {
    ExactRecord e{};
    if (p != nullptr) std::memcpy(&e, p, sizeof(e));
    return std::pair{std::pair{e.low, e.high}, e.doc - (p != nullptr ? r.first : 0)};
  });
  if (status.ok() && XXH64_digest(state) != r.exact.checksum) {
    status = corrupt("checksum mismatch in the exact run");
  }
  XXH64_reset(state, 0);
  for (std::uint32_t b = 0; b < r.bands && status.ok(); ++b) {
    status = check(r.band_runs.offset + b * n * kBandRecordBytes, kBandRecordBytes,
                   "band " + std::to_string(b), [](const char* p) {
                     std::pair<std::uint64_t, std::uint64_t> kd{};
                     if (p == nullptr) return kd;
                     std::uint32_t d;
                     std::memcpy(&kd.first, p, 8);
                     std::memcpy(&d, p + 8, 4);
                     kd.second = d;
                     return kd;
                   });
  }
  if (status.ok() && XXH64_digest(state) != r.band_runs.checksum) {
    status = corrupt("checksum mismatch in the band runs");
  }
  XXH64_freeState(state);
  return status;
}

}  // namespace neardup::internal
