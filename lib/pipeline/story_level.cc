// Story level: rarity, candidates from salient words, every candidate scored
// by StorySimilarity on word vectors finished from the signing pass's drafts,
// then average linkage over those similarities; the full StoryTexts of the
// documents an explanation shows are built by reading them again.
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "pipeline/level.h"

namespace neardup::internal {

TermRarity BlendedRarity(const PipelineOptions& options, DocumentFrequencies input) {
  return TermRarity(options.story.use_background ? DefaultBackgroundFrequencies() : nullptr,
                    std::make_shared<const DocumentFrequencies>(std::move(input)),
                    options.story.input_weight_documents, options.story.input_cap_documents);
}

Result<TermRarity> StoryRarity(const PipelineOptions& options,
                               const Pipeline::InputFactory& open_input, RunStats* stats,
                               bool* count_in_pass) {
  std::shared_ptr<const DocumentFrequencies> input = options.statistics;
  *count_in_pass = false;
  if (!input && options.story.use_background && DefaultBackgroundFrequencies()) {
    *count_in_pass = true;
    return TermRarity(DefaultBackgroundFrequencies(), nullptr);
  }
  if (!input) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::unique_ptr<DocumentReader>> reader = open_input();
    if (!reader.ok()) return reader.status();
    Result<DocumentFrequencies> counted = CountFrequenciesInArena(*reader.value(), options);
    if (!counted.ok()) return counted.status();
    input = std::make_shared<const DocumentFrequencies>(std::move(counted).value());
    stats->frequencies_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::shared_ptr<const DocumentFrequencies> background;
  if (options.story.use_background) background = DefaultBackgroundFrequencies();
  return TermRarity(background, input, options.story.input_weight_documents,
                    options.story.input_cap_documents);
}

void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

namespace {

// The rarity of a sketch's words from the dictionary's cache of `rarity`,
// keeping their ids (and counting them, with `count`): the sketch needs
// them for its salient words, the draft for its words' names.
class DictionaryRarity final : public WordRarity {
 public:
  DictionaryRarity(const TermRarity& rarity, bool count, WordDictionary* words,
                   std::vector<std::uint32_t>* ids)
      : rarity_(rarity), count_(count), words_(words), ids_(ids) {}

  void Idf(std::span<const std::uint64_t> hashes, std::span<float> idf,
           std::span<float> uncapped) override {
    std::vector<std::uint32_t>& ids = *ids_;
    ids.resize(hashes.size());
    if (count_) {
      words_->AddDocument(hashes, ids);
    } else {
      for (std::size_t i = 0; i < hashes.size(); ++i) ids[i] = words_->Id(hashes[i]);
    }
    words_->Rarities(ids, rarity_, idf, uncapped);
  }

 private:
  const TermRarity& rarity_;
  bool count_;
  WordDictionary* words_;
  std::vector<std::uint32_t>* ids_;
};

}  // namespace

CompactDraft SketchDocument(std::string_view text, const NormalizedText& normalized,
                            const TermRarity& rarity, const PipelineOptions& options, bool count,
                            WordDictionary* words, StoryScratch& scratch,
                            std::vector<std::uint32_t>* ids) {
  const StoryOptions& story = options.story.compare;
  DictionaryRarity counted(rarity, count, words, ids);
  std::vector<std::uint32_t> salient;  // at first their places among the draft's words
  StorySketch sketch = SketchStory(text, normalized, counted, story, scratch, &salient);
  // The draft must hold the StoryText's words, normalized as the story level
  // normalizes them; the input's counts are of the words as options.normalize
  // makes them.
  if (options.normalize.nfkc != story.normalize.nfkc ||
      options.normalize.case_fold != story.normalize.case_fold) {
    DictionaryRarity looked_up(rarity, false, words, ids);
    sketch.draft =
        SketchStory(text, Normalize(text, story.normalize), looked_up, story, scratch).draft;
    return CompactDraft(std::move(sketch.draft), sketch.salient, *ids, words);
  }
  // SketchStory asked for the rarity of the draft's words once: *ids are
  // theirs, the salient words' among them (no second lookup of each).
  for (std::uint32_t& at : salient) at = (*ids)[at];
  return CompactDraft(std::move(sketch.draft), std::move(salient), *ids, words);
}

namespace {

// The salient words' hashes of the documents not skipped, in one array:
// document d's are (*hashes)[(*at)[d], (*at)[d + 1]). Releases every
// draft's salient words.
void SalientHashes(std::vector<CompactDraft>& drafts, const WordDictionaries& words,
                   const std::vector<bool>& skip, std::vector<std::uint64_t>* hashes,
                   std::vector<std::size_t>* at) {
  at->assign(drafts.size() + 1, 0);
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    (*at)[d + 1] = (*at)[d] + (skip[d] ? 0 : drafts[d].salient_size());
  }
  hashes->reserve(at->back());
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    if (!skip[d]) drafts[d].AppendSalient(words, hashes);
    drafts[d].ReleaseSalient();
  }
}

// The candidate pairs: documents sharing min_shared_salient salient words
// (SalientHashes). Consumes the hashes.
std::vector<std::pair<DocIndex, DocIndex>> SalientCandidates(std::vector<std::uint64_t> hashes,
                                                             const std::vector<std::size_t>& at,
                                                             const StoryOptions& story) {
  SalientIndex index(story.min_shared_salient);
  std::vector<std::span<const std::uint64_t>> salient(at.size() - 1);
  for (std::size_t d = 0; d + 1 < at.size(); ++d) {
    salient[d] = std::span<const std::uint64_t>(hashes).subspan(at[d], at[d + 1] - at[d]);
  }
  index.AddAll(0, salient);
  // The index holds its own copy: these are released before it is queried,
  // the step's peak.
  std::vector<std::span<const std::uint64_t>>().swap(salient);
  std::vector<std::uint64_t>().swap(hashes);
  return index.Candidates();
}

// Every candidate is scored: average linkage needs the weak links too (a
// document joins a cluster by its average over all members). Each pair's
// similarity lands in its own slot, so the edges do not depend on threads.
// Whether the phrase gate applies to a pair is found with its cosine
// (gated: empty when the gate is off). Pairs come sorted by their first
// document: each thread's scorer (VectorPairScorer) indexes a document's
// terms once for its run of pairs.
void ScoreCandidates(std::span<const std::pair<DocIndex, DocIndex>> candidates,
                     const StoryVectors& vectors, const StoryOptions& story,
                     std::vector<SimilarityEdge>* scored, std::vector<std::uint8_t>* gated) {
  scored->assign(candidates.size(), SimilarityEdge{});
  gated->assign(story.phrase_floor > 0 ? candidates.size() : 0, 0);
  tbb::enumerable_thread_specific<VectorPairScorer> scorers(&vectors);
  tbb::parallel_for(std::size_t{0}, candidates.size(), [&](std::size_t i) {
    // Pairs come sorted by their first document, so the second one's vector
    // is the one to miss in the cache: the next pairs' are fetched ahead
    // (the slot four pairs on, its terms, up to 4 KB, two on).
    if (i + 4 < candidates.size()) vectors.PrefetchSlot(candidates[i + 4].second);
    if (i + 2 < candidates.size()) vectors.PrefetchTerms(candidates[i + 2].second, 4096);
    const auto& [a, b] = candidates[i];
    double similarity = 0;
    const bool gate = scorers.local().Score(a, b, &similarity);
    (*scored)[i] = SimilarityEdge{a, b, similarity};
    if (!gated->empty()) (*gated)[i] = gate;
  });
}

// The lowest threshold the linkage is run at.
double LowestThreshold(const PipelineOptions& options, bool sweep) {
  if (!sweep || options.sweep.empty()) return options.story.threshold;
  return *std::min_element(options.sweep.begin(), options.sweep.end());
}

// Releases the vectors of the documents that cannot join a cluster: those
// without an edge of similarity >= threshold. The linkage never merges
// them (its clusters lie inside the components of such edges), so nothing
// after it reads their vectors: the clusters' similarities and explanations
// are of members, and the constraint's marks of documents it tests.
// REQUIRES: the edges' similarities can only fall from here on.
void ReleaseUnlinkable(std::span<const SimilarityEdge> scored, double threshold,
                       StoryVectors* vectors) {
  std::vector<bool> linkable(vectors->size(), false);
  for (const SimilarityEdge& e : scored) {
    if (e.a != e.b && e.similarity >= threshold) linkable[e.a] = linkable[e.b] = true;
  }
  for (std::size_t d = 0; d < vectors->size(); ++d) {
    if (!linkable[d]) vectors->Release(static_cast<DocIndex>(d));
  }
  ReleaseFreeMemory();
}

Dateline DatelineOfKey(std::uint32_t key) {
  return Dateline{static_cast<std::uint16_t>(key & 0xFFFF), static_cast<std::uint16_t>(key >> 16)};
}

// The average linkage's constraints. Reports of different days never share
// a cluster: each dated document's dateline is its key, and conflicting
// keys cannot link. Two groups of reports each agreeing on names or numbers
// the other never mentions are two events (StoryOptions::contrast_*; the
// marks as the vectors' classes, which keep their order and equality). The
// result views *keys and *marks, filled here, and the vectors.
LinkageConstraint StoryConstraint(const StoryVectors& vectors, const StoryOptions& story,
                                  std::vector<std::uint32_t>* keys,
                                  std::vector<std::span<const std::uint32_t>>* marks) {
  keys->assign(vectors.size(), 0);
  marks->assign(vectors.size(), {});
  for (std::size_t d = 0; d < keys->size(); ++d) {
    const auto doc = static_cast<DocIndex>(d);
    if (!vectors.has(doc)) continue;
    const Dateline dateline = vectors.dateline(doc);
    if (dateline.day != 0) (*keys)[d] = std::uint32_t{dateline.year} << 16 | dateline.day;
    (*marks)[d] = vectors.marks(doc);
  }
  LinkageConstraint constraint{*keys,
                               [days = story.dateline_days](std::uint32_t a, std::uint32_t b) {
                                 return DatelinesConflict(DatelineOfKey(a), DatelineOfKey(b), days);
                               },
                               *marks};
  constraint.contrast_min_size = static_cast<std::size_t>(std::max(0, story.contrast_min_size));
  constraint.contrast_share = story.contrast_share;
  constraint.contrast_count = static_cast<std::size_t>(std::max(0, story.contrast_count));
  return constraint;
}

}  // namespace

Result<std::vector<SimilarityEdge>> StoryEdges(
    std::vector<CompactDraft>& drafts, const WordDictionaries& words, const std::vector<bool>& skip,
    const TermRarity& rarity, const PipelineOptions& options,
    const Pipeline::InputFactory& open_input, const RecordAtFn& record_at, RunStats* stats,
    StoryVectors* vectors, std::vector<std::pair<DocIndex, DocIndex>>* subject_pairs,
    std::vector<std::vector<SimilarityEdge>>* sweep_merges) {
  const StoryOptions& story = options.story.compare;
  const std::size_t num_docs = drafts.size();
  std::vector<std::uint64_t> hashes;
  std::vector<std::size_t> at;
  SalientHashes(drafts, words, skip, &hashes, &at);
  ReleaseFreeMemory();  // the signing pass's batches, the rarity blended after it
  // The drafts are finished into vectors before the candidate index is
  // built, for every document it indexes: a vector (4 bytes a term) is
  // smaller than its draft (6 bytes a word), and the index's peak lands on
  // the vectors. Those of documents without a candidate are released then.
  std::vector<bool> indexed(num_docs, false);
  for (std::size_t d = 0; d < num_docs; ++d) indexed[d] = at[d + 1] > at[d];
  *vectors = FinishVectors(drafts, words, indexed, rarity, story);
  ReleaseFreeMemory();  // the drafts'
  std::vector<std::pair<DocIndex, DocIndex>> candidates =
      SalientCandidates(std::move(hashes), at, story);
  stats->candidate_pairs = candidates.size();
  std::vector<bool> needed(num_docs, false);
  for (const auto& [a, b] : candidates) needed[a] = needed[b] = true;
  for (std::size_t d = 0; d < num_docs; ++d) {
    if (!needed[d]) vectors->Release(static_cast<DocIndex>(d));
  }
  ReleaseFreeMemory();  // the candidate index's
  if (sweep_merges != nullptr) sweep_merges->assign(options.sweep.size(), {});
  if (candidates.empty()) return std::vector<SimilarityEdge>{};

  std::vector<SimilarityEdge> scored;
  std::vector<std::uint8_t> gated;
  ScoreCandidates(candidates, *vectors, story, &scored, &gated);
  const SubjectView documents{[&](DocIndex d) -> std::size_t { return vectors->words(d); },
                              [&](DocIndex d) { return vectors->marks(d); }};
  WithdrawSubjectExemptions(scored, documents, story, &gated, subject_pairs);
  stats->exact_checks = candidates.size();
  std::vector<std::pair<DocIndex, DocIndex>>().swap(candidates);  // scored: not needed again
  // The gate keeps a share <= 1 of a similarity when its power is >= 0: the
  // vectors of documents that cannot link are released before it then.
  const double lowest = LowestThreshold(options, sweep_merges != nullptr);
  const bool gate_lowers = !(story.phrase_power < 0);
  if (gate_lowers) ReleaseUnlinkable(scored, lowest, vectors);
  NEARDUP_RETURN_IF_ERROR(
      GatePhrases(num_docs, gated, &scored, options, open_input, record_at, stats));
  std::vector<std::uint8_t>().swap(gated);
  if (!gate_lowers) ReleaseUnlinkable(scored, lowest, vectors);
  std::erase_if(scored, [](const SimilarityEdge& e) { return e.similarity <= 0; });
  scored.shrink_to_fit();
  ReleaseFreeMemory();  // the gate's
  std::vector<std::uint32_t> keys;
  std::vector<std::span<const std::uint32_t>> marks;
  const LinkageConstraint constraint = StoryConstraint(*vectors, story, &keys, &marks);
  if (!options.sweep.empty() && sweep_merges != nullptr) {  // one linkage per threshold
    for (std::size_t t = 0; t < options.sweep.size(); ++t) {
      (*sweep_merges)[t] = AverageLinkage(num_docs, scored, options.sweep[t], constraint);
    }
    return std::vector<SimilarityEdge>{};
  }
  return AverageLinkage(num_docs, scored, options.story.threshold, constraint);
}

std::vector<std::optional<ClusterReport::Member::Link>> StoryLinks(
    const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> merges) {
  std::vector<std::optional<ClusterReport::Member::Link>> link(infos.size());
  UnionFind groups(infos.size());
  for (const SimilarityEdge& m : merges) {  // a and b: the two groups' first documents
    const auto size_a = static_cast<std::uint32_t>(groups.SetSize(m.a));
    const auto size_b = static_cast<std::uint32_t>(groups.SetSize(m.b));
    if (size_a == 1) link[m.a] = ClusterReport::Member::Link{&infos[m.b], m.similarity, size_b};
    if (size_b == 1) link[m.b] = ClusterReport::Member::Link{&infos[m.a], m.similarity, size_a};
    groups.Union(m.a, m.b);
  }
  return link;
}

Result<SimilarityFn> RunStoryLevel(std::vector<CompactDraft>& drafts, const WordDictionaries& words,
                                   const std::deque<DocumentInfo>& infos,
                                   const std::vector<bool>& is_copy, const TermRarity& rarity,
                                   const PipelineOptions& options,
                                   const Pipeline::InputFactory& open_input,
                                   const RecordAtFn& record_at, RunStats* stats,
                                   std::vector<SimilarityEdge>* edges, StoryRun* run) {
  std::vector<bool> skip(infos.size());
  for (const DocumentInfo& info : infos) skip[info.index] = info.words == 0 || is_copy[info.index];
  Result<std::vector<SimilarityEdge>> story_edges =
      StoryEdges(drafts, words, skip, rarity, options, open_input, record_at, stats, &run->vectors,
                 &run->subject_pairs, &run->sweep_merges);
  if (!story_edges.ok()) return story_edges.status();
  run->original_of.resize(infos.size());
  for (const DocumentInfo& info : infos) run->original_of[info.index] = info.index;
  for (const SimilarityEdge& e : *edges) run->original_of[e.b] = e.a;  // exact-copy edges so far
  run->link_of = StoryLinks(infos, story_edges.value());
  edges->insert(edges->end(), story_edges.value().begin(), story_edges.value().end());
  return SimilarityFn([run](DocIndex a, DocIndex b) {
    const DocIndex oa = run->original_of[a];
    const DocIndex ob = run->original_of[b];
    if (oa == ob || !run->vectors.has(oa) || !run->vectors.has(ob)) return 1.0;
    return run->vectors.Similarity(oa, ob);
  });
}

Status ExplainStoryClusters(std::span<const Cluster> clusters, const TermRarity& rarity,
                            const PipelineOptions& options,
                            const Pipeline::InputFactory& open_input, const RecordAtFn& record_at,
                            RunStats* stats, StoryRun* run) {
  const StoryVectors& vectors = run->vectors;
  const std::vector<DocIndex>& original_of = run->original_of;
  std::vector<bool> wanted(vectors.size(), false);
  for (const Cluster& c : clusters) {
    const DocIndex rep = original_of[c.representative];
    if (!vectors.has(rep)) continue;
    for (const ClusterMember& m : c.members) {
      const DocIndex d = original_of[m.doc];
      if (d != rep && vectors.has(d)) wanted[rep] = wanted[d] = true;
    }
  }
  stats->reread_documents =
      static_cast<std::uint64_t>(std::count(wanted.begin(), wanted.end(), true));
  if (stats->reread_documents == 0) return Status::OK();

  std::vector<std::optional<StoryText>>& texts = run->explained;
  texts.assign(vectors.size(), std::nullopt);
  Result<std::unique_ptr<DocumentReader>> reader = open_input();
  if (!reader.ok()) return reader.status();
  tbb::enumerable_thread_specific<NormalizedText> normalized;  // reused across documents
  tbb::enumerable_thread_specific<StoryScratch> scratch;
  return ForEachBatch(
      *reader.value(), options,
      [&](std::vector<Document>& batch, DocIndex first) -> Status {
        tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t i) {
          const DocIndex d = first + static_cast<DocIndex>(i);
          if (!wanted[d]) return;
          const std::string_view text = SignedText(batch[i], options);
          NormalizedText& nt = normalized.local();
          Normalize(text, options.story.compare.normalize, &nt);
          texts[d] = BuildStoryText(text, nt, rarity, options.story.compare, scratch.local());
        });
        return Status::OK();
      },
      nullptr, &wanted, record_at ? &record_at : nullptr);
}

Status ReportSweep(const std::deque<DocumentInfo>& infos, std::span<const SimilarityEdge> copies,
                   const std::vector<std::vector<SimilarityEdge>>& merges,
                   const SimilarityFn& similarity, const PipelineOptions& options,
                   DecisionSink& sink) {
  for (std::size_t t = 0; t < options.sweep.size(); ++t) {
    std::vector<SimilarityEdge> edges(copies.begin(), copies.end());
    edges.insert(edges.end(), merges[t].begin(), merges[t].end());
    const std::vector<Cluster> clusters = BuildClusters(infos.size(), edges, similarity);
    std::vector<ClusterReport> reports;
    for (const Cluster& c : clusters) {
      ClusterReport report{c.id, options.level, &infos[c.representative], {}};
      for (const ClusterMember& m : c.members) {
        report.members.push_back({&infos[m.doc], m.similarity, std::nullopt, {}, {}});
      }
      reports.push_back(std::move(report));
    }
    NEARDUP_RETURN_IF_ERROR(sink.OnSweep(options.sweep[t], reports));
  }
  return Status::OK();
}

}  // namespace neardup::internal

namespace neardup::internal {
namespace {

class StoryRunner : public LevelRunner {
 public:
  explicit StoryRunner(const RunContext& run) : LevelRunner(run) {}

  Result<SigningSetup> BeforeSigning() override {
    Result<TermRarity> r = StoryRarity(run_.options, run_.open_input, run_.stats, &count_in_pass_);
    if (!r.ok()) return r.status();
    rarity_ = std::move(r).value();
    SigningSetup setup;
    setup.rarity = &*rarity_;
    setup.story_words = &words_;
    setup.count_in_pass = count_in_pass_;
    return setup;
  }

  Result<bool> Decide(SignedRun& signed_run, DecisionSink& sink, ReportInput* report) override {
    const PipelineOptions& options = run_.options;
    if (count_in_pass_) rarity_ = BlendedRarity(options, words_.Counts());
    words_.ReleaseLookups();  // the drafts are made: only their words' hashes are read from here on
    NEARDUP_RETURN_IF_ERROR(JoinCopies(signed_run));
    const std::deque<DocumentInfo>& infos = signed_run.docs.infos;
    Result<SimilarityFn> similarity =
        RunStoryLevel(signed_run.docs.drafts, words_, infos, edges_.is_copy, *rarity_, options,
                      run_.open_input, signed_run.record_at, run_.stats, &edges_.edges, &story_);
    if (!similarity.ok()) return similarity.status();
    similarity_ = std::move(similarity).value();
    if (!options.sweep.empty()) {
      NEARDUP_RETURN_IF_ERROR(
          ReportSweep(infos, edges_.edges, story_.sweep_merges, similarity_, options, sink));
      return false;
    }
    NEARDUP_RETURN_IF_ERROR(Cluster(signed_run, nullptr, {}));
    if (options.story.shared_terms) {
      NEARDUP_RETURN_IF_ERROR(ExplainStoryClusters(clustered_.clusters, *rarity_, options,
                                                   run_.open_input, signed_run.record_at,
                                                   run_.stats, &story_));
    }
    clustered_.Report(report);
    return true;
  }

  void DescribeMembers(const SignedRun& signed_run, ReportInput* report) override {
    members_ = StoryMemberReports(clustered_.clusters, signed_run.docs.infos, edges_.is_copy,
                                  story_, run_.options);
    report->members = &members_;
  }

 private:
  std::optional<TermRarity> rarity_;
  bool count_in_pass_ = false;  // count the input's words while signing
  WordDictionaries words_;      // names the drafts' words
  StoryRun story_;
  std::vector<std::vector<ClusterReport::Member>> members_;
};

}  // namespace

std::unique_ptr<LevelRunner> MakeStoryRunner(const RunContext& run) {
  return std::make_unique<StoryRunner>(run);
}

}  // namespace neardup::internal
