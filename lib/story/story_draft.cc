// StoryDraft: the rarity-free part of a document's word vector, and its
// finishing into the vector once the rarity is known.
#include <algorithm>

#include "story/story_text_steps.h"

namespace neardup::internal::story_text {
namespace {

// counts in 8 bits each, those of StoryDraft::kWide or more as
// (index, count) in *wide.
void Narrow(const std::vector<std::uint32_t>& counts, std::vector<std::uint8_t>* narrow,
            std::vector<std::pair<std::uint32_t, std::uint32_t>>* wide) {
  narrow->resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < StoryDraft::kWide) {
      (*narrow)[i] = static_cast<std::uint8_t>(counts[i]);
    } else {
      (*narrow)[i] = StoryDraft::kWide;
      wide->emplace_back(static_cast<std::uint32_t>(i), counts[i]);
    }
  }
}

// Counts of StoryDraft::tf or feature_tf, widened to 32 bits.
void Widen(const std::vector<std::uint8_t>& narrow,
           const std::vector<std::pair<std::uint32_t, std::uint32_t>>& wide,
           std::vector<std::uint32_t>* counts) {
  counts->assign(narrow.begin(), narrow.end());
  for (const auto& [i, count] : wide) (*counts)[i] = count;
}

}  // namespace

StoryDraft Draft(std::string_view original, std::span<const Word> words, const DocWeights& d,
                 const Segments& segments, const StoryOptions& options, DraftBuffers* buffers) {
  StoryDraft draft;
  draft.hashes.assign(d.hash.begin(), d.hash.end());
  draft.words = static_cast<std::uint32_t>(words.size());
  draft.dateline = FindDateline(original);
  const std::size_t distinct = d.hash.size();
  // Term counts, a word of the lead counting lead_weight times.
  const auto lead_weight = static_cast<std::uint32_t>(std::max(1, options.lead_weight));
  const std::size_t lead_words = std::min<std::size_t>(segments.lead_words, words.size());
  std::vector<std::uint32_t>& tf = buffers->tf;
  tf.assign(d.tf.begin(), d.tf.end());
  for (std::size_t i = 0; i < lead_words; ++i) tf[d.word_id[i]] += lead_weight - 1;
  // The same counts of the words marked as names or numbers.
  std::vector<std::uint32_t>& feature_tf = buffers->feature_tf;
  feature_tf.assign(distinct, 0);
  for (const std::uint32_t at : segments.marked) {
    feature_tf[d.word_id[at]] += at < lead_words ? lead_weight : 1;
  }
  Narrow(tf, &draft.tf, &draft.wide_tf);
  Narrow(feature_tf, &draft.feature_tf, &draft.wide_feature_tf);
  ReleaseHuge(tf, feature_tf);
  return draft;
}

StoryText Finish(StoryDraft draft, const StoryOptions& options, FinishBuffers* buffers) {
  DocWeights& doc = buffers->doc;
  StoryText out;
  out.words = draft.words;
  out.dateline = draft.dateline;
  const std::size_t distinct_words = doc.hash.size();
  Widen(draft.tf, draft.wide_tf, &doc.tf);
  WeighLooked(&doc);
  // Names and numbers are also features of their own, kFeatureKind ^ the
  // word's hash, weighing feature_weight x the word's weight at that count:
  // a story's specific facts count more than its vocabulary.
  std::vector<std::uint32_t>& feature_tf = buffers->feature_tf;
  Widen(draft.feature_tf, draft.wide_feature_tf, &feature_tf);
  for (std::size_t id = 0; id < distinct_words; ++id) {
    if (feature_tf[id] == 0) continue;
    const std::uint64_t hash = doc.hash[id] ^ kFeatureKind;
    out.marks.push_back(static_cast<std::uint32_t>(hash));
    const double tf = options.feature_weight * LogTf(feature_tf[id]);
    const float idf = doc.idf[id];
    const float uncapped = doc.uncapped_idf[id];
    doc.hash.push_back(hash);
    doc.tf.push_back(feature_tf[id]);
    doc.idf.push_back(idf);
    doc.uncapped_idf.push_back(uncapped);
    doc.weight.push_back(static_cast<float>(tf * idf));
    doc.norm_weight.push_back(static_cast<float>(tf * uncapped));
  }
  std::sort(out.marks.begin(), out.marks.end());
  out.marks.erase(std::unique(out.marks.begin(), out.marks.end()), out.marks.end());
  out.marks.shrink_to_fit();
  SortedTerms(doc, &out.terms, &buffers->sort);
  ReleaseHuge(feature_tf);
  doc.ReleaseHuge();
  return out;
}

StoryText FinishWithRarity(StoryDraft draft, const TermRarity& rarity, const StoryOptions& options,
                           FinishBuffers* buffers) {
  DocWeights& doc = buffers->doc;
  doc.hash.swap(draft.hashes);
  doc.idf.resize(doc.hash.size());
  doc.uncapped_idf.resize(doc.hash.size());
  rarity.Idf(doc.hash, doc.idf, doc.uncapped_idf);
  return Finish(std::move(draft), options, buffers);
}

}  // namespace neardup::internal::story_text

namespace neardup {

void StoryDraft::WidenTf(std::vector<std::uint32_t>* counts) const {
  internal::story_text::Widen(tf, wide_tf, counts);
}

void StoryDraft::WidenFeatureTf(std::vector<std::uint32_t>* counts) const {
  internal::story_text::Widen(feature_tf, wide_feature_tf, counts);
}

}  // namespace neardup
