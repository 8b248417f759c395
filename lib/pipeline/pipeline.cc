// Run(): read and sign in batches (parallel inside a batch), then group exact
// copies, index, verify, cluster, and report in a fixed order.
#include "neardup/pipeline.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include "pipeline/pipeline_internal.h"

namespace neardup {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Per-document results of the signing pass.
struct Signatures {
  std::size_t k = 0;                   // MinHash values per document (0 at the exact level)
  std::vector<std::uint32_t> minhash;  // documents x k, row-major
  std::vector<Fingerprint128> exact;   // one per document
  std::vector<std::uint64_t> simhash;  // one per document (SimHash method only)
  std::span<const std::uint32_t> Row(DocIndex d) const {
    return std::span<const std::uint32_t>(minhash).subspan(d * k, k);
  }
};

struct Scratch {
  NormalizedText normalized;
  std::vector<std::uint64_t> shingles;
};

}  // namespace

const char* LevelName(Level level) { return level == Level::kExact ? "exact" : "near"; }

const char* NearMethodName(NearMethod method) {
  return method == NearMethod::kSimHash ? "simhash" : "minhash";
}

std::optional<NearMethod> ParseNearMethod(std::string_view name) {
  if (name == "minhash") return NearMethod::kMinHash;
  if (name == "simhash") return NearMethod::kSimHash;
  return std::nullopt;
}

std::optional<Level> ParseLevel(std::string_view name) {
  if (name == "exact") return Level::kExact;
  if (name == "near") return Level::kNear;
  return std::nullopt;
}

Pipeline::Pipeline(PipelineOptions options) : options_(std::move(options)) {}

Status Pipeline::Validate() const {
  const double t = options_.lsh.threshold;
  if (!(t > 0.0 && t <= 1.0)) {
    return Status::InvalidArgument("threshold must be in (0, 1], got " + std::to_string(t));
  }
  if (options_.shingle.size < 1) return Status::InvalidArgument("shingle size must be >= 1");
  if (options_.minhash.num_perm < 1) return Status::InvalidArgument("num_perm must be >= 1");
  const LshOptions& lsh = options_.lsh;
  if ((lsh.bands > 0) != (lsh.rows > 0) || lsh.bands < 0 || lsh.rows < 0) {
    return Status::InvalidArgument("bands and rows must be given together, both >= 1");
  }
  if (lsh.bands * lsh.rows > options_.minhash.num_perm) {
    return Status::InvalidArgument("bands * rows must not exceed num_perm");
  }
  if (!(options_.exact_margin >= 0)) return Status::InvalidArgument("exact margin must be >= 0");
  if (options_.max_document_bytes == 0 || options_.max_document_bytes >= (std::size_t{1} << 32)) {
    return Status::InvalidArgument("max document bytes must be in [1, 4 GiB)");
  }
  if (options_.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  if (options_.simhash.radius < 0 || options_.simhash.radius > 32) {
    return Status::InvalidArgument("Hamming radius must be in [0, 32]");
  }
  if (options_.simhash.shingle_size < 1) {
    return Status::InvalidArgument("SimHash shingle size must be >= 1");
  }
  return Status::OK();
}

Status Pipeline::Run(const InputFactory& open_input, DecisionSink& sink) {
  NEARDUP_RETURN_IF_ERROR(Validate());
  stats_ = RunStats{};
  const int concurrency =
      options_.threads > 0 ? options_.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(concurrency);
  Status status;
  arena.execute([&] { status = RunInArena(open_input, sink); });
  return status;
}

Status Pipeline::RunInArena(const InputFactory& open_input, DecisionSink& sink) {
  const bool near = options_.level == Level::kNear;
  const bool simhash = near && options_.method == NearMethod::kSimHash;
  std::optional<MinHasher> hasher;
  if (near && !simhash) hasher.emplace(options_.minhash);

  // Pass 1: read, normalize, sign.
  auto start = Clock::now();
  Result<std::unique_ptr<DocumentReader>> opened = open_input();
  if (!opened.ok()) return opened.status();
  DocumentReader& reader = *opened.value();
  Signatures sigs;
  sigs.k = hasher ? static_cast<std::size_t>(options_.minhash.num_perm) : 0;
  std::vector<DocumentInfo> infos;
  tbb::enumerable_thread_specific<Scratch> scratch;
  auto sign_batch = [&](std::vector<Document>& batch, DocIndex first) -> Status {
    for (const Document& doc : batch) {
      infos.push_back(DocumentInfo{static_cast<DocIndex>(infos.size()), doc.id, doc.source,
                                   doc.input, doc.text.size(), 0});
      stats_.bytes += doc.text.size();
      stats_.truncated_documents += doc.text.size() > options_.max_document_bytes;
    }
    sigs.exact.resize(infos.size());
    sigs.minhash.resize(infos.size() * sigs.k);
    if (simhash) sigs.simhash.resize(infos.size());
    std::vector<std::size_t> repaired(batch.size());
    tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
      Scratch& s = scratch.local();
      const DocIndex d = first + static_cast<DocIndex>(i);
      const std::string_view text = internal::SignedText(batch[i], options_);
      Normalize(text, options_.normalize, &s.normalized);
      infos[d].words = s.normalized.tokens.size();
      repaired[i] = s.normalized.repaired_bytes + batch[i].repaired_bytes;
      sigs.exact[d] = ExactFingerprint(s.normalized.text);
      if (hasher) {
        ShingleHashes(s.normalized, options_.shingle, &s.shingles);
        hasher->Sign(s.shingles,
                     std::span<std::uint32_t>(sigs.minhash).subspan(d * sigs.k, sigs.k));
      } else if (simhash) {
        sigs.simhash[d] = internal::SimHashFingerprint(s.normalized, options_, &s.shingles);
      }
    });
    for (std::size_t r : repaired) stats_.repaired_bytes += r;
    if (options_.progress) {
      options_.progress(Progress{infos.size(), reader.bytes_read(), reader.bytes_total(), false});
    }
    return Status::OK();
  };
  NEARDUP_RETURN_IF_ERROR(internal::ForEachBatch(reader, options_, sign_batch));
  stats_.documents = infos.size();
  for (const DocumentInfo& info : infos) stats_.empty_documents += info.words == 0;
  stats_.read_sign_seconds = SecondsSince(start);
  start = Clock::now();

  // Exact copies, then (near level) LSH candidates and their verification.
  std::vector<bool> is_copy(infos.size(), false);
  std::vector<DocIndex> with_words;
  for (const DocumentInfo& info : infos) {
    if (info.words > 0) with_words.push_back(info.index);
  }
  // Exact copies: later documents with the first one's normalized text.
  std::vector<SimilarityEdge> edges = internal::JoinEqualKeys(
      std::move(with_words), [&sigs](DocIndex d) { return sigs.exact[d]; }, &is_copy);
  SimilarityFn similarity = [](DocIndex, DocIndex) { return 1.0; };
  if (simhash) {
    similarity = [&sigs](DocIndex a, DocIndex b) {
      return internal::SimHashSimilarity(sigs.simhash[a], sigs.simhash[b]);
    };
    std::vector<bool> skip(infos.size());
    for (const DocumentInfo& info : infos)
      skip[info.index] = info.words == 0 || is_copy[info.index];
    const std::vector<SimilarityEdge> near_edges =
        internal::SimHashEdges(sigs.simhash, skip, options_, &stats_);
    edges.insert(edges.end(), near_edges.begin(), near_edges.end());
  } else if (near) {
    similarity = [&sigs](DocIndex a, DocIndex b) {
      return EstimateJaccard(sigs.Row(a), sigs.Row(b));
    };
    stats_.lsh = OptimalLshParams(options_.lsh, options_.minhash.num_perm);
    LshIndex index(stats_.lsh);
    for (const DocumentInfo& info : infos) {
      if (info.words > 0 && !is_copy[info.index]) index.Add(info.index, sigs.Row(info.index));
    }
    const std::vector<CandidatePair> candidates = index.Candidates();
    stats_.candidate_pairs = candidates.size();
    Result<std::vector<SimilarityEdge>> verified =
        internal::VerifyNear(candidates, similarity, options_, open_input, infos.size(), &stats_);
    if (!verified.ok()) return verified.status();
    edges.insert(edges.end(), verified.value().begin(), verified.value().end());
  }
  stats_.similar_pairs = edges.size();
  const std::vector<Cluster> clusters = BuildClusters(infos.size(), edges, similarity);
  stats_.clusters = clusters.size();
  stats_.cluster_seconds = SecondsSince(start);

  // Report: clusters in id order, then one decision per document in input order.
  std::vector<const Cluster*> cluster_of(infos.size(), nullptr);
  std::vector<double> similarity_of(infos.size(), 0.0);
  for (const Cluster& c : clusters) {
    ClusterReport report{c.id, options_.level, &infos[c.representative], {}};
    for (const ClusterMember& m : c.members) {
      report.members.push_back({&infos[m.doc], m.similarity});
      cluster_of[m.doc] = &c;
      similarity_of[m.doc] = m.similarity;
    }
    NEARDUP_RETURN_IF_ERROR(sink.OnCluster(report));
  }
  for (const DocumentInfo& info : infos) {
    Decision decision{&info, std::nullopt, true, nullptr, std::nullopt};
    if (const Cluster* c = cluster_of[info.index]) {
      decision.cluster = c->id;
      decision.kept = c->representative == info.index;
      if (!decision.kept) decision.duplicate_of = &infos[c->representative];
      decision.similarity = similarity_of[info.index];
      stats_.duplicates += !decision.kept;
    }
    NEARDUP_RETURN_IF_ERROR(sink.OnDecision(decision));
  }
  if (options_.progress) {
    options_.progress(Progress{infos.size(), reader.bytes_read(), reader.bytes_total(), true});
  }
  return Status::OK();
}

}  // namespace neardup
