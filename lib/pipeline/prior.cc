// Incremental runs: matching a run's documents against earlier ones
// (PriorIndex). Pairs are decided exactly as VerifyNear decides a pair of
// one run: on the b-bit sketch estimate when it is more than exact_margin
// standard errors from the threshold, otherwise on the exact Jaccard of the
// two shingle sets. The earlier document is always the pair's first, as it
// would be in one run over all the batches, so the estimate is the same
// number.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>

#include "pipeline/pipeline_internal.h"

namespace neardup::internal {

Result<std::vector<PriorMatch>> PriorExactMatches(
    PriorIndex& prior, std::span<const DocIndex> docs,
    const std::function<Fingerprint128(DocIndex)>& fp) {
  std::vector<ExactKey> keys;
  keys.reserve(docs.size());
  for (DocIndex d : docs) keys.push_back(ExactKey{fp(d), d});
  std::sort(keys.begin(), keys.end(), [](const ExactKey& x, const ExactKey& y) {
    return x.fingerprint != y.fingerprint ? x.fingerprint < y.fingerprint : x.doc < y.doc;
  });
  std::vector<PriorMatch> matches;
  NEARDUP_RETURN_IF_ERROR(prior.MatchExact(keys, &matches));
  std::sort(matches.begin(), matches.end(), [](const PriorMatch& x, const PriorMatch& y) {
    return x.doc != y.doc ? x.doc < y.doc : x.prior < y.prior;
  });
  // One earlier document per text: the index holds only the first of each.
  matches.erase(
      std::unique(matches.begin(), matches.end(),
                  [](const PriorMatch& x, const PriorMatch& y) { return x.doc == y.doc; }),
      matches.end());
  return matches;
}

namespace {

// (document, earlier document) pairs sharing an LSH band: one merge of the
// run's sorted keys with the index per band; sorted by earlier document,
// distinct. Counts RunStats::prior_candidates.
Result<std::vector<PriorMatch>> PriorCandidates(PriorIndex& prior, const LshParams& lsh,
                                                std::span<const DocIndex> docs,
                                                const BandKeysFn& band_keys, RunStats* stats) {
  std::vector<PriorMatch> candidates;
  std::vector<BandKey> keys(docs.size());
  for (int band = 0; band < lsh.bands; ++band) {
    for (std::size_t i = 0; i < docs.size(); ++i) {
      keys[i] = BandKey{band_keys(docs[i])[static_cast<std::size_t>(band)], docs[i]};
    }
    std::sort(keys.begin(), keys.end(), [](const BandKey& x, const BandKey& y) {
      return x.key != y.key ? x.key < y.key : x.doc < y.doc;
    });
    NEARDUP_RETURN_IF_ERROR(prior.MatchBand(band, keys, &candidates));
  }
  std::sort(candidates.begin(), candidates.end(), [](const PriorMatch& x, const PriorMatch& y) {
    return x.prior != y.prior ? x.prior < y.prior : x.doc < y.doc;
  });
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](const PriorMatch& x, const PriorMatch& y) {
                                 return x.prior == y.prior && x.doc == y.doc;
                               }),
                   candidates.end());
  stats->prior_candidates = candidates.size();
  return candidates;
}

// The candidates estimated on their sketches (the earlier documents' read
// once each: candidates are sorted by them): those that may reach the
// threshold, with their estimate; *undecided gets the indices of those
// within exact_margin standard errors of it.
Result<std::vector<PriorEdge>> EstimatePriorPairs(
    PriorIndex& prior, std::span<const PriorMatch> candidates,
    const std::function<std::span<const std::uint8_t>(DocIndex)>& sketch, std::size_t sketch_bytes,
    const PipelineOptions& options, std::vector<std::size_t>* undecided) {
  std::vector<std::pair<PriorDoc, std::vector<std::uint8_t>>> sketches;
  std::vector<std::size_t> sketch_of(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (sketches.empty() || sketches.back().first != candidates[i].prior) {
      sketches.emplace_back(candidates[i].prior, std::vector<std::uint8_t>(sketch_bytes));
      NEARDUP_RETURN_IF_ERROR(prior.ReadSketch(candidates[i].prior, sketches.back().second));
    }
    sketch_of[i] = sketches.size() - 1;
  }
  const double t = options.lsh.threshold;
  std::vector<NearEstimate> estimates(candidates.size());
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    const BbitComparison c =
        CompareBbitSketches(sketches[sketch_of[i]].second, sketch(candidates[i].doc));
    estimates[i] = NearEstimate{c.Jaccard(), c.StandardError(t)};
  });
  std::vector<PriorEdge> edges;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const NearEstimate& e = estimates[i];
    const double margin = options.exact_margin > 0 ? options.exact_margin * e.standard_error : 0;
    if (!(e.similarity >= t - margin)) continue;
    if (!(e.similarity > t + margin)) undecided->push_back(edges.size());
    edges.push_back(PriorEdge{candidates[i].doc, candidates[i].prior, e.similarity});
  }
  return edges;
}

// The exact check of edges[u], u in `undecided`: the run's documents re-read
// in one pass (alone when they can be), the earlier ones each from its own
// input; a pair whose earlier input is gone keeps its estimate.
Status CheckPriorPairs(PriorIndex& prior, std::span<const std::size_t> undecided,
                       const PipelineOptions& options, const Pipeline::InputFactory& open_input,
                       const RecordAtFn& record_at, std::size_t num_docs, RunStats* stats,
                       std::vector<PriorEdge>* edges_out) {
  std::vector<PriorEdge>& edges = *edges_out;
  stats->prior_exact_checks = undecided.size();
  std::vector<bool> wanted(num_docs, false);
  for (std::size_t u : undecided) wanted[edges[u].doc] = true;
  std::map<DocIndex, std::vector<std::uint32_t>> run_sets;
  for (std::size_t d = 0; d < num_docs; ++d) {
    if (wanted[d]) run_sets[static_cast<DocIndex>(d)];
  }
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  tbb::enumerable_thread_specific<ShingleSetScratch> scratch;
  NEARDUP_RETURN_IF_ERROR(ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        std::vector<std::vector<std::uint32_t>*> slots(batch.size(), nullptr);
        for (std::size_t i = 0; i < batch.size(); ++i) {
          if (wanted[first + i]) slots[i] = &run_sets[static_cast<DocIndex>(first + i)];
        }
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          if (slots[i] != nullptr) *slots[i] = ExactShingleSet(batch[i], options, &scratch.local());
        });
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr));
  ShingleSetScratch s;
  for (std::size_t first = 0; first < undecided.size();) {
    const PriorDoc p = edges[undecided[first]].prior;
    Document doc;
    Result<bool> read = prior.ReadText(p, &doc);
    if (!read.ok()) return read.status();
    const std::vector<std::uint32_t> set =
        read.value() ? ExactShingleSet(doc, options, &s) : std::vector<std::uint32_t>{};
    for (; first < undecided.size() && edges[undecided[first]].prior == p; ++first) {
      PriorEdge& e = edges[undecided[first]];
      if (read.value()) {
        e.similarity = SortedSetJaccard(set, run_sets[e.doc]);
      } else {
        ++stats->prior_estimated;
      }
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<PriorEdge>> PriorNearEdges(
    PriorIndex& prior, const LshParams& lsh, std::span<const DocIndex> docs,
    const BandKeysFn& band_keys,
    const std::function<std::span<const std::uint8_t>(DocIndex)>& sketch, std::size_t sketch_bytes,
    const PipelineOptions& options, const Pipeline::InputFactory& open_input,
    const RecordAtFn& record_at, std::size_t num_docs, RunStats* stats) {
  Result<std::vector<PriorMatch>> candidates = PriorCandidates(prior, lsh, docs, band_keys, stats);
  if (!candidates.ok()) return candidates.status();
  std::vector<std::size_t> undecided;  // indices into edges
  Result<std::vector<PriorEdge>> estimated =
      EstimatePriorPairs(prior, candidates.value(), sketch, sketch_bytes, options, &undecided);
  if (!estimated.ok()) return estimated.status();
  std::vector<PriorEdge> edges = std::move(estimated).value();
  if (!undecided.empty()) {
    NEARDUP_RETURN_IF_ERROR(
        CheckPriorPairs(prior, undecided, options, open_input, record_at, num_docs, stats, &edges));
  }
  const double t = options.lsh.threshold;
  std::erase_if(edges, [t](const PriorEdge& e) { return e.similarity < t; });
  return edges;
}

Status JoinPriorNodes(PriorIndex& prior, std::size_t sketch_bytes, bool read_sketches, bool near,
                      const Signatures& sigs, std::vector<PriorEdge>* prior_edges,
                      std::vector<SimilarityEdge>* edges, SimilarityFn* similarity, RunStats* stats,
                      PriorNodes* nodes) {
  std::vector<PriorDoc>& prior_reps = nodes->reps;
  stats->prior_matches = prior_edges->size();
  for (PriorEdge& e : *prior_edges) {
    Result<PriorDoc> r = prior.Representative(e.prior);
    if (!r.ok()) return r.status();
    e.prior = r.value();
    prior_reps.push_back(e.prior);
  }
  std::sort(prior_reps.begin(), prior_reps.end());
  prior_reps.erase(std::unique(prior_reps.begin(), prior_reps.end()), prior_reps.end());
  for (PriorDoc r : prior_reps) {
    Result<DocumentInfo> info = prior.Describe(r);
    if (!info.ok()) return info.status();
    nodes->infos.push_back(std::move(info).value());
    nodes->sketches.emplace_back(read_sketches ? sketch_bytes : 0);
    if (read_sketches) NEARDUP_RETURN_IF_ERROR(prior.ReadSketch(r, nodes->sketches.back()));
  }
  const auto k = static_cast<DocIndex>(prior_reps.size());
  if (k > 0) {
    for (SimilarityEdge& e : *edges) {
      e.a += k;
      e.b += k;
    }
    for (const PriorEdge& e : *prior_edges) {
      const auto node = static_cast<DocIndex>(
          std::lower_bound(prior_reps.begin(), prior_reps.end(), e.prior) - prior_reps.begin());
      edges->push_back(SimilarityEdge{node, k + e.doc, e.similarity});
    }
    *similarity = [nodes, &sigs, k, near](DocIndex a, DocIndex b) {
      auto row = [&](DocIndex x) {
        return x < k ? std::span<const std::uint8_t>(nodes->sketches[x])
                     : std::span<const std::uint8_t>(sigs.sketch.Row(x - k));
      };
      return near ? CompareBbitSketches(row(a), row(b)).Jaccard() : 1.0;
    };
  }
  return Status::OK();
}

Status RecordBatch(PriorIndex& prior, const std::vector<Cluster>& clusters,
                   const std::vector<PriorDoc>& prior_reps, const std::deque<DocumentInfo>& infos,
                   const std::vector<bool>& is_copy, const Signatures& sigs, bool near) {
  const auto k = static_cast<DocIndex>(prior_reps.size());
  const PriorDoc base = prior.documents();
  std::vector<PriorDoc> representative(infos.size());
  for (std::size_t d = 0; d < infos.size(); ++d) representative[d] = base + d;
  IndexedBatch batch;
  for (const Cluster& c : clusters) {
    const PriorDoc rep =
        c.representative < k ? prior_reps[c.representative] : base + (c.representative - k);
    for (const ClusterMember& m : c.members) {
      if (m.doc >= k) {
        representative[m.doc - k] = rep;
      } else if (m.doc != c.representative) {
        batch.merges.emplace_back(prior_reps[m.doc], rep);
      }
    }
  }
  std::sort(batch.merges.begin(), batch.merges.end());
  batch.documents = infos.size();
  batch.info = [&](DocIndex d) -> const DocumentInfo& { return infos[d]; };
  batch.indexed = [&](DocIndex d) { return infos[d].words > 0 && !is_copy[d]; };
  batch.exact = [&](DocIndex d) { return sigs.exact[d]; };
  batch.band_keys = [&](DocIndex d) {
    return near ? sigs.band_keys.Row(d) : std::span<const std::uint64_t>();
  };
  batch.sketch = [&](DocIndex d) {
    return near ? sigs.sketch.Row(d) : std::span<const std::uint8_t>();
  };
  batch.representative = [&](DocIndex d) { return representative[d]; };
  return prior.Record(batch);
}

}  // namespace neardup::internal
