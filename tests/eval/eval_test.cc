// Tests for Evaluate, EvaluateTopics, UnionOfIds and the eval file readers (lib/eval/).
//
// Evaluate works from the contingency table; the references here count
// document pairs directly (O(n^2)), and compute the adjusted Rand index with
// Hubert and Arabie's formula in its pair-count form:
//   ARI = 2 (a d - b c) / ((a + b)(b + d) + (a + c)(c + d)),
// where a = pairs together in both partitions, b = together only in the
// prediction, c = together only in the truth, d = apart in both.
#include <neardup/eval.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "../test_util.h"

namespace neardup {
namespace {

struct Reference {
  std::uint64_t a = 0, b = 0, c = 0, d = 0;
  double pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
  double ari = 0;
};

// Same group: both ids have a label and the labels are equal (an id missing
// from a labeling is a singleton there).
bool Together(const Labeling& labels, const std::string& x, const std::string& y) {
  if (x == y) return true;
  auto ix = labels.find(x), iy = labels.find(y);
  return ix != labels.end() && iy != labels.end() && ix->second == iy->second;
}

double F1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

Reference BruteForce(const std::vector<std::string>& ids, const Labeling& predicted,
                     const Labeling& truth) {
  Reference ref;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = i + 1; j < ids.size(); ++j) {
      const bool p = Together(predicted, ids[i], ids[j]);
      const bool t = Together(truth, ids[i], ids[j]);
      if (p && t) ++ref.a;
      if (p && !t) ++ref.b;
      if (!p && t) ++ref.c;
      if (!p && !t) ++ref.d;
    }
  }
  const auto a = static_cast<double>(ref.a), b = static_cast<double>(ref.b),
             c = static_cast<double>(ref.c), d = static_cast<double>(ref.d);
  // Documented convention: a ratio with nothing to count is 1.
  ref.pair_precision = ref.a + ref.b > 0 ? a / (a + b) : 1.0;
  ref.pair_recall = ref.a + ref.c > 0 ? a / (a + c) : 1.0;
  ref.pair_f1 = F1(ref.pair_precision, ref.pair_recall);
  // B-cubed: per document, the fraction of its predicted cluster (itself
  // included) that shares its label, and of its class that shares its cluster.
  double bp = 0, br = 0;
  for (const std::string& x : ids) {
    double cluster = 0, klass = 0, both = 0;
    for (const std::string& y : ids) {
      const bool p = Together(predicted, x, y), t = Together(truth, x, y);
      cluster += p;
      klass += t;
      both += p && t;
    }
    bp += both / cluster;
    br += both / klass;
  }
  ref.bcubed_precision = bp / static_cast<double>(ids.size());
  ref.bcubed_recall = br / static_cast<double>(ids.size());
  ref.bcubed_f1 = F1(ref.bcubed_precision, ref.bcubed_recall);
  ref.ari = 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d));
  return ref;
}

void CheckAgainstReference(const std::vector<std::string>& ids, const Labeling& predicted,
                           const Labeling& truth) {
  const Reference ref = BruteForce(ids, predicted, truth);
  const EvalScores s = Evaluate(ids, predicted, truth);
  CHECK(s.documents == ids.size());
  CHECK(s.predicted_pairs == ref.a + ref.b);
  CHECK(s.true_pairs == ref.a + ref.c);
  CHECK(s.correct_pairs == ref.a);
  CHECK(s.pair_precision == Approx(ref.pair_precision).margin(1e-12));
  CHECK(s.pair_recall == Approx(ref.pair_recall).margin(1e-12));
  CHECK(s.pair_f1 == Approx(ref.pair_f1).margin(1e-12));
  CHECK(s.bcubed_precision == Approx(ref.bcubed_precision).margin(1e-12));
  CHECK(s.bcubed_recall == Approx(ref.bcubed_recall).margin(1e-12));
  CHECK(s.bcubed_f1 == Approx(ref.bcubed_f1).margin(1e-12));
  CHECK(s.adjusted_rand == Approx(ref.ari).margin(1e-12));
}

std::vector<std::string> Ids(std::size_t n) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("doc" + std::to_string(i));
  return ids;
}

// Random labels from `groups` values; each id is left out with probability
// `missing_percent` / 100 (a singleton then).
Labeling RandomLabeling(testing::Rng& rng, const std::vector<std::string>& ids,
                        std::uint64_t groups, std::uint64_t missing_percent) {
  Labeling labels;
  for (const std::string& id : ids) {
    if (rng.Below(100) < missing_percent) continue;
    labels[id] = "g" + std::to_string(rng.Below(groups));
  }
  return labels;
}

// ---------------------------------------------------------------------------
// Evaluate

TEST_CASE("Evaluate: identical partitions score 1 everywhere", "[eval]") {
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f"};
  const Labeling truth = {{"a", "x"}, {"b", "x"}, {"c", "y"}, {"d", "y"}, {"e", "y"}};
  // The same partition under other label names (f is a singleton in both).
  const Labeling predicted = {{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "1"}, {"e", "1"}};
  const EvalScores s = Evaluate(ids, predicted, truth);
  CHECK(s.documents == 6);
  CHECK(s.predicted_pairs == 4);  // ab, cd, ce, de
  CHECK(s.true_pairs == 4);
  CHECK(s.correct_pairs == 4);
  CHECK(s.pair_precision == 1.0);
  CHECK(s.pair_recall == 1.0);
  CHECK(s.pair_f1 == 1.0);
  CHECK(s.bcubed_precision == Approx(1.0).margin(1e-12));
  CHECK(s.bcubed_recall == Approx(1.0).margin(1e-12));
  CHECK(s.bcubed_f1 == Approx(1.0).margin(1e-12));
  CHECK(s.adjusted_rand == Approx(1.0).margin(1e-12));
  // Degenerate identical partitions: everything together, everything apart.
  const Labeling one = {{"a", "z"}, {"b", "z"}, {"c", "z"}, {"d", "z"}, {"e", "z"}, {"f", "z"}};
  const EvalScores all = Evaluate(ids, one, one);
  CHECK(all.pair_f1 == 1.0);
  CHECK(all.adjusted_rand == Approx(1.0).margin(1e-12));
  const EvalScores none = Evaluate(ids, Labeling{}, Labeling{});
  CHECK(none.pair_precision == 1.0);
  CHECK(none.pair_recall == 1.0);
  CHECK(none.bcubed_f1 == Approx(1.0).margin(1e-12));
  CHECK(none.adjusted_rand == Approx(1.0).margin(1e-12));
}

TEST_CASE("Evaluate: predicting only singletons", "[eval]") {
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e"};
  const Labeling truth = {{"a", "x"}, {"b", "x"}, {"c", "x"}, {"d", "y"}, {"e", "y"}};
  const EvalScores s = Evaluate(ids, Labeling{}, truth);
  CHECK(s.predicted_pairs == 0);
  CHECK(s.true_pairs == 4);        // ab, ac, bc, de
  CHECK(s.pair_precision == 1.0);  // nothing predicted: precision 1 by convention
  CHECK(s.pair_recall == 0.0);
  CHECK(s.pair_f1 == 0.0);
  CHECK(s.bcubed_precision == Approx(1.0).margin(1e-12));
  // B-cubed recall: 1/3 for a, b, c and 1/2 for d, e -> (1 + 1) / 5.
  CHECK(s.bcubed_recall == Approx(0.4).margin(1e-12));
  // ARI: a = b = 0, c = 4, d = 6 -> 2 (0 - 0) / (0 + 4 * 10) = 0.
  CHECK(s.adjusted_rand == Approx(0.0).margin(1e-12));
}

TEST_CASE("Evaluate: hand-computed example", "[eval]") {
  // Truth: {a, b, c}, {d, e}, {f}. Prediction: {a, b}, {c, d}, e, f alone.
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f"};
  const Labeling truth = {{"a", "X"}, {"b", "X"}, {"c", "X"}, {"d", "Y"}, {"e", "Y"}, {"f", "Z"}};
  const Labeling predicted = {{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "1"}};
  const EvalScores s = Evaluate(ids, predicted, truth);
  // Predicted pairs ab, cd; true pairs ab, ac, bc, de; correct ab.
  CHECK(s.predicted_pairs == 2);
  CHECK(s.true_pairs == 4);
  CHECK(s.correct_pairs == 1);
  CHECK(s.pair_precision == Approx(0.5).margin(1e-12));
  CHECK(s.pair_recall == Approx(0.25).margin(1e-12));
  CHECK(s.pair_f1 == Approx(1.0 / 3).margin(1e-12));
  // B-cubed precision: a 1, b 1, c 1/2, d 1/2, e 1, f 1 -> 5/6.
  CHECK(s.bcubed_precision == Approx(5.0 / 6).margin(1e-12));
  // B-cubed recall: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2, f 1 -> 11/18.
  CHECK(s.bcubed_recall == Approx(11.0 / 18).margin(1e-12));
  // Pair counts a = 1, b = 1, c = 3, d = 15 - 5 = 10:
  // ARI = 2 (10 - 3) / (2 * 11 + 4 * 13) = 14 / 74 = 7/37.
  CHECK(s.adjusted_rand == Approx(7.0 / 37).margin(1e-12));
}

TEST_CASE("Evaluate: matches brute-force pair counting on random partitions", "[eval]") {
  testing::Rng rng(4242);
  const std::vector<std::string> ids = Ids(50);
  for (int trial = 0; trial < 40; ++trial) {
    const std::uint64_t pred_groups = 1 + rng.Below(30);
    const std::uint64_t true_groups = 1 + rng.Below(30);
    const Labeling predicted = RandomLabeling(rng, ids, pred_groups, rng.Below(60));
    const Labeling truth = RandomLabeling(rng, ids, true_groups, rng.Below(60));
    const Reference ref = BruteForce(ids, predicted, truth);
    // Skip the rare draw where ARI's denominator vanishes (no pairs on either side).
    if ((ref.a + ref.b) * (ref.b + ref.d) + (ref.a + ref.c) * (ref.c + ref.d) == 0) continue;
    INFO("trial " << trial << ": " << pred_groups << " predicted groups, " << true_groups
                  << " true groups");
    CheckAgainstReference(ids, predicted, truth);
  }
}

TEST_CASE("Evaluate: a truth that is a refinement or coarsening of the prediction", "[eval]") {
  // Prediction merges pairs of true classes: precision < 1, recall 1.
  const std::vector<std::string> ids = Ids(40);
  Labeling fine, coarse;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    fine[ids[i]] = std::to_string(i / 4);
    coarse[ids[i]] = std::to_string(i / 8);
  }
  const EvalScores s = Evaluate(ids, coarse, fine);
  CHECK(s.pair_recall == 1.0);
  // 5 coarse clusters of 8 (28 pairs each), 10 fine classes of 4 (6 pairs each).
  CHECK(s.predicted_pairs == 140);
  CHECK(s.true_pairs == 60);
  CHECK(s.pair_precision == Approx(60.0 / 140).margin(1e-12));
  CheckAgainstReference(ids, coarse, fine);
  CheckAgainstReference(ids, fine, coarse);
}

TEST_CASE("Evaluate: ids missing from a labeling are singletons there", "[eval]") {
  const std::vector<std::string> ids = {"a", "b", "c", "d"};
  // c and d share a label but are missing from the prediction: apart there.
  const Labeling predicted = {{"a", "0"}, {"b", "0"}, {"not-an-id", "0"}};
  const Labeling truth = {{"a", "X"}, {"b", "X"}, {"c", "Y"}, {"d", "Y"}};
  const EvalScores s = Evaluate(ids, predicted, truth);
  CHECK(s.predicted_pairs == 1);  // "not-an-id" is not among ids: ignored
  CHECK(s.true_pairs == 2);
  CHECK(s.correct_pairs == 1);
  CHECK(s.pair_precision == 1.0);
  CHECK(s.pair_recall == Approx(0.5).margin(1e-12));
  // Two ids missing from the truth are not a true pair, even when predicted together.
  const Labeling predicted2 = {{"c", "7"}, {"d", "7"}};
  const Labeling truth2 = {{"a", "X"}, {"b", "X"}};
  const EvalScores s2 = Evaluate(ids, predicted2, truth2);
  CHECK(s2.predicted_pairs == 1);
  CHECK(s2.true_pairs == 1);
  CHECK(s2.correct_pairs == 0);
  CHECK(s2.pair_precision == 0.0);
  CHECK(s2.pair_recall == 0.0);
  CheckAgainstReference(ids, predicted, truth);
  CheckAgainstReference(ids, predicted2, truth2);
}

TEST_CASE("Evaluate: no documents", "[eval]") {
  const EvalScores s = Evaluate({}, Labeling{}, Labeling{});
  CHECK(s.documents == 0);
  CHECK(s.predicted_pairs == 0);
  CHECK(s.true_pairs == 0);
  CHECK(s.pair_f1 == 1.0);
}

// ---------------------------------------------------------------------------
// EvaluateTopics

TEST_CASE("EvaluateTopics: hand-computed example", "[eval]") {
  // Stories X1, X2 of topic X and Y1 of topic Y. Prediction: {a, b, c, d}
  // (X1, X1, X2, Y1), {e, f} (X2, unlabelled story), g alone.
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f", "g"};
  const Labeling truth = {{"a", "X1"}, {"b", "X1"}, {"c", "X2"},
                          {"d", "Y1"}, {"e", "X2"}, {"g", "X2"}};
  const Labeling topics = {{"a", "X"}, {"b", "X"}, {"c", "X"}, {"d", "Y"},
                           {"e", "X"}, {"f", "X"}, {"g", "X"}};
  const Labeling predicted = {{"a", "0"}, {"b", "0"}, {"c", "0"},
                              {"d", "0"}, {"e", "1"}, {"f", "1"}};
  const TopicErrors e = EvaluateTopics(ids, predicted, truth, topics);
  // Wrong pairs: ac, bc, ad, bd, cd in cluster 0; ef in cluster 1 (f has no story).
  CHECK(e.wrong_pairs == 6);
  // Same topic among them: ac, bc (X), ef (X).
  CHECK(e.same_topic_wrong_pairs == 3);
  CHECK(e.clusters_with_errors == 2);
  // Without topics every document is its own topic: no same-topic pair.
  const TopicErrors none = EvaluateTopics(ids, predicted, truth, Labeling{});
  CHECK(none.wrong_pairs == 6);
  CHECK(none.same_topic_wrong_pairs == 0);
  CHECK(none.clusters_with_errors == 0);
}

TEST_CASE("EvaluateTopics: matches brute-force pair counting on random partitions", "[eval]") {
  testing::Rng rng(1818);
  const std::vector<std::string> ids = Ids(60);
  for (int trial = 0; trial < 40; ++trial) {
    const Labeling predicted = RandomLabeling(rng, ids, 1 + rng.Below(20), rng.Below(60));
    const Labeling truth = RandomLabeling(rng, ids, 1 + rng.Below(30), rng.Below(40));
    const Labeling topics = RandomLabeling(rng, ids, 1 + rng.Below(8), rng.Below(40));
    std::uint64_t wrong = 0, same_topic = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      for (std::size_t j = i + 1; j < ids.size(); ++j) {
        if (!Together(predicted, ids[i], ids[j]) || Together(truth, ids[i], ids[j])) continue;
        ++wrong;
        same_topic += Together(topics, ids[i], ids[j]);
      }
    }
    INFO("trial " << trial);
    const TopicErrors e = EvaluateTopics(ids, predicted, truth, topics);
    CHECK(e.wrong_pairs == wrong);
    CHECK(e.same_topic_wrong_pairs == same_topic);
  }
}

TEST_CASE("UnionOfIds: every id of either labeling, sorted, once", "[eval]") {
  const Labeling a = {{"b", "1"}, {"d", "1"}, {"a", "2"}};
  const Labeling b = {{"c", "x"}, {"a", "y"}};
  CHECK(UnionOfIds(a, b) == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(UnionOfIds(Labeling{}, Labeling{}).empty());
}

// ---------------------------------------------------------------------------
// Readers

TEST_CASE("ReadLabelsTsv: reads labels, skipping comments and blank lines", "[eval][io]") {
  testing::TempDir dir;
  const std::string path = dir.File("labels.tsv");
  testing::WriteFile(path, "# id\tlabel\na\tx\n\nb\tx\r\nc\ty\n   \nd\tlabel with\ttab\n");
  const Result<Labeling> labels = ReadLabelsTsv(path);
  REQUIRE_OK(labels.status());
  CHECK(labels.value().size() == 4);
  CHECK(labels.value().at("a") == "x");
  CHECK(labels.value().at("b") == "x");  // the '\r' of CRLF is not part of the label
  CHECK(labels.value().at("c") == "y");
  CHECK(labels.value().at("d") == "label with\ttab");  // split at the first tab
}

TEST_CASE("ReadLabelsTsv: errors name the file and line", "[eval][io]") {
  testing::TempDir dir;
  SECTION("a line without a tab") {
    const std::string path = dir.File("notab.tsv");
    // Line 4 (the comment and the blank line count).
    testing::WriteFile(path, "# header\na\tx\n\nbroken line\nc\ty\n");
    const Result<Labeling> r = ReadLabelsTsv(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidInput);
    CHECK_THAT(r.status().message(), Catch::Contains(path + ":4"));
  }
  SECTION("an id listed twice") {
    const std::string path = dir.File("dup.tsv");
    testing::WriteFile(path, "a\tx\nb\ty\na\tz\n");
    const Result<Labeling> r = ReadLabelsTsv(path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidInput);
    CHECK_THAT(r.status().message(), Catch::Contains(path + ":3"));
    CHECK_THAT(r.status().message(), Catch::Contains("\"a\""));
  }
  SECTION("an empty id or label") {
    const std::string path = dir.File("empty.tsv");
    testing::WriteFile(path, "a\tx\n\ty\n");
    const Result<Labeling> r = ReadLabelsTsv(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(path + ":2"));
    const std::string path2 = dir.File("empty2.tsv");
    testing::WriteFile(path2, "a\t\n");
    const Result<Labeling> r2 = ReadLabelsTsv(path2);
    REQUIRE_FALSE(r2.ok());
    CHECK_THAT(r2.status().message(), Catch::Contains(path2 + ":1"));
  }
  SECTION("a missing file") {
    const std::string path = dir.File("absent.tsv");
    const Result<Labeling> r = ReadLabelsTsv(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(path));
  }
}

std::string ClusterLine(int cluster, const std::vector<std::string>& members) {
  std::string line = "{\"cluster\": " + std::to_string(cluster) +
                     ", \"level\": \"near\", \"representative\": \"" + members.front() +
                     "\", \"members\": [";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) line += ", ";
    line += "{\"id\": \"" + members[i] + "\", \"source\": \"in.jsonl:" + std::to_string(i + 1) +
            "\", \"similarity\": " + (i == 0 ? std::string("1") : std::string("0.875")) + "}";
  }
  return line + "]}\n";
}

TEST_CASE("ReadClustersJsonl: reads clusters.jsonl into a labeling", "[eval][io]") {
  testing::TempDir dir;
  const std::string path = dir.File("clusters.jsonl");
  testing::WriteFile(path, ClusterLine(0, {"a", "b"}) + "\n" + ClusterLine(1, {"c", "d", "e"}));
  const Result<Labeling> r = ReadClustersJsonl(path);
  REQUIRE_OK(r.status());
  const Labeling& clusters = r.value();
  REQUIRE(clusters.size() == 5);
  CHECK(clusters.at("a") == clusters.at("b"));
  CHECK(clusters.at("c") == clusters.at("d"));
  CHECK(clusters.at("c") == clusters.at("e"));
  CHECK(clusters.at("a") != clusters.at("c"));

  // End to end with the hand-computed example above: truth {a, b, c} {d, e} {f}
  // against predicted {a, b} {c, d}; here the prediction is {a, b} {c, d, e}.
  const std::string truth_path = dir.File("truth.tsv");
  testing::WriteFile(truth_path, "a\tX\nb\tX\nc\tX\nd\tY\ne\tY\nf\tZ\n");
  const Result<Labeling> truth = ReadLabelsTsv(truth_path);
  REQUIRE_OK(truth.status());
  const std::vector<std::string> ids = UnionOfIds(clusters, truth.value());
  REQUIRE(ids == std::vector<std::string>{"a", "b", "c", "d", "e", "f"});
  const EvalScores s = Evaluate(ids, clusters, truth.value());
  // Predicted pairs ab, cd, ce, de (4); true ab, ac, bc, de (4); correct ab, de.
  CHECK(s.predicted_pairs == 4);
  CHECK(s.true_pairs == 4);
  CHECK(s.correct_pairs == 2);
  CheckAgainstReference(ids, clusters, truth.value());
}

TEST_CASE("ReadClustersJsonl: malformed input is rejected with file:line", "[eval][io]") {
  testing::TempDir dir;
  struct Bad {
    const char* name;
    std::string second_line;
  };
  const std::vector<Bad> cases = {
      {"not JSON", "{\"cluster\": 1, \"members\": [\n"},
      {"JSON but not an object", "[1, 2]\n"},
      {"missing members", "{\"cluster\": 1, \"level\": \"near\"}\n"},
      {"missing cluster", "{\"members\": [{\"id\": \"x\"}]}\n"},
      {"members not an array", "{\"cluster\": 1, \"members\": {\"id\": \"x\"}}\n"},
      {"member without id", "{\"cluster\": 1, \"members\": [{\"source\": \"s\"}]}\n"},
      {"non-string id", "{\"cluster\": 1, \"members\": [{\"id\": 7}]}\n"},
      {"an id in two clusters", ClusterLine(1, {"c", "a"})},
  };
  for (const Bad& bad : cases) {
    SECTION(bad.name) {
      const std::string path = dir.File("bad.jsonl");
      testing::WriteFile(path,
                         ClusterLine(0, {"a", "b"}) + bad.second_line + ClusterLine(2, {"y", "z"}));
      const Result<Labeling> r = ReadClustersJsonl(path);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == StatusCode::kInvalidInput);
      CHECK_THAT(r.status().message(), Catch::Contains(path + ":2"));
    }
  }
  SECTION("the duplicate id is named") {
    const std::string path = dir.File("dup.jsonl");
    testing::WriteFile(path, ClusterLine(0, {"a", "b"}) + "\n" + ClusterLine(1, {"c", "b"}));
    const Result<Labeling> r = ReadClustersJsonl(path);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(path + ":3"));
    CHECK_THAT(r.status().message(), Catch::Contains("\"b\""));
  }
}

TEST_CASE("ReadIdList: one id per line, blank lines skipped", "[eval][io]") {
  testing::TempDir dir;
  const std::string path = dir.File("ids.txt");
  testing::WriteFile(path, "a\n\nb\r\n  \nc");
  const Result<std::vector<std::string>> r = ReadIdList(path);
  REQUIRE_OK(r.status());
  CHECK(r.value() == std::vector<std::string>{"a", "b", "c"});
}

// Issue 17: `eval --ids` with ids that match nothing scored a perfect 1.0.
TEST_CASE("ReadIdList: an id listed twice names both lines", "[eval][io][regression]") {
  testing::TempDir dir;
  const std::string path = dir.File("ids.txt");
  testing::WriteFile(path, "a\nb\n\nb\n");
  const Result<std::vector<std::string>> r = ReadIdList(path);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains(path + ":4"));
  CHECK_THAT(r.status().message(), Catch::Contains("\"b\" already listed on line 2"));
}

TEST_CASE("IdsNotListed: ids of a labeling that an id list leaves out", "[eval][regression]") {
  const Labeling clusters{{"a", "0"}, {"b", "0"}, {"c", "1"}, {"d", "1"}};
  const std::vector<std::string> all{"a", "b", "c", "d", "e"};
  CHECK(IdsNotListed(clusters, all).empty());
  // A list naming the documents differently leaves every labelled id out.
  const std::vector<std::string> other{"docs/a", "docs/b", "docs/c", "docs/d"};
  CHECK(IdsNotListed(clusters, other) == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(IdsNotListed(clusters, std::vector<std::string>{"a", "c"}) ==
        std::vector<std::string>{"b", "d"});
}

TEST_CASE("Evaluate: counts listed ids in neither labeling", "[eval][regression]") {
  const Labeling predicted{{"a", "0"}, {"b", "0"}};
  const Labeling truth{{"a", "x"}, {"c", "x"}};
  const std::vector<std::string> ids{"a", "b", "c", "d", "e"};
  const EvalScores s = Evaluate(ids, predicted, truth);
  CHECK(s.documents == 5);
  CHECK(s.in_neither == 2);
  CHECK(Evaluate(UnionOfIds(predicted, truth), predicted, truth).in_neither == 0);
}

}  // namespace
}  // namespace neardup
