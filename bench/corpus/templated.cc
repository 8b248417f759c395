#include "templated.h"

#include "cut.h"
#include "random.h"

namespace neardup::gen {
namespace {

constexpr uint64_t kTemplates = 3;
constexpr size_t kTemplateBytes = 4000;  // about 600 words of prose

// Byte offsets where each whitespace-separated word of `text` starts.
std::vector<size_t> WordStarts(std::string_view text) {
  std::vector<size_t> starts;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool space = text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r';
    if (!space && !in_word) starts.push_back(i);
    in_word = !space;
  }
  return starts;
}

}  // namespace

std::vector<std::string> MakeDocTemplates(const Material& m) {
  std::vector<std::string> templates;
  for (uint64_t t = 0; t < kTemplates; ++t) {
    Rng rng(StreamKey(m.seed, kTemplatedStream, 0, t));
    templates.push_back(RecombinedProse(m.source.prose, rng, kTemplateBytes));
  }
  return templates;
}

bool TemplatedText(const Options& options, const Material& m,
                   const std::vector<std::string>& templates, uint64_t slot,
                   std::string_view content, std::string* out) {
  if (options.templated_fraction <= 0 || templates.empty()) return false;
  Rng rng(StreamKey(m.seed, kTemplatedStream, 1, slot));
  if (!(rng.Unit() < options.templated_fraction)) return false;
  const std::string& frame = templates[rng.Below(templates.size())];
  const std::vector<size_t> frame_words = WordStarts(frame);
  const std::vector<size_t> words = WordStarts(content);
  // Content of 10-90% of the template's words (all of it when shorter).
  const auto target =
      static_cast<size_t>(static_cast<double>(frame_words.size()) * (0.1 + 0.8 * rng.Unit()));
  const size_t cut = target < words.size() ? words[target] : content.size();
  const size_t split = frame_words[frame_words.size() * 3 / 5];
  out->assign(frame, 0, split);
  out->append(content.substr(0, cut));
  out->append("\n\n");
  out->append(frame, split);
  return true;
}

}  // namespace neardup::gen
