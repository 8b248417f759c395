// Pairwise, B-cubed and adjusted Rand scores, all computed from the
// contingency table n_ij = |predicted cluster i ∩ true class j|, so the cost
// is linear in documents rather than quadratic in pairs.
#include "neardup/eval.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

namespace neardup {
namespace {

double Pairs(double n) { return n * (n - 1) / 2; }

double Ratio(double num, double den) { return den > 0 ? num / den : 1.0; }

double F1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

// Dense class number of every document; unlabelled documents get a class of their own.
std::vector<std::size_t> Classes(std::span<const std::string> ids, const Labeling& labels) {
  std::map<std::string, std::size_t> number;
  std::vector<std::size_t> out;
  out.reserve(ids.size());
  std::size_t next = 0;
  for (const std::string& id : ids) {
    auto it = labels.find(id);
    if (it == labels.end()) {
      out.push_back(next++);
    } else {
      auto [pos, inserted] = number.emplace(it->second, next);
      if (inserted) ++next;
      out.push_back(pos->second);
    }
  }
  return out;
}

}  // namespace

EvalScores Evaluate(std::span<const std::string> ids, const Labeling& predicted,
                    const Labeling& truth) {
  EvalScores s;
  s.documents = ids.size();
  for (const std::string& id : ids) s.in_neither += !predicted.contains(id) && !truth.contains(id);
  if (ids.empty()) return s;
  const std::vector<std::size_t> pred = Classes(ids, predicted);
  const std::vector<std::size_t> gold = Classes(ids, truth);
  std::map<std::pair<std::size_t, std::size_t>, double> cell;
  std::map<std::size_t, double> pred_size, gold_size;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    cell[{pred[i], gold[i]}] += 1;
    pred_size[pred[i]] += 1;
    gold_size[gold[i]] += 1;
  }
  double correct = 0, predicted_pairs = 0, true_pairs = 0, bp = 0, br = 0;
  for (const auto& [key, n] : cell) {
    correct += Pairs(n);
    bp += n * n / pred_size[key.first];
    br += n * n / gold_size[key.second];
  }
  for (const auto& [c, n] : pred_size) predicted_pairs += Pairs(n);
  for (const auto& [c, n] : gold_size) true_pairs += Pairs(n);
  const double docs = static_cast<double>(ids.size());

  s.predicted_pairs = static_cast<std::uint64_t>(predicted_pairs);
  s.true_pairs = static_cast<std::uint64_t>(true_pairs);
  s.correct_pairs = static_cast<std::uint64_t>(correct);
  s.pair_precision = Ratio(correct, predicted_pairs);
  s.pair_recall = Ratio(correct, true_pairs);
  s.pair_f1 = F1(s.pair_precision, s.pair_recall);
  s.bcubed_precision = bp / docs;
  s.bcubed_recall = br / docs;
  s.bcubed_f1 = F1(s.bcubed_precision, s.bcubed_recall);
  // ARI = (index - expected) / (max - expected), with the expectation taken
  // over partitions of the same cluster sizes.
  const double expected = Pairs(docs) > 0 ? predicted_pairs * true_pairs / Pairs(docs) : 0;
  const double max_index = (predicted_pairs + true_pairs) / 2;
  s.adjusted_rand = max_index - expected != 0 ? (correct - expected) / (max_index - expected) : 1.0;
  return s;
}

TopicErrors EvaluateTopics(std::span<const std::string> ids, const Labeling& predicted,
                           const Labeling& truth, const Labeling& topics) {
  const std::vector<std::size_t> pred = Classes(ids, predicted);
  const std::vector<std::size_t> gold = Classes(ids, truth);
  const std::vector<std::size_t> topic = Classes(ids, topics);
  // Pairs of a predicted cluster sharing a topic, less those also sharing a
  // story, are its wrongly joined same-topic pairs.
  std::map<std::size_t, double> cluster;
  std::map<std::pair<std::size_t, std::size_t>, double> cluster_story, cluster_topic;
  std::map<std::tuple<std::size_t, std::size_t, std::size_t>, double> cluster_topic_story;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    cluster[pred[i]] += 1;
    cluster_story[{pred[i], gold[i]}] += 1;
    cluster_topic[{pred[i], topic[i]}] += 1;
    cluster_topic_story[{pred[i], topic[i], gold[i]}] += 1;
  }
  std::map<std::size_t, double> same_topic_wrong;  // per predicted cluster
  for (const auto& [key, n] : cluster_topic) same_topic_wrong[key.first] += Pairs(n);
  for (const auto& [key, n] : cluster_topic_story) same_topic_wrong[std::get<0>(key)] -= Pairs(n);
  double wrong = 0, same_topic = 0;
  for (const auto& [c, n] : cluster) wrong += Pairs(n);
  for (const auto& [key, n] : cluster_story) wrong -= Pairs(n);
  TopicErrors e;
  for (const auto& [c, n] : same_topic_wrong) {
    same_topic += n;
    if (n > 0) ++e.clusters_with_errors;
  }
  e.wrong_pairs = static_cast<std::uint64_t>(wrong);
  e.same_topic_wrong_pairs = static_cast<std::uint64_t>(same_topic);
  return e;
}

std::vector<std::string> UnionOfIds(const Labeling& a, const Labeling& b) {
  std::set<std::string> ids;
  for (const auto& [id, label] : a) ids.insert(id);
  for (const auto& [id, label] : b) ids.insert(id);
  return std::vector<std::string>(ids.begin(), ids.end());
}

std::vector<std::string> IdsNotListed(const Labeling& labeling, std::span<const std::string> ids) {
  const std::set<std::string_view> listed(ids.begin(), ids.end());
  std::vector<std::string> missing;
  for (const auto& [id, label] : labeling) {
    if (!listed.contains(id)) missing.push_back(id);
  }
  std::sort(missing.begin(), missing.end());
  return missing;
}

}  // namespace neardup
