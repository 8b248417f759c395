#include "variants.h"

#include <cmath>
#include <optional>
#include <utility>

#include "cut.h"
#include "edits.h"
#include "text.h"

namespace neardup::gen {
namespace {

// Copy edits at full strength; the strength search scales them down.
constexpr double kMaxWordEditRate = 0.05;     // edits per word
constexpr double kMaxBoilerplateShare = 0.4;  // boilerplate words per word

// Searching an edit strength for a target Jaccard.
constexpr int kMaxSearchAttempts = 6;
constexpr double kTargetTolerance = 0.02;

struct CopyPlan {
  double target = 1;  // the Jaccard that the strength search aims at
  bool edit_words = false;
  uint64_t words_key = 0;
  const SiteTemplate* site = nullptr;  // none: no boilerplate
  unsigned placement = 0;
  Quotes quotes = Quotes::kKeep;  // changed at any strength above 0
  bool upper_case = false;
  uint64_t case_key = 0;
  size_t wrap_width = 0;  // 0: lines kept
  bool double_spaces = false;
  bool trailing_spaces = false;
  uint64_t spaces_key = 0;
  bool crlf = false;
};

// Draws which edits a copy gets. The odds are a judgement of a plausible mix
// of scraped and re-published copies.
CopyPlan DrawCopyPlan(const std::vector<SiteTemplate>& sites, Rng& rng) {
  CopyPlan plan;
  // Integer draw and one division: exact, so the same everywhere.
  plan.target = static_cast<double>(8500 + rng.Below(1501)) / 10000;
  plan.edit_words = rng.Chance(0.8);
  plan.words_key = rng.Next();
  if (rng.Chance(0.5)) {
    plan.site = &sites[rng.Below(sites.size())];
    plan.placement = static_cast<unsigned>(1 + rng.Below(3));
  }
  if (rng.Chance(0.3)) {
    plan.quotes = rng.Chance(0.8) ? Quotes::kCurly : Quotes::kStraight;
  }
  plan.upper_case = rng.Chance(0.3);
  plan.case_key = rng.Next();
  if (rng.Chance(0.25)) plan.wrap_width = 60 + rng.Below(41);
  plan.double_spaces = rng.Chance(0.2);
  plan.trailing_spaces = rng.Chance(0.2);
  plan.spaces_key = rng.Next();
  plan.crlf = rng.Chance(0.3);
  return plan;
}

// The copy at an edit strength in [0, 1]; strength 0 changes no token.
Variant RenderCopy(const Source& source, std::string_view original, size_t original_words,
                   const CopyPlan& plan, double strength) {
  Variant copy;
  copy.text = original;
  std::string& text = copy.text;
  size_t word_edits = 0;
  if (plan.edit_words && strength > 0) {
    text = EditWords(original, source.vocabulary, plan.words_key, strength * kMaxWordEditRate,
                     word_edits);
  }
  if (word_edits > 0) copy.edits |= kWordEdits;
  if (plan.quotes != Quotes::kKeep && strength > 0) {
    text = ChangeQuotes(text, plan.quotes);
    copy.edits |= kQuoteChange;
  }
  if (plan.upper_case) {
    UpperCase(text, plan.case_key);
    copy.edits |= kCaseChange;
  }
  const auto budget =
      static_cast<size_t>(strength * kMaxBoilerplateShare * static_cast<double>(original_words));
  if (plan.site && AddBoilerplate(text, *plan.site, plan.placement, budget)) {
    copy.edits |= kBoilerplate;
  }
  if (plan.wrap_width > 0) {
    text = Rewrap(text, plan.wrap_width);
    copy.edits |= kRewrapped;
  }
  if (plan.double_spaces) {
    text = DoubleSpaces(text, plan.spaces_key);
    copy.edits |= kDoubledSpaces;
  }
  if (plan.trailing_spaces) {
    text = AddTrailingSpaces(text, plan.spaces_key);
    copy.edits |= kTrailingSpaces;
  }
  if (plan.crlf) {
    text = ToCrlf(text);
    copy.edits |= kCrlf;
  }
  return copy;
}

// A render parameter x and the Jaccard that it gave (or is assumed to give).
struct Probe {
  double x;
  double jaccard;
};

// Searches the render parameter x in [0, 1] for the rendering whose Jaccard
// with the original is nearest `target` among the `acceptable` ones, starting
// at `x` within the bracket (`below`, `above`) of target. The Jaccard must move
// monotonically with x. Each product is divided before it is added, so fused
// multiply-adds round alike and every platform takes the same steps.
template <typename Render, typename Acceptable>
std::optional<Variant> SearchTarget(const Render& render, const ShingleSet& original, double target,
                                    Probe below, Probe above, double x,
                                    const Acceptable& acceptable) {
  std::optional<Variant> best;
  for (int attempt = 0; attempt < kMaxSearchAttempts; ++attempt) {
    Variant variant = render(x);
    variant.jaccard = Compare(original, Shingles(variant.text));
    const double jaccard = variant.jaccard.Value();
    const double miss = std::abs(jaccard - target);
    const bool ok = acceptable(variant.jaccard);
    if (ok && (!best || miss < std::abs(best->jaccard.Value() - target))) {
      best = std::move(variant);
    }
    if (ok && miss <= kTargetTolerance) break;
    (jaccard < target ? below : above) = {x, jaccard};
    const double width = std::abs(above.x - below.x);
    if (width < 1.0 / 32) break;
    // A secant step between the bracket's ends, or its middle where the
    // secant would only crawl along one end.
    x = below.x + (above.x - below.x) * (target - below.jaccard) / (above.jaccard - below.jaccard);
    if (std::abs(x - below.x) < width / 8 || std::abs(x - above.x) < width / 8) {
      x = (below.x + above.x) / 2;
    }
  }
  return best;
}

enum class DistractorKind { kInterleave, kSentencePrefix, kWordPrefix };

// About `bytes` of other prose for a distractor, recombined from several
// places so that no other document shares much of it; the same for the same
// key and size.
std::string Filler(std::string_view prose, uint64_t key, size_t bytes) {
  if (bytes == 0) return "";
  Rng rng(key);
  return RecombinedProse(prose, rng, bytes);
}

// The original's sentences, each kept with probability `keep` and otherwise
// replaced by a sentence of other prose.
std::string InterleaveSentences(std::string_view original, std::string_view prose, uint64_t key,
                                double keep) {
  const std::vector<std::string_view> ours = SplitSentences(original);
  std::vector<bool> kept(ours.size());
  size_t replaced_bytes = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    kept[i] = UnitAt(key, i) < keep;
    if (!kept[i]) replaced_bytes += ours[i].size();
  }
  const std::string filler = Filler(prose, key, replaced_bytes);
  const std::vector<std::string_view> theirs = SplitSentences(filler);
  std::string out;
  out.reserve(original.size() + original.size() / 4);
  size_t next = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (kept[i]) {
      out += ours[i];
      continue;
    }
    out += Trim(theirs[next++ % theirs.size()]);
    out += IsSpace(ours[i].back()) ? ours[i].back() : ' ';
  }
  return std::string(Trim(out));
}

// The original's first `keep` share, cut at a sentence or word boundary, then
// other prose up to the original's length.
std::string PrefixThenFiller(std::string_view original, std::string_view prose, uint64_t key,
                             double keep, BreakTest boundary) {
  const auto ideal = static_cast<size_t>(keep * static_cast<double>(original.size()));
  const size_t cut = NearestBreak(original, 1, ideal, original.size(), boundary).value_or(0);
  std::string out(Trim(original.substr(0, cut)));
  if (!out.empty()) out += '\n';
  out += Filler(prose, key, original.size() - cut);
  return out;
}

}  // namespace

Variant MakeCopy(const Source& source, const std::vector<SiteTemplate>& sites,
                 std::string_view original, const ShingleSet& shingles, Rng& rng) {
  const CopyPlan plan = DrawCopyPlan(sites, rng);
  const size_t words = CountTokens(original);
  auto render = [&](double strength) {
    return RenderCopy(source, original, words, plan, strength);
  };
  // Strength 0 changes no token (Jaccard 1); full strength is tried first, as
  // the only one that weak plans can use, and assumed to reach 0 until then.
  std::optional<Variant> copy = SearchTarget(render, shingles, plan.target, /*below=*/{1, 0},
                                             /*above=*/{0, 1}, /*x=*/1, IsCopyJaccard);
  if (!copy) {
    copy = render(0);
    copy->jaccard = Compare(shingles, Shingles(copy->text));
  }
  // When every drawn edit happened to change nothing, trailing spaces make
  // the copy differ from its original all the same.
  if (copy->text == original) {
    copy->text = AddTrailingSpaces(copy->text, plan.spaces_key);
    copy->edits |= kTrailingSpaces;
  }
  return *copy;
}

// Word-level cuts, and then unrelated prose, are fallbacks only for originals
// too short or too space-less for the range to be met.
Variant MakeDistractor(std::string_view prose, std::string_view original,
                       const ShingleSet& shingles, Rng& rng) {
  const double target = static_cast<double>(2500 + rng.Below(2001)) / 10000;
  const uint64_t key = rng.Next();
  const DistractorKind first =
      rng.Chance(0.5) ? DistractorKind::kInterleave : DistractorKind::kSentencePrefix;
  for (const DistractorKind kind : {first, DistractorKind::kWordPrefix}) {
    auto render = [&](double keep) {
      Variant distractor;
      switch (kind) {
        case DistractorKind::kInterleave:
          distractor.text = InterleaveSentences(original, prose, key, keep);
          break;
        case DistractorKind::kSentencePrefix:
          distractor.text = PrefixThenFiller(original, prose, key, keep, IsSentenceBreak);
          break;
        case DistractorKind::kWordPrefix:
          distractor.text = PrefixThenFiller(original, prose, key, keep, IsWordBreak);
          break;
      }
      return distractor;
    };
    // Keeping nothing gives about 0, keeping everything 1.
    if (std::optional<Variant> distractor =
            SearchTarget(render, shingles, target, /*below=*/{0, 0},
                         /*above=*/{1, 1}, /*x=*/0.5, IsDistractorJaccard)) {
      return *distractor;
    }
  }
  Variant unrelated;
  unrelated.text = Filler(prose, key, original.size());
  unrelated.jaccard = Compare(shingles, Shingles(unrelated.text));
  unrelated.paired = false;
  return unrelated;
}

namespace {

// The position of the first whitespace byte at or after `at` (or the end).
size_t SpaceAtOrAfter(std::string_view text, size_t at) {
  while (at < text.size() && !IsSpace(text[at])) ++at;
  return at;
}

}  // namespace

Variant MakeTrimmed(std::string_view original, const ShingleSet& shingles, Rng& rng,
                    uint64_t max_cut) {
  // Integer draws and one division: the same everywhere.
  const double cut_share = static_cast<double>(30 + rng.Below(max_cut - 30 + 1)) / 100;
  const auto cut = static_cast<size_t>(cut_share * static_cast<double>(original.size()));
  const unsigned where = static_cast<unsigned>(rng.Below(3));  // 0 end, 1 start, 2 middle
  size_t begin = 0;                                            // the cut stretch [begin, end)
  if (where == 0) {
    begin = original.size() - cut;
  } else if (where == 2) {
    begin = static_cast<size_t>(rng.Below(original.size() - cut + 1));
  }
  begin = SpaceAtOrAfter(original, begin);
  const size_t end = SpaceAtOrAfter(original, std::min(original.size(), begin + cut));
  Variant v;
  v.text =
      std::string(Trim(std::string(original.substr(0, begin)) + std::string(original.substr(end))));
  v.jaccard = Compare(shingles, Shingles(v.text));
  return v;
}

Variant MakeExtended(std::string_view prose, std::string_view original, const ShingleSet& shingles,
                     Rng& rng, uint64_t max_added) {
  const double added_share = static_cast<double>(50 + rng.Below(max_added - 50 + 1)) / 100;
  const auto added = static_cast<size_t>(added_share * static_cast<double>(original.size()));
  const unsigned where = static_cast<unsigned>(rng.Below(3));  // 0 after, 1 before, 2 both
  Variant v;
  if (where == 0) {
    v.text = std::string(original) + "\n" + RecombinedProse(prose, rng, added);
  } else if (where == 1) {
    v.text = RecombinedProse(prose, rng, added) + "\n" + std::string(original);
  } else {
    std::string before = RecombinedProse(prose, rng, added / 2);
    v.text = before + "\n" + std::string(original) + "\n" +
             RecombinedProse(prose, rng, added - added / 2);
  }
  v.jaccard = Compare(shingles, Shingles(v.text));
  return v;
}

}  // namespace neardup::gen
