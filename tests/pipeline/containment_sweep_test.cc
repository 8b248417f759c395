// Containment at the near level and threshold sweeps (`neardup tune`):
// trimmed and extended copies found, the containing document kept, refused
// combinations; a sweep's clusters at each threshold equal a run's at it.
#include <neardup/pipeline.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <vector>

#include "pipeline/pipeline_internal.h"
#include "pipeline/vector_input.h"
#include "test_util.h"

namespace neardup {
namespace {

using testing::Rng;

using testing::InputOf;

std::vector<std::string> RandomWords(Rng& rng, std::size_t n) {
  std::vector<std::string> words;
  for (std::size_t i = 0; i < n; ++i) words.push_back("w" + std::to_string(rng.Below(20000)));
  return words;
}

std::string Join(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

// Clusters as (representative id, sorted member ids), and the decisions.
class Collector final : public DecisionSink {
 public:
  Status OnCluster(const ClusterReport& c) override {
    clusters.push_back(Members(c));
    for (const auto& m : c.members) {
      cluster_of[m.doc->id] = c.id;
      similarity_of[m.doc->id] = m.similarity;
    }
    return Status::OK();
  }
  Status OnDecision(const Decision& d) override {
    if (d.duplicate_of != nullptr) duplicate_of[d.doc->id] = d.duplicate_of->id;
    return Status::OK();
  }
  Status OnSweep(double threshold, std::span<const ClusterReport> reports) override {
    std::vector<std::pair<std::string, std::set<std::string>>>& at = sweep[threshold];
    for (const ClusterReport& c : reports) at.push_back(Members(c));
    return Status::OK();
  }
  static std::pair<std::string, std::set<std::string>> Members(const ClusterReport& c) {
    std::set<std::string> ids;
    for (const auto& m : c.members) ids.insert(m.doc->id);
    return {c.representative->id, ids};
  }
  std::vector<std::pair<std::string, std::set<std::string>>> clusters;
  std::map<double, std::vector<std::pair<std::string, std::set<std::string>>>> sweep;
  std::map<std::string, std::uint32_t> cluster_of;
  std::map<std::string, double> similarity_of;
  std::map<std::string, std::string> duplicate_of;
};

// 120 originals of 300-700 words; every third gets a trimmed copy (its
// first 50-65% of words: Jaccard 0.5-0.65 with it, containment 1), every
// third from the second an extended copy (itself plus 60-120% new words:
// Jaccard 0.45-0.62, containment 1), every sixth a distractor (its first
// 30% of words plus 70% new ones: containment 0.3 either way).
struct ContainmentCorpus {
  std::vector<Document> docs;
  std::map<std::string, std::string> contained_in;  // the smaller -> the larger
  std::set<std::string> distractors;
};

ContainmentCorpus MakeContainmentCorpus() {
  Rng rng(23);
  ContainmentCorpus c;
  auto add = [&c](const std::string& id, const std::string& text) {
    c.docs.push_back(Document{id, text, {"mem", 0}, 0, 0});
  };
  for (int i = 0; i < 120; ++i) {
    const std::string id = "o" + std::to_string(i);
    const std::vector<std::string> words = RandomWords(rng, 300 + rng.Below(401));
    add(id, Join(words, 0, words.size()));
    if (i % 3 == 0) {
      const std::size_t keep = words.size() * (50 + rng.Below(16)) / 100;
      add(id + "-trim", Join(words, 0, keep));
      c.contained_in[id + "-trim"] = id;
    } else if (i % 3 == 1) {
      const std::vector<std::string> more =
          RandomWords(rng, words.size() * (60 + rng.Below(61)) / 100);
      add(id + "-ext", Join(words, 0, words.size()) + " " + Join(more, 0, more.size()));
      c.contained_in[id] = id + "-ext";
    }
    if (i % 6 == 2) {
      const std::vector<std::string> more = RandomWords(rng, words.size() * 7 / 10);
      add(id + "-distractor",
          Join(words, 0, words.size() * 3 / 10) + " " + Join(more, 0, more.size()));
      c.distractors.insert(id + "-distractor");
    }
  }
  for (std::size_t i = c.docs.size() - 1; i > 0; --i) {
    std::swap(c.docs[i], c.docs[rng.Below(i + 1)]);
  }
  return c;
}

TEST_CASE("Containment joins trimmed and extended copies that Jaccard 0.8 misses") {
  const ContainmentCorpus corpus = MakeContainmentCorpus();
  PipelineOptions options;
  options.containment = 0.9;
  Collector sink;
  REQUIRE_OK(Pipeline(options).Run(InputOf(corpus.docs), sink));
  for (const auto& [smaller, larger] : corpus.contained_in) {
    INFO(smaller << " in " << larger);
    REQUIRE(sink.cluster_of.count(smaller) == 1);
    REQUIRE(sink.cluster_of.count(larger) == 1);
    CHECK(sink.cluster_of[smaller] == sink.cluster_of[larger]);
    // The contained document is the duplicate; the containing one is kept.
    CHECK(sink.duplicate_of[smaller] == larger);
    CHECK(sink.duplicate_of.count(larger) == 0);
    CHECK(sink.similarity_of[smaller] > 0.9);
  }
  CHECK(sink.clusters.size() == corpus.contained_in.size());
  for (const std::string& d : corpus.distractors) CHECK(sink.cluster_of.count(d) == 0);

  Collector jaccard;
  REQUIRE_OK(Pipeline(PipelineOptions{}).Run(InputOf(corpus.docs), jaccard));
  CHECK(jaccard.clusters.empty());
}

TEST_CASE("Containment clusters are numbered by their containing representatives") {
  const ContainmentCorpus corpus = MakeContainmentCorpus();
  PipelineOptions options;
  options.containment = 0.9;
  Collector sink;
  REQUIRE_OK(Pipeline(options).Run(InputOf(corpus.docs), sink));
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < corpus.docs.size(); ++i) position[corpus.docs[i].id] = i;
  for (std::size_t i = 1; i < sink.clusters.size(); ++i) {
    CHECK(position[sink.clusters[i - 1].first] < position[sink.clusters[i].first]);
  }
}

TEST_CASE("Containment decides borderline pairs on exact containment") {
  // Trimmed copies with a few words replaced, so that their containment sits
  // on both sides of 0.9; the margin sends them to the exact check, and each
  // decision matches the exact containment of the two shingle sets.
  Rng rng(5);
  std::vector<Document> docs;
  for (int i = 0; i < 40; ++i) {
    std::vector<std::string> words = RandomWords(rng, 500);
    docs.push_back(Document{"b" + std::to_string(i), Join(words, 0, words.size()), {}, 0, 0});
    const std::size_t keep = 250;
    for (std::size_t e = 0; e < 4 + static_cast<std::size_t>(i % 5); ++e) {
      words[rng.Below(keep)] = "x" + std::to_string(rng.Below(1000000));
    }
    docs.push_back(Document{"b" + std::to_string(i) + "-cut", Join(words, 0, keep), {}, 0, 0});
  }
  PipelineOptions options;
  options.containment = 0.9;
  Pipeline pipeline(options);
  Collector sink;
  REQUIRE_OK(pipeline.Run(InputOf(docs), sink));
  CHECK(pipeline.stats().exact_checks > 0);
  internal::ShingleSetScratch scratch;
  for (std::size_t i = 0; i < docs.size(); i += 2) {
    const double exact =
        internal::SortedSetContainment(internal::ExactShingleSet(docs[i], options, &scratch),
                                       internal::ExactShingleSet(docs[i + 1], options, &scratch));
    INFO(docs[i + 1].id << " exact containment " << exact);
    CHECK((sink.duplicate_of.count(docs[i + 1].id) == 1) == (exact >= 0.9));
  }
}

TEST_CASE("Containment is refused where it is not supported") {
  PipelineOptions options;
  options.containment = 0.9;
  options.method = NearMethod::kSimHash;
  CHECK_FALSE(Pipeline(options).Validate().ok());
  options.method = NearMethod::kMinHash;
  options.level = Level::kStory;
  CHECK_FALSE(Pipeline(options).Validate().ok());
  options.level = Level::kNear;
  options.signed_parts = {"part0"};
  CHECK_FALSE(Pipeline(options).Validate().ok());
  options.signed_parts.clear();
  options.containment = 1.5;
  CHECK_FALSE(Pipeline(options).Validate().ok());
  options.containment = 0.9;
  options.sweep = {0.8};
  CHECK_FALSE(Pipeline(options).Validate().ok());
}

TEST_CASE("Containment banding finds pairs up to the size ratio") {
  PipelineOptions options;
  options.containment = 0.9;
  const LshParams p = internal::NearLshParams(options);
  // Sizes 3 apart at containment 0.9: Jaccard 0.29.
  CHECK(CandidateProbability(0.9 / (1 + 3 - 0.9), p) > 0.95);
  CHECK(CandidateProbability(0.9 / (1 + 2 - 0.9), p) > 0.999);
}

// Originals with copies edited at rates that spread their Jaccard over
// 0.3-1, so that every threshold of the sweep cuts through some pairs.
std::vector<Document> SpreadCorpus() {
  Rng rng(31);
  std::vector<Document> docs;
  for (int i = 0; i < 150; ++i) {
    std::vector<std::string> words = RandomWords(rng, 150 + rng.Below(350));
    docs.push_back(Document{"s" + std::to_string(i), Join(words, 0, words.size()), {}, 0, 0});
    for (int c = 0; c < 2; ++c) {
      std::vector<std::string> copy = words;
      const double rate = static_cast<double>(rng.Below(80)) / 1000;  // 0-8% of words
      for (std::string& w : copy) {
        if (static_cast<double>(rng.Below(10000)) < rate * 10000) {
          w = "x" + std::to_string(rng.Below(1000000));
        }
      }
      docs.push_back(Document{
          "s" + std::to_string(i) + "-" + std::to_string(c), Join(copy, 0, copy.size()), {}, 0, 0});
    }
  }
  for (std::size_t i = docs.size() - 1; i > 0; --i) std::swap(docs[i], docs[rng.Below(i + 1)]);
  return docs;
}

TEST_CASE("A near-level sweep gives at each threshold the clusters of a run at it") {
  const std::vector<Document> docs = SpreadCorpus();
  PipelineOptions options;
  options.sweep = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};
  Collector sweep;
  REQUIRE_OK(Pipeline(options).Run(InputOf(docs), sweep));
  REQUIRE(sweep.sweep.size() == options.sweep.size());
  std::set<std::size_t> sizes;
  for (const double t : options.sweep) {
    PipelineOptions at;
    at.lsh.threshold = t;
    Collector run;
    REQUIRE_OK(Pipeline(at).Run(InputOf(docs), run));
    INFO("threshold " << t);
    CHECK(sweep.sweep[t] == run.clusters);
    sizes.insert(run.clusters.size());
  }
  CHECK(sizes.size() > 3);  // the thresholds do cut differently
}

TEST_CASE("A story-level sweep gives at each threshold the clusters of a run at it") {
  const std::string docs =
      std::string(NEARDUP_SOURCE_DIR) + "/tests/data/story-templates/docs.jsonl";
  auto open = [&] { return OpenReader({docs}, ReaderOptions{}); };
  PipelineOptions options;
  options.level = Level::kStory;
  options.story.shared_terms = false;
  options.sweep = {0.1, 0.15, 0.2, 0.3};
  Collector sweep;
  REQUIRE_OK(Pipeline(options).Run(open, sweep));
  std::set<std::size_t> sizes;
  for (const double t : options.sweep) {
    PipelineOptions at = options;
    at.sweep.clear();
    at.story.threshold = t;
    Collector run;
    REQUIRE_OK(Pipeline(at).Run(open, run));
    INFO("threshold " << t);
    CHECK(sweep.sweep[t] == run.clusters);
    sizes.insert(run.clusters.size());
  }
  CHECK(sizes.size() > 1);
}

}  // namespace
}  // namespace neardup
