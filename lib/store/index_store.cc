// The index directory: MANIFEST, the lock, lookups over the segments, and
// adding a batch.
//
// Why our own files rather than RocksDB, LMDB or SQLite: what an add needs
// is one merge of the batch's sorted keys with each sorted run (exact
// fingerprints, each LSH band) and a few hundred random reads of sketches
// and document records; the data is written once per batch and never
// updated in place. Sorted immutable runs serve exactly that, with 12 bytes
// per band entry and no per-key overhead (an LSM or B-tree store adds
// key/value framing and, for 18 bands per document, 18 keys), and crash
// safety needs only the two atomic renames AtomicFile already does (segment,
// then MANIFEST). docs/FORMATS.md has the layout; README the figures.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/segment.h"

namespace neardup {
namespace {

namespace fs = std::filesystem;
using internal::DocRecord;
using internal::ExactRecord;

constexpr const char* kManifest = "MANIFEST";
constexpr const char* kLock = "LOCK";
// Format 2 keeps the runs in run files merged as batches are added; format
// 1 (every batch's runs in its segment) is still read, and a format 1 index
// becomes format 2 at its next add.
constexpr const char* kFirstLine = "neardup-index 2\n";
constexpr const char* kFirstLineV1 = "neardup-index 1\n";
constexpr const char* kRunsPrefix = "runs-";

std::string RunFileName(std::uint64_t first_batch, std::uint64_t batches) {
  char name[48];
  std::snprintf(name, sizeof(name), "runs-%06" PRIu64 "-%06" PRIu64 ".ndr", first_batch + 1,
                first_batch + batches);
  return name;
}

std::string Hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, v);
  return buf;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

bool ValidBatchName(const std::string& name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

// Sets one option from its MANIFEST line; false for an unknown name or value.
bool SetOption(const std::string& name, const std::string& value, PipelineOptions* o) {
  std::istringstream in(value);
  auto get = [&in](auto* v) { return static_cast<bool>(in >> *v) && in.peek() == EOF; };
  if (name == "level") {
    std::optional<Level> level = ParseLevel(value);
    if (!level || *level == Level::kStory) return false;
    o->level = *level;
    return true;
  }
  if (name == "scheme") {
    if (value != "oph" && value != "kperm") return false;
    o->minhash.scheme =
        value == "oph" ? MinHashScheme::kOnePermutation : MinHashScheme::kPermutations;
    return true;
  }
  if (name == "threshold") return get(&o->lsh.threshold);
  if (name == "false_positive_weight") return get(&o->lsh.false_positive_weight);
  if (name == "false_negative_weight") return get(&o->lsh.false_negative_weight);
  if (name == "bands") return get(&o->lsh.bands);
  if (name == "rows") return get(&o->lsh.rows);
  if (name == "shingle") return get(&o->shingle.size);
  if (name == "shingle_seed") return get(&o->shingle.seed);
  if (name == "num_perm") return get(&o->minhash.num_perm);
  if (name == "minhash_seed") return get(&o->minhash.seed);
  if (name == "sketch_bins") return get(&o->minhash.sketch_bins);
  if (name == "exact_margin") return get(&o->exact_margin);
  if (name == "max_document_bytes") return get(&o->max_document_bytes);
  if (name == "nfkc") return get(&o->normalize.nfkc);
  if (name == "case_fold") return get(&o->normalize.case_fold);
  return false;
}

using RunsLines = std::vector<IndexSnapshot::RunsLine>;

std::string ManifestText(const PipelineOptions& options, const std::vector<IndexBatch>& batches,
                         const RunsLines& runs) {
  std::string out = kFirstLine + IndexOptionsText(options);
  for (const IndexBatch& b : batches) {
    out += "batch " + b.name + " " + b.segment + " first " + std::to_string(b.first) +
           " documents " + std::to_string(b.documents) + " bytes " + std::to_string(b.bytes) +
           " xxh64 " + Hex(b.checksum) + "\n";
  }
  for (const IndexSnapshot::RunsLine& r : runs) {
    out += "runs " + r.file + " batches " + std::to_string(r.first_batch + 1) + " " +
           std::to_string(r.first_batch + r.batches) + " bytes " + std::to_string(r.bytes) +
           " xxh64 " + Hex(r.checksum) + "\n";
  }
  return out + "checksum " + Hex(XXH64(out.data(), out.size(), 0)) + "\n";
}

Status WriteManifest(const std::string& dir, const PipelineOptions& options,
                     const std::vector<IndexBatch>& batches, const RunsLines& runs) {
  Result<std::unique_ptr<AtomicFile>> file =
      AtomicFile::Create((fs::path(dir) / kManifest).string());
  if (!file.ok()) return file.status();
  NEARDUP_RETURN_IF_ERROR(file.value()->Write(ManifestText(options, batches, runs)));
  return file.value()->Commit();
}

// The MANIFEST text `m` (read from `path`) checked: its first line names a
// format this neardup reads, and its last line is the checksum of the
// others. Returns where that line starts.
Result<std::size_t> ManifestChecksumAt(const std::string& path, const std::string& m) {
  const std::size_t sum_at = m.rfind("checksum ");
  if (m.rfind("neardup-index ", 0) == 0 && m.rfind(kFirstLine, 0) != 0 &&
      m.rfind(kFirstLineV1, 0) != 0) {
    return Status::InvalidInput(path + ": index format " + m.substr(14, m.find('\n') - 14) +
                                "; this neardup reads formats 1 and 2");
  }
  if ((m.rfind(kFirstLine, 0) != 0 && m.rfind(kFirstLineV1, 0) != 0) ||
      sum_at == std::string::npos ||
      m.substr(sum_at) != "checksum " + Hex(XXH64(m.data(), sum_at, 0)) + "\n") {
    return Status::InvalidInput(path + ": checksum mismatch or not an index MANIFEST");
  }
  return sum_at;
}

// A MANIFEST "batch NAME SEGMENT first F documents N bytes B xxh64 SUM"
// line, after its name: appended to *batches when well formed and next in
// document numbers.
bool ParseBatchLine(const std::string& name, std::istringstream* words,
                    std::vector<IndexBatch>* batches) {
  IndexBatch b;
  std::string k1, k2, k3, k4, sum;
  b.name = name;
  *words >> b.segment >> k1 >> b.first >> k2 >> b.documents >> k3 >> b.bytes >> k4 >> sum;
  const PriorDoc expected_first =
      batches->empty() ? 0 : batches->back().first + batches->back().documents;
  if (!*words || k1 != "first" || k2 != "documents" || k3 != "bytes" || k4 != "xxh64" ||
      !ValidBatchName(b.name) || b.first != expected_first ||
      b.segment.find('/') != std::string::npos) {
    return false;
  }
  b.checksum = std::strtoull(sum.c_str(), nullptr, 16);
  batches->push_back(std::move(b));
  return true;
}

// A MANIFEST "runs FILE batches FROM TO bytes B xxh64 SUM" line, after its
// file name: appended to *lines when well formed and after the last.
bool ParseRunsLine(const std::string& name, std::istringstream* words,
                   std::vector<IndexSnapshot::RunsLine>* lines) {
  IndexSnapshot::RunsLine r;
  r.file = name;
  std::string k1, k2, k3, sum;
  std::uint64_t from = 0, to = 0;
  *words >> k1 >> from >> to >> k2 >> r.bytes >> k3 >> sum;
  const std::uint64_t expected_from =
      lines->empty() ? 0 : lines->back().first_batch + lines->back().batches;
  if (!*words || k1 != "batches" || k2 != "bytes" || k3 != "xxh64" || from == 0 || to < from ||
      from - 1 < expected_from || r.file != RunFileName(from - 1, to - from + 1)) {
    return false;
  }
  r.first_batch = from - 1;
  r.batches = to - from + 1;
  r.checksum = std::strtoull(sum.c_str(), nullptr, 16);
  lines->push_back(std::move(r));
  return true;
}

// The merges section of `seg` (earlier representative -> the one that took
// over) into *merged.
Status ReadMerges(const IndexSnapshot::Segment& seg, std::map<PriorDoc, PriorDoc>* merged) {
  Result<std::vector<char>> merges = seg.ReadSection(internal::kMergesSection);
  if (!merges.ok()) return merges.status();
  for (std::size_t i = 0; i + 16 <= merges.value().size(); i += 16) {
    std::uint64_t from, to;
    std::memcpy(&from, merges.value().data() + i, 8);
    std::memcpy(&to, merges.value().data() + i + 8, 8);
    (*merged)[from] = to;
  }
  return Status::OK();
}

// The runs of the index in `dir` (MANIFEST at `path`): a run file for each
// "runs" line, a format 1 segment's own runs for a batch no line covers;
// together they cover every batch once.
Result<std::unique_ptr<IndexSnapshot::RunFiles>> OpenRuns(
    const std::string& dir, const std::string& path, const std::vector<IndexBatch>& batches,
    const std::vector<IndexSnapshot::RunsLine>& runs_lines,
    const std::vector<std::unique_ptr<IndexSnapshot::Segment>>& segments) {
  auto runs = std::make_unique<IndexSnapshot::RunFiles>();
  std::size_t next_line = 0;
  for (std::size_t b = 0; b < batches.size();) {
    if (next_line < runs_lines.size() && runs_lines[next_line].first_batch == b) {
      const IndexSnapshot::RunsLine& r = runs_lines[next_line++];
      Result<internal::RunSource> opened = internal::OpenRunFile((fs::path(dir) / r.file).string());
      if (!opened.ok()) return opened.status();
      runs->owned.push_back(opened.value().fd);
      const internal::RunSource& src = opened.value();
      if (src.first_batch != r.first_batch || src.batches != r.batches ||
          b + r.batches > batches.size() || src.first != batches[b].first ||
          src.count != batches[b + r.batches - 1].first + batches[b + r.batches - 1].documents -
                           batches[b].first ||
          src.checksum != r.checksum) {
        return Status::InvalidInput(src.path + ": batches or checksum differ from the MANIFEST's");
      }
      runs->sources.push_back(opened.value());
      b += r.batches;
    } else if (segments[b]->header.version == internal::kRunsInSegment) {
      runs->sources.push_back(segments[b]->OwnRuns(b));
      ++b;
    } else {
      return Status::InvalidInput(path + ": batch " + batches[b].name +
                                  " has its runs in no run file");
    }
  }
  if (next_line != runs_lines.size())
    return Status::InvalidInput(path + ": runs beyond the batches");
  return runs;
}

}  // namespace

std::string IndexOptionsText(const PipelineOptions& o) {
  std::string out;
  auto line = [&out](const char* name, const std::string& value) {
    out += std::string("option ") + name + " " + value + "\n";
  };
  line("level", LevelName(o.level));
  line("threshold", Number(o.lsh.threshold));
  line("false_positive_weight", Number(o.lsh.false_positive_weight));
  line("false_negative_weight", Number(o.lsh.false_negative_weight));
  line("bands", std::to_string(o.lsh.bands));
  line("rows", std::to_string(o.lsh.rows));
  line("shingle", std::to_string(o.shingle.size));
  line("shingle_seed", std::to_string(o.shingle.seed));
  line("num_perm", std::to_string(o.minhash.num_perm));
  line("minhash_seed", std::to_string(o.minhash.seed));
  line("scheme", MinHashSchemeName(o.minhash.scheme));
  line("sketch_bins", std::to_string(o.minhash.sketch_bins));
  line("exact_margin", Number(o.exact_margin));
  line("max_document_bytes", std::to_string(o.max_document_bytes));
  line("nfkc", std::to_string(o.normalize.nfkc ? 1 : 0));
  line("case_fold", std::to_string(o.normalize.case_fold ? 1 : 0));
  return out;
}

Status InitIndex(const std::string& dir, const PipelineOptions& options) {
  if (options.level == Level::kStory ||
      (options.level == Level::kNear && options.method != NearMethod::kMinHash)) {
    return Status::InvalidArgument(
        "an index works at the exact level and the near level with "
        "MinHash");
  }
  NEARDUP_RETURN_IF_ERROR(Pipeline(options).Validate());
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return Status::InvalidArgument(dir + " exists and is not an empty directory");
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError(dir + ": " + ec.message());
  return WriteManifest(dir, options, {}, {});
}

// ---------------------------------------------------------------------------
// IndexSnapshot

IndexSnapshot::~IndexSnapshot() = default;

Result<std::unique_ptr<IndexSnapshot>> IndexSnapshot::Open(const std::string& dir,
                                                           const ReaderOptions& reader) {
  // An add that merged runs removes the run files the MANIFEST named before;
  // a snapshot opened in between finds one gone (NotFound) and reads the
  // MANIFEST again.
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<IndexSnapshot> index(new IndexSnapshot());
    Status s = index->Load(dir, reader);
    if (s.ok()) return index;
    if (s.code() != StatusCode::kNotFound || attempt == 20) {
      return s.code() == StatusCode::kNotFound ? Status::InvalidInput(s.message()) : s;
    }
  }
}

Status IndexSnapshot::Load(const std::string& dir, const ReaderOptions& reader) {
  dir_ = dir;
  reader_ = reader;
  const std::string path = (fs::path(dir) / kManifest).string();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::InvalidInput(path + ": cannot open (not an index? see neardup index init)");
  std::stringstream text;
  text << in.rdbuf();
  manifest_text_ = text.str();
  const std::string& m = manifest_text_;
  Result<std::size_t> sum_at = ManifestChecksumAt(path, m);
  if (!sum_at.ok()) return sum_at.status();
  options_ = PipelineOptions{};
  std::istringstream lines(m.substr(0, sum_at.value()));
  std::string line;
  std::getline(lines, line);
  for (std::size_t number = 2; std::getline(lines, line); ++number) {
    std::istringstream words(line);
    std::string kind, name, value;
    words >> kind >> name;
    const std::string where = path + ":" + std::to_string(number);
    if (kind == "option") {
      words >> value;
      if (!SetOption(name, value, &options_)) return Status::InvalidInput(where + ": bad option");
    } else if (kind == "batch") {
      if (!ParseBatchLine(name, &words, &batches_)) {
        return Status::InvalidInput(where + ": bad batch line");
      }
    } else if (kind == "runs") {
      if (!ParseRunsLine(name, &words, &runs_lines_)) {
        return Status::InvalidInput(where + ": bad runs line");
      }
    } else {
      return Status::InvalidInput(where + ": unknown line");
    }
  }
  if (Status s = Pipeline(options_).Validate(); !s.ok()) {
    return Status::InvalidInput(path + ": " + s.message());
  }
  for (IndexBatch& b : batches_) {
    Result<std::unique_ptr<Segment>> seg = Segment::Open((fs::path(dir) / b.segment).string());
    if (!seg.ok()) return seg.status();
    const internal::SegmentHeader& h = seg.value()->header;
    if (h.first != b.first || h.count != b.documents) {
      return seg.value()->Corrupt("documents differ from the MANIFEST's");
    }
    b.inputs = seg.value()->batch.inputs;
    // Merges are few (earlier clusters a later batch joined): kept in memory.
    NEARDUP_RETURN_IF_ERROR(ReadMerges(*seg.value(), &merged_));
    segments_.push_back(std::move(seg).value());
  }
  Result<std::unique_ptr<RunFiles>> runs = OpenRuns(dir, path, batches_, runs_lines_, segments_);
  if (!runs.ok()) return runs.status();
  runs_ = std::move(runs).value();
  return Status::OK();
}

PriorDoc IndexSnapshot::documents() const {
  return batches_.empty() ? 0 : batches_.back().first + batches_.back().documents;
}

Result<const IndexSnapshot::Segment*> IndexSnapshot::SegmentOf(PriorDoc doc) const {
  auto it = std::upper_bound(batches_.begin(), batches_.end(), doc,
                             [](PriorDoc d, const IndexBatch& b) { return d < b.first; });
  if (it == batches_.begin() || doc >= documents()) {
    return Status::Internal("index document " + std::to_string(doc) + " out of range");
  }
  return segments_[static_cast<std::size_t>(it - batches_.begin()) - 1].get();
}

// Lookups stream each run through a RunReader: memory stays a buffer per
// run whatever the index's size, and with merged runs an add reads a few
// runs per band, not one per earlier batch.
Status IndexSnapshot::MatchExact(std::span<const ExactKey> keys, std::vector<PriorMatch>* out) {
  for (const internal::RunSource& r : runs_->sources) {
    internal::RunReader reader(r.fd, r.exact.offset, r.indexed * sizeof(ExactRecord),
                               sizeof(ExactRecord));
    Status error;
    const char* p = reader.Next(&error);
    for (const ExactKey& key : keys) {
      ExactRecord e{};
      for (; p != nullptr; p = reader.Next(&error)) {
        std::memcpy(&e, p, sizeof(e));
        if (std::tie(e.low, e.high) >= std::tie(key.fingerprint.low, key.fingerprint.high)) break;
      }
      if (p == nullptr) break;
      if (e.low == key.fingerprint.low && e.high == key.fingerprint.high) {
        out->push_back(PriorMatch{key.doc, e.doc});
      }
    }
    if (!error.ok()) return Status::InvalidInput(r.path + ": " + error.message());
  }
  return Status::OK();
}

Status IndexSnapshot::MatchBand(int band, std::span<const BandKey> keys,
                                std::vector<PriorMatch>* out) {
  for (const internal::RunSource& r : runs_->sources) {
    if (static_cast<std::uint32_t>(band) >= r.bands) {
      return Status::InvalidInput(r.path + ": fewer bands than the index's");
    }
    const std::uint64_t bytes = r.indexed * internal::kBandRecordBytes;
    internal::RunReader reader(r.fd, r.band_runs.offset + static_cast<std::uint64_t>(band) * bytes,
                               bytes, internal::kBandRecordBytes);
    Status error;
    auto key_at = [](const char* p) {
      std::uint64_t k;
      std::memcpy(&k, p, 8);
      return k;
    };
    const char* p = reader.Next(&error);
    for (std::size_t j = 0; j < keys.size() && p != nullptr;) {
      const std::uint64_t key = keys[j].key;
      std::size_t j_end = j;
      while (j_end < keys.size() && keys[j_end].key == key) ++j_end;
      while (p != nullptr && key_at(p) < key) p = reader.Next(&error);
      for (; p != nullptr && key_at(p) == key; p = reader.Next(&error)) {
        std::uint32_t local;
        std::memcpy(&local, p + 8, 4);
        for (std::size_t y = j; y < j_end; ++y)
          out->push_back(PriorMatch{keys[y].doc, r.first + local});
      }
      j = j_end;
    }
    if (!error.ok()) return Status::InvalidInput(r.path + ": " + error.message());
  }
  return Status::OK();
}

Status IndexSnapshot::ReadSketch(PriorDoc doc, std::span<std::uint8_t> out) {
  Result<const Segment*> seg = SegmentOf(doc);
  if (!seg.ok()) return seg.status();
  const internal::SegmentHeader& h = seg.value()->header;
  if (out.size() != h.sketch_bytes)
    return seg.value()->Corrupt("sketch size differs from the index's");
  return seg.value()->Read(internal::kSketchSection, (doc - h.first) * h.sketch_bytes, out.size(),
                           out.data());
}

Result<PriorDoc> IndexSnapshot::Representative(PriorDoc doc) {
  Result<const Segment*> seg = SegmentOf(doc);
  if (!seg.ok()) return seg.status();
  DocRecord r;
  NEARDUP_RETURN_IF_ERROR(seg.value()->Read(internal::kDocsSection,
                                            (doc - seg.value()->header.first) * sizeof(DocRecord),
                                            sizeof(DocRecord), &r));
  PriorDoc rep = r.representative;
  for (auto it = merged_.find(rep); it != merged_.end(); it = merged_.find(rep)) rep = it->second;
  return rep;
}

Result<DocumentInfo> IndexSnapshot::Describe(PriorDoc doc) {
  Result<const Segment*> found = SegmentOf(doc);
  if (!found.ok()) return found.status();
  const Segment& seg = *found.value();
  DocRecord r;
  NEARDUP_RETURN_IF_ERROR(seg.Read(
      internal::kDocsSection, (doc - seg.header.first) * sizeof(DocRecord), sizeof(DocRecord), &r));
  if (r.input >= seg.batch.inputs.size()) return seg.Corrupt("document input out of range");
  const std::uint32_t file_len = r.file_len == internal::kSourceIsInput ? 0 : r.file_len;
  const std::uint64_t strings_size = seg.header.table[internal::kStringsSection].size;
  if (r.strings > strings_size || std::uint64_t{r.id_len} + file_len > strings_size - r.strings) {
    return seg.Corrupt("document strings out of range");
  }
  std::string strings(std::size_t{r.id_len} + file_len, '\0');
  NEARDUP_RETURN_IF_ERROR(
      seg.Read(internal::kStringsSection, r.strings, strings.size(), strings.data()));
  DocumentInfo info;
  info.id = strings.substr(0, r.id_len);
  info.source.file = file_len == 0 && r.file_len == internal::kSourceIsInput
                         ? seg.batch.given[r.input]
                         : strings.substr(r.id_len);
  info.source.line = r.line;
  info.input = r.input;
  info.offset = r.offset;
  info.batch = seg.batch.name;
  return info;
}

Result<bool> IndexSnapshot::ReadText(PriorDoc doc, Document* out) {
  Result<DocumentInfo> info = Describe(doc);
  if (!info.ok()) return info.status();
  if (info.value().offset == kNoOffset) return false;
  const auto b = static_cast<std::size_t>(
      std::upper_bound(batches_.begin(), batches_.end(), doc,
                       [](PriorDoc d, const IndexBatch& x) { return d < x.first; }) -
      batches_.begin() - 1);
  // One batch's reader at a time: the exact check asks in document order,
  // so memory does not grow with the number of earlier batches.
  if (!open_batches_.empty() && open_batches_.begin()->first != b) open_batches_.clear();
  std::unique_ptr<DocumentReader>& reader = open_batches_[b];
  if (reader == nullptr) {
    ReaderOptions options = reader_;
    options.id_field = segments_[b]->batch.id_field;
    options.text_field = segments_[b]->batch.text_field;
    Result<std::unique_ptr<DocumentReader>> opened = OpenReader(batches_[b].inputs, options);
    if (!opened.ok()) return false;  // the batch's input is gone: decide on the estimate
    reader = std::move(opened).value();
  }
  if (!reader->ReadAt(info.value().input, info.value().offset, info.value().source.line, out)
           .ok()) {
    return false;
  }
  return out->id == info.value().id;  // otherwise the input changed since
}

Status IndexSnapshot::Record(const IndexedBatch&) { return Status::OK(); }  // read-only

Result<IndexFigures> IndexSnapshot::Figures() const {
  IndexFigures f;
  f.batches = batches_.size();
  f.documents = documents();
  f.bytes = manifest_text_.size();
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    f.indexed += segments_[i]->header.indexed;
    f.bytes += batches_[i].bytes;
  }
  for (const RunsLine& r : runs_lines_) f.bytes += r.bytes;
  f.merges = merged_.size();
  return f;
}

Status IndexSnapshot::Verify() const {
  std::vector<std::vector<bool>> indexed(batches_.size());
  for (std::size_t i = 0; i < batches_.size(); ++i) {
    NEARDUP_RETURN_IF_ERROR(segments_[i]->Verify(batches_[i], &indexed[i]));
    const LshParams lsh = OptimalLshParams(options_.lsh, options_.minhash.num_perm);
    const bool near = options_.level == Level::kNear;
    const internal::SegmentHeader& h = segments_[i]->header;
    if (h.bands != (near ? static_cast<std::uint32_t>(lsh.bands) : 0) ||
        h.sketch_bytes !=
            (near ? static_cast<std::uint32_t>(MinHasher(options_.minhash).sketch_bytes()) : 0)) {
      return segments_[i]->Corrupt("bands or sketch size differ from the index options");
    }
  }
  // Run files: size and checksum against the MANIFEST, then every entry
  // against the indexed documents of the batches they cover.
  std::size_t line = 0;
  for (const internal::RunSource& r : runs_->sources) {
    if (!r.run_file) continue;  // a format 1 segment's own runs: checked with the segment
    const RunsLine& expected = runs_lines_[line++];
    if (r.band_runs.offset + r.band_runs.size != expected.bytes) {
      return Status::InvalidInput(r.path + ": size " +
                                  std::to_string(r.band_runs.offset + r.band_runs.size) +
                                  ", the MANIFEST says " + std::to_string(expected.bytes));
    }
    if (r.bands != segments_[r.first_batch]->header.bands) {
      return Status::InvalidInput(r.path + ": bands differ from the index's");
    }
    std::vector<bool> covered;
    for (std::uint64_t b = r.first_batch; b < r.first_batch + r.batches; ++b) {
      covered.insert(covered.end(), indexed[b].begin(), indexed[b].end());
    }
    NEARDUP_RETURN_IF_ERROR(internal::VerifyRuns(r, covered));
  }
  return Status::OK();
}

std::vector<std::string> IndexSnapshot::Leftovers() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (name == kManifest || name == kLock) continue;
    const bool named = std::any_of(batches_.begin(), batches_.end(),
                                   [&name](const IndexBatch& b) { return b.segment == name; }) ||
                       std::any_of(runs_lines_.begin(), runs_lines_.end(),
                                   [&name](const RunsLine& r) { return r.file == name; });
    if (!named) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------------------
// IndexAdd

IndexAdd::~IndexAdd() {
  segment_.reset();  // uncommitted: removes its temporary file
  runs_file_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

Result<std::unique_ptr<IndexAdd>> IndexAdd::Begin(const std::string& dir, std::string name,
                                                  const std::vector<std::string>& inputs,
                                                  const ReaderOptions& reader, bool* locked) {
  if (locked != nullptr) *locked = false;
  std::unique_ptr<IndexAdd> add(new IndexAdd());
  const std::string lock = (fs::path(dir) / kLock).string();
  if (!fs::exists(fs::path(dir) / kManifest)) {
    return Status::InvalidInput(dir + ": not an index (no MANIFEST; see neardup index init)");
  }
  add->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (add->lock_fd_ < 0) return Status::IOError(lock + ": " + std::strerror(errno));
  if (::flock(add->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return Status::IOError(lock + ": " + std::strerror(errno));
    if (locked != nullptr) *locked = true;
    return Status::InvalidArgument("index " + dir +
                                   " is locked: another `neardup index add` is running on it");
  }
  NEARDUP_RETURN_IF_ERROR(add->Load(dir, reader));
  add->RemoveUnnamedRuns();
  if (name.empty()) name = std::to_string(add->batches_.size() + 1);
  if (!ValidBatchName(name)) {
    return Status::InvalidArgument("batch name \"" + name +
                                   "\": use 1-128 letters, digits, '.', '_', ':' or '-'");
  }
  add->given_ = inputs;
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::path abs = fs::absolute(input, ec);
    add->inputs_.push_back(abs.lexically_normal().string());
  }
  for (const IndexBatch& b : add->batches_) {
    if (b.name != name) continue;
    if (b.inputs != add->inputs_) {
      return Status::InvalidArgument("batch " + name + " is already in " + dir +
                                     " with other inputs; choose another --batch name");
    }
    add->already_added_ = true;
  }
  add->name_ = std::move(name);
  // A rerun of an add killed while merging runs finishes the merge, so that
  // it leaves the index an uninterrupted add would have.
  if (add->already_added_) NEARDUP_RETURN_IF_ERROR(add->MergeRuns());
  return add;
}

void IndexAdd::RemoveUnnamedRuns() const {
  std::error_code ec;
  for (const std::string& path : Leftovers()) {
    const std::string name = fs::path(path).filename().string();
    if (name.rfind(kRunsPrefix, 0) == 0 || name.rfind(std::string(".") + kRunsPrefix, 0) == 0) {
      fs::remove(path,
                 ec);  // a run file a merge replaced, or one of an add killed before its MANIFEST
    }
  }
}

Status IndexAdd::Reload() {
  batches_.clear();
  segments_.clear();
  runs_.reset();
  runs_lines_.clear();
  merged_.clear();
  open_batches_.clear();
  return Load(dir_, reader_);
}

// Merge policy: the newest runs are merged with older ones while the older
// run covers no more batches than all the newer ones together, so the run
// files cover 2^k batches each (like the digits of a binary counter): at
// most log2(batches) + 1 runs per band, and each entry is rewritten about
// log2(batches) times over the index's life. The outcome depends only on
// the runs there are, so a rerun after a kill reaches the same files.
Status IndexAdd::MergeRuns() {
  const std::vector<internal::RunSource>& sources = runs_->sources;
  if (sources.size() < 2) return Status::OK();
  std::size_t from = sources.size() - 1;
  std::uint64_t newer = sources.back().batches;
  while (from > 0 && sources[from - 1].batches <= newer) newer += sources[--from].batches;
  if (from + 1 == sources.size()) return Status::OK();
  std::vector<const internal::RunSource*> merging;
  for (std::size_t i = from; i < sources.size(); ++i) merging.push_back(&sources[i]);
  RunsLine merged{RunFileName(sources[from].first_batch, newer), sources[from].first_batch, newer,
                  0, 0};
  Result<std::unique_ptr<AtomicFile>> out =
      AtomicFile::Create((fs::path(dir_) / merged.file).string());
  if (!out.ok()) return out.status();
  NEARDUP_RETURN_IF_ERROR(
      internal::MergeRuns(merging, out.value()->stream(), &merged.bytes, &merged.checksum));
  NEARDUP_RETURN_IF_ERROR(out.value()->Commit());
  std::vector<RunsLine> lines;
  for (const RunsLine& r : runs_lines_) {
    if (r.first_batch < merged.first_batch) lines.push_back(r);
  }
  lines.push_back(merged);
  NEARDUP_RETURN_IF_ERROR(
      WriteManifest(dir_, options_, batches_, lines));  // the merge takes effect
  NEARDUP_RETURN_IF_ERROR(Reload());
  RemoveUnnamedRuns();
  return Status::OK();
}

Status IndexAdd::Record(const IndexedBatch& batch) {
  char file[32];
  std::snprintf(file, sizeof(file), "seg-%06zu.nds", batches_.size() + 1);
  Result<std::unique_ptr<AtomicFile>> out = AtomicFile::Create((fs::path(dir_) / file).string());
  if (!out.ok()) return out.status();
  segment_ = std::move(out).value();
  internal::BatchSection meta{name_, reader_.id_field, reader_.text_field, inputs_, given_};
  const bool near = options_.level == Level::kNear;
  const LshParams lsh = OptimalLshParams(options_.lsh, options_.minhash.num_perm);
  recorded_ = IndexBatch{name_, file, documents(), batch.documents, 0, 0, inputs_};
  const std::uint32_t bands = near ? static_cast<std::uint32_t>(lsh.bands) : 0;
  NEARDUP_RETURN_IF_ERROR(internal::WriteSegment(
      batch, meta, documents(), bands,
      near ? static_cast<std::uint32_t>(MinHasher(options_.minhash).sketch_bytes()) : 0,
      segment_->stream(), &recorded_.bytes, &recorded_.checksum));
  recorded_runs_ = RunsLine{RunFileName(batches_.size(), 1), batches_.size(), 1, 0, 0};
  Result<std::unique_ptr<AtomicFile>> runs =
      AtomicFile::Create((fs::path(dir_) / recorded_runs_.file).string());
  if (!runs.ok()) return runs.status();
  runs_file_ = std::move(runs).value();
  return internal::WriteRunFile(batch, batches_.size(), documents(), bands, runs_file_->stream(),
                                &recorded_runs_.bytes, &recorded_runs_.checksum);
}

Status IndexAdd::Commit() {
  if (segment_ == nullptr || runs_file_ == nullptr) {
    return Status::Internal("IndexAdd::Commit before Record");
  }
  NEARDUP_RETURN_IF_ERROR(segment_->Commit());  // fsync, rename, fsync the directory
  NEARDUP_RETURN_IF_ERROR(runs_file_->Commit());
  std::vector<IndexBatch> batches = batches_;
  batches.push_back(recorded_);
  std::vector<RunsLine> lines = runs_lines_;
  lines.push_back(recorded_runs_);
  NEARDUP_RETURN_IF_ERROR(WriteManifest(dir_, options_, batches, lines));  // the add takes effect
  // Then the newest runs are merged: a kill from here on leaves the batch
  // added, with its runs merged or not (a rerun finishes the merge).
  NEARDUP_RETURN_IF_ERROR(Reload());
  return MergeRuns();
}

}  // namespace neardup
