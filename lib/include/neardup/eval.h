// Stage "eval": score a clustering against ground-truth labels.
//
// Both the clustering and the labels are partitions of a set of document ids;
// an id missing from either one is a singleton there. Scores:
//   pairwise  precision = same-cluster pairs that share a label / same-cluster pairs,
//             recall    = same-label pairs that share a cluster / same-label pairs;
//   B-cubed   (Bagga and Baldwin 1998) precision and recall averaged per document;
//   adjusted Rand index (Hubert and Arabie 1985): 1 for identical partitions,
//             about 0 for a random one.
// A ratio with nothing to count (no predicted pairs, no labelled pairs) is 1.
// `neardup eval --ids` refuses an id list that leaves out ids of either
// labeling (IdsNotListed), and reports how many listed ids are in neither.
//
//   Result<Labeling> truth = ReadLabelsTsv("labels.tsv");
//   Result<Labeling> found = ReadClustersJsonl("clusters.jsonl");
//   EvalScores s = Evaluate(UnionOfIds(found.value(), truth.value()), found.value(),
//   truth.value());
//
// All functions are thread-safe: they read only their arguments (and the
// files they name), keep no state, and return values that own their data.
#ifndef NEARDUP_EVAL_H_
#define NEARDUP_EVAL_H_

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "neardup/status.h"

namespace neardup {

// Document id -> cluster or class label.
using Labeling = std::unordered_map<std::string, std::string>;

struct EvalScores {
  std::size_t documents = 0;
  std::size_t in_neither = 0;         // documents in neither labeling (singletons in both)
  std::uint64_t predicted_pairs = 0;  // pairs in a common predicted cluster
  std::uint64_t true_pairs = 0;       // pairs with a common label
  std::uint64_t correct_pairs = 0;    // pairs with both
  double pair_precision = 1, pair_recall = 1, pair_f1 = 1;
  double bcubed_precision = 1, bcubed_recall = 1, bcubed_f1 = 1;
  double adjusted_rand = 1;
};

// Scores `predicted` against `truth` over the documents `ids` (each id once).
EvalScores Evaluate(std::span<const std::string> ids, const Labeling& predicted,
                    const Labeling& truth);

// Errors among topics: a topic labeling groups the documents by kind of event,
// so that two stories of one topic are the hard negatives (the same people,
// the same kind of event, another day). A wrongly joined same-topic pair is a
// pair in one predicted cluster whose topics are equal and whose truth labels
// differ (an id missing from `topics` has a topic of its own; one missing from
// `truth` a story of its own).
struct TopicErrors {
  std::uint64_t wrong_pairs = 0;             // predicted pairs with different truth labels
  std::uint64_t same_topic_wrong_pairs = 0;  // ... of which the two share a topic
  std::uint64_t clusters_with_errors = 0;    // predicted clusters holding such a pair
};

// Counts TopicErrors over the documents `ids` (each id once), from the
// contingency tables, in time linear in the documents.
TopicErrors EvaluateTopics(std::span<const std::string> ids, const Labeling& predicted,
                           const Labeling& truth, const Labeling& topics);

// Every id in either labeling, sorted.
std::vector<std::string> UnionOfIds(const Labeling& a, const Labeling& b);

// Ids of `labeling` that `ids` does not list, sorted: given an explicit list
// of every document (`eval --ids`), such ids mean the list and the labeling
// name documents differently, and Evaluate would silently leave them out.
std::vector<std::string> IdsNotListed(const Labeling& labeling, std::span<const std::string> ids);

// "id<TAB>label" per line; blank lines and lines starting with '#' are skipped.
// Errors name the file and line (missing tab, id listed twice).
Result<Labeling> ReadLabelsTsv(const std::string& path);

// clusters.jsonl as written by `neardup cluster`: id of each member -> its cluster.
Result<Labeling> ReadClustersJsonl(const std::string& path);

// One id per line (blank lines skipped). An id listed twice is an error
// naming the file and both lines.
Result<std::vector<std::string>> ReadIdList(const std::string& path);

}  // namespace neardup

#endif  // NEARDUP_EVAL_H_
