// The near level with SimHash: fingerprints (weighted by rarity with
// statistics), pairs within the Hamming radius, and their similarity.
#include <algorithm>

#include "pipeline/level.h"

namespace neardup::internal {

std::uint64_t SimHashFingerprint(const NormalizedText& text, const PipelineOptions& options,
                                 std::vector<std::uint64_t>* shingles) {
  const int n = options.simhash.shingle_size;
  ShingleHashes(text, {n, options.shingle.seed}, shingles);
  if (!options.statistics) return SimHash(CountFeatures(*shingles, options.simhash.weight));
  // Rarity of each shingle: the mean IDF of its words (statistics count
  // words hashed with seed 0, as HashToken does for them).
  std::vector<double> idf(text.tokens.size());
  for (std::size_t i = 0; i < idf.size(); ++i) {
    idf[i] = options.statistics->Idf(HashToken(text.TokenText(i), 0));
  }
  const std::size_t width = std::min(idf.size(), static_cast<std::size_t>(n));
  std::vector<WeightedFeature> features(shingles->size());
  for (std::size_t i = 0; i < shingles->size(); ++i) {
    double sum = 0;
    for (std::size_t j = i; j < i + width; ++j) sum += idf[j];
    features[i] = {(*shingles)[i], static_cast<float>(sum / static_cast<double>(width))};
  }
  // Repeats of one shingle share its words, hence its rarity: fold them into
  // one feature weighted by the options' count weighting times that rarity.
  std::sort(features.begin(), features.end(),
            [](const WeightedFeature& a, const WeightedFeature& b) { return a.hash < b.hash; });
  std::vector<WeightedFeature> folded;
  for (std::size_t i = 0; i < features.size();) {
    std::size_t j = i + 1;
    while (j < features.size() && features[j].hash == features[i].hash) ++j;
    folded.push_back(
        {features[i].hash, CountWeight(j - i, options.simhash.weight) * features[i].weight});
    i = j;
  }
  return SimHash(folded);
}

std::vector<SimilarityEdge> SimHashEdges(std::span<const std::uint64_t> fingerprints,
                                         const std::vector<bool>& skip,
                                         const PipelineOptions& options, RunStats* stats) {
  std::vector<DocIndex> docs;
  for (std::size_t d = 0; d < fingerprints.size(); ++d) {
    if (!skip[d]) docs.push_back(static_cast<DocIndex>(d));
  }
  // Equal fingerprints would make table buckets quadratic; join them here and
  // index only the first of each.
  std::vector<bool> joined(fingerprints.size(), false);
  std::vector<SimilarityEdge> edges = JoinEqualKeys(
      docs, [fingerprints](DocIndex d) { return fingerprints[d]; }, &joined);
  SimHashIndex index(options.simhash.radius);
  for (DocIndex d : docs) {
    if (!joined[d]) index.Add(d, fingerprints[d]);
  }
  const std::vector<HammingPair> pairs = index.PairsWithinRadius();
  stats->candidate_pairs = pairs.size();
  for (const HammingPair& p : pairs) {
    edges.push_back(SimilarityEdge{p.a, p.b, 1.0 - p.distance / 64.0});
  }
  return edges;
}

SimilarityFn RunNearSimHash(const std::deque<DocumentInfo>& infos, const Signatures& sigs,
                            const std::vector<bool>& is_copy, const PipelineOptions& options,
                            RunStats* stats, std::vector<SimilarityEdge>* edges) {
  std::vector<bool> skip(infos.size());
  for (const DocumentInfo& info : infos) skip[info.index] = info.words == 0 || is_copy[info.index];
  const std::vector<SimilarityEdge> near_edges = SimHashEdges(sigs.simhash, skip, options, stats);
  edges->insert(edges->end(), near_edges.begin(), near_edges.end());
  return [&sigs](DocIndex a, DocIndex b) {
    return SimHashSimilarity(sigs.simhash[a], sigs.simhash[b]);
  };
}

}  // namespace neardup::internal

namespace neardup::internal {
namespace {

class NearSimHashRunner : public LevelRunner {
 public:
  explicit NearSimHashRunner(const RunContext& run) : LevelRunner(run) {}

  Result<SigningSetup> BeforeSigning() override { return SigningSetup{}; }

  Result<bool> Decide(SignedRun& signed_run, DecisionSink& /*sink*/, ReportInput* report) override {
    const PipelineOptions& options = run_.options;
    const Signatures& sigs = signed_run.docs.sigs;
    NEARDUP_RETURN_IF_ERROR(JoinCopies(signed_run));
    similarity_ = RunNearSimHash(signed_run.docs.infos, sigs, edges_.is_copy, options, run_.stats,
                                 &edges_.edges);
    ChainGuardFn guard;  // PipelineOptions::chain_guard: within the Hamming radius
    if (options.chain_guard) {
      guard = [this, &sigs](const PriorNodes&, std::span<const SimilarityEdge>) {
        return SimHashWithin(sigs.simhash, run_.options, run_.stats);
      };
    }
    NEARDUP_RETURN_IF_ERROR(Cluster(signed_run, nullptr, guard));
    clustered_.Report(report);
    return true;
  }
};

}  // namespace

std::unique_ptr<LevelRunner> MakeNearSimHashRunner(const RunContext& run) {
  return std::make_unique<NearSimHashRunner>(run);
}

}  // namespace neardup::internal
