// A document's sentences, its lead and its words marked as names or numbers.
#include "neardup/align.h"
#include "story/story_text_steps.h"

namespace neardup::internal::story_text {

void Segment(std::string_view original, std::span<const Word> words, const StoryOptions& options,
             Segments* out) {
  out->spans.clear();
  out->words.clear();
  out->marked.clear();
  std::size_t w = 0;
  int lead = 0;  // sentences of the lead seen
  out->lead_words = options.lead_sentences > 0 ? static_cast<std::uint32_t>(words.size()) : 0;
  for (const Sentence& s : SegmentSentences(original)) {
    while (w < words.size() && words[w].orig_begin < s.begin) ++w;
    const std::size_t first = w;
    while (w < words.size() && words[w].orig_begin < s.end) ++w;
    if (w == first) continue;
    for (std::size_t i = first; i < w; ++i) {
      const Word& word = words[i];
      if ((word.number && word.digits >= 2 && !word.year) || (word.capital && i != first)) {
        out->marked.push_back(static_cast<std::uint32_t>(i));
      }
    }
    if (++lead == options.lead_sentences) out->lead_words = static_cast<std::uint32_t>(w);
    out->spans.push_back(TextSpan{s.begin, s.end});
    out->words.emplace_back(static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(w));
  }
}

}  // namespace neardup::internal::story_text
