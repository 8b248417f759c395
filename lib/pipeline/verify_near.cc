// Near-level verification: estimates where they are conclusive, exact
// Jaccard where they are not.
//
// Each pair's estimate comes with its own standard error (the b-bit sketch's
// BbitComparison::StandardError at the threshold: about 0.015 at J = 0.8 for
// two 3.5 KB documents, larger for short ones). Within options.exact_margin
// of them from the threshold the estimate is not trusted. A near-threshold
// pair whose documents are already joined through pairs above the margin is
// not decided at all: no cluster depends on it.
//
// The exact check streams: a re-read computes a document's shingle set when
// it is read, keeps it only while a later partner is still to come, and
// compares each pair when its later document arrives. Held sets are capped at
// options.verify_bytes; a document that would exceed the cap is not held, and
// its pairs wait for another read of the input. Every pair is still compared
// on the same two sets, so the decisions do not depend on the cap.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>
#include <set>

#include "core/hash_sort.h"
#include "normalize/shingle_hash.h"
#include "pipeline/pipeline_internal.h"

namespace neardup::internal {
namespace {

// A document's shingles for the exact check: a 32-bit key per shingle,
// sorted, without repeats. Half the memory of 64-bit hashes, so twice the
// documents fit in verify_bytes. Two of a pair's n distinct shingles share a
// key with probability about n^2 / 2^33 (2e-4 for two 3.5 KB documents,
// n = 1,200), and then its Jaccard is off by 1/n.
using ShingleSet = std::vector<std::uint32_t>;

using Scratch = ShingleSetScratch;

// A document's shingle keys: the high 32 bits of its shingle hashes
// (ShingleHashes, computed here without storing them), which two different
// shingles share with probability about 2^-32.
void ShingleKeys(const HashedText& hashed, const ShingleOptions& options, Scratch* s) {
  s->keys.resize(hashed.token_hashes.size());
  std::uint32_t* keys = s->keys.data();
  s->keys.resize(ForEachShingleHash(
      hashed.token_hashes.data(), hashed.token_hashes.size(), options,
      [keys](std::size_t i, std::uint64_t h) { keys[i] = static_cast<std::uint32_t>(h >> 32); }));
}

// Sorts `*v`, whose values are hashes, and removes repeats.
void SortKeys(std::vector<std::uint32_t>* v, Scratch* s) {
  SortByHashKey(
      v, [](std::uint32_t x) { return x; }, &s->sort);
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// The pairs still to compare exactly, indexed both ways by document.
struct PendingPairs {
  std::vector<std::size_t> edges;       // indices into the edge list, by (a, b)
  std::vector<DocIndex> docs;           // every document of a pending pair, ascending
  std::vector<std::uint32_t> later;     // per docs[r]: pending pairs where it is a
  std::vector<DocIndex> last;           // per docs[r]: its latest partner as a
  std::vector<std::size_t> by_b_start;  // per docs[r]: its pairs as b are
  std::vector<std::size_t> by_b;        //   by_b[by_b_start[r] .. by_b_start[r + 1])

  PendingPairs(std::vector<std::size_t> pending, std::span<const SimilarityEdge> all)
      : edges(std::move(pending)) {
    for (std::size_t e : edges) {
      docs.push_back(all[e].a);
      docs.push_back(all[e].b);
    }
    std::sort(docs.begin(), docs.end());
    docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
    later.assign(docs.size(), 0);
    last.assign(docs.size(), 0);
    by_b_start.assign(docs.size() + 1, 0);
    for (std::size_t e : edges) {
      ++later[Rank(all[e].a)];
      last[Rank(all[e].a)] = std::max(last[Rank(all[e].a)], all[e].b);
      ++by_b_start[Rank(all[e].b) + 1];
    }
    for (std::size_t r = 0; r < docs.size(); ++r) by_b_start[r + 1] += by_b_start[r];
    by_b.resize(edges.size());
    std::vector<std::size_t> fill(by_b_start.begin(), by_b_start.end() - 1);
    for (std::size_t e : edges) by_b[fill[Rank(all[e].b)]++] = e;
  }

  std::size_t Rank(DocIndex d) const {
    return static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), d) - docs.begin());
  }
};

// What one read of the input (ExactPass) holds: the shingle sets of
// documents waiting for later partners, within options.verify_bytes, and the
// pairs deferred to the next read.
class HeldSets {
 public:
  HeldSets(const PendingPairs& pending, std::span<SimilarityEdge> edges,
           const PipelineOptions& options)
      : pending_(pending),
        edges_(edges),
        options_(options),
        sets_(pending.docs.size()),
        left_(pending.later),
        held_(pending.docs.size(), false) {}

  // One batch of the read (documents first, first + 1, ...): shingles its
  // pending documents, compares each with its held earlier partners, holds
  // it for its later ones if the cap allows, and releases every set no
  // later document needs.
  void Batch(std::vector<Document>& batch, DocIndex first) {
    const DocIndex end = first + static_cast<DocIndex>(batch.size());
    const std::vector<DocIndex>& docs = pending_.docs;
    const auto lo =
        static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), first) - docs.begin());
    const auto hi =
        static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), end) - docs.begin());
    if (lo == hi) return;
    tbb::parallel_for(lo, hi, [&](std::size_t r) {
      Scratch& s = scratch_.local();
      sets_[r] = ExactShingleSet(batch[docs[r] - first], options_, &s);
    });
    // In input order: compare each document with its held earlier
    // partners, then hold it for its later ones if the cap allows.
    std::vector<std::size_t> compare;
    for (std::size_t r = lo; r < hi; ++r) {
      for (std::size_t i = pending_.by_b_start[r]; i < pending_.by_b_start[r + 1]; ++i) {
        const std::size_t e = pending_.by_b[i];
        if (held_[pending_.Rank(edges_[e].a)]) {
          compare.push_back(e);
        } else {
          deferred_.push_back(e);
        }
      }
      if (pending_.later[r] != 0) Hold(r);
    }
    tbb::parallel_for(std::size_t{0}, compare.size(), [&](std::size_t i) {
      SimilarityEdge& e = edges_[compare[i]];
      const ShingleSet& a = sets_[pending_.Rank(e.a)];
      const ShingleSet& b = sets_[pending_.Rank(e.b)];
      e.similarity = options_.containment > 0 ? SortedSetContainment(a, b) : SortedSetJaccard(a, b);
    });
    Release(compare, lo, hi);
  }

  // The pairs left for the next read, sorted.
  std::vector<std::size_t> TakeDeferred() {
    std::sort(deferred_.begin(), deferred_.end());
    return std::move(deferred_);
  }

 private:
  std::size_t Bytes(std::size_t r) const { return sets_[r].capacity() * sizeof(std::uint32_t); }

  // Holds document r (rank) for its later partners when the cap allows.
  // Over the cap, a held document whose last partner comes after this one's
  // gives way (its remaining pairs wait for the next read), when that makes
  // room: finishing the documents that end soonest decides the most pairs
  // per read.
  void Hold(std::size_t r) {
    const std::size_t bytes = Bytes(r);
    std::size_t freeable = 0;
    auto it = held_by_last_.rbegin();
    for (; it != held_by_last_.rend() && it->first > pending_.last[r] &&
           held_bytes_ - freeable + bytes > options_.verify_bytes;
         ++it) {
      freeable += Bytes(it->second);
    }
    if (held_bytes_ - freeable + bytes > options_.verify_bytes && held_bytes_ != freeable) return;
    while (freeable > 0) {
      const std::size_t x = std::prev(held_by_last_.end())->second;
      held_by_last_.erase(std::prev(held_by_last_.end()));
      held_[x] = false;
      held_bytes_ -= Bytes(x);
      freeable -= Bytes(x);
      evicted_.push_back(x);
    }
    held_[r] = true;
    held_bytes_ += bytes;
    held_by_last_.emplace(pending_.last[r], r);
  }

  // Releases every set no later document needs: held ones whose pairs are
  // all compared, evicted ones, and the batch's documents [lo, hi) not held.
  void Release(std::span<const std::size_t> compare, std::size_t lo, std::size_t hi) {
    for (std::size_t e : compare) {
      const std::size_t ra = pending_.Rank(edges_[e].a);
      if (held_[ra] && --left_[ra] == 0) {
        held_bytes_ -= Bytes(ra);
        held_by_last_.erase({pending_.last[ra], ra});
        ShingleSet().swap(sets_[ra]);
      }
    }
    for (std::size_t x : evicted_) ShingleSet().swap(sets_[x]);
    evicted_.clear();
    for (std::size_t r = lo; r < hi; ++r) {
      if (!held_[r]) ShingleSet().swap(sets_[r]);
    }
  }

  const PendingPairs& pending_;
  std::span<SimilarityEdge> edges_;
  const PipelineOptions& options_;
  std::vector<ShingleSet> sets_;     // by rank; empty unless computed
  std::vector<std::uint32_t> left_;  // pairs as a not yet compared, for held docs
  std::vector<bool> held_;
  std::size_t held_bytes_ = 0;
  std::set<std::pair<DocIndex, std::size_t>> held_by_last_;  // (latest partner, rank)
  std::vector<std::size_t> evicted_;
  std::vector<std::size_t> deferred_;
  tbb::enumerable_thread_specific<Scratch> scratch_;
};

// One read of the input: decides every pending pair whose earlier document
// could be held within options.verify_bytes, writing its exact Jaccard into
// `edges`. Returns the pairs left for the next read.
Result<std::vector<std::size_t>> ExactPass(const PendingPairs& pending,
                                           std::span<SimilarityEdge> edges,
                                           const PipelineOptions& options,
                                           const Pipeline::InputFactory& open_input,
                                           const RecordAtFn& record_at, std::size_t num_docs) {
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  HeldSets held(pending, edges, options);
  std::vector<bool> wanted(num_docs, false);  // only these are parsed
  for (const DocIndex d : pending.docs) wanted[d] = true;
  Status status = ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        held.Batch(batch, first);
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr);
  if (!status.ok()) return status;
  return held.TakeDeferred();
}

}  // namespace

std::vector<std::uint32_t> ExactShingleSet(const Document& doc, const PipelineOptions& options,
                                           ShingleSetScratch* s) {
  NormalizeAndHash(SignedText(doc, options), options.normalize, options.shingle.seed, &s->hashed);
  ShingleKeys(s->hashed, options.shingle, s);
  SortKeys(&s->keys, s);
  return std::vector<std::uint32_t>(s->keys.begin(), s->keys.end());
}

std::size_t SortedSetCommon(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

double SortedSetJaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t common = SortedSetCommon(a, b);
  const std::size_t uni = a.size() + b.size() - common;
  return uni == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(uni);
}

Status ExactSimilarities(std::span<SimilarityEdge> edges, std::vector<std::size_t> which,
                         const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                         const RecordAtFn& record_at, std::size_t num_docs, RunStats* stats) {
  while (!which.empty()) {
    const PendingPairs pending(std::move(which), edges);
    if (stats->reread_passes == 0) stats->reread_documents = pending.docs.size();
    ++stats->reread_passes;
    Result<std::vector<std::size_t>> left =
        ExactPass(pending, edges, options, open_input, record_at, num_docs);
    if (!left.ok()) return left.status();
    which = std::move(left.value());
  }
  return Status::OK();
}

Result<std::vector<SimilarityEdge>> VerifyNear(std::span<const CandidatePair> candidates,
                                               const NearEstimateFn& estimate,
                                               const PipelineOptions& options,
                                               const Pipeline::InputFactory& open_input,
                                               const RecordAtFn& record_at, std::size_t num_docs,
                                               RunStats* stats,
                                               std::vector<SimilarityEdge>* checked) {
  const double t = NearThreshold(options);
  std::vector<NearEstimate> estimates(candidates.size());
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    estimates[i] = estimate(candidates[i].a, candidates[i].b);
  });
  // Everything the estimate cannot rule out. Those above the margin are sure;
  // those within it are decided exactly, unless sure edges already join
  // their two documents: then the pair changes no cluster (clusters are the
  // connected components, and members report their similarity to the
  // representative, not to a partner), and it is left out.
  std::vector<SimilarityEdge> edges;
  std::vector<bool> sure_edge;
  UnionFind sure(num_docs);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const NearEstimate& e = estimates[i];
    const double margin = options.exact_margin > 0 ? options.exact_margin * e.standard_error : 0;
    if (!(e.similarity >= t - margin)) continue;
    edges.push_back(SimilarityEdge{candidates[i].a, candidates[i].b, e.similarity});
    sure_edge.push_back(e.similarity > t + margin);
    if (sure_edge.back()) sure.Union(candidates[i].a, candidates[i].b);
  }
  std::vector<std::size_t> exact;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    SimilarityEdge& e = edges[i];
    if (sure_edge[i]) continue;
    if (sure.Find(e.a) == sure.Find(e.b)) {
      e.similarity = -1;  // dropped below
      ++stats->joined_pairs;
    } else {
      exact.push_back(i);
    }
  }
  stats->exact_checks = exact.size();
  const std::vector<std::size_t> exact_pairs =
      checked != nullptr ? exact : std::vector<std::size_t>{};
  NEARDUP_RETURN_IF_ERROR(
      ExactSimilarities(edges, std::move(exact), options, open_input, record_at, num_docs, stats));
  if (checked != nullptr) {
    for (std::size_t i : exact_pairs) checked->push_back(edges[i]);
    std::sort(checked->begin(), checked->end(),
              [](const SimilarityEdge& x, const SimilarityEdge& y) {
                return x.a != y.a ? x.a < y.a : x.b < y.b;
              });
  }
  std::erase_if(edges, [t](const SimilarityEdge& e) { return e.similarity < t; });
  return edges;
}

}  // namespace neardup::internal
