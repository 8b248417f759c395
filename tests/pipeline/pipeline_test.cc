// The pipeline end to end on in-memory documents: what it finds, the order
// it reports in, and independence from the thread count.
#include <neardup/pipeline.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <set>

#include "io/codec_test_util.h"
#include "pipeline/pipeline_internal.h"
#include "pipeline/vector_input.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Rng;

using testing::InputOf;

// Records every event as a line of text, in arrival order.
class RecordingSink final : public DecisionSink {
 public:
  Status OnCluster(const ClusterReport& c) override {
    log += "cluster " + std::to_string(c.id) + " rep " + c.representative->id + ":";
    for (const auto& m : c.members) log += " " + m.doc->id + "=" + std::to_string(m.similarity);
    log += "\n";
    events += 'c';
    clusters.push_back(c.id);
    for (const auto& m : c.members) cluster_of[m.doc->id] = c.id;
    return Status::OK();
  }
  Status OnDecision(const Decision& d) override {
    log += "decision " + d.doc->id + " kept=" + std::to_string(d.kept) +
           " dup_of=" + (d.duplicate_of ? d.duplicate_of->id : "-") + "\n";
    events += 'd';
    decided.push_back(d.doc->id);
    kept += d.kept;
    return Status::OK();
  }
  Status OnSkipped(const SkippedRecord& r) override {
    log += "skipped " + r.id + " " + r.source.ToString() + ": " + r.reason + "\n";
    return Status::OK();
  }
  std::string log;
  std::string events;  // one letter per call, in arrival order: c(luster), d(ecision)
  std::vector<std::uint32_t> clusters;
  std::vector<std::string> decided;
  std::map<std::string, std::uint32_t> cluster_of;
  std::size_t kept = 0;
};

std::string RandomText(Rng& rng, std::size_t words) {
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    text += "w" + std::to_string(rng.Below(5000)) + (i % 12 == 11 ? ".\n" : " ");
  }
  return text;
}

// Splits on single spaces (a "word" may hold a line break: "w1.\nw2").
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + words[i];
  return out;
}

// Replaces `count` distinct words of `text` with new ones.
std::string EditWords(Rng& rng, const std::string& text, std::size_t count) {
  std::vector<std::string> words = Words(text);
  std::set<std::size_t> done;
  while (done.size() < count) {
    const std::size_t i = rng.Below(words.size());
    if (done.insert(i).second) words[i] = "x" + std::to_string(rng.Below(1000000));
  }
  return Join(words);
}

// Replaces each word with probability `rate`.
std::string Edit(Rng& rng, const std::string& text, double rate) {
  std::vector<std::string> words = Words(text);
  for (std::string& w : words) {
    if (static_cast<double>(rng.Below(10000)) < rate * 10000)
      w = "x" + std::to_string(rng.Below(1000000));
  }
  return Join(words);
}

// 300 originals of 150-450 words; a third get a near copy (one word in 200
// replaced, at least one: each edit changes at most 5 shingles, so shingle
// Jaccard >= (n - 5) / (n + 5) >= 0.93) and an exact
// copy in other letter case; a few documents are empty.
std::vector<Document> PlantedCorpus(std::map<std::string, std::string>* truth) {
  Rng rng(7);
  std::vector<Document> docs;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "o" + std::to_string(i);
    const std::string text = RandomText(rng, 150 + rng.Below(300));
    docs.push_back(Document{id, text, {"mem", static_cast<std::uint64_t>(i + 1)}, 0, 0});
    if (i % 3 == 0) {
      docs.push_back(Document{
          id + "-near", EditWords(rng, text, 1 + Words(text).size() / 200), {"mem", 0}, 0, 0});
      std::string upper = text;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      docs.push_back(Document{id + "-upper", upper, {"mem", 0}, 0, 0});
      (*truth)[id + "-near"] = id;
      (*truth)[id + "-upper"] = id;
    }
    if (i % 50 == 0) docs.push_back(Document{id + "-empty", " ,;\n ", {"mem", 0}, 0, 0});
  }
  // Shuffle so copies are not next to their originals.
  for (std::size_t i = docs.size() - 1; i > 0; --i) std::swap(docs[i], docs[rng.Below(i + 1)]);
  return docs;
}

// True when `id` is a planted copy or the original of one.
bool IsPlanted(const std::string& id, const std::map<std::string, std::string>& truth) {
  return truth.count(id) == 1 ||
         std::any_of(truth.begin(), truth.end(), [&](const auto& kv) { return kv.second == id; });
}

std::string RunToLog(const std::vector<Document>& docs, PipelineOptions options,
                     RecordingSink* sink) {
  Pipeline pipeline(options);
  Status s = pipeline.Run(InputOf(docs), *sink);
  REQUIRE_OK(s);
  return sink->log;
}

TEST_CASE("Pipeline near level finds planted copies and nothing else") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  RecordingSink sink;
  RunToLog(docs, PipelineOptions{}, &sink);
  // Every planted copy is in its original's cluster ...
  for (const auto& [copy, original] : truth) {
    const auto text_of = [&](const std::string& id) {
      return std::find_if(docs.begin(), docs.end(), [&](const Document& d) { return d.id == id; })
          ->text;
    };
    std::vector<std::uint64_t> sa, sb;
    ShingleHashes(Normalize(text_of(copy)), {}, &sa);
    ShingleHashes(Normalize(text_of(original)), {}, &sb);
    INFO(copy << " exact Jaccard " << ExactJaccard(sa, sb));
    REQUIRE(sink.cluster_of.count(copy) == 1);
    REQUIRE(sink.cluster_of.count(original) == 1);
    CHECK(sink.cluster_of[copy] == sink.cluster_of[original]);
  }
  // ... and every clustered document is a planted copy or its original.
  for (const auto& [id, cluster] : sink.cluster_of) {
    INFO(id);
    CHECK(IsPlanted(id, truth));
  }
  CHECK(sink.clusters.size() == 100);
  CHECK(sink.kept == docs.size() - truth.size());
}

TEST_CASE("Pipeline reports clusters in id order, then one decision per document in input order") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  RecordingSink sink;
  RunToLog(docs, PipelineOptions{}, &sink);
  for (std::size_t i = 0; i < sink.clusters.size(); ++i) CHECK(sink.clusters[i] == i);
  REQUIRE(sink.decided.size() == docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) CHECK(sink.decided[i] == docs[i].id);
  // Every cluster before the first decision: a cluster reported late, after
  // some decision, breaks this.
  REQUIRE(!sink.clusters.empty());
  CHECK(sink.events == std::string(sink.clusters.size(), 'c') + std::string(docs.size(), 'd'));
}

TEST_CASE("Pipeline exact level joins only identical normalized text") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  PipelineOptions options;
  options.level = Level::kExact;
  RecordingSink sink;
  RunToLog(docs, options, &sink);
  for (const auto& [copy, original] : truth) {
    INFO(copy);
    if (copy.ends_with("-upper")) {
      CHECK(sink.cluster_of.at(copy) == sink.cluster_of.at(original));
    } else {
      CHECK(sink.cluster_of.count(copy) == 0);
    }
  }
}

TEST_CASE("Pipeline never clusters documents without words") {
  std::vector<Document> docs = {{"e1", "", {}, 0, 0},
                                {"e2", "  \n", {}, 0, 0},
                                {"e3", "!!!", {}, 0, 0},
                                {"e4", "", {}, 0, 0}};
  for (Level level : {Level::kExact, Level::kNear}) {
    PipelineOptions options;
    options.level = level;
    RecordingSink sink;
    Pipeline pipeline(options);
    REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
    CHECK(sink.clusters.empty());
    CHECK(sink.kept == 4);
    CHECK(pipeline.stats().empty_documents == 4);
  }
}

TEST_CASE("Pipeline output is identical on 1 and several threads, with any batch size") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  const std::pair<Level, NearMethod> configs[] = {{Level::kNear, NearMethod::kMinHash},
                                                  {Level::kNear, NearMethod::kSimHash},
                                                  {Level::kExact, NearMethod::kMinHash},
                                                  {Level::kStory, NearMethod::kMinHash}};
  for (const auto& [level, method] : configs) {
    PipelineOptions options;
    options.level = level;
    options.method = method;
    options.threads = 1;
    RecordingSink one;
    const std::string reference = RunToLog(docs, options, &one);
    REQUIRE_FALSE(one.clusters.empty());
    for (int threads : {2, 4}) {
      for (std::size_t batch : {std::size_t{7}, std::size_t{4096}}) {
        options.threads = threads;
        options.batch_documents = batch;
        RecordingSink many;
        INFO(LevelName(level) << " " << NearMethodName(method) << ", threads " << threads
                              << ", batch " << batch);
        CHECK(RunToLog(docs, options, &many) == reference);
      }
    }
  }
}

TEST_CASE("Pipeline SimHash method finds planted copies and nothing else") {
  // The near copies change 1 word in 200: about 2 of ~450 word bigrams, so
  // their bigram-set cosine is >= 0.99, an angle of at most 0.14 rad, and
  // each of the 64 bits differs with probability <= 0.045 (Charikar). The
  // chance that Binomial(64, 0.045) exceeds the radius 7 is below 0.2%, so
  // of 100 copies all but a few must be found; exact copies always are.
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  PipelineOptions options;
  options.method = NearMethod::kSimHash;
  RecordingSink sink;
  RunToLog(docs, options, &sink);
  int found = 0;
  for (const auto& [copy, original] : truth) {
    const bool together = sink.cluster_of.count(copy) == 1 &&
                          sink.cluster_of.count(original) == 1 &&
                          sink.cluster_of[copy] == sink.cluster_of[original];
    found += together;
    if (copy.ends_with("-upper")) CHECK(together);
  }
  CHECK(found >= static_cast<int>(truth.size()) - 3);
  for (const auto& [id, cluster] : sink.cluster_of) {
    INFO(id);
    CHECK(IsPlanted(id, truth));
  }
}

TEST_CASE("Pipeline decides borderline pairs on exact Jaccard") {
  // Pairs edited so their true Jaccard sits just above and just below the
  // threshold; with margin 0 the estimate alone decides and gets some wrong,
  // with the default margin every decision matches the exact similarity.
  Rng rng(11);
  std::vector<Document> docs;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 40; ++i) {
    const std::string text = RandomText(rng, 400);
    docs.push_back(Document{"p" + std::to_string(i), text, {}, 0, 0});
    docs.push_back(Document{"p" + std::to_string(i) + "-edit", Edit(rng, text, 0.022), {}, 0, 0});
  }
  PipelineOptions options;
  RecordingSink sink;
  Pipeline pipeline(options);
  REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
  CHECK(pipeline.stats().exact_checks > 0);
  // Each decision agrees with the exact Jaccard of the pair.
  for (std::size_t i = 0; i < docs.size(); i += 2) {
    NormalizedText a = Normalize(docs[i].text), b = Normalize(docs[i + 1].text);
    std::vector<std::uint64_t> sa, sb;
    ShingleHashes(a, options.shingle, &sa);
    ShingleHashes(b, options.shingle, &sb);
    const double exact = ExactJaccard(sa, sb);
    const bool together = sink.cluster_of.count(docs[i].id) == 1 &&
                          sink.cluster_of.count(docs[i + 1].id) == 1 &&
                          sink.cluster_of[docs[i].id] == sink.cluster_of[docs[i + 1].id];
    INFO(docs[i].id << " exact Jaccard " << exact);
    CHECK(together == (exact >= options.lsh.threshold));
  }
}

// Borderline pairs (true Jaccard near 0.8): (id, text) in input order.
std::vector<std::pair<std::string, std::string>> BorderlinePairs(Rng& rng, int pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < pairs; ++i) {
    const std::string text = RandomText(rng, 400);
    out.emplace_back("p" + std::to_string(i), text);
    out.emplace_back("p" + std::to_string(i) + "-edit", Edit(rng, text, 0.022));
  }
  return out;
}

std::string BorderlineJsonl(Rng& rng, int pairs) {
  std::string out;
  for (const auto& [id, body] : BorderlinePairs(rng, pairs)) {
    out += "{\"id\": ";
    AppendJsonString(id, &out);
    out += ", \"text\": ";
    AppendJsonString(body, &out);
    out += "}\n";
  }
  return out;
}

// The same pairs as WET conversion records, each its own string.
std::vector<std::string> BorderlineWarc(Rng& rng, int pairs) {
  std::vector<std::string> out;
  for (const auto& [id, body] : BorderlinePairs(rng, pairs)) {
    out.push_back("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:" + id +
                  ">\r\nContent-Type: text/plain\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body + "\r\n\r\n");
  }
  return out;
}

// A reader that counts the documents read alone (ReadAt) and passed over (Skip).
class CountingReader final : public DocumentReader {
 public:
  CountingReader(std::unique_ptr<DocumentReader> inner, std::size_t* read_alone,
                 std::size_t* skipped)
      : inner_(std::move(inner)), read_alone_(read_alone), skipped_(skipped) {}
  Result<bool> Next(Document* doc) override { return inner_->Next(doc); }
  Result<bool> Skip() override {
    ++*skipped_;
    return inner_->Skip();
  }
  Status ReadAt(std::size_t input, std::uint64_t offset, std::uint64_t line,
                Document* doc) override {
    ++*read_alone_;
    return inner_->ReadAt(input, offset, line, doc);
  }
  std::uint64_t bytes_read() const override { return inner_->bytes_read(); }
  std::uint64_t bytes_total() const override { return inner_->bytes_total(); }
  const std::vector<SkippedRecord>& skipped() const override { return inner_->skipped(); }
  std::uint64_t access_point_bytes() const override { return inner_->access_point_bytes(); }
  std::uint64_t spill_bytes() const override { return inner_->spill_bytes(); }

 private:
  std::unique_ptr<DocumentReader> inner_;
  std::size_t* read_alone_;
  std::size_t* skipped_;
};

// Runs `options` over `path` read with `reader_options`, counting the
// documents the exact check reads alone and passes over; returns the
// decisions' log and sets *stats.
std::string RunCounting(const std::string& path, const ReaderOptions& reader_options,
                        const PipelineOptions& options, std::size_t* read_alone,
                        std::size_t* passed_over, RunStats* stats) {
  Pipeline pipeline(options);
  RecordingSink sink;
  *read_alone = *passed_over = 0;
  REQUIRE_OK(pipeline.Run(
      [&]() -> Result<std::unique_ptr<DocumentReader>> {
        Result<std::unique_ptr<DocumentReader>> r = OpenReader({path}, reader_options);
        if (!r.ok()) return r.status();
        return std::unique_ptr<DocumentReader>(
            new CountingReader(std::move(r).value(), read_alone, passed_over));
      },
      sink));
  *stats = pipeline.stats();
  return sink.log;
}

TEST_CASE("Pipeline exact check reads documents alone where it can, deciding as a full re-read") {
  testing::TempDir dir;
  Rng rng(17);
  const std::string jsonl = BorderlineJsonl(rng, 40);
  testing::WriteFile(dir.File("in.jsonl"), jsonl);
  testing::WriteFile(dir.File("in.jsonl.gz"), testing::Gzip(jsonl));
  std::size_t read_alone = 0, passed_over = 0;
  // One ReaderOptions for both reads, as the CLI has: its copies share the
  // access points the first read records in a compressed file.
  ReaderOptions reader_options;
  auto run = [&](const std::string& path, std::size_t verify_bytes, RunStats* stats) {
    PipelineOptions options;
    options.verify_bytes = verify_bytes;
    return RunCounting(path, reader_options, options, &read_alone, &passed_over, stats);
  };
  RunStats alone, streamed, alone_capped;
  const std::string by_offset = run(dir.File("in.jsonl"), 128u << 20, &alone);
  CHECK(alone.exact_checks > 0);
  CHECK(read_alone == alone.reread_documents);
  CHECK(passed_over == 0);
  // A gzip file is read at decoded offsets through its access points.
  RunStats gzip_alone;
  CHECK(run(dir.File("in.jsonl.gz"), 128u << 20, &gzip_alone) == by_offset);
  CHECK(read_alone == gzip_alone.reread_documents);
  CHECK(passed_over == 0);
  CHECK(gzip_alone.access_point_bytes > 0);
  // Without access points it cannot be: the exact check reads it all again.
  reader_options.access_points = nullptr;
  CHECK(run(dir.File("in.jsonl.gz"), 128u << 20, &streamed) == by_offset);
  CHECK(read_alone == 0);
  CHECK(passed_over == 80 - streamed.reread_documents);
  CHECK(alone.reread_documents == streamed.reread_documents);
  reader_options = ReaderOptions{};
  // Held shingle sets capped at almost nothing: several passes, same decisions.
  CHECK(run(dir.File("in.jsonl"), 1, &alone_capped) == by_offset);
  CHECK(alone_capped.reread_passes > 1);
  // WARC: a gzip member per record is read alone, one member is passed over.
  Rng warc_rng(17);
  const std::vector<std::string> records = BorderlineWarc(warc_rng, 40);
  std::string members, all;
  for (const std::string& r : records) {
    members += testing::Gzip(r);
    all += r;
  }
  testing::WriteFile(dir.File("members.warc.gz"), members);
  testing::WriteFile(dir.File("single.warc.gz"), testing::Gzip(all));
  RunStats warc_alone, warc_streamed;
  const std::string warc_log = run(dir.File("members.warc.gz"), 128u << 20, &warc_alone);
  CHECK(read_alone == warc_alone.reread_documents);
  CHECK(run(dir.File("single.warc.gz"), 128u << 20, &warc_streamed) == warc_log);
  CHECK(read_alone == 0);
  CHECK(warc_alone.exact_checks == alone.exact_checks);
  CHECK(warc_alone.reread_documents == streamed.reread_documents);
}

TEST_CASE("Pipeline: decoded copies of compressed inputs give the same decisions, any threads") {
  testing::TempDir dir;
  Rng rng(23);
  const std::string jsonl = BorderlineJsonl(rng, 40);
  std::string warc;
  Rng warc_rng(23);
  for (const std::string& r : BorderlineWarc(warc_rng, 40)) warc += r;
  testing::WriteFile(dir.File("in.jsonl"), jsonl);
  testing::WriteFile(dir.File("in.jsonl.gz"), testing::Gzip(jsonl));
  testing::WriteFile(dir.File("in.jsonl.zst"), testing::Zstd(jsonl));
  testing::WriteFile(dir.File("single.warc.gz"), testing::Gzip(warc));
  testing::WriteFile(dir.File("in.warc"), warc);
  std::size_t read_alone = 0, passed_over = 0;
  auto run = [&](const std::string& path, const std::string& spill_dir, int threads,
                 RunStats* stats) {
    ReaderOptions reader_options;  // one per run: a fresh first read
    reader_options.spill_dir = spill_dir;
    PipelineOptions options;
    options.threads = threads;
    // Sources name the input: compared without it.
    std::string log = RunCounting(path, reader_options, options, &read_alone, &passed_over, stats);
    for (std::size_t at; (at = log.find(path)) != std::string::npos;)
      log.replace(at, path.size(), "IN");
    return log;
  };
  RunStats plain_stats;
  const std::string want_jsonl = run(dir.File("in.jsonl"), dir.path(), 1, &plain_stats);
  REQUIRE(plain_stats.exact_checks > 0);
  CHECK(plain_stats.spill_bytes == 0);  // nothing to decode
  const std::string want_warc = run(dir.File("in.warc"), dir.path(), 1, &plain_stats);
  for (const std::string name : {"in.jsonl.gz", "in.jsonl.zst", "single.warc.gz"}) {
    const std::string& want = name.ends_with(".warc.gz") ? want_warc : want_jsonl;
    for (int threads : {1, 4}) {
      INFO(name << " at " << threads << " threads");
      RunStats with, without;
      CHECK(run(dir.File(name), dir.path(), threads, &with) == want);
      const std::size_t with_alone = read_alone, with_passed = passed_over;
      CHECK(run(dir.File(name), "", threads, &without) == want);
      CHECK(with.spill_bytes > 0);
      CHECK(without.spill_bytes == 0);
      CHECK(with.reread_documents == without.reread_documents);
      // JSONL is read alone either way; the one-stream WARC is passed over
      // either way (from the copy, or decoded again).
      CHECK(with_alone == read_alone);
      CHECK(with_passed == passed_over);
    }
  }
}

TEST_CASE("Pipeline: JSONL parsed in blocks of any size decides the same on any threads") {
  testing::TempDir dir;
  Rng rng(29);
  std::string jsonl = BorderlineJsonl(rng, 40);
  // A malformed line in the middle: a skipped record (skip_bad).
  const std::size_t middle = jsonl.find('\n', jsonl.size() / 2) + 1;
  jsonl.insert(middle, "{\"id\": \"bad\", \"text\": \n");
  testing::WriteFile(dir.File("in.jsonl"), jsonl);
  testing::WriteFile(dir.File("in.jsonl.gz"), testing::Gzip(jsonl));
  std::size_t read_alone = 0, passed_over = 0;
  auto run = [&](const std::string& path, std::size_t block, int threads) {
    ReaderOptions reader_options;  // one per run: a fresh first read
    reader_options.skip_bad = true;
    reader_options.parse_block_bytes = block;
    PipelineOptions options;
    options.threads = threads;
    RunStats stats;
    std::string log = RunCounting(path, reader_options, options, &read_alone, &passed_over, &stats);
    CHECK(stats.exact_checks > 0);
    for (std::size_t at; (at = log.find(path)) != std::string::npos;)
      log.replace(at, path.size(), "IN");
    return log;
  };
  // One line a block on one thread: reading and parsing line by line.
  const std::string want = run(dir.File("in.jsonl"), 1, 1);
  CHECK(want.find("malformed JSON") != std::string::npos);
  for (const std::string name : {"in.jsonl", "in.jsonl.gz"}) {
    for (std::size_t block : {std::size_t{1}, std::size_t{900}, std::size_t{1} << 20}) {
      for (int threads : {1, 2, 4}) {
        INFO(name << ", block " << block << ", " << threads << " threads");
        CHECK(run(dir.File(name), block, threads) == want);
      }
    }
  }
}

TEST_CASE("Pipeline: an input that changes before the exact check's read is an error") {
  testing::TempDir dir;
  Rng rng(17);
  const std::string path = dir.File("in.jsonl");
  const std::string jsonl = BorderlineJsonl(rng, 40);
  testing::WriteFile(path, jsonl);
  int opened = 0;
  const Pipeline::InputFactory open = [&] {
    if (++opened == 2) {  // the exact check's read: the same lines, last first
      std::vector<std::string> lines;
      for (std::size_t at = 0; at < jsonl.size();) {
        const std::size_t end = jsonl.find('\n', at) + 1;
        lines.push_back(jsonl.substr(at, end - at));
        at = end;
      }
      std::string reversed;
      for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it;
      testing::WriteFile(path, reversed);
    }
    return OpenReader({path}, ReaderOptions{});
  };
  Pipeline pipeline(PipelineOptions{});
  RecordingSink sink;
  const Status status = pipeline.Run(open, sink);
  CHECK(opened == 2);
  CHECK(status.code() == StatusCode::kInvalidInput);
  INFO(status.message());
  CHECK(status.message().find(path + ":") == 0);
}

TEST_CASE("Pipeline leaves undecided only near-threshold pairs that sure pairs already join") {
  // Triples: an original and two copies with 4 different words replaced
  // each (400 words, so 396 shingles of which each copy changes up to 20).
  // Original-copy pairs (Jaccard about 0.90) are above the margin; copy-copy
  // pairs (about 0.82) are within it, but the original already joins their
  // two documents, so they need no exact decision. The margin: a pair's
  // union of about 420 shingles fills U = 512 (1 - e^(-420/512)) = 286
  // sketch bins, the correction for sampling without replacement is about
  // 0.35, so the standard error at J = 0.8 is sqrt(0.16 * 0.35 / 286) = 0.014
  // and 4 of them put "sure" above 0.856 and "exact" from 0.744.
  Rng rng(13);
  std::vector<Document> docs;
  for (int i = 0; i < 20; ++i) {
    const std::string text = RandomText(rng, 400);
    const std::string id = "t" + std::to_string(i);
    docs.push_back(Document{id, text, {}, 0, 0});
    docs.push_back(Document{id + "-b", EditWords(rng, text, 4), {}, 0, 0});
    docs.push_back(Document{id + "-c", EditWords(rng, text, 4), {}, 0, 0});
  }
  PipelineOptions options;
  RecordingSink sink;
  Pipeline pipeline(options);
  REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
  CHECK(pipeline.stats().joined_pairs > 0);
  for (std::size_t i = 0; i < docs.size(); i += 3) {
    INFO(docs[i].id);
    REQUIRE(sink.cluster_of.count(docs[i].id) == 1);
    CHECK(sink.cluster_of[docs[i + 1].id] == sink.cluster_of[docs[i].id]);
    CHECK(sink.cluster_of[docs[i + 2].id] == sink.cluster_of[docs[i].id]);
  }
}

TEST_CASE("Pipeline signs over-long documents on their first max_document_bytes") {
  // Two documents share their first 3,000 bytes and differ completely after:
  // with a 3,000-byte cap they are identical as signed; without it they are not.
  Rng rng(5);
  const std::string head = RandomText(rng, 600).substr(0, 3000);
  std::vector<Document> docs = {{"a", head + RandomText(rng, 2000), {}, 0, 0},
                                {"b", head + RandomText(rng, 2000), {}, 0, 0}};
  for (std::size_t cap : {std::size_t{3000}, std::size_t{1} << 20}) {
    PipelineOptions options;
    options.max_document_bytes = cap;
    RecordingSink sink;
    Pipeline pipeline(options);
    REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
    INFO("cap " << cap);
    CHECK(pipeline.stats().truncated_documents == (cap == 3000 ? 2u : 0u));
    CHECK(sink.clusters.size() == (cap == 3000 ? 1u : 0u));
  }
}

TEST_CASE("Pipeline rejects invalid options") {
  PipelineOptions options;
  options.lsh.threshold = 0;
  CHECK(Pipeline(options).Validate().code() == StatusCode::kInvalidArgument);
  options = PipelineOptions{};
  options.lsh.bands = 20;
  options.lsh.rows = 10;
  CHECK(Pipeline(options).Validate().code() == StatusCode::kInvalidArgument);
  options = PipelineOptions{};
  options.lsh.bands = 4;
  CHECK(Pipeline(options).Validate().code() == StatusCode::kInvalidArgument);
  options = PipelineOptions{};
  options.max_document_bytes = std::size_t{1} << 32;
  CHECK(Pipeline(options).Validate().code() == StatusCode::kInvalidArgument);
  for (const int bins : {0, 8, 24, kMaxSketchBins + 16}) {
    options = PipelineOptions{};
    options.minhash.sketch_bins = bins;
    INFO("sketch bins " << bins);
    CHECK(Pipeline(options).Validate().code() == StatusCode::kInvalidArgument);
  }
  options.minhash.sketch_bins = 16;
  CHECK(Pipeline(options).Validate().ok());
  CHECK(Pipeline(PipelineOptions{}).Validate().ok());
}

}  // namespace
}  // namespace neardup

namespace neardup {
namespace {

TEST_CASE("SimHash with statistics: shingles of common words count for little") {
  // A and B share 200 rare words and differ in 200 common ones. With
  // statistics where every common word is in every document (IDF ~ 1/(2N))
  // and rare words are unseen (IDF = ln(2N + 2)), the differing bigrams carry
  // ~1% of the weight: cos ~ 0.99, angle ~ 0.14 rad, so each bit differs with
  // probability ~0.045 (Charikar) and the expected distance is ~3 bits; <= 8
  // is 3 standard deviations out. Without statistics half the bigrams differ:
  // cos ~ 0.5, each bit differs with probability ~1/3, ~21 bits expected;
  // >= 12 is more than 2 standard deviations below.
  Rng rng(21);
  std::string rare, common_a, common_b;
  for (int i = 0; i < 200; ++i) rare += "r" + std::to_string(rng.Below(1000000)) + " ";
  std::vector<std::string> common_words;
  for (int i = 0; i < 50; ++i) common_words.push_back("c" + std::to_string(i));
  for (int i = 0; i < 200; ++i) {
    common_a += common_words[rng.Below(50)] + " ";
    common_b += common_words[rng.Below(50)] + " ";
  }
  DocumentFrequencies df;
  std::string all_common;
  for (const std::string& w : common_words) all_common += w + " ";
  for (int d = 0; d < 1000; ++d) df.AddDocument(Normalize(all_common));

  PipelineOptions options;
  std::vector<std::uint64_t> scratch;
  const NormalizedText a = Normalize(rare + common_a), b = Normalize(rare + common_b);
  const int plain = HammingDistance(internal::SimHashFingerprint(a, options, &scratch),
                                    internal::SimHashFingerprint(b, options, &scratch));
  options.statistics = std::make_shared<const DocumentFrequencies>(df);
  const int weighted = HammingDistance(internal::SimHashFingerprint(a, options, &scratch),
                                       internal::SimHashFingerprint(b, options, &scratch));
  INFO("distance without statistics " << plain << ", with " << weighted);
  CHECK(plain >= 12);
  CHECK(weighted <= 8);
}

// Issue 17: repeated ids were accepted silently, and duplicate_of then named
// an id several documents have.
TEST_CASE("Pipeline counts documents whose id an earlier one has", "[pipeline][regression]") {
  std::vector<Document> docs;
  auto add = [&docs](const std::string& id, const std::string& file, std::uint64_t line) {
    Document d;
    d.id = id;
    d.text = "words of document " + std::to_string(docs.size());
    d.source = SourceLocation{file, line};
    docs.push_back(std::move(d));
  };
  add("a", "x.jsonl", 1);
  add("b", "x.jsonl", 2);
  add("c", "x.jsonl", 3);
  add("b", "y.jsonl", 1);  // the first repeat
  add("a", "y.jsonl", 2);
  add("a", "y.jsonl", 3);
  PipelineOptions options;
  options.level = Level::kExact;
  Pipeline pipeline(options);
  RecordingSink sink;
  REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
  const RunStats& s = pipeline.stats();
  CHECK(s.repeated_ids == 3);
  CHECK(s.repeated_id == "b");
  CHECK(s.repeated_id_first.ToString() == "x.jsonl:2");
  CHECK(s.repeated_id_again.ToString() == "y.jsonl:1");

  docs.resize(3);
  Pipeline unique(options);
  RecordingSink sink2;
  REQUIRE_OK(unique.Run(InputOf(docs), sink2));
  CHECK(unique.stats().repeated_ids == 0);
  CHECK(unique.stats().repeated_id.empty());
}

// Issue 23: the signing pass split over workers (SignPart) and merged back
// (PipelineOptions::signed_parts) reports exactly what one run reports.
TEST_CASE("Pipeline on parts signed apart gives the output of one run", "[pipeline][parts]") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  testing::TempDir dir;
  // The input's own counts, for the runs that take them as statistics.
  std::unique_ptr<DocumentReader> reader = InputOf(docs)().value();
  Result<DocumentFrequencies> counted = CountDocumentFrequencies(*reader, PipelineOptions{});
  REQUIRE_OK(counted.status());
  const auto statistics = std::make_shared<const DocumentFrequencies>(std::move(counted).value());
  struct Case {
    const char* name;
    PipelineOptions options;
  };
  std::vector<Case> cases;
  for (const Level level : {Level::kNear, Level::kExact, Level::kStory}) {
    cases.push_back({LevelName(level), {}});
    cases.back().options.level = level;
  }
  cases.push_back({"simhash", {}});
  cases.back().options.method = NearMethod::kSimHash;
  cases.push_back({"simhash with statistics", cases.back().options});
  cases.back().options.statistics = statistics;
  // The story level signs with the background and counts the input's words
  // in the signing pass (above), or signs with the statistics, blended with
  // the background or alone; and with other normalization for its drafts
  // than for the counts.
  cases.push_back({"story with statistics", {}});
  cases.back().options.level = Level::kStory;
  cases.back().options.statistics = statistics;
  cases.push_back({"story with statistics, no background", cases.back().options});
  cases.back().options.story.use_background = false;
  cases.push_back({"story, case kept in the counts", {}});
  cases.back().options.level = Level::kStory;
  cases.back().options.normalize.case_fold = false;
  for (const Case& c : cases) {
    const PipelineOptions& options = c.options;
    RecordingSink whole;
    const std::string reference = RunToLog(docs, options, &whole);
    INFO(c.name);
    REQUIRE(whole.clusters.size() >= (options.level == Level::kStory ? 20u : 50u));
    // Blocks of 64 deal the 506 documents to every part; 5 parts leave
    // part 4 with fewer blocks than the others, 9 parts one empty part.
    for (const std::size_t parts :
         {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{9}}) {
      PipelineOptions merged = options;
      for (std::size_t p = 0; p < parts; ++p) {
        const std::string path = dir.File("part-" + std::to_string(p));
        REQUIRE_OK(SignPart(InputOf(docs), options, PartSpec{p, parts, 64}, path));
        merged.signed_parts.insert(merged.signed_parts.begin(), path);  // any order
      }
      RecordingSink sink;
      INFO(parts << " parts");
      CHECK(RunToLog(docs, merged, &sink) == reference);
    }
  }
}

TEST_CASE("Signed parts that are damaged, missing or foreign are errors naming the file",
          "[pipeline][parts]") {
  std::map<std::string, std::string> truth;
  const std::vector<Document> docs = PlantedCorpus(&truth);
  testing::TempDir dir;
  PipelineOptions options;
  std::vector<std::string> paths;
  for (std::size_t p = 0; p < 2; ++p) {
    paths.push_back(dir.File("part-" + std::to_string(p)));
    REQUIRE_OK(SignPart(InputOf(docs), options, PartSpec{p, 2, 64}, paths.back()));
  }
  const auto run_with = [&](std::vector<std::string> parts, PipelineOptions o) {
    o.signed_parts = std::move(parts);
    RecordingSink sink;
    return Pipeline(o).Run(InputOf(docs), sink);
  };
  REQUIRE_OK(run_with(paths, options));

  const std::string bytes = testing::ReadFileBytes(paths[1]);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 1);
  testing::WriteFile(dir.File("flipped"), flipped);
  testing::WriteFile(dir.File("short"), bytes.substr(0, bytes.size() - 100));
  for (const std::string name : {"flipped", "short"}) {
    const Status s = run_with({paths[0], dir.File(name)}, options);
    INFO(s.ToString());
    CHECK(s.code() == StatusCode::kInvalidInput);
    CHECK(s.message().find(dir.File(name) + ": checksum mismatch") != std::string::npos);
  }

  Status s = run_with({paths[0]}, options);  // one of two parts
  CHECK(s.message().find("1 part files were given") != std::string::npos);
  s = run_with({paths[0], paths[0]}, options);
  CHECK(s.message().find("given twice") != std::string::npos);
  PipelineOptions other = options;
  other.lsh.threshold = 0.7;
  s = run_with(paths, other);
  CHECK(s.message().find("signed with other options") != std::string::npos);
  other = options;
  other.level = Level::kStory;
  s = run_with(paths, other);
  CHECK(s.message().find("signed with other options") != std::string::npos);
  other.method = NearMethod::kSimHash;
  other.level = Level::kNear;
  s = run_with(paths, other);
  CHECK(s.message().find("signed with other options") != std::string::npos);
  // The story level without the background needs the input's counts first.
  other = options;
  other.level = Level::kStory;
  other.story.use_background = false;
  s = SignPart(InputOf(docs), other, PartSpec{0, 2, 64}, dir.File("x"));
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message().find("--stats") != std::string::npos);
  CHECK(SignPart(InputOf(docs), options, PartSpec{2, 2, 64}, dir.File("x")).code() ==
        StatusCode::kInvalidArgument);
}

// VectorReader that also reports records it skipped (DocumentReader::skipped()).
class SkippingReader final : public DocumentReader {
 public:
  SkippingReader(const std::vector<Document>* docs, std::vector<SkippedRecord> skipped)
      : docs_(docs), skipped_(std::move(skipped)) {}
  Result<bool> Next(Document* doc) override {
    if (next_ == docs_->size()) return false;
    *doc = (*docs_)[next_++];
    return true;
  }
  std::uint64_t bytes_read() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }
  const std::vector<SkippedRecord>& skipped() const override { return skipped_; }

 private:
  const std::vector<Document>* docs_;
  std::vector<SkippedRecord> skipped_;
  std::size_t next_ = 0;
};

// RecordingSink's log through the chunked calls, with each call's size, and
// skipped records between them.
class ChunkSink final : public DecisionSink {
 public:
  Status OnCluster(const ClusterReport& c) override { return inner.OnCluster(c); }
  Status OnDecision(const Decision& d) override { return inner.OnDecision(d); }
  Status OnClusters(std::span<const ClusterReport> clusters) override {
    calls.push_back("clusters " + std::to_string(clusters.size()));
    for (const ClusterReport& c : clusters) NEARDUP_RETURN_IF_ERROR(inner.OnCluster(c));
    return Status::OK();
  }
  Status OnDecisions(std::span<const Decision> decisions) override {
    calls.push_back("decisions " + std::to_string(decisions.size()));
    for (const Decision& d : decisions) NEARDUP_RETURN_IF_ERROR(inner.OnDecision(d));
    return Status::OK();
  }
  Status OnSkipped(const SkippedRecord& r) override {
    calls.push_back("skipped " + r.id);
    inner.log += "skipped " + r.id + "\n";
    return Status::OK();
  }
  RecordingSink inner;
  std::vector<std::string> calls;
};

TEST_CASE("Pipeline hands clusters and decisions over in chunks, skipped records between them",
          "[pipeline]") {
  // 5,000 pairs of exact copies: more clusters and decisions than one chunk
  // (4,096) holds.
  std::vector<Document> docs;
  for (int i = 0; i < 5000; ++i) {
    const std::string text = "story " + std::to_string(i) + " told twice, word for word";
    docs.push_back(Document{"a" + std::to_string(i), text, {"mem", 0}, 0, 0});
  }
  for (int i = 0; i < 5000; ++i) {
    docs.push_back(Document{
        "b" + std::to_string(i), docs[static_cast<std::size_t>(i)].text, {"mem", 0}, 0, 0});
  }
  auto skipped_at = [](std::uint64_t before) {
    SkippedRecord r;
    r.id = "s" + std::to_string(before);
    r.documents_before = before;
    return r;
  };
  const std::vector<SkippedRecord> skipped = {skipped_at(0), skipped_at(5000), skipped_at(5000),
                                              skipped_at(10000)};
  const Pipeline::InputFactory input = [&] {
    return Result<std::unique_ptr<DocumentReader>>(
        std::make_unique<SkippingReader>(&docs, skipped));
  };
  for (int threads : {1, 2}) {
    PipelineOptions options;
    options.level = Level::kExact;
    options.threads = threads;
    INFO("threads " << threads);
    // One event at a time (the default OnClusters and OnDecisions), with the
    // skipped records written into the log where they arrive.
    class OneByOne final : public DecisionSink {
     public:
      Status OnCluster(const ClusterReport& c) override { return inner.OnCluster(c); }
      Status OnDecision(const Decision& d) override { return inner.OnDecision(d); }
      Status OnSkipped(const SkippedRecord& r) override {
        inner.log += "skipped " + r.id + "\n";
        return Status::OK();
      }
      RecordingSink inner;
    } one;
    REQUIRE_OK(Pipeline(options).Run(input, one));
    ChunkSink chunked;
    REQUIRE_OK(Pipeline(options).Run(input, chunked));
    CHECK(chunked.inner.log == one.inner.log);
    CHECK(one.inner.clusters.size() == 5000);
    // Chunks of at most 4,096, cut where a skipped record goes between two
    // decisions.
    const std::vector<std::string> expected = {
        "clusters 4096", "clusters 904",  "skipped s0",     "decisions 4096", "decisions 904",
        "skipped s5000", "skipped s5000", "decisions 4096", "decisions 904",  "skipped s10000"};
    CHECK(chunked.calls == expected);
  }
}

}  // namespace
}  // namespace neardup
