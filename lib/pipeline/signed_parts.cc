// SignPart and LoadSignedParts: the signing pass split over processes or
// machines (python/neardup/dask.py), its results carried in part files.
//
// A part file, all integers 64-bit in the host's byte order (the exact
// fingerprints are host-order too: parts go to machines of one
// architecture):
//   "NDPART03"  options digest  part  parts  split (0 blocks, 1 ranges)
//   block documents  documents in the input (ranges: in this part)
//   documents in this part  bands  sketch bytes  bytes  truncated  repaired
//   bytes of all inputs (ranges; else 0)
//   per document, in input order: id, source file (strings: length, bytes),
//     line, input, bytes, words, url (string), offset, exact fingerprint
//     (low, high), band keys (bands), sketch (sketch bytes), SimHash
//     fingerprint (near level with SimHash), story draft (story level,
//     part_story.cc), flags (1 byte, internal::PartRecordFlags)
//   skipped records (blocks: part 0 only; count, then id, file, line, input,
//     reason, bad, documents before (ranges: within the part), flags byte)
//   lines of each input's range piece (count, then one per input; ranges)
//   story level: the words the part's documents hold, counted while
//     signing (DocumentFrequencies::Serialize as a string; empty when the
//     run does not count them in its signing pass: with --stats)
//   XXH3-64 of every byte before it
// Written through AtomicFile (a temporary name renamed into place), so a
// reader sees a whole file or none, and a task run twice writes the same bytes.
#include <tbb/task_arena.h>
#include <xxhash.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "pipeline/level.h"
#include "pipeline/part_file.h"
#include "pipeline/part_ranges.h"
#include "pipeline/pipeline_internal.h"

namespace neardup {
namespace {

constexpr std::string_view kMagic = "NDPART03";

using internal::PartReader;
using internal::PartWriter;

std::uint64_t StatisticsDigest(const PipelineOptions& o) {
  if (!o.statistics) return 0;
  const std::string bytes = o.statistics->Serialize();
  return XXH3_64bits(bytes.data(), bytes.size());
}

// What the signatures depend on besides the documents: parts signed under
// other options must not be merged.
std::uint64_t OptionsDigest(const PipelineOptions& o, const LshParams& lsh) {
  const std::uint64_t values[] = {
      static_cast<std::uint64_t>(o.level),
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
      o.max_document_bytes,
      static_cast<std::uint64_t>(o.simhash.shingle_size),
      static_cast<std::uint64_t>(o.simhash.weight),
      o.story.compare.normalize.nfkc,
      o.story.compare.normalize.case_fold,
      static_cast<std::uint64_t>(o.story.compare.salient_terms),
      static_cast<std::uint64_t>(o.story.compare.lead_sentences),
      static_cast<std::uint64_t>(o.story.compare.lead_weight),
      std::bit_cast<std::uint64_t>(o.story.compare.feature_weight),
      o.story.use_background,
      StatisticsDigest(o)};  // they weigh SimHash's shingles, pick salient words
  return XXH3_64bits(values, sizeof(values));
}

struct Header {
  std::uint64_t digest, part, parts, split, block, input_documents, documents, bands, sketch_bytes;
  std::uint64_t bytes, truncated, repaired, input_bytes;
};

// What only a range part has to say (null members for a block part).
struct RangeExtras {
  const internal::PartRangeReader* reader = nullptr;
  std::uint64_t input_bytes = 0;
  std::size_t inputs = 0;
};

}  // namespace

namespace {

// The part file's document records, each with its range flags (0 in a
// block part).
// `words` names the words of story drafts (the story level only).
void WriteDocuments(internal::SignedDocuments& docs, const internal::WordDictionaries* words,
                    std::size_t bands, std::size_t sketch_bytes, const RangeExtras& ranges,
                    PartWriter* out) {
  PartWriter& w = *out;
  const bool range = ranges.reader != nullptr;
  const bool simhash = !docs.sigs.simhash.empty();
  internal::PartStoryDocument story;
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
    if (simhash) w.U64(docs.sigs.simhash[info.index]);
    if (words != nullptr) {
      internal::CompactDraft& draft = docs.drafts[info.index];
      story.salient.clear();
      draft.AppendSalient(*words, &story.salient);
      story.draft = draft.Expand(*words);
      internal::WriteStoryDocument(story, &w);
    }
    const std::uint8_t flags = range ? ranges.reader->document_flags()[info.index] : 0;
    w.Bytes(&flags, 1);
  }
}

// The part file's skipped records (none unless `carries`), each with its
// range flags (0 in a block part).
void WriteSkipped(const std::vector<SkippedRecord>& skipped, bool carries,
                  const RangeExtras& ranges, PartWriter* out) {
  PartWriter& w = *out;
  const bool range = ranges.reader != nullptr;
  w.U64(carries ? skipped.size() : 0);
  for (std::size_t i = 0; carries && i < skipped.size(); ++i) {
    const SkippedRecord& r = skipped[i];
    w.Str(r.id);
    w.Str(r.source.file);
    w.U64(r.source.line);
    w.U64(r.input);
    w.Str(r.reason);
    w.U64(r.bad);
    w.U64(r.documents_before);
    const std::uint8_t flags = range ? ranges.reader->skipped_flags()[i] : 0;
    w.Bytes(&flags, 1);
  }
}

// The part file's header: magic, the options' digest, which part of how many,
// and the counts the final step checks before it reads the documents.
void WriteHeader(const PipelineOptions& options, const LshParams& lsh, const PartSpec& spec,
                 bool range, std::size_t input_documents, std::size_t documents, std::size_t bands,
                 std::size_t sketch_bytes, const RunStats& stats, const RangeExtras& ranges,
                 PartWriter* w) {
  w->Bytes(kMagic.data(), kMagic.size());
  for (const std::uint64_t v :
       {OptionsDigest(options, lsh), std::uint64_t{spec.part}, std::uint64_t{spec.parts},
        std::uint64_t{range ? 1u : 0u}, std::uint64_t{range ? 0 : spec.block_documents},
        std::uint64_t{input_documents}, std::uint64_t{documents}, std::uint64_t{bands},
        std::uint64_t{sketch_bytes}, stats.bytes, stats.truncated_documents, stats.repaired_bytes,
        ranges.input_bytes}) {
    w->U64(v);
  }
}

// Signs what `open_input` yields (with `of`: only that block part's
// documents) and writes the part file.
Status SignAndWrite(const Pipeline::InputFactory& open_input, const PipelineOptions& options,
                    const PartSpec& spec, const internal::PartOf* of, const RangeExtras& ranges,
                    const std::string& out_path) {
  const bool minhash = options.level == Level::kNear && options.method == NearMethod::kMinHash;
  const bool story = options.level == Level::kStory;
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
  // The story level signs with the rarity a whole run signs with: the
  // statistics, or the background alone while the words are counted
  // (CheckPartOptions rules out the case that needs the input counted first).
  std::optional<TermRarity> rarity;
  bool count_words = false;
  internal::WordDictionaries words;
  if (story) {
    Result<TermRarity> r = internal::StoryRarity(options, open_input, &stats, &count_words);
    if (!r.ok()) return r.status();
    rarity = std::move(r).value();
  }
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
    internal::BatchSigner signer(options, hasher ? &*hasher : nullptr, lsh,
                                 rarity ? &*rarity : nullptr, story ? &words : nullptr, count_words,
                                 &docs, &stats);
    std::vector<Document> mine;
    status = internal::ForEachBatch(
        *reader, options,
        [&](std::vector<Document>& batch, DocIndex first) -> Status {
          input_documents = first + batch.size();
          if (of == nullptr) {
            signer.Sign(batch);
            return Status::OK();
          }
          mine.clear();
          for (std::size_t i = 0; i < batch.size(); ++i) {
            if (of->Has(first + i)) mine.push_back(std::move(batch[i]));
          }
          signer.Sign(mine);
          return Status::OK();
        },
        nullptr, nullptr, nullptr, of);
  });
  NEARDUP_RETURN_IF_ERROR(status);

  const bool range = ranges.reader != nullptr;
  PartWriter w;
  WriteHeader(options, lsh, spec, range, input_documents, docs.infos.size(), bands, sketch_bytes,
              stats, ranges, &w);
  WriteDocuments(docs, story ? &words : nullptr, bands, sketch_bytes, ranges, &w);
  // Block parts all read every skipped record: part 0 carries them.
  WriteSkipped(reader->skipped(), range || spec.part == 0, ranges, &w);
  w.U64(range ? ranges.inputs : 0);
  for (std::size_t i = 0; range && i < ranges.inputs; ++i) {
    w.U64(ranges.reader->piece_lines()[i]);
  }
  if (story) w.Str(count_words ? words.Counts().Serialize() : std::string());
  Result<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(out_path);
  if (!file.ok()) return file.status();
  NEARDUP_RETURN_IF_ERROR(file.value()->Write(w.Finish()));
  return file.value()->Commit();
}

// PartSpec::word_counts: counts the words of what `open_input` yields (with
// `of`: only that block part's documents) and writes the table.
Status CountAndWrite(const Pipeline::InputFactory& open_input, const PipelineOptions& options,
                     const internal::PartOf* of, const std::string& out_path) {
  Result<std::unique_ptr<DocumentReader>> opened = open_input();
  if (!opened.ok()) return opened.status();
  Result<DocumentFrequencies> counted = internal::CountFrequencies(*opened.value(), options, of);
  if (!counted.ok()) return counted.status();
  Result<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(out_path);
  if (!file.ok()) return file.status();
  NEARDUP_RETURN_IF_ERROR(file.value()->Write(counted.value().Serialize()));
  return file.value()->Commit();
}

Status CheckPartOptions(const PipelineOptions& options, const PartSpec& spec) {
  NEARDUP_RETURN_IF_ERROR(Pipeline(options).Validate());
  if (spec.parts == 0 || spec.part >= spec.parts || spec.block_documents == 0) {
    return Status::InvalidArgument("part " + std::to_string(spec.part) + " of " +
                                   std::to_string(spec.parts) + ": need part < parts, block > 0");
  }
  if (!spec.word_counts && options.level == Level::kStory && !options.statistics &&
      !(options.story.use_background && DefaultBackgroundFrequencies())) {
    // Its salient words need the whole input's counts before any is signed.
    return Status::InvalidArgument(
        "the story level without the background table signs in parts only with --stats (the "
        "input's word counts, counted first: neardup stats build)");
  }
  return Status::OK();
}

}  // namespace

Status SignPart(const Pipeline::InputFactory& open_input, const PipelineOptions& options,
                const PartSpec& spec, const std::string& out_path) {
  NEARDUP_RETURN_IF_ERROR(CheckPartOptions(options, spec));
  const internal::PartOf of{spec};
  if (spec.word_counts) return CountAndWrite(open_input, options, &of, out_path);
  return SignAndWrite(open_input, options, spec, &of, RangeExtras{}, out_path);
}

Status SignPartOfFiles(const std::vector<std::string>& inputs, const ReaderOptions& reader,
                       const PipelineOptions& options, const PartSpec& spec,
                       const std::string& out_path) {
  NEARDUP_RETURN_IF_ERROR(CheckPartOptions(options, spec));
  // Every input is checked up front as the whole read checks them (a missing
  // or unreadable input fails with the same message in every part).
  ReaderOptions opts = reader;
  opts.access_points = nullptr;
  Result<std::unique_ptr<DocumentReader>> all = OpenReader(inputs, opts);
  if (!all.ok()) return all.status();
  RangeExtras ranges;
  ranges.inputs = inputs.size();
  Result<std::vector<internal::PartPiece>> pieces =
      internal::PlanPartPieces(inputs, spec.part, spec.parts, &ranges.input_bytes);
  if (!pieces.ok()) return pieces.status();
  auto owned = std::make_unique<internal::PartRangeReader>(inputs, opts, std::move(pieces).value());
  ranges.reader = owned.get();
  const Pipeline::InputFactory input = [&owned]() -> Result<std::unique_ptr<DocumentReader>> {
    return std::unique_ptr<DocumentReader>(std::move(owned));
  };
  if (spec.word_counts) return CountAndWrite(input, options, nullptr, out_path);
  return SignAndWrite(input, options, spec, nullptr, ranges, out_path);
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

// One part file's contents.
struct ParsedPart {
  Header h{};
  std::vector<DocumentInfo> infos;
  std::vector<std::uint64_t> band_keys;
  std::vector<std::uint8_t> sketches;
  std::vector<Fingerprint128> exact;
  std::vector<std::uint8_t> flags;  // per document (PartRecordFlags)
  std::vector<SkippedRecord> skipped;
  std::vector<std::uint8_t> skipped_flags;
  std::vector<std::uint64_t> piece_lines;     // ranges: per input
  std::vector<std::uint64_t> simhash;         // per document (SimHash)
  std::vector<PartStoryDocument> story;       // per document (story level)
  std::optional<DocumentFrequencies> counts;  // story level, counted while signing
  std::string path;
};

// `options` tells which signatures the documents carry; a part whose
// header does not show `digest` of them is refused before its documents
// are read.
Status ParsePart(const std::string& path, std::string_view bytes, const PipelineOptions& options,
                 std::uint64_t digest, ParsedPart* p) {
  Header* h = &p->h;
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::InvalidInput(path + ": not a part file of this version (no \"" +
                                std::string(kMagic) + "\")");
  }
  std::uint64_t sum = 0;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  if (XXH3_64bits(bytes.data(), bytes.size() - 8) != sum) {
    return Status::InvalidInput(path + ": checksum mismatch (damaged or cut short)");
  }
  PartReader r(bytes.substr(kMagic.size(), bytes.size() - kMagic.size() - 8), path);
  for (std::uint64_t* v :
       {&h->digest, &h->part, &h->parts, &h->split, &h->block, &h->input_documents, &h->documents,
        &h->bands, &h->sketch_bytes, &h->bytes, &h->truncated, &h->repaired, &h->input_bytes}) {
    if (!r.U64(v)) return r.Error("header cut short");
  }
  if (h->digest != digest) {
    return Status::InvalidArgument(path + ": signed with other options than this run's");
  }
  p->infos.resize(h->documents);
  p->band_keys.resize(h->documents * h->bands);
  p->sketches.resize(h->documents * h->sketch_bytes);
  p->exact.resize(h->documents);
  p->flags.resize(h->documents);
  const bool simhash = IsSimHash(options);
  const bool story = options.level == Level::kStory;
  if (simhash) p->simhash.resize(h->documents);
  if (story) p->story.resize(h->documents);
  for (std::size_t d = 0; d < h->documents; ++d) {
    DocumentInfo& info = p->infos[d];
    std::uint64_t input = 0, doc_bytes = 0, words = 0;
    if (!r.Str(&info.id) || !r.Str(&info.source.file) || !r.U64(&info.source.line) ||
        !r.U64(&input) || !r.U64(&doc_bytes) || !r.U64(&words) || !r.Str(&info.url) ||
        !r.U64(&info.offset) || !r.U64(&p->exact[d].low) || !r.U64(&p->exact[d].high) ||
        !r.Bytes(p->band_keys.data() + d * h->bands, h->bands * 8) ||
        !r.Bytes(p->sketches.data() + d * h->sketch_bytes, h->sketch_bytes) ||
        (simhash && !r.U64(&p->simhash[d])) || (story && !ReadStoryDocument(&r, &p->story[d])) ||
        !r.Bytes(&p->flags[d], 1)) {
      return r.Error("document " + std::to_string(d) + " cut short");
    }
    info.input = input;
    info.bytes = doc_bytes;
    info.words = words;
  }
  std::uint64_t count = 0;
  if (!r.U64(&count)) return r.Error("skipped records cut short");
  for (std::uint64_t i = 0; i < count; ++i) {
    SkippedRecord& s = p->skipped.emplace_back();
    std::uint8_t& flags = p->skipped_flags.emplace_back();
    std::uint64_t input = 0, bad = 0;
    if (!r.Str(&s.id) || !r.Str(&s.source.file) || !r.U64(&s.source.line) || !r.U64(&input) ||
        !r.Str(&s.reason) || !r.U64(&bad) || !r.U64(&s.documents_before) || !r.Bytes(&flags, 1)) {
      return r.Error("skipped record " + std::to_string(i) + " cut short");
    }
    s.input = input;
    s.bad = bad != 0;
  }
  if (!r.U64(&count) || count > (1u << 30)) return r.Error("piece lines cut short");
  p->piece_lines.resize(count);
  for (std::uint64_t& lines : p->piece_lines) {
    if (!r.U64(&lines)) return r.Error("piece lines cut short");
  }
  if (story) {
    std::string counts;
    if (!r.Str(&counts)) return r.Error("word counts cut short");
    if (!counts.empty()) {
      Result<DocumentFrequencies> parsed = DocumentFrequencies::Parse(counts, path);
      if (!parsed.ok()) return parsed.status();
      p->counts = std::move(parsed).value();
    }
  }
  if (!r.AtEnd()) return r.Error("bytes after the last record");
  return Status::OK();
}

// A range part's record as the whole read names it: its line counted from
// the file's start (`shift` lines before the part's piece), and an id made
// up from the line made up again.
Status PlaceInFile(std::uint8_t flags, std::size_t input, const std::vector<std::uint64_t>& shift,
                   const std::string& path, SourceLocation* source, std::string* id) {
  if ((flags & kLineInPiece) == 0) return Status::OK();
  if (input >= shift.size()) return Status::InvalidInput(path + ": a record of an unknown input");
  source->line += shift[input];
  if ((flags & kIdFromLine) != 0) *id = source->ToString();
  return Status::OK();
}

// A part file (read from `path`) against the first one loaded: the same
// split, blocks and input.
Status CheckFitsFirst(const std::string& path, const ParsedPart& p, const ParsedPart& first) {
  const Header& h = p.h;
  const Header& f = first.h;
  if (h.split != f.split) {
    return Status::InvalidArgument(path + ": split in byte ranges and another part in blocks");
  }
  if (h.block != f.block) {
    return Status::InvalidArgument(path + ": parts dealt in blocks of " + std::to_string(h.block) +
                                   " and " + std::to_string(f.block));
  }
  if (h.split == 0 && h.input_documents != f.input_documents) {
    return Status::InvalidArgument(path + ": its input held " + std::to_string(h.input_documents) +
                                   " documents, another part's " +
                                   std::to_string(f.input_documents) +
                                   " (the input changed between parts)");
  }
  if (h.split == 1 &&
      (h.input_bytes != f.input_bytes || p.piece_lines.size() != first.piece_lines.size())) {
    return Status::InvalidArgument(path + ": its inputs held " + std::to_string(h.input_bytes) +
                                   " bytes, another part's " + std::to_string(f.input_bytes) +
                                   " (the input changed between parts, or other inputs)");
  }
  return Status::OK();
}

// Where the documents of the parts go, and how wide their rows are.
struct MergeTarget {
  std::size_t bands = 0;
  std::size_t sketch_bytes = 0;
  WordDictionaries* story_words = nullptr;  // story level: names the drafts' words
  SignedDocuments* out = nullptr;
};

// Document i of part *p as document d of *to.out (its info and draft moved).
DocumentInfo* TakeDocument(ParsedPart* p, std::size_t i, std::size_t d, const MergeTarget& to) {
  SignedDocuments* out = to.out;
  DocumentInfo& info = out->infos.emplace_back(std::move(p->infos[i]));
  info.index = static_cast<DocIndex>(d);
  out->sigs.exact[d] = p->exact[i];
  std::copy_n(p->band_keys.data() + i * to.bands, to.bands, out->sigs.band_keys.Row(d).data());
  std::copy_n(p->sketches.data() + i * to.sketch_bytes, to.sketch_bytes,
              out->sigs.sketch.Row(d).data());
  if (!p->simhash.empty()) out->sigs.simhash[d] = p->simhash[i];
  if (!p->story.empty()) {
    // The words are not counted here: the parts' counts are added whole.
    PartStoryDocument& story = p->story[i];
    out->drafts[d] =
        CompactDraft(std::move(story.draft), story.salient, false, &to.story_words->Local());
    std::vector<std::uint64_t>().swap(story.salient);
  }
  return &info;
}

// Range parts, in part order, into *out and *skipped: the parts in order are
// the input in order; lines and document counts of the parts before one are
// added to its records.
Status MergeRangeParts(const MergeTarget& to, std::vector<ParsedPart>* parts,
                       std::vector<SkippedRecord>* skipped) {
  std::vector<std::uint64_t> shift(parts->front().piece_lines.size(), 0);
  std::size_t d = 0;
  for (ParsedPart& p : *parts) {
    for (std::size_t i = 0; i < p.skipped.size(); ++i) {
      SkippedRecord& r = skipped->emplace_back(std::move(p.skipped[i]));
      r.documents_before += d;
      NEARDUP_RETURN_IF_ERROR(
          PlaceInFile(p.skipped_flags[i], r.input, shift, p.path, &r.source, &r.id));
    }
    for (std::size_t i = 0; i < p.infos.size(); ++i, ++d) {
      DocumentInfo* info = TakeDocument(&p, i, d, to);
      NEARDUP_RETURN_IF_ERROR(
          PlaceInFile(p.flags[i], info->input, shift, p.path, &info->source, &info->id));
    }
    for (std::size_t j = 0; j < shift.size(); ++j) shift[j] += p.piece_lines[j];
  }
  return Status::OK();
}

// Block parts: block b of the input is part b % parts; the documents are dealt
// back in input order, each part's skipped records appended in part order.
Status MergeBlockParts(const MergeTarget& to, std::vector<ParsedPart>* parts, std::uint64_t block,
                       std::uint64_t documents, std::vector<SkippedRecord>* skipped) {
  for (ParsedPart& p : *parts) {
    for (SkippedRecord& r : p.skipped) skipped->push_back(std::move(r));
  }
  std::vector<std::size_t> next(parts->size(), 0);
  for (std::size_t d = 0; d < documents; ++d) {
    const std::size_t k = (d / block) % parts->size();
    ParsedPart& p = (*parts)[k];
    const std::size_t i = next[k]++;
    if (i >= p.infos.size()) {
      return Status::InvalidInput(p.path + ": holds fewer documents than its part of the input");
    }
    TakeDocument(&p, i, d, to);
  }
  for (std::size_t k = 0; k < parts->size(); ++k) {
    if (next[k] != (*parts)[k].infos.size()) {
      return Status::InvalidInput((*parts)[k].path +
                                  ": holds more documents than its part of the input");
    }
  }
  return Status::OK();
}

}  // namespace

Status LoadSignedParts(const PipelineOptions& options, const LshParams& lsh,
                       std::size_t sketch_bytes, WordDictionaries* story_words, bool count_words,
                       SignedDocuments* out, std::vector<SkippedRecord>* skipped, RunStats* stats) {
  const std::size_t parts = options.signed_parts.size();
  const std::uint64_t digest = OptionsDigest(options, lsh);
  const auto bands = static_cast<std::size_t>(lsh.bands);
  std::vector<ParsedPart> by_index(parts);
  std::vector<bool> seen(parts, false);
  const ParsedPart* first = nullptr;
  std::string bytes;
  for (const std::string& path : options.signed_parts) {
    NEARDUP_RETURN_IF_ERROR(ReadPart(path, &bytes));
    ParsedPart p;
    NEARDUP_RETURN_IF_ERROR(ParsePart(path, bytes, options, digest, &p));
    const Header& h = p.h;
    if (h.bands != bands || h.sketch_bytes != sketch_bytes ||
        (options.level == Level::kStory && p.counts.has_value() != count_words)) {
      return Status::InvalidArgument(path + ": signed with other options than this run's");
    }
    if (h.parts != parts || h.part >= parts || seen[h.part]) {
      return Status::InvalidArgument(
          path + ": part " + std::to_string(h.part) + " of " + std::to_string(h.parts) + ", but " +
          std::to_string(parts) + " part files were given" +
          (h.part < parts && seen[h.part] ? " (it is given twice)" : ""));
    }
    if (h.split > 1 || (h.split == 0 && h.block == 0)) {
      return Status::InvalidInput(path + ": an unknown split or blocks of 0 documents");
    }
    if (first != nullptr) NEARDUP_RETURN_IF_ERROR(CheckFitsFirst(path, p, *first));
    seen[h.part] = true;
    p.path = path;
    stats->bytes += h.bytes;
    stats->truncated_documents += h.truncated;
    stats->repaired_bytes += h.repaired;
    by_index[h.part] = std::move(p);
    first = &by_index[h.part];
  }
  if (first == nullptr) return Status::OK();
  const bool ranges = first->h.split == 1;
  std::uint64_t documents = 0;
  if (ranges) {
    for (const ParsedPart& p : by_index) documents += p.infos.size();
  } else {
    documents = first->h.input_documents;
  }
  out->sigs.exact.Resize(documents);
  out->sigs.band_keys.Resize(documents);
  out->sigs.sketch.Resize(documents);
  if (IsSimHash(options)) out->sigs.simhash.resize(documents);
  if (options.level == Level::kStory) {
    out->drafts.resize(documents);
    // The input's word counts, as the signing pass of a whole run counts
    // them: they add up.
    for (const ParsedPart& p : by_index) {
      if (p.counts) story_words->Local().MergeCounts(*p.counts);
    }
  }
  const MergeTarget to{bands, sketch_bytes, story_words, out};
  if (ranges) return MergeRangeParts(to, &by_index, skipped);
  return MergeBlockParts(to, &by_index, first->h.block, documents, skipped);
}

}  // namespace internal
}  // namespace neardup
