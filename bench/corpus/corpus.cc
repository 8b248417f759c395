#include "corpus.h"

#include <algorithm>
#include <optional>

#include "jaccard.h"
#include "output.h"
#include "random.h"
#include "templated.h"

namespace neardup::gen {
namespace {

// Copy or distractor `ref.variant` of its original. Its randomness is keyed by
// the original and the variant, so it does not depend on the output order.
Variant MakeVariant(const Material& m, DocRef ref, OriginalInfo::Kind kind,
                    std::string_view original) {
  const ShingleSet shingles = Shingles(original);
  Rng rng(StreamKey(m.seed, kVariantStream, ref.original, ref.variant));
  switch (kind) {
    case OriginalInfo::Kind::kCopy:
      return MakeCopy(m.source, m.sites, original, shingles, rng);
    case OriginalInfo::Kind::kDistractor:
      return MakeDistractor(m.source.prose, original, shingles, rng);
    case OriginalInfo::Kind::kTrimmed:
      return MakeTrimmed(original, shingles, rng, m.trim_max);
    case OriginalInfo::Kind::kExtended:
      return MakeExtended(m.source.prose, original, shingles, rng, m.extend_max);
  }
  return {};
}

const char* KindName(OriginalInfo::Kind kind) {
  switch (kind) {
    case OriginalInfo::Kind::kCopy:
      return "copy";
    case OriginalInfo::Kind::kDistractor:
      return "distractor";
    case OriginalInfo::Kind::kTrimmed:
      return "trimmed";
    case OriginalInfo::Kind::kExtended:
      return "extended";
  }
  return "?";
}

}  // namespace

std::string OriginalText(const Material& m, uint32_t k) {
  if (k < m.base.size()) {
    return std::string(SpanText(m.source.prose, m.base[k]));
  }
  Rng rng(StreamKey(m.seed, kRecombineStream, k));
  const size_t length = SampleDocLength(rng);
  return RecombinedProse(m.source.prose, rng, length);
}

void Stats::CountVariant(const Variant& variant, bool is_copy) {
  const double jaccard = variant.jaccard.Value();
  if (is_copy) {
    ++copies;
    copy_min = std::min(copy_min, jaccard);
    copy_sum += jaccard;
    for (size_t e = 0; e < std::size(kEditNames); ++e) {
      edit_counts[e] += (variant.edits >> e) & 1;
    }
  } else if (variant.paired) {
    ++distractors;
    distractor_min = std::min(distractor_min, jaccard);
    distractor_max = std::max(distractor_max, jaccard);
  } else {
    ++unpaired_distractors;
  }
}

void Stats::CountText(std::string_view text) {
  text_bytes += text.size();
  lengths.push_back(static_cast<uint32_t>(text.size()));
}

void WriteCorpus(const Options& options, const Material& m, const Plan& plan, Stats& stats) {
  OutputFile out(options.out);
  OutputFile labels(options.labels);
  std::optional<OutputFile> pairs;
  if (!options.pairs.empty()) pairs.emplace(options.pairs);
  std::string line;
  const std::vector<std::string> templates =
      options.templated_fraction > 0 ? MakeDocTemplates(m) : std::vector<std::string>{};
  std::string templated;
  for (size_t slot = 0; slot < plan.order.size(); ++slot) {
    const DocRef ref = plan.order[slot];
    const OriginalInfo& info = plan.originals[ref.original];
    const std::string id = DocId(slot);
    const std::string original = OriginalText(m, ref.original);
    std::string label = id;
    Variant variant;
    std::string_view text = original;
    if (ref.variant == 0) {
      ++(ref.original < m.base.size() ? stats.base_originals : stats.recombined_originals);
      // Only an original without planted variants: its labels stay true,
      // and its variants are made from the text written (a trimmed or
      // extended copy of a templated original was made from the bare one).
      if (info.copies == 0 && !info.distractor && !info.trimmed && !info.extended &&
          TemplatedText(options, m, templates, slot, original, &templated)) {
        text = templated;
        ++stats.templated;
      }
    } else {
      const OriginalInfo::Kind kind = info.KindOf(ref.variant);
      const bool is_copy = kind == OriginalInfo::Kind::kCopy;
      variant = MakeVariant(m, ref, kind, original);
      text = variant.text;
      if (kind == OriginalInfo::Kind::kTrimmed) {
        ++stats.trimmed;
      } else if (kind == OriginalInfo::Kind::kExtended) {
        ++stats.extended;
      } else {
        stats.CountVariant(variant, is_copy);
      }
      const std::string original_id = DocId(info.slot);
      if (kind != OriginalInfo::Kind::kDistractor) label = original_id;
      if (pairs && variant.paired) {
        pairs->Write(original_id + '\t' + id + '\t' + KindName(kind) + '\t' +
                     FormatJaccard(variant.jaccard) + '\n');
      }
    }
    line.clear();
    line += "{\"id\": \"" + id + "\", \"text\": ";
    AppendJsonString(line, text);
    line += "}\n";
    out.Write(line);
    labels.Write(id + '\t' + label + '\n');
    stats.CountText(text);
  }
  out.Close();
  labels.Close();
  if (pairs) pairs->Close();
}

}  // namespace neardup::gen
