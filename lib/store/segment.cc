// Segment files: writing one from a run's IndexedBatch, reading and
// verifying them.
#include "store/segment.h"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>

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

}  // namespace

Status WriteSegment(const IndexedBatch& batch, const BatchSection& meta, PriorDoc first,
                    std::uint32_t bands, std::uint32_t sketch_bytes, std::FILE* out,
                    std::uint64_t* bytes, std::uint64_t* checksum) {
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
  std::vector<ExactRecord> exact;
  for (DocIndex d : indexed) {
    const Fingerprint128 fp = batch.exact(d);
    exact.push_back(ExactRecord{fp.low, fp.high, first + d});
  }
  std::sort(exact.begin(), exact.end(), [](const ExactRecord& x, const ExactRecord& y) {
    return std::tie(x.low, x.high, x.doc) < std::tie(y.low, y.high, y.doc);
  });
  for (const ExactRecord& e : exact) Append(&sections[kExactSection], e);
  std::vector<std::pair<std::uint64_t, DocIndex>> keys(indexed.size());
  for (std::uint32_t b = 0; b < bands; ++b) {
    for (std::size_t i = 0; i < indexed.size(); ++i) {
      keys[i] = {batch.band_keys(indexed[i])[b], indexed[i]};
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& [key, d] : keys) {
      Append(&sections[kBandsSection], key);
      Append(&sections[kBandsSection], static_cast<std::uint32_t>(d));
    }
  }
  for (const auto& [from, to] : batch.merges) {
    Append(&sections[kMergesSection], from);
    Append(&sections[kMergesSection], to);
  }

  SegmentHeader h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.version = 1;
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
  seg->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (seg->fd < 0) return Status::InvalidInput(path + ": " + std::strerror(errno));
  if (::pread(seg->fd, &seg->header, sizeof(seg->header), 0) !=
      static_cast<ssize_t>(sizeof(seg->header))) {
    return seg->Corrupt("shorter than a segment header");
  }
  const internal::SegmentHeader& h = seg->header;
  if (std::memcmp(h.magic, "NDIXSEG1", 8) != 0 || h.version != 1) {
    return seg->Corrupt("not a neardup index segment (bad magic or version)");
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
  char* p = static_cast<char*>(out);
  std::uint64_t at = e.offset + offset;
  while (size > 0) {
    const ssize_t got = ::pread(fd, p, size, static_cast<off_t>(at));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Corrupt(got == 0 ? "truncated" : std::strerror(errno));
    p += got;
    at += static_cast<std::uint64_t>(got);
    size -= static_cast<std::uint64_t>(got);
  }
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

Status IndexSnapshot::Segment::Verify(const IndexBatch& expected) const {
  const internal::SegmentHeader& h = header;
  // The whole file against the MANIFEST's size and checksum.
  XXH64_state_t* state = XXH64_createState();
  XXH64_reset(state, 0);
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t got = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(total));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    XXH64_update(state, buf.data(), static_cast<std::size_t>(got));
    total += static_cast<std::uint64_t>(got);
  }
  const std::uint64_t sum = XXH64_digest(state);
  XXH64_freeState(state);
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
  Result<std::vector<char>> exact = ReadSection(internal::kExactSection);
  if (!exact.ok()) return exact.status();
  if (exact.value().size() != h.indexed * sizeof(ExactRecord)) return Corrupt("exact section size");
  ExactRecord prev{};
  for (std::uint64_t i = 0; i < h.indexed; ++i) {
    ExactRecord e;
    std::memcpy(&e, exact.value().data() + i * sizeof(ExactRecord), sizeof(e));
    if (e.doc < h.first || e.doc >= end || !indexed[e.doc - h.first]) {
      return Corrupt("exact run names a document out of range or not indexed");
    }
    if (i > 0 && std::tie(e.low, e.high, e.doc) <= std::tie(prev.low, prev.high, prev.doc)) {
      return Corrupt("exact run not sorted");
    }
    prev = e;
  }
  Result<std::vector<char>> bands = ReadSection(internal::kBandsSection);
  if (!bands.ok()) return bands.status();
  if (bands.value().size() != std::uint64_t{h.bands} * h.indexed * internal::kBandRecordBytes) {
    return Corrupt("bands section size");
  }
  for (std::uint64_t b = 0; b < h.bands; ++b) {
    std::pair<std::uint64_t, std::uint32_t> last{};
    for (std::uint64_t i = 0; i < h.indexed; ++i) {
      std::pair<std::uint64_t, std::uint32_t> kd;
      const char* p = bands.value().data() + (b * h.indexed + i) * internal::kBandRecordBytes;
      std::memcpy(&kd.first, p, 8);
      std::memcpy(&kd.second, p + 8, 4);
      if (kd.second >= h.count || !indexed[kd.second]) {
        return Corrupt("band " + std::to_string(b) + " names a document out of range");
      }
      if (i > 0 && kd <= last) return Corrupt("band " + std::to_string(b) + " not sorted");
      last = kd;
    }
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
  return Status::OK();
}

}  // namespace neardup
