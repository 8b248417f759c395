/*
 gen_crawl: crawl-like input for neardup's readers: a WET file (.warc.wet.gz,
 one gzip member per record, a warcinfo record first, as Common Crawl writes
 them) and/or a JSONL.gz file, holding the same documents with planted near
 and exact duplicates, optionally with broken records, and the ground truth.

 The documents are gen_planted's (same source, same plan, same texts for the
 same seed: it reuses that generator's code through its headers); on top,
 a fraction of the planted copies are exact copies of their original.

 Options:
   --source PATH            prose, as for gen_planted (JSONL[.gz] or .txt tree)
   --wet FILE               write the WET file (one gzip member per record)
   --jsonl FILE             write JSONL ("id", "url", "text"; .gz: gzip members
                            of about 1 MB, as pigz writes them)
   --labels FILE            "id<TAB>label" for every document; ids are the
                            WARC-Record-IDs, used in both files
   --docs N                 documents (default 1000)
   --dup-fraction F, --max-copies M, --distractor-fraction F: as gen_planted
   --exact-fraction F       fraction of copies written as exact copies of
                            their original (default 0.2)
   --broken                 add broken records: the JSONL gets a malformed line
                            in its middle and a last gzip member cut short (one
                            more document, lost); the WET file gets a last
                            record whose gzip member is cut short. Neither lost
                            document is in the labels.
   --seed S                 seed (default 1)

 Records in the WET file: 1 warcinfo + N documents (+ 1 broken). Lines in the
 JSONL: N (+ 1 malformed + 1 lost to the truncation).

   build/bench/gen_crawl --source ../shared/data/enwiki-2015/docs.jsonl.gz \
       --docs 10000 --wet /tmp/crawl.warc.wet.gz --jsonl /tmp/crawl.jsonl.gz \
       --labels /tmp/crawl.labels.tsv --broken
*/

#include <zlib.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "args.h"
#include "boilerplate.h"
#include "corpus.h"
#include "cut.h"
#include "die.h"
#include "jaccard.h"
#include "options.h"
#include "output.h"
#include "plan.h"
#include "random.h"
#include "source.h"
#include "source_dedupe.h"
#include "variants.h"

namespace neardup::gen {
namespace {

// A stream of its own for the exact-copy choice, past gen_planted's streams.
constexpr Stream kExactStream = static_cast<Stream>(100);

struct CrawlOptions {
  Options planted;  // source, docs, fractions, seed (out and labels unused)
  std::string wet;
  std::string jsonl;
  std::string labels;
  double exact_fraction = 0.2;
  bool broken = false;
};

// `data` as one gzip member.
std::string GzipMember(std::string_view data) {
  z_stream s{};
  if (deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) Die("deflateInit2");
  std::string out(deflateBound(&s, static_cast<uLong>(data.size())), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  if (deflate(&s, Z_FINISH) != Z_STREAM_END) Die("deflate failed");
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

// A raw output file; Close() must be called once, last.
class RawFile {
 public:
  explicit RawFile(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) Die("cannot write " + path);
  }
  void Write(std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
      Die("cannot write " + path_);
  }
  void Close() {
    if (std::fclose(file_) != 0) Die("cannot write " + path_);
  }

 private:
  std::string path_;
  std::FILE* file_;
};

// A deterministic record id: "<urn:uuid:...>" from the seed and the slot.
std::string RecordId(uint64_t seed, uint64_t slot) {
  const uint64_t hi = Mix64(seed ^ Mix64(slot * 2 + 1));
  const uint64_t lo = Mix64(seed ^ Mix64(slot * 2 + 2));
  char id[64];
  std::snprintf(id, sizeof id, "<urn:uuid:%08llx-%04llx-4%03llx-a%03llx-%012llx>",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFF),
                static_cast<unsigned long long>(lo >> 52),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return id;
}

std::string Url(uint64_t original, uint64_t slot) {
  return "http://site" + std::to_string(original % 97) + ".example/page/" + std::to_string(slot);
}

std::string WarcRecord(std::string_view type, std::string_view id, std::string_view uri,
                       std::string_view content_type, std::string_view block) {
  std::string r = "WARC/1.0\r\nWARC-Type: ";
  r += type;
  if (!uri.empty()) {
    r += "\r\nWARC-Target-URI: ";
    r += uri;
  }
  r += "\r\nWARC-Date: 2026-11-24T00:00:00Z\r\nWARC-Record-ID: ";
  r += id;
  r += "\r\nContent-Type: ";
  r += content_type;
  r += "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

std::string JsonLine(std::string_view id, std::string_view url, std::string_view text) {
  std::string line = "{\"id\": ";
  AppendJsonString(line, id);
  line += ", \"url\": ";
  AppendJsonString(line, url);
  line += ", \"text\": ";
  AppendJsonString(line, text);
  line += "}\n";
  return line;
}

// The JSONL output: plain, or gzip members of about 1 MB each.
class JsonlOut {
 public:
  explicit JsonlOut(const std::string& path) : file_(path), gzip_(path.ends_with(".gz")) {}
  void Write(std::string_view line) {
    pending_ += line;
    if (pending_.size() >= (1u << 20)) Flush();
  }
  void Flush() {
    if (pending_.empty()) return;
    file_.Write(gzip_ ? GzipMember(pending_) : pending_);
    pending_.clear();
  }
  // A last piece cut short: a gzip member without its end, or a plain line
  // without its end.
  void WriteTruncated(std::string_view line) {
    Flush();
    const std::string bytes = gzip_ ? GzipMember(line) : std::string(line);
    file_.Write(std::string_view(bytes).substr(0, bytes.size() / 2));
  }
  void Close() {
    Flush();
    file_.Close();
  }

 private:
  RawFile file_;
  bool gzip_;
  std::string pending_;
};

constexpr Usage kArgs{
    "gen_crawl",
    "usage: gen_crawl --source PATH [--wet FILE] [--jsonl FILE] --labels FILE\n"
    "         [--docs N] [--dup-fraction F] [--max-copies M] [--distractor-fraction F]\n"
    "         [--exact-fraction F] [--broken] [--seed S]\n"};

CrawlOptions ParseOptions(int argc, char** argv) {
  CrawlOptions o;
  o.planted.docs = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--broken") {
      o.broken = true;
      continue;
    }
    if (i + 1 == argc) kArgs.Fail(std::string(flag) + " needs a value");
    const std::string_view value = argv[++i];
    if (flag == "--source") {
      o.planted.source = value;
    } else if (flag == "--wet") {
      o.wet = value;
    } else if (flag == "--jsonl") {
      o.jsonl = value;
    } else if (flag == "--labels") {
      o.labels = value;
    } else if (flag == "--docs") {
      o.planted.docs = kArgs.Number<uint64_t>(flag, value, 1, UINT32_MAX);
    } else if (flag == "--dup-fraction") {
      o.planted.dup_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--max-copies") {
      o.planted.max_copies = kArgs.Number<uint64_t>(flag, value, 1, 100);
    } else if (flag == "--distractor-fraction") {
      o.planted.distractor_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--exact-fraction") {
      o.exact_fraction = kArgs.Number(flag, value, 0.0, 1.0);
    } else if (flag == "--seed") {
      o.planted.seed = kArgs.Number<uint64_t>(flag, value, 0, UINT64_MAX);
    } else {
      kArgs.Fail("unknown option " + std::string(flag));
    }
  }
  if (o.planted.source.empty() || o.labels.empty() || (o.wet.empty() && o.jsonl.empty())) {
    kArgs.Fail("--source, --labels and --wet or --jsonl are required");
  }
  return o;
}

int Main(int argc, char** argv) {
  const CrawlOptions o = ParseOptions(argc, argv);
  const uint64_t seed = o.planted.seed;
  // The material exactly as gen_planted makes it (see its main.cc).
  Material m;
  m.seed = seed;
  m.source = LoadSource(o.planted.source);
  Rng cut_rng(StreamKey(seed, kCutStream));
  m.base = CutBaseDocuments(m.source.prose, cut_rng);
  m.dropped_base = DropNearDuplicates(m.source.prose, m.base);
  Rng order_rng(StreamKey(seed, kBaseOrderStream));
  Shuffle(m.base, order_rng);
  Rng site_rng(StreamKey(seed, kSiteStream));
  m.sites = MakeSiteTemplates(m.source.vocabulary, site_rng);
  const Plan plan = MakePlan(o.planted);

  std::optional<RawFile> wet;
  std::optional<JsonlOut> jsonl;
  RawFile labels(o.labels);
  if (!o.wet.empty()) {
    wet.emplace(o.wet);
    wet->Write(GzipMember(WarcRecord("warcinfo", RecordId(seed, UINT32_MAX + 1ULL), "",
                                     "application/warc-fields",
                                     "software: neardup gen_crawl\r\nformat: WARC File Format "
                                     "1.0\r\nseed: " +
                                         std::to_string(seed) + "\r\n")));
  }
  if (!o.jsonl.empty()) jsonl.emplace(o.jsonl);
  uint64_t exact = 0, near = 0;
  for (size_t slot = 0; slot < plan.order.size(); ++slot) {
    const DocRef ref = plan.order[slot];
    const OriginalInfo& info = plan.originals[ref.original];
    const std::string id = RecordId(seed, slot);
    const std::string original = OriginalText(m, ref.original);
    std::string label = id;
    std::string text = original;
    if (ref.variant > 0) {
      const bool is_copy = ref.variant <= info.copies;
      Rng exact_rng(StreamKey(seed, kExactStream, ref.original, ref.variant));
      if (is_copy && exact_rng.Chance(o.exact_fraction)) {
        ++exact;  // the original's text, byte for byte
      } else {
        // As gen_planted's MakeVariant: randomness keyed by original and variant.
        Rng rng(StreamKey(seed, kVariantStream, ref.original, ref.variant));
        const ShingleSet shingles = Shingles(original);
        text = is_copy ? MakeCopy(m.source, m.sites, original, shingles, rng).text
                       : MakeDistractor(m.source.prose, original, shingles, rng).text;
        near += is_copy;
      }
      if (is_copy) label = RecordId(seed, info.slot);
    }
    const std::string url = Url(ref.original, slot);
    if (wet) wet->Write(GzipMember(WarcRecord("conversion", id, url, "text/plain", text)));
    if (jsonl) {
      jsonl->Write(JsonLine(id, url, text));
      if (o.broken && slot == plan.order.size() / 2) {
        jsonl->Write("{\"id\": \"broken\", \"text\": \"no closing quote}\n");
      }
    }
    labels.Write(id + '\t' + label + '\n');
  }
  if (o.broken) {
    const std::string text = "This record is cut short by the generator on purpose.";
    const std::string id = RecordId(seed, plan.order.size());
    if (wet) {
      const std::string member =
          GzipMember(WarcRecord("conversion", id, "http://broken.example/", "text/plain", text));
      wet->Write(std::string_view(member).substr(0, member.size() / 2));
    }
    if (jsonl) jsonl->WriteTruncated(JsonLine(id, "http://broken.example/", text));
  }
  if (wet) wet->Close();
  if (jsonl) jsonl->Close();
  labels.Close();
  std::fprintf(stderr,
               "gen_crawl: seed %llu, %zu documents (%llu exact copies, %llu near copies)%s\n",
               static_cast<unsigned long long>(seed), plan.order.size(),
               static_cast<unsigned long long>(exact), static_cast<unsigned long long>(near),
               o.broken ? ", broken records added" : "");
  return 0;
}

}  // namespace
}  // namespace neardup::gen

int main(int argc, char** argv) { return neardup::gen::Main(argc, argv); }
