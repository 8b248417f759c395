// The sentence view of a StoryText: each sentence's numbers and weighted
// words, and the postings of each word in the sentences.
#include <algorithm>

#include "story/story_text_steps.h"

namespace neardup::internal::story_text {
namespace {

// Each distinct word's rank among the terms of *text (its own term, not its
// feature's), when the 32-bit hashes are distinct; else empty.
void RankWords(const DocWeights& doc, const StoryText& text, std::vector<std::uint32_t>* rank_of) {
  const std::vector<WeightedTerm>& sorted_terms = text.terms.terms;
  rank_of->resize(text.terms.distinct_hashes ? doc.hash.size() : 0);
  for (std::size_t id = 0; id < rank_of->size(); ++id) {
    const auto h = static_cast<std::uint32_t>(doc.hash[id]);
    (*rank_of)[id] = static_cast<std::uint32_t>(
        std::lower_bound(sorted_terms.begin(), sorted_terms.end(), h,
                         [](const WeightedTerm& t, std::uint32_t x) { return t.hash < x; }) -
        sorted_terms.begin());
  }
}

// Appends the numbers (any number word) of words[first, end) to
// out->sentence_numbers, sorted and distinct, and sets the sentence's range
// of them.
void AddSentenceNumbers(std::span<const Word> words, std::size_t first, std::size_t end,
                        StorySentence* sentence, StoryText* out) {
  const std::size_t numbers_begin = out->sentence_numbers.size();
  for (std::size_t i = first; i < end; ++i) {
    if (words[i].number) out->sentence_numbers.push_back(words[i].hash);
  }
  const auto b = out->sentence_numbers.begin() + static_cast<std::ptrdiff_t>(numbers_begin);
  std::sort(b, out->sentence_numbers.end());
  out->sentence_numbers.erase(std::unique(b, out->sentence_numbers.end()),
                              out->sentence_numbers.end());
  sentence->numbers_begin = static_cast<std::uint32_t>(numbers_begin);
  sentence->numbers_end = static_cast<std::uint32_t>(out->sentence_numbers.size());
}

// Sets out->sentences (span, numbers, mass) and out->sentence_numbers, and
// fills *postings with the sentence vectors in sentence order and, when
// `ranked`, *per_word with each distinct word's number of postings.
void SentenceVectors(std::span<const Word> words, const DocWeights& doc, const Segments& segments,
                     bool ranked, StoryText* out, SentenceBuffers* buffers) {
  std::vector<Posting>* postings = &buffers->postings;
  std::vector<std::uint32_t>* per_word = &buffers->per_word;
  const std::vector<std::uint32_t>& word_id = doc.word_id;
  // Sized for the most there can be (a posting per word; a sentence's
  // distinct words at most its words) and filled through pointers.
  postings->resize(word_id.size());
  Posting* posting = postings->data();
  per_word->assign(ranked ? doc.hash.size() : 0, 0);
  std::size_t w = 0;
  // A sentence's distinct words in increasing id (first occurrence) order,
  // without sorting them all: ids at or above `bound` first occur in this
  // sentence and come in increasing order; only the earlier ones are sorted.
  std::vector<std::uint32_t>& tf_in = buffers->tf_in;
  tf_in.assign(doc.hash.size(), 0);
  std::vector<std::uint32_t>& earlier = buffers->earlier;
  std::vector<std::uint32_t>& fresh = buffers->fresh;
  earlier.resize(word_id.size());
  fresh.resize(word_id.size());
  std::uint32_t bound = 0;  // 1 + the largest id of the words before the sentence
  out->sentences.resize(segments.spans.size());
  out->sentence_numbers.clear();
  for (std::size_t index = 0; index < out->sentences.size(); ++index) {
    const auto [first, end] = segments.words[index];
    for (; w < first; ++w) bound = std::max<std::uint32_t>(bound, word_id[w] + 1u);
    w = end;
    StorySentence& sentence = out->sentences[index];
    sentence.span = segments.spans[index];
    AddSentenceNumbers(words, first, end, &sentence, out);
    std::uint32_t* earlier_end = earlier.data();
    std::uint32_t* fresh_end = fresh.data();
    for (std::size_t i = first; i < end; ++i) {
      const std::uint32_t id = word_id[i];
      if (tf_in[id]++ == 0) *(id < bound ? earlier_end++ : fresh_end++) = id;
    }
    if (fresh_end != fresh.data()) bound = fresh_end[-1] + 1;
    std::sort(earlier.data(), earlier_end);
    // Each posting first holds the word's weight (as a float), then that
    // over the sentence vector's norm.
    Posting* const sentence_postings = posting;
    double sq = 0;
    double mass = 0;
    for (const auto& [begin, stop] :
         {std::pair(earlier.data(), earlier_end), std::pair(fresh.data(), fresh_end)}) {
      for (const std::uint32_t* at = begin; at != stop; ++at) {
        const std::uint32_t id = *at;
        const double weight = LogTf(tf_in[id]) * static_cast<double>(doc.idf[id]);
        tf_in[id] = 0;
        *posting++ = Posting{id, static_cast<std::uint32_t>(index), static_cast<float>(weight)};
        sq += weight * weight;
        mass += weight;
      }
    }
    sentence.mass = mass;
    const double norm = std::sqrt(sq);
    for (Posting* p = sentence_postings; p != posting; ++p) {
      p->weight = static_cast<float>(p->weight / norm);
      if (ranked) ++(*per_word)[p->id];
    }
  }
  postings->resize(static_cast<std::size_t>(posting - postings->data()));
  ReleaseHuge(tf_in, earlier, fresh);
}

// Postings sorted by (hash, sentence) into out->postings and
// out->term_postings, with distinct 32-bit hashes: a counting sort by the
// word's rank among the terms (sentences already in order).
void SortPostingsByRank(std::span<const Posting> postings,
                        const std::vector<std::uint32_t>& rank_of,
                        const std::vector<std::uint32_t>& per_word, StoryText* out,
                        std::vector<std::uint32_t>* next_slot) {
  // term_postings[r]: where the postings of the term ranked r begin (a
  // feature's term has none).
  std::vector<std::uint32_t>& start = out->term_postings;
  for (std::size_t id = 0; id < rank_of.size(); ++id) start[rank_of[id]] = per_word[id];
  std::uint32_t at = 0;
  for (std::uint32_t& r : start) r = std::exchange(at, at + r);
  std::vector<std::uint32_t>& next = *next_slot;  // per word: its next posting slot
  next.resize(rank_of.size());
  for (std::size_t id = 0; id < rank_of.size(); ++id) next[id] = start[rank_of[id]];
  for (const Posting& p : postings)
    out->postings[next[p.id]++] = SentencePosting{p.sentence, p.weight};
  ReleaseHuge(next);
}

// As SortPostingsByRank when hashes may collide: std::sort, whose order
// among equal hashes is what the comparisons have always seen.
void SortPostingsByHash(std::span<const Posting> postings, const DocWeights& doc, StoryText* out,
                        std::vector<HashedPosting>* buffer) {
  const std::vector<WeightedTerm>& sorted_terms = out->terms.terms;
  const std::size_t terms = sorted_terms.size();
  std::vector<HashedPosting>& sorted = *buffer;
  sorted.resize(postings.size());
  for (std::size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    sorted[i] = HashedPosting{static_cast<std::uint32_t>(doc.hash[p.id]), p.sentence, p.weight};
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
    return x.hash != y.hash ? x.hash < y.hash : x.sentence < y.sentence;
  });
  std::size_t at = 0;  // the postings of hashes below terms[k]'s
  for (std::size_t k = 0; k <= terms; ++k) {
    while (at < sorted.size() && (k == terms || sorted[at].hash < sorted_terms[k].hash)) ++at;
    out->term_postings[k] = static_cast<std::uint32_t>(at);
  }
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out->postings[i] = SentencePosting{sorted[i].sentence, sorted[i].weight};
  }
  ReleaseHuge(sorted);
}

}  // namespace

void AddSentences(std::span<const Word> words, const DocWeights& doc, const Segments& segments,
                  StoryText* out, SentenceBuffers* buffers) {
  out->numbers = Numbers(words);
  const bool ranked = out->terms.distinct_hashes;
  std::vector<std::uint32_t>& rank_of = buffers->rank_of;
  RankWords(doc, *out, &rank_of);
  const std::vector<Posting>& postings = buffers->postings;
  SentenceVectors(words, doc, segments, ranked, out, buffers);
  out->postings.resize(postings.size());
  out->term_postings.assign(out->terms.terms.size() + 1, 0);
  if (ranked) {
    SortPostingsByRank(postings, rank_of, buffers->per_word, out, &buffers->next);
  } else {
    SortPostingsByHash(postings, doc, out, &buffers->sorted);
  }
  ReleaseHuge(rank_of, buffers->postings, buffers->per_word);
}

}  // namespace neardup::internal::story_text
