// Kernel benchmarks with throughput counters (bytes/s, items/s).
//
//   bench_kernels [--corpus=PATH] [Google Benchmark flags]
//
// PATH is any neardup input (directory, .jsonl, text file); without it the
// kernels run on generated English-like text. Benchmarks:
//   BM_Normalize/S      UTF-8 check, word split, NFKC + case fold with scanner S (auto: SSE2
//                       blocks, scalar: the reference), token offsets kept (bytes/s)
//   BM_NormalizeAndHash the same with token hashes instead of offsets, as signing runs it
//   BM_Shingle          token + 5-gram shingle hashing of normalized text (bytes/s)
//   BM_MinHash/K/k      signing shingles with k = 64, 128, 256: K = oph is one permutation
//                       hashing (the default scheme), auto/scalar/avx2 the k-hash scheme on
//                       that kernel (bytes/s of source text)
//   BM_SignEndToEnd/K   normalize + shingle + MinHash k = 128, one thread (bytes/s), K as above:
//                       oph, auto and avx2 take the pipeline's path (NormalizeAndHash), scalar
//                       the reference path (scalar scanner, token offsets, scalar k-hash);
//                       oph_sketch signs as the pipeline does, with the 512-bin b-bit sketch
// MinHash benchmarks label each result with the kernel that actually ran and
// are skipped (with an error message) when the CPU lacks that kernel.
//   BM_LshCandidates    banding and candidate pairs for n signatures (items/s = documents)
//   BM_UnionFind        n random unions and finds (items/s)
//   BM_SegmentSentences sentence segmentation of original text (bytes/s)
//   BM_DiffDocuments    align + word-diff consecutive document pairs, as `neardup diff`
//                       does (bytes/s of both texts, items/s = pairs)
//   BM_SketchStory      the story level's signing pass: normalize, then the sketch (words,
//                       salient words under the background rarity, the draft) (bytes/s)
//   BM_FinishStoryText  drafts finished into word vectors under the background blended with
//                       the corpus's own counts (bytes/s of the documents' text)
//   BM_CompareStories   the full story comparison (sentence alignment, numbers) of
//                       consecutive documents' full StoryTexts, as --explain makes them
//                       (items/s = pairs)
//   BM_StorySimilarity  the story level's score (weighted cosine) of consecutive documents
#include <benchmark/benchmark.h>
#include <neardup/align.h>
#include <neardup/cluster.h>
#include <neardup/index.h>
#include <neardup/io.h>
#include <neardup/normalize.h>
#include <neardup/signature.h>
#include <neardup/story.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "normalize/scan.h"
#include "story/story_scratch.h"

namespace {

using namespace neardup;

std::vector<std::string> g_texts;  // the documents every kernel runs over
std::size_t g_bytes = 0;

std::uint64_t Mix(std::uint64_t* s) {
  std::uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// 2,000 documents of about 3.5 KB from a Zipf-like vocabulary of 20,000 words.
void MakeSyntheticTexts() {
  std::vector<std::string> vocab;
  std::uint64_t s = 1;
  for (int i = 0; i < 20000; ++i) {
    std::string w;
    const int len = 2 + static_cast<int>(Mix(&s) % 8);
    for (int j = 0; j < len; ++j) w += static_cast<char>('a' + Mix(&s) % 26);
    vocab.push_back(w);
  }
  for (int d = 0; d < 2000; ++d) {
    std::string text;
    while (text.size() < 3500) {
      const double u = static_cast<double>(Mix(&s) % 1000000) / 1e6;
      text += vocab[static_cast<std::size_t>(u * u * u * 19999)];
      text += Mix(&s) % 15 == 0 ? ". " : " ";
    }
    g_texts.push_back(std::move(text));
  }
}

bool LoadCorpus(const std::string& path) {
  Result<std::unique_ptr<DocumentReader>> reader = OpenReader({path}, ReaderOptions{});
  if (!reader.ok()) {
    std::fprintf(stderr, "bench_kernels: %s\n", reader.status().ToString().c_str());
    return false;
  }
  Document doc;
  while (true) {
    Result<bool> more = reader.value()->Next(&doc);
    if (!more.ok()) {
      std::fprintf(stderr, "bench_kernels: %s\n", more.status().ToString().c_str());
      return false;
    }
    if (!more.value()) return true;
    g_texts.push_back(std::move(doc.text));
  }
}

void SetBytes(benchmark::State& state) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(g_bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(g_texts.size()));
}

void BM_Normalize(benchmark::State& state, internal::ScanKernel kernel) {
  NormalizedText nt;
  for (auto _ : state) {
    for (const std::string& t : g_texts) {
      internal::Normalize(t, NormalizeOptions{}, kernel, &nt);
      benchmark::DoNotOptimize(nt.tokens.data());
    }
  }
  SetBytes(state);
}
BENCHMARK_CAPTURE(BM_Normalize, auto, internal::ScanKernel::kAuto) -> Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Normalize, scalar, internal::ScanKernel::kScalar)
    ->Unit(benchmark::kMillisecond);

// What signing runs: the normalized text with token hashes, no offsets.
void BM_NormalizeAndHash(benchmark::State& state) {
  HashedText ht;
  for (auto _ : state) {
    for (const std::string& t : g_texts) {
      NormalizeAndHash(t, NormalizeOptions{}, 0, &ht);
      benchmark::DoNotOptimize(ht.token_hashes.data());
    }
  }
  SetBytes(state);
}
BENCHMARK(BM_NormalizeAndHash)->Unit(benchmark::kMillisecond);

void BM_Shingle(benchmark::State& state) {
  std::vector<NormalizedText> normalized;
  for (const std::string& t : g_texts) normalized.push_back(Normalize(t));
  std::vector<std::uint64_t> shingles;
  for (auto _ : state) {
    for (const NormalizedText& nt : normalized) {
      ShingleHashes(nt, ShingleOptions{}, &shingles);
      benchmark::DoNotOptimize(shingles.data());
    }
  }
  SetBytes(state);
}
BENCHMARK(BM_Shingle)->Unit(benchmark::kMillisecond);

// Labels the result with the kernel `hasher` runs; false (benchmark skipped)
// when a forced kernel is not the one running, i.e. the CPU lacks it.
bool CheckKernel(benchmark::State& state, const MinHasher& hasher, MinHashKernel asked) {
  state.SetLabel(MinHashKernelName(hasher.kernel()));
  if (asked != MinHashKernel::kAuto && hasher.kernel() != asked) {
    state.SkipWithError(
        (std::string("kernel ") + MinHashKernelName(asked) + " not supported by this CPU").c_str());
    return false;
  }
  return true;
}

void BM_MinHash(benchmark::State& state, MinHashScheme scheme, MinHashKernel kernel) {
  MinHashOptions options;
  options.num_perm = static_cast<int>(state.range(0));
  options.scheme = scheme;
  options.kernel = kernel;
  const MinHasher hasher(options);
  if (!CheckKernel(state, hasher, kernel)) return;
  std::vector<std::vector<std::uint64_t>> all;
  for (const std::string& t : g_texts) {
    all.emplace_back();
    ShingleHashes(Normalize(t), ShingleOptions{}, &all.back());
  }
  std::vector<std::uint32_t> sig(static_cast<std::size_t>(options.num_perm));
  for (auto _ : state) {
    for (const auto& shingles : all) {
      hasher.Sign(shingles, sig);
      benchmark::DoNotOptimize(sig.data());
    }
  }
  SetBytes(state);
}
BENCHMARK_CAPTURE(BM_MinHash, oph, MinHashScheme::kOnePermutation, MinHashKernel::kAuto)
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MinHash, auto, MinHashScheme::kPermutations, MinHashKernel::kAuto) -> Arg(64)
    -> Arg(128) -> Arg(256) -> Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MinHash, scalar, MinHashScheme::kPermutations, MinHashKernel::kScalar)
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_MinHash, avx2, MinHashScheme::kPermutations, MinHashKernel::kAvx2)
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);

void BM_SignEndToEnd(benchmark::State& state, MinHashScheme scheme, MinHashKernel kernel,
                     bool with_sketch = false) {
  MinHashOptions options;
  options.scheme = scheme;
  options.kernel = kernel;
  const MinHasher hasher(options);
  if (!CheckKernel(state, hasher, kernel)) return;
  std::vector<std::uint64_t> shingles;
  std::vector<std::uint32_t> sig(static_cast<std::size_t>(hasher.num_perm()));
  std::vector<std::uint8_t> sketch(hasher.sketch_bytes());
  if (kernel == MinHashKernel::kScalar) {
    // The reference path: scalar scanner, token offsets, scalar MinHash.
    NormalizedText nt;
    for (auto _ : state) {
      for (const std::string& t : g_texts) {
        internal::Normalize(t, NormalizeOptions{}, internal::ScanKernel::kScalar, &nt);
        ShingleHashes(nt, ShingleOptions{}, &shingles);
        hasher.Sign(shingles, sig);
        benchmark::DoNotOptimize(sig.data());
      }
    }
  } else {
    // The pipeline's path (lib/pipeline/pipeline.cc).
    HashedText ht;
    for (auto _ : state) {
      for (const std::string& t : g_texts) {
        NormalizeAndHash(t, NormalizeOptions{}, 0, &ht);
        ShingleHashes(ht, ShingleOptions{}, &shingles);
        if (with_sketch) {
          hasher.Sign(shingles, sig, sketch);
          benchmark::DoNotOptimize(sketch.data());
        } else {
          hasher.Sign(shingles, sig);
        }
        benchmark::DoNotOptimize(sig.data());
      }
    }
  }
  SetBytes(state);
}
BENCHMARK_CAPTURE(BM_SignEndToEnd, oph, MinHashScheme::kOnePermutation, MinHashKernel::kAuto)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SignEndToEnd, oph_sketch, MinHashScheme::kOnePermutation, MinHashKernel::kAuto,
                  true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SignEndToEnd, auto, MinHashScheme::kPermutations, MinHashKernel::kAuto)
    -> Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SignEndToEnd, scalar, MinHashScheme::kPermutations, MinHashKernel::kScalar)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SignEndToEnd, avx2, MinHashScheme::kPermutations, MinHashKernel::kAvx2)
    ->Unit(benchmark::kMillisecond);

void BM_LshCandidates(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> sigs(n * 128);
  std::uint64_t s = 3;
  for (auto& v : sigs) v = static_cast<std::uint32_t>(Mix(&s));
  const LshParams params = OptimalLshParams(LshOptions{}, 128);
  for (auto _ : state) {
    LshIndex index(params);
    for (std::size_t d = 0; d < n; ++d) {
      index.Add(static_cast<DocIndex>(d),
                std::span<const std::uint32_t>(sigs).subspan(d * 128, 128));
    }
    benchmark::DoNotOptimize(index.Candidates());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_LshCandidates)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_UnionFind(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<std::pair<DocIndex, DocIndex>> edges(n);
  std::uint64_t s = 5;
  for (auto& e : edges)
    e = {static_cast<DocIndex>(Mix(&s) % n), static_cast<DocIndex>(Mix(&s) % n)};
  for (auto _ : state) {
    UnionFind sets(n);
    for (const auto& [a, b] : edges) sets.Union(a, b);
    benchmark::DoNotOptimize(sets.Find(0));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_UnionFind)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_SegmentSentences(benchmark::State& state) {
  for (auto _ : state) {
    for (const std::string& t : g_texts) benchmark::DoNotOptimize(SegmentSentences(t).data());
  }
  SetBytes(state);
}
BENCHMARK(BM_SegmentSentences)->Unit(benchmark::kMillisecond);

// Documents i and i + 1 for the first min(n, 200) documents: on a corpus
// directory in name order, mostly versions of one story.
void BM_DiffDocuments(benchmark::State& state) {
  const std::size_t pairs = std::min<std::size_t>(200, g_texts.size() - 1);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < pairs; ++i) bytes += g_texts[i].size() + g_texts[i + 1].size();
  for (auto _ : state) {
    for (std::size_t i = 0; i < pairs; ++i) {
      const DocDiff d = DiffDocuments(g_texts[i], g_texts[i + 1]);
      benchmark::DoNotOptimize(d.spans.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs));
}
BENCHMARK(BM_DiffDocuments)->Unit(benchmark::kMillisecond);

void BM_SketchStory(benchmark::State& state) {
  const TermRarity rarity(DefaultBackgroundFrequencies(), nullptr);
  NormalizedText nt;
  internal::StoryScratch scratch;  // one per thread, as the signing pass holds it
  for (auto _ : state) {
    for (const std::string& t : g_texts) {
      Normalize(t, NormalizeOptions{}, &nt);
      const StorySketch sketch = internal::SketchStory(t, nt, rarity, StoryOptions{}, scratch);
      benchmark::DoNotOptimize(sketch.draft.tf.data());
    }
  }
  SetBytes(state);
}
BENCHMARK(BM_SketchStory)->Unit(benchmark::kMillisecond);

// The corpus's drafts, and the rarity the pipeline finishes them under.
struct Drafts {
  std::vector<StoryDraft> drafts;
  TermRarity rarity;
};
Drafts MakeDrafts() {
  const TermRarity background(DefaultBackgroundFrequencies(), nullptr);
  Drafts out;
  auto counts = std::make_shared<DocumentFrequencies>();
  for (const std::string& t : g_texts) {
    out.drafts.push_back(SketchStory(t, Normalize(t), background, StoryOptions{}).draft);
    counts->AddDistinct(out.drafts.back().hashes);
  }
  out.rarity = TermRarity(DefaultBackgroundFrequencies(), std::move(counts));
  return out;
}

void BM_FinishStoryText(benchmark::State& state) {
  const Drafts drafts = MakeDrafts();
  internal::StoryScratch scratch;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<StoryDraft> copies = drafts.drafts;
    state.ResumeTiming();
    for (StoryDraft& d : copies) {
      const StoryText text =
          internal::FinishStoryText(std::move(d), drafts.rarity, StoryOptions{}, scratch);
      benchmark::DoNotOptimize(text.terms.terms.data());
    }
  }
  SetBytes(state);
}
BENCHMARK(BM_FinishStoryText)->Unit(benchmark::kMillisecond);

void BM_CompareStories(benchmark::State& state) {
  const Drafts drafts = MakeDrafts();
  std::vector<StoryText> texts;
  for (const std::string& t : g_texts) {
    texts.push_back(BuildStoryText(t, drafts.rarity, StoryOptions{}));
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
      const StoryEvidence e = CompareStories(texts[i], texts[i + 1], StoryOptions{});
      benchmark::DoNotOptimize(e.similarity);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size() - 1));
}
BENCHMARK(BM_CompareStories)->Unit(benchmark::kMillisecond);

// The story level's score of a candidate pair (every candidate is scored).
void BM_StorySimilarity(benchmark::State& state) {
  Drafts drafts = MakeDrafts();
  std::vector<StoryText> texts;
  for (StoryDraft& d : drafts.drafts) {
    texts.push_back(FinishStoryText(std::move(d), drafts.rarity, StoryOptions{}));
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
      benchmark::DoNotOptimize(StorySimilarity(texts[i], texts[i + 1], StoryOptions{}));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size() - 1));
}
BENCHMARK(BM_StorySimilarity)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args;
  std::string corpus;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--corpus=", 9) == 0) {
      corpus = argv[i] + 9;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (corpus.empty()) {
    MakeSyntheticTexts();
  } else if (!LoadCorpus(corpus)) {
    return 2;
  }
  for (const std::string& t : g_texts) g_bytes += t.size();
  std::fprintf(stderr, "bench_kernels: %zu documents, %.1f MB (%s)\n", g_texts.size(),
               static_cast<double>(g_bytes) / 1e6, corpus.empty() ? "synthetic" : corpus.c_str());
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
