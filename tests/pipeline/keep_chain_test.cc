// Which copy is kept (PipelineOptions::keep), cluster sizes, and the chain
// guard (PipelineOptions::chain_guard), end to end on in-memory documents.
#include <neardup/pipeline.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "pipeline/pipeline_internal.h"
#include "pipeline/vector_input.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Rng;

using testing::InputOf;

struct Collected {
  std::string log;                            // every event, in order
  std::map<std::string, std::string> rep;     // member id -> representative id
  std::map<std::string, std::uint32_t> size;  // document id -> Decision::cluster_size
  std::map<std::string, bool> kept;
  std::vector<std::vector<std::string>> clusters;  // member ids, representative first
};

class CollectingSink final : public DecisionSink {
 public:
  explicit CollectingSink(Collected* out) : out_(out) {}
  Status OnCluster(const ClusterReport& c) override {
    out_->log += "cluster " + std::to_string(c.id) + " rep " + c.representative->id + ":";
    std::vector<std::string> ids;
    for (const auto& m : c.members) {
      out_->log += " " + m.doc->id + "=" + std::to_string(m.similarity);
      out_->rep[m.doc->id] = c.representative->id;
      ids.push_back(m.doc->id);
    }
    out_->log += "\n";
    out_->clusters.push_back(ids);
    return Status::OK();
  }
  Status OnDecision(const Decision& d) override {
    out_->log += "decision " + d.doc->id + " kept=" + std::to_string(d.kept) +
                 " size=" + std::to_string(d.cluster_size) + "\n";
    out_->size[d.doc->id] = d.cluster_size;
    out_->kept[d.doc->id] = d.kept;
    return Status::OK();
  }

 private:
  Collected* out_;
};

Collected Run(const std::vector<Document>& docs, const PipelineOptions& options,
              RunStats* stats = nullptr) {
  Collected out;
  CollectingSink sink(&out);
  Pipeline pipeline(options);
  REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
  if (stats != nullptr) *stats = pipeline.stats();
  return out;
}

std::string Words(Rng& rng, std::size_t n, const char* prefix = "w") {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    text += prefix + std::to_string(rng.Below(100000)) + (i % 12 == 11 ? ".\n" : " ");
  }
  return text;
}

Document Doc(std::string id, std::string text, std::string file = "mem", std::string url = "") {
  Document d;
  d.id = std::move(id);
  d.text = std::move(text);
  d.source = SourceLocation{std::move(file), 0};
  d.url = std::move(url);
  return d;
}

// One cluster of near copies of different lengths (a long text with 0-3
// words cut from its end, or 2 added) and a second cluster of two copies of
// equal length (one word replaced by another of the same length).
std::vector<Document> LengthCorpus() {
  Rng rng(11);
  const std::string base = Words(rng, 400);
  std::vector<Document> docs;
  docs.push_back(Doc("a-cut3", base.substr(0, base.size() - 30)));  // about 3 words shorter
  docs.push_back(Doc("unrelated", Words(rng, 300)));
  docs.push_back(Doc("a-plus2", base + " extra1 extra2"));
  docs.push_back(Doc("a-full", base));
  docs.push_back(Doc("a-cut1", base.substr(0, base.size() - 10)));
  std::string b = Words(rng, 300);
  std::string b2 = b;
  b2.replace(0, 1, "z");  // same length, first word changed
  docs.push_back(Doc("b-1", b));
  docs.push_back(Doc("b-2", b2));
  return docs;
}

TEST_CASE("the chain guard is on by default", "[chain]") { CHECK(PipelineOptions{}.chain_guard); }

TEST_CASE("keep earliest (the default) keeps the first member in input order", "[keep]") {
  const Collected c = Run(LengthCorpus(), PipelineOptions{});
  CHECK(c.rep.at("a-full") == "a-cut3");
  CHECK(c.rep.at("b-2") == "b-1");
  CHECK(c.kept.at("a-cut3"));
  CHECK_FALSE(c.kept.at("a-plus2"));
}

TEST_CASE("keep longest keeps the member with most bytes; ties go to the earliest", "[keep]") {
  PipelineOptions options;
  options.keep.rule = KeepRule::kLongest;
  const std::vector<Document> docs = LengthCorpus();
  const Collected c = Run(docs, options);
  for (const char* id : {"a-cut3", "a-plus2", "a-full", "a-cut1"}) {
    CHECK(c.rep.at(id) == "a-plus2");
  }
  CHECK(c.kept.at("a-plus2"));
  CHECK_FALSE(c.kept.at("a-cut3"));
  // b-1 and b-2 have the same length: the earliest stays.
  REQUIRE(docs[5].text.size() == docs[6].text.size());
  CHECK(c.rep.at("b-2") == "b-1");
  // The representative is listed first, then the members in input order.
  REQUIRE(c.clusters.size() == 2);
  CHECK(c.clusters[0] == std::vector<std::string>{"a-plus2", "a-cut3", "a-full", "a-cut1"});
}

TEST_CASE("keep latest keeps the last member in input order", "[keep]") {
  PipelineOptions options;
  options.keep.rule = KeepRule::kLatest;
  const Collected c = Run(LengthCorpus(), options);
  CHECK(c.rep.at("a-cut3") == "a-cut1");
  CHECK(c.rep.at("b-1") == "b-2");
}

TEST_CASE("cluster ids follow the input order of the representatives", "[keep]") {
  PipelineOptions options;
  options.keep.rule = KeepRule::kLatest;
  const Collected c = Run(LengthCorpus(), options);
  // a's representative (a-cut1, 5th) comes before b's (b-2, 7th).
  REQUIRE(c.clusters.size() == 2);
  CHECK(c.clusters[0][0] == "a-cut1");
  CHECK(c.clusters[1][0] == "b-2");
}

TEST_CASE("cluster_size counts the members of the document's cluster, 1 alone", "[keep]") {
  const Collected c = Run(LengthCorpus(), PipelineOptions{});
  CHECK(c.size.at("a-full") == 4);
  CHECK(c.size.at("a-cut3") == 4);
  CHECK(c.size.at("b-1") == 2);
  CHECK(c.size.at("unrelated") == 1);
}

TEST_CASE("ParseKeepRules: comments, blanks, prefixes and errors naming FILE:LINE", "[keep]") {
  Result<std::vector<KeepPattern>> rules = ParseKeepRules(
      "# best sources first\n\n  *fineweb-edu*  \nurl:https://*.example.org/*\r\n"
      "source:dclm.jsonl:1?\npath:   *dclm*\n",
      "rules.txt");
  REQUIRE_OK(rules.status());
  REQUIRE(rules.value().size() == 4);
  CHECK(rules.value()[0].field == KeepPattern::Field::kAny);
  CHECK(rules.value()[0].glob == "*fineweb-edu*");
  CHECK(rules.value()[0].where == "rules.txt:3");
  CHECK(rules.value()[1].field == KeepPattern::Field::kUrl);
  CHECK(rules.value()[1].glob == "https://*.example.org/*");
  CHECK(rules.value()[2].field == KeepPattern::Field::kSource);
  CHECK(rules.value()[3].field == KeepPattern::Field::kPath);
  CHECK(rules.value()[3].glob == "*dclm*");

  const auto error = [](const char* text) {
    Result<std::vector<KeepPattern>> r = ParseKeepRules(text, "p.txt");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK(error("ok*\n[abc\n").starts_with("p.txt:2: unclosed ["));
  CHECK(error("# c\n\nurl:\n").starts_with("p.txt:3: no glob after \"url:\""));
  CHECK(error("a\\").starts_with("p.txt:1: a backslash at the end"));
  CHECK(error("# only a comment\n").find("no rules") != std::string::npos);
  // A set that closes, and a ] first in a set, are fine.
  CHECK(ParseKeepRules("[]a]x\n[!b]*\n", "p.txt").ok());
}

TEST_CASE("KeepPatternMatches: input file, source and URL", "[keep]") {
  DocumentInfo info;
  info.source = SourceLocation{"crawl/dclm.jsonl", 12};
  info.url = "https://news.example.org/a/1";
  const auto match = [&](const char* line) {
    Result<std::vector<KeepPattern>> r = ParseKeepRules(line, "t");
    REQUIRE_OK(r.status());
    return KeepPatternMatches(r.value()[0], info);
  };
  CHECK(match("*dclm*"));           // the file
  CHECK(match("crawl/*.jsonl"));    // * crosses nothing here, but may cross /
  CHECK(match("*/dclm.jsonl:12"));  // the source
  CHECK(match("*.example.org/*"));  // the URL
  CHECK(match("path:*dclm.jsonl"));
  CHECK_FALSE(match("path:*example*"));  // only the file
  CHECK_FALSE(match("url:*dclm*"));      // only the URL
  CHECK(match("source:*:1[0-9]"));
  CHECK_FALSE(match("*fineweb*"));
}

TEST_CASE("keep priority follows the rules in order; unmatched last; ties earliest", "[keep]") {
  Rng rng(5);
  const std::string text = Words(rng, 300);
  const std::string other = Words(rng, 300);
  std::vector<Document> docs = {
      Doc("x-other", text, "other.jsonl"),
      Doc("x-dclm", text + " tail", "dclm.jsonl"),
      Doc("x-edu", text + " more words", "fineweb-edu.jsonl"),
      Doc("x-edu2", text + " more words", "fineweb-edu.jsonl"),
      Doc("y-other", other, "other.jsonl"),
      Doc("y-site", other + " a", "other.jsonl", "https://good.example.org/p"),
      Doc("y-dclm", other + " b", "dclm.jsonl"),
  };
  PipelineOptions options;
  options.keep.rule = KeepRule::kPriority;
  Result<std::vector<KeepPattern>> rules =
      ParseKeepRules("url:*.example.org/*\n*fineweb-edu*\n*dclm*\n", "rules");
  REQUIRE_OK(rules.status());
  options.keep.priority = rules.value();
  const Collected c = Run(docs, options);
  CHECK(c.rep.at("x-other") == "x-edu");  // rule 2 before rule 3; x-edu before x-edu2
  CHECK(c.rep.at("x-edu2") == "x-edu");
  CHECK(c.rep.at("y-dclm") == "y-site");  // rule 1 (URL)
  CHECK(c.kept.at("x-edu"));
  CHECK_FALSE(c.kept.at("x-dclm"));
}

// Documents sharing a template of `frame` words around their own content:
// long contents are each within 0.5 of a short one but not of each other.
std::vector<Document> TemplatedChain(Rng& rng, int groups) {
  std::vector<Document> docs;
  for (int g = 0; g < groups; ++g) {
    const std::string head = Words(rng, 300, "h");
    const std::string tail = Words(rng, 300, "t");
    const std::string g_id = "g" + std::to_string(g);
    docs.push_back(Doc(g_id + "-long1", head + Words(rng, 450, "c") + tail));
    docs.push_back(Doc(g_id + "-short", head + Words(rng, 20, "c") + tail));
    docs.push_back(Doc(g_id + "-long2", head + Words(rng, 450, "c") + tail));
  }
  return docs;
}

PipelineOptions ChainOptions() {
  PipelineOptions options;
  options.lsh.threshold = 0.5;
  options.lsh.bands = 64;  // every pair above 0.3 becomes a candidate
  options.lsh.rows = 2;
  options.chain_guard = true;
  return options;
}

// A chain of windows over one text of words: window i starts 150 words after
// window i - 1 and is 600 words long, so neighbours share 450 of 750 words
// (5-gram Jaccard about 0.6) and windows two apart 300 of 900 (about 0.33).
std::vector<Document> WindowChain(Rng& rng, std::size_t windows) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < 150 * (windows - 1) + 600; ++i) {
    words.push_back("x" + std::to_string(rng.Below(100000)));
  }
  std::vector<Document> docs;
  for (std::size_t w = 0; w < windows; ++w) {
    std::string text;
    for (std::size_t i = 150 * w; i < 150 * w + 600; ++i) text += words[i] + " ";
    docs.push_back(Doc("win" + std::to_string(w), text));
  }
  return docs;
}

TEST_CASE("chain guard cuts a chain at 0.5 and counts the split", "[chain]") {
  Rng rng(4);
  const std::vector<Document> docs = WindowChain(rng, 5);
  PipelineOptions options = ChainOptions();
  options.chain_guard = false;
  RunStats stats;
  Collected c = Run(docs, options, &stats);
  // Union-find alone: win0 - win1 - win2 - win3 - win4.
  REQUIRE(c.clusters.size() == 1);
  CHECK(c.clusters[0].size() == 5);
  CHECK(stats.chain_splits == 0);

  // Guarded: win1 (two edges, first in keep order) takes win0 and win2;
  // win3 takes win4. The kept document is each part's first in input order.
  options.chain_guard = true;
  c = Run(docs, options, &stats);
  REQUIRE(c.clusters.size() == 2);
  CHECK(c.clusters[0] == std::vector<std::string>{"win0", "win1", "win2"});
  CHECK(c.clusters[1] == std::vector<std::string>{"win3", "win4"});
  CHECK(c.kept.at("win3"));
  CHECK(c.size.at("win4") == 2);
  CHECK(stats.chain_splits == 1);
  CHECK(stats.chain_parts == 2);
  CHECK(stats.chain_pairs == 0);  // every member shares a verified pair with its center

  // Kept latest: ties between centers go by keep order too, so win3 is the
  // first center (taking win2 and win4) and win1 takes win0; each part keeps
  // its latest.
  options.keep.rule = KeepRule::kLatest;
  c = Run(docs, options, &stats);
  REQUIRE(c.clusters.size() == 2);
  CHECK(c.clusters[0] == std::vector<std::string>{"win1", "win0"});
  CHECK(c.clusters[1] == std::vector<std::string>{"win4", "win2", "win3"});
  CHECK(stats.chain_splits == 1);
}

TEST_CASE("chain guard keeps a star around its center whole, whichever member is kept", "[chain]") {
  // long1 - short - long2 at 0.5: each long document is within 0.5 of the
  // short one (the center), not of the other (J about 0.4). A guard anchored
  // on the kept document (long1, the earliest) would split off long2.
  Rng rng(3);
  const std::vector<Document> docs = TemplatedChain(rng, 1);
  PipelineOptions options = ChainOptions();
  options.chain_guard = false;
  const Collected unguarded = Run(docs, options);
  REQUIRE(unguarded.clusters.size() == 1);
  CHECK(unguarded.clusters[0].size() == 3);
  options.chain_guard = true;
  RunStats stats;
  for (KeepRule rule : {KeepRule::kEarliest, KeepRule::kLongest, KeepRule::kLatest}) {
    options.keep.rule = rule;
    options.chain_guard = false;
    const std::string off = Run(docs, options).log;
    options.chain_guard = true;
    INFO(KeepRuleName(rule));
    CHECK(Run(docs, options, &stats).log == off);
    CHECK(stats.chain_splits == 0);
  }
}

TEST_CASE("chain anchors: the kept document within the threshold of every member", "[chain]") {
  // long1 - short - long2 at 0.5 (TemplatedChain): the guard keeps the star
  // whole around short, its center, and keeps long1 (the earliest), which
  // is below 0.5 against long2 (about 0.4).
  Rng rng(3);
  const std::vector<Document> docs = TemplatedChain(rng, 1);
  PipelineOptions options = ChainOptions();
  RunStats stats;
  Collected c = Run(docs, options, &stats);
  REQUIRE(c.clusters.size() == 1);
  CHECK(c.clusters[0] == std::vector<std::string>{"g0-long1", "g0-short", "g0-long2"});
  CHECK(stats.chain_anchor_pairs == 0);  // kCenter asks nothing more
  // keep-within: long1 fails (not within long2), short is the first in
  // input order within both: kept, and the cluster stays whole.
  options.chain_anchor = KeptAnchor::kKeepWithin;
  c = Run(docs, options, &stats);
  REQUIRE(c.clusters.size() == 1);
  CHECK(c.clusters[0] == std::vector<std::string>{"g0-short", "g0-long1", "g0-long2"});
  CHECK(c.kept.at("g0-short"));
  CHECK_FALSE(c.kept.at("g0-long1"));
  CHECK(stats.chain_anchor_changed == 1);
  CHECK(stats.chain_anchor_pairs == 2 + 2 * 2);  // long1's two pairs, then short's and long2's
  // resplit: long1 stays kept, long2 (not within it) leaves, alone.
  options.chain_anchor = KeptAnchor::kResplit;
  c = Run(docs, options, &stats);
  REQUIRE(c.clusters.size() == 1);
  CHECK(c.clusters[0] == std::vector<std::string>{"g0-long1", "g0-short"});
  CHECK(c.size.at("g0-long2") == 1);
  CHECK(stats.chain_anchor_changed == 1);
  // A tight cluster is left as it is by both.
  for (KeptAnchor anchor : {KeptAnchor::kKeepWithin, KeptAnchor::kResplit}) {
    PipelineOptions tight;
    tight.chain_anchor = anchor;
    INFO(KeptAnchorName(anchor));
    CHECK(Run(LengthCorpus(), tight, &stats).log == Run(LengthCorpus(), PipelineOptions{}).log);
    CHECK(stats.chain_anchor_changed == 0);
  }
}

TEST_CASE("chain guard leaves tight clusters alone", "[chain]") {
  const std::vector<Document> docs = LengthCorpus();
  PipelineOptions guarded;
  PipelineOptions unguarded;
  unguarded.chain_guard = false;
  RunStats stats;
  const Collected with = Run(docs, guarded, &stats);
  CHECK(with.log == Run(docs, unguarded).log);
  CHECK(stats.chain_splits == 0);
  CHECK(stats.chain_parts == 0);
}

TEST_CASE("chain guard with SimHash: members within the Hamming radius of a center", "[chain]") {
  Rng rng(9);
  const std::vector<Document> docs = TemplatedChain(rng, 2);
  PipelineOptions options;
  options.method = NearMethod::kSimHash;
  options.simhash.radius = 20;
  options.chain_guard = true;
  RunStats stats;
  const Collected c = Run(docs, options, &stats);
  REQUIRE_FALSE(c.clusters.empty());
  std::map<std::string, Document> by_id;
  for (const Document& d : docs) by_id[d.id] = d;
  // Every cluster has a member whose Hamming distance to every other is
  // within the guard's radius (SimHashGuardRadius(20, 4) = 34 bits: the
  // radius and 4 standard errors; similarity >= 1 - 34/64): run the cluster's documents
  // alone, unguarded, with that member first (kept), and read the
  // similarities to it.
  PipelineOptions plain = options;
  plain.chain_guard = false;
  for (const std::vector<std::string>& cluster : c.clusters) {
    bool found = false;
    for (const std::string& center : cluster) {
      std::vector<Document> around{by_id.at(center)};
      for (const std::string& id : cluster) {
        if (id != center) around.push_back(by_id.at(id));
      }
      const Collected one = Run(around, plain);
      if (one.clusters.size() != 1 || one.clusters[0].size() != cluster.size()) continue;
      const std::string line = one.log.substr(0, one.log.find('\n'));
      bool all = true;
      for (std::size_t at = line.find('='); at != std::string::npos; at = line.find('=', at + 1)) {
        all = all && std::stod(line.substr(at + 1)) >= 1.0 - 34.0 / 64 - 1e-9;
      }
      found = found || all;
    }
    INFO(cluster.front());
    CHECK(found);
  }
}

TEST_CASE("SimHash guard radius: the radius plus margin standard errors of Binomial(64, r/64)",
          "[chain]") {
  // By hand: r = 7, sd = sqrt(64 * 7/64 * 57/64) = sqrt(399/64) = 2.4969.
  CHECK(internal::SimHashGuardRadius(7, 0) == 7);
  CHECK(internal::SimHashGuardRadius(7, 1) == 9);   // 9.4969
  CHECK(internal::SimHashGuardRadius(7, 4) == 16);  // 16.987
  // r = 20: sd = sqrt(20 * 44 / 64) = 3.7081; 20 + 4 sd = 34.83.
  CHECK(internal::SimHashGuardRadius(20, 4) == 34);
  // A checked (center, member) pair is two verified pairs apart, so at most
  // 2r bits (the triangle inequality): at margin 4 no such pair is refused
  // up to r = 12 (12 + 4 * 3.1225 = 24.49), and from r = 13 on some can be
  // (13 + 4 * 3.2187 = 25.87 < 26).
  for (int r = 0; r <= 12; ++r) CHECK(internal::SimHashGuardRadius(r, 4) >= 2 * r);
  for (int r = 13; r <= 32; ++r) CHECK(internal::SimHashGuardRadius(r, 4) < 2 * r);
}

TEST_CASE("SimHash chain guard: a member is refused only beyond the margin", "[chain]") {
  // Fingerprints 0 (a center) and members 8, 16 and 17 bits away from it.
  const std::vector<std::uint64_t> fingerprints{0, 0xffULL, 0xffffULL, 0x1ffffULL};
  const std::vector<CandidatePair> pairs{{0, 1}, {0, 2}, {0, 3}};
  PipelineOptions options;  // radius 7, exact_margin 4: within up to 16 bits
  RunStats stats;
  std::vector<bool> within(pairs.size(), false);
  REQUIRE_OK(internal::SimHashWithin(fingerprints, options, &stats)(pairs, &within));
  CHECK(within == std::vector<bool>{true, true, false});
  CHECK(stats.chain_pairs == 3);
  options.exact_margin = 0;  // the bare radius: 8 bits is already too far
  REQUIRE_OK(internal::SimHashWithin(fingerprints, options, &stats)(pairs, &within));
  CHECK(within == std::vector<bool>{false, false, false});
}

TEST_CASE("keep and chain guard output is identical on 1 and 2 threads and any batch size",
          "[keep][chain]") {
  Rng rng(21);
  std::vector<Document> docs = TemplatedChain(rng, 6);
  for (const Document& d : LengthCorpus()) docs.push_back(d);
  for (const Document& d : WindowChain(rng, 7)) docs.push_back(d);
  for (std::size_t i = docs.size() - 1; i > 0; --i) std::swap(docs[i], docs[rng.Below(i + 1)]);
  for (KeptAnchor anchor : {KeptAnchor::kCenter, KeptAnchor::kResplit, KeptAnchor::kKeepWithin}) {
    for (KeepRule rule : {KeepRule::kEarliest, KeepRule::kLongest, KeepRule::kLatest}) {
      PipelineOptions options = ChainOptions();
      options.keep.rule = rule;
      options.chain_anchor = anchor;
      options.threads = 1;
      RunStats one_stats;
      const std::string one = Run(docs, options, &one_stats).log;
      CHECK(one_stats.chain_splits >= 1);  // the window chain
      for (std::size_t batch : {std::size_t{3}, std::size_t{4096}}) {
        options.threads = 2;
        options.batch_documents = batch;
        INFO(KeepRuleName(rule) << ", " << KeptAnchorName(anchor) << ", batch " << batch);
        CHECK(Run(docs, options).log == one);
      }
    }
  }
}

}  // namespace
}  // namespace neardup
