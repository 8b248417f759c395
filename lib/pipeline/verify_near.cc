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
  const std::size_t n = pending.docs.size();
  std::vector<ShingleSet> sets(n);                 // by rank; empty unless computed
  std::vector<std::uint32_t> left(pending.later);  // pairs as a not yet compared, for held docs
  std::vector<bool> held(n, false);
  std::size_t held_bytes = 0;
  std::set<std::pair<DocIndex, std::size_t>> held_by_last;  // (latest partner, rank)
  std::vector<std::size_t> evicted;
  std::vector<std::size_t> deferred;
  tbb::enumerable_thread_specific<Scratch> scratch;
  std::vector<bool> wanted(num_docs, false);  // only these are parsed
  for (const DocIndex d : pending.docs) wanted[d] = true;
  Status status = ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        const DocIndex end = first + static_cast<DocIndex>(batch.size());
        const auto lo = static_cast<std::size_t>(
            std::lower_bound(pending.docs.begin(), pending.docs.end(), first) -
            pending.docs.begin());
        const auto hi = static_cast<std::size_t>(
            std::lower_bound(pending.docs.begin(), pending.docs.end(), end) - pending.docs.begin());
        if (lo == hi) return Status::OK();
        tbb::parallel_for(lo, hi, [&](std::size_t r) {
          Scratch& s = scratch.local();
          sets[r] = ExactShingleSet(batch[pending.docs[r] - first], options, &s);
        });
        // In input order: compare each document with its held earlier
        // partners, then hold it for its later ones if the cap allows.
        std::vector<std::size_t> compare;
        for (std::size_t r = lo; r < hi; ++r) {
          for (std::size_t i = pending.by_b_start[r]; i < pending.by_b_start[r + 1]; ++i) {
            const std::size_t e = pending.by_b[i];
            const std::size_t ra = pending.Rank(edges[e].a);
            if (held[ra]) {
              compare.push_back(e);
            } else {
              deferred.push_back(e);
            }
          }
          if (pending.later[r] == 0) continue;
          // Over the cap, a held document whose last partner comes after this
          // one's gives way (its remaining pairs wait for the next read), when
          // that makes room: finishing the documents that end soonest decides
          // the most pairs per read.
          const std::size_t bytes = sets[r].capacity() * sizeof(std::uint32_t);
          auto Bytes = [&](std::size_t x) { return sets[x].capacity() * sizeof(std::uint32_t); };
          std::size_t freeable = 0;
          auto it = held_by_last.rbegin();
          for (; it != held_by_last.rend() && it->first > pending.last[r] &&
                 held_bytes - freeable + bytes > options.verify_bytes;
               ++it) {
            freeable += Bytes(it->second);
          }
          if (held_bytes - freeable + bytes <= options.verify_bytes || held_bytes == freeable) {
            while (freeable > 0) {
              const std::size_t x = std::prev(held_by_last.end())->second;
              held_by_last.erase(std::prev(held_by_last.end()));
              held[x] = false;
              held_bytes -= Bytes(x);
              freeable -= Bytes(x);
              evicted.push_back(x);
            }
            held[r] = true;
            held_bytes += bytes;
            held_by_last.emplace(pending.last[r], r);
          }
        }
        tbb::parallel_for(std::size_t{0}, compare.size(), [&](std::size_t i) {
          SimilarityEdge& e = edges[compare[i]];
          e.similarity =
              options.containment > 0
                  ? SortedSetContainment(sets[pending.Rank(e.a)], sets[pending.Rank(e.b)])
                  : SortedSetJaccard(sets[pending.Rank(e.a)], sets[pending.Rank(e.b)]);
        });
        // Release every set no later document needs.
        for (std::size_t e : compare) {
          const std::size_t ra = pending.Rank(edges[e].a);
          if (held[ra] && --left[ra] == 0) {
            held_bytes -= sets[ra].capacity() * sizeof(std::uint32_t);
            held_by_last.erase({pending.last[ra], ra});
            ShingleSet().swap(sets[ra]);
          }
        }
        for (std::size_t x : evicted) ShingleSet().swap(sets[x]);
        evicted.clear();
        for (std::size_t r = lo; r < hi; ++r) {
          if (!held[r]) ShingleSet().swap(sets[r]);
        }
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr);
  if (!status.ok()) return status;
  std::sort(deferred.begin(), deferred.end());
  return deferred;
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
