// SignPart and LoadSignedParts: the signing pass split over processes or
// machines (python/neardup/dask.py), its results carried in part files.
//
// A part file, all integers 64-bit in the host's byte order (the exact
// fingerprints are host-order too: parts go to machines of one
// architecture):
//   "NDPART01"  options digest  part  parts  block documents  documents in the input
//   documents in this part  bands  sketch bytes  bytes  truncated  repaired
//   per document, in input order: id, source file (strings: length, bytes),
//     line, input, bytes, words, url (string), offset, exact fingerprint
//     (low, high), band keys (bands), sketch (sketch bytes)
//   skipped records (part 0 only; count, then id, file, line, input,
//     reason, bad, documents before)
//   XXH3-64 of every byte before it
// Written through AtomicFile (a temporary name renamed into place), so a
// reader sees a whole file or none, and a task run twice writes the same bytes.
#include <tbb/task_arena.h>
#include <xxhash.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "pipeline/pipeline_internal.h"

namespace neardup {
namespace {

constexpr std::string_view kMagic = "NDPART01";

// What the signatures depend on besides the documents: parts signed under
// other options must not be merged.
std::uint64_t OptionsDigest(const PipelineOptions& o, const LshParams& lsh) {
  const std::uint64_t values[] = {static_cast<std::uint64_t>(o.level),
                                  static_cast<std::uint64_t>(o.method),
                                  o.normalize.nfkc,
                                  o.normalize.case_fold,
                                  static_cast<std::uint64_t>(o.shingle.size),
                                  o.shingle.seed,
                                  static_cast<std::uint64_t>(o.minhash.num_perm),
                                  o.minhash.seed,
                                  static_cast<std::uint64_t>(o.minhash.scheme),
                                  static_cast<std::uint64_t>(o.minhash.sketch_bins),
                                  static_cast<std::uint64_t>(lsh.bands),
                                  static_cast<std::uint64_t>(lsh.rows),
                                  o.max_document_bytes};
  return XXH3_64bits(values, sizeof(values));
}

class PartWriter {
 public:
  void U64(std::uint64_t v) { Bytes(&v, sizeof(v)); }
  void Str(std::string_view s) {
    U64(s.size());
    Bytes(s.data(), s.size());
  }
  void Bytes(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  // Appends the checksum; the finished file's bytes.
  std::string& Finish() {
    U64(XXH3_64bits(bytes_.data(), bytes_.size()));
    return bytes_;
  }

 private:
  std::string bytes_;
};

class PartReader {
 public:
  PartReader(std::string_view bytes, std::string path) : bytes_(bytes), path_(std::move(path)) {}
  bool U64(std::uint64_t* v) { return Bytes(v, sizeof(*v)); }
  bool Str(std::string* s) {
    std::uint64_t n = 0;
    if (!U64(&n) || n > bytes_.size() - pos_) return false;
    s->assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool Bytes(void* p, std::size_t n) {
    if (n > bytes_.size() - pos_) return false;
    if (n == 0) return true;  // p may be an empty vector's null data()
    std::memcpy(p, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  Status Error(const std::string& what) const { return Status::InvalidInput(path_ + ": " + what); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string path_;
};

struct Header {
  std::uint64_t digest, part, parts, block, input_documents, documents, bands, sketch_bytes;
  std::uint64_t bytes, truncated, repaired;
};

}  // namespace

Status SignPart(const Pipeline::InputFactory& open_input, const PipelineOptions& options,
                const PartSpec& spec, const std::string& out_path) {
  NEARDUP_RETURN_IF_ERROR(Pipeline(options).Validate());
  const std::size_t part = spec.part;
  const std::size_t parts = spec.parts;
  if (parts == 0 || part >= parts || spec.block_documents == 0) {
    return Status::InvalidArgument("part " + std::to_string(part) + " of " + std::to_string(parts) +
                                   ": need part < parts, block > 0");
  }
  const bool minhash = options.level == Level::kNear && options.method == NearMethod::kMinHash;
  if (options.level != Level::kExact && !minhash) {
    return Status::InvalidArgument("signing in parts supports the exact level and MinHash only");
  }
  std::optional<MinHasher> hasher;
  LshParams lsh;
  if (minhash) {
    hasher.emplace(options.minhash);
    lsh = OptimalLshParams(options.lsh, options.minhash.num_perm);
  }
  const std::size_t bands = hasher ? static_cast<std::size_t>(lsh.bands) : 0;
  const std::size_t sketch_bytes = hasher ? hasher->sketch_bytes() : 0;
  internal::SignedDocuments docs(bands, sketch_bytes);
  RunStats stats;
  std::size_t input_documents = 0;
  std::unique_ptr<DocumentReader> reader;
  Status status;
  tbb::task_arena arena(EffectiveThreads(options.threads));
  arena.execute([&] {
    Result<std::unique_ptr<DocumentReader>> opened = open_input();
    if (!opened.ok()) {
      status = opened.status();
      return;
    }
    reader = std::move(opened).value();
    internal::BatchSigner signer(options, hasher ? &*hasher : nullptr, lsh, nullptr, nullptr, false,
                                 &docs, &stats);
    const internal::PartOf of{spec};
    std::vector<Document> mine;
    status = internal::ForEachBatch(
        *reader, options,
        [&](std::vector<Document>& batch, DocIndex first) -> Status {
          mine.clear();
          for (std::size_t i = 0; i < batch.size(); ++i) {
            if (of.Has(first + i)) mine.push_back(std::move(batch[i]));
          }
          input_documents = first + batch.size();
          signer.Sign(mine);
          return Status::OK();
        },
        nullptr, nullptr, nullptr, &of);
  });
  NEARDUP_RETURN_IF_ERROR(status);

  PartWriter w;
  w.Bytes(kMagic.data(), kMagic.size());
  for (const std::uint64_t v :
       {OptionsDigest(options, lsh), std::uint64_t{part}, std::uint64_t{parts},
        std::uint64_t{spec.block_documents}, std::uint64_t{input_documents},
        std::uint64_t{docs.infos.size()}, std::uint64_t{bands}, std::uint64_t{sketch_bytes},
        stats.bytes, stats.truncated_documents, stats.repaired_bytes}) {
    w.U64(v);
  }
  for (const DocumentInfo& info : docs.infos) {
    w.Str(info.id);
    w.Str(info.source.file);
    for (const std::uint64_t v : {info.source.line, std::uint64_t{info.input},
                                  std::uint64_t{info.bytes}, std::uint64_t{info.words}}) {
      w.U64(v);
    }
    w.Str(info.url);
    w.U64(info.offset);
    const Fingerprint128 fp = docs.sigs.exact[info.index];
    w.U64(fp.low);
    w.U64(fp.high);
    if (bands > 0) w.Bytes(docs.sigs.band_keys.Row(info.index).data(), bands * 8);
    if (sketch_bytes > 0) w.Bytes(docs.sigs.sketch.Row(info.index).data(), sketch_bytes);
  }
  const std::vector<SkippedRecord>& skipped = reader->skipped();
  w.U64(part == 0 ? skipped.size() : 0);
  for (std::size_t i = 0; part == 0 && i < skipped.size(); ++i) {
    const SkippedRecord& r = skipped[i];
    w.Str(r.id);
    w.Str(r.source.file);
    w.U64(r.source.line);
    w.U64(r.input);
    w.Str(r.reason);
    w.U64(r.bad);
    w.U64(r.documents_before);
  }
  Result<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(out_path);
  if (!file.ok()) return file.status();
  NEARDUP_RETURN_IF_ERROR(file.value()->Write(w.Finish()));
  return file.value()->Commit();
}

namespace internal {
namespace {

Status ReadPart(const std::string& path, std::string* bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IOError(path + ": " + std::strerror(errno));
  bytes->clear();
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), f)) > 0) bytes->append(buffer, got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::IOError(path + ": read error");
  return Status::OK();
}

// The part's documents, appended to *out (in part order; LoadSignedParts
// deals them back into input order).
Status ParsePart(const std::string& path, std::string_view bytes, Header* h,
                 std::vector<DocumentInfo>* infos, std::vector<std::uint64_t>* band_keys,
                 std::vector<std::uint8_t>* sketches, std::vector<Fingerprint128>* exact,
                 std::vector<SkippedRecord>* skipped) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::InvalidInput(path + ": not a part file of this version (no \"NDPART01\")");
  }
  std::uint64_t sum = 0;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  if (XXH3_64bits(bytes.data(), bytes.size() - 8) != sum) {
    return Status::InvalidInput(path + ": checksum mismatch (damaged or cut short)");
  }
  PartReader r(bytes.substr(kMagic.size(), bytes.size() - kMagic.size() - 8), path);
  for (std::uint64_t* v :
       {&h->digest, &h->part, &h->parts, &h->block, &h->input_documents, &h->documents, &h->bands,
        &h->sketch_bytes, &h->bytes, &h->truncated, &h->repaired}) {
    if (!r.U64(v)) return r.Error("header cut short");
  }
  infos->resize(h->documents);
  band_keys->resize(h->documents * h->bands);
  sketches->resize(h->documents * h->sketch_bytes);
  exact->resize(h->documents);
  for (std::size_t d = 0; d < h->documents; ++d) {
    DocumentInfo& info = (*infos)[d];
    std::uint64_t input = 0, doc_bytes = 0, words = 0;
    if (!r.Str(&info.id) || !r.Str(&info.source.file) || !r.U64(&info.source.line) ||
        !r.U64(&input) || !r.U64(&doc_bytes) || !r.U64(&words) || !r.Str(&info.url) ||
        !r.U64(&info.offset) || !r.U64(&(*exact)[d].low) || !r.U64(&(*exact)[d].high) ||
        !r.Bytes(band_keys->data() + d * h->bands, h->bands * 8) ||
        !r.Bytes(sketches->data() + d * h->sketch_bytes, h->sketch_bytes)) {
      return r.Error("document " + std::to_string(d) + " cut short");
    }
    info.input = input;
    info.bytes = doc_bytes;
    info.words = words;
  }
  std::uint64_t count = 0;
  if (!r.U64(&count)) return r.Error("skipped records cut short");
  for (std::uint64_t i = 0; i < count; ++i) {
    SkippedRecord& s = skipped->emplace_back();
    std::uint64_t input = 0, bad = 0;
    if (!r.Str(&s.id) || !r.Str(&s.source.file) || !r.U64(&s.source.line) || !r.U64(&input) ||
        !r.Str(&s.reason) || !r.U64(&bad) || !r.U64(&s.documents_before)) {
      return r.Error("skipped record " + std::to_string(i) + " cut short");
    }
    s.input = input;
    s.bad = bad != 0;
  }
  if (!r.AtEnd()) return r.Error("bytes after the last record");
  return Status::OK();
}

}  // namespace

Status LoadSignedParts(const PipelineOptions& options, const LshParams& lsh,
                       std::size_t sketch_bytes, SignedDocuments* out,
                       std::vector<SkippedRecord>* skipped, RunStats* stats) {
  const std::size_t parts = options.signed_parts.size();
  const std::uint64_t digest = OptionsDigest(options, lsh);
  const auto bands = static_cast<std::size_t>(lsh.bands);
  struct Part {
    std::vector<DocumentInfo> infos;
    std::vector<std::uint64_t> band_keys;
    std::vector<std::uint8_t> sketches;
    std::vector<Fingerprint128> exact;
    std::string path;
  };
  std::vector<Part> by_index(parts);
  std::vector<bool> seen(parts, false);
  std::uint64_t input_documents = 0;
  std::uint64_t block = 1;
  std::string bytes;
  for (const std::string& path : options.signed_parts) {
    NEARDUP_RETURN_IF_ERROR(ReadPart(path, &bytes));
    Header h{};
    Part p;
    NEARDUP_RETURN_IF_ERROR(
        ParsePart(path, bytes, &h, &p.infos, &p.band_keys, &p.sketches, &p.exact, skipped));
    if (h.digest != digest || h.bands != bands || h.sketch_bytes != sketch_bytes) {
      return Status::InvalidArgument(path + ": signed with other options than this run's");
    }
    if (h.parts != parts || h.part >= parts || seen[h.part]) {
      return Status::InvalidArgument(
          path + ": part " + std::to_string(h.part) + " of " + std::to_string(h.parts) + ", but " +
          std::to_string(parts) + " part files were given" +
          (h.part < parts && seen[h.part] ? " (it is given twice)" : ""));
    }
    if (&path != &options.signed_parts.front() && h.block != block) {
      return Status::InvalidArgument(path + ": parts dealt in blocks of " +
                                     std::to_string(h.block) + " and " + std::to_string(block));
    }
    block = h.block;
    if (block == 0) return Status::InvalidInput(path + ": blocks of 0 documents");
    if (&path != &options.signed_parts.front() && h.input_documents != input_documents) {
      return Status::InvalidArgument(
          path + ": its input held " + std::to_string(h.input_documents) +
          " documents, another "
          "part's " +
          std::to_string(input_documents) + " (the input changed between parts)");
    }
    input_documents = h.input_documents;
    seen[h.part] = true;
    p.path = path;
    stats->bytes += h.bytes;
    stats->truncated_documents += h.truncated;
    stats->repaired_bytes += h.repaired;
    by_index[h.part] = std::move(p);
  }
  // Deal the documents back: block b of the input is part b % parts.
  std::vector<std::size_t> next(parts, 0);
  out->sigs.exact.Resize(input_documents);
  out->sigs.band_keys.Resize(input_documents);
  out->sigs.sketch.Resize(input_documents);
  for (std::size_t d = 0; d < input_documents; ++d) {
    const std::size_t k = (d / block) % parts;
    Part& p = by_index[k];
    const std::size_t i = next[k]++;
    if (i >= p.infos.size()) {
      return Status::InvalidInput(p.path + ": holds fewer documents than its part of the input");
    }
    DocumentInfo& info = out->infos.emplace_back(std::move(p.infos[i]));
    info.index = static_cast<DocIndex>(d);
    out->sigs.exact[d] = p.exact[i];
    std::copy_n(p.band_keys.data() + i * bands, bands, out->sigs.band_keys.Row(d).data());
    std::copy_n(p.sketches.data() + i * sketch_bytes, sketch_bytes, out->sigs.sketch.Row(d).data());
  }
  for (std::size_t k = 0; k < parts; ++k) {
    if (next[k] != by_index[k].infos.size()) {
      return Status::InvalidInput(by_index[k].path +
                                  ": holds more documents than its part of the input");
    }
  }
  return Status::OK();
}

}  // namespace internal
}  // namespace neardup
