// Passage alignment (passage_align.h): word vectors, paragraph anchoring and
// the best A window for each B sentence; own_sections.cc then drops the
// counterparts of an outlet's own sections.
#include "align/passage_align.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "normalize/token_hash.h"

namespace neardup::internal {
namespace {

// Rewrites change a word's ending more often than its start ("stole",
// "stolen"; "employees", "employs"): word vectors compare the first five bytes
// of longer ASCII words (truncation stemming). Numbers and other scripts are
// kept whole.
constexpr std::size_t kStemBytes = 5;

std::string_view Stem(std::string_view token) {
  if (token.size() <= kStemBytes || token[0] < 'a' || token[0] > 'z') return token;
  for (std::size_t i = 0; i < kStemBytes; ++i) {
    if (static_cast<unsigned char>(token[i]) >= 0x80) return token;
  }
  return token.substr(0, kStemBytes);
}

}  // namespace

void PrepareSide(std::string_view text, Side* side) {
  side->text = text;
  Normalize(text, NormalizeOptions{}, &side->norm);
  side->sentences = SegmentSentences(text);
  side->hashes.resize(side->norm.tokens.size());
  side->stems.resize(side->norm.tokens.size());
  for (std::size_t t = 0; t < side->hashes.size(); ++t) {
    const std::string_view token = side->norm.TokenText(t);
    side->hashes[t] = internal::TokenHash(token, 0);
    side->stems[t] = internal::TokenHash(Stem(token), 0);
  }
  // Tokens and sentences are both in text order: one merge pass. A token is
  // in a sentence when it starts inside its byte range (words never straddle
  // a boundary: sentences end at whitespace or at the end of a line).
  const std::vector<Token>& tokens = side->norm.tokens;
  std::size_t t = 0;
  for (const Sentence& s : side->sentences) {
    while (t < tokens.size() && tokens[t].orig_begin < s.begin) ++t;
    side->first.push_back(t);
    while (t < tokens.size() && tokens[t].orig_begin < s.end) ++t;
    side->last.push_back(t);
  }
}

namespace {

// Sparse word vector: (token hash, weight) sorted by hash.
using Vec = std::vector<std::pair<std::uint64_t, double>>;

Vec SentenceVector(const Side& side, std::size_t s,
                   const std::unordered_map<std::uint64_t, double>& idf) {
  Vec v;
  for (std::size_t t = side.first[s]; t < side.last[s]; ++t) v.emplace_back(side.stems[t], 0.0);
  std::sort(v.begin(), v.end());
  Vec out;
  for (const auto& [h, w] : v) {
    const double weight = idf.at(h);
    if (!out.empty() && out.back().first == h) {
      out.back().second += weight;  // term frequency x IDF
    } else {
      out.emplace_back(h, weight);
    }
  }
  return out;
}

double Dot(const Vec& a, const Vec& b) {
  double sum = 0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      sum += a[i++].second * b[j++].second;
    }
  }
  return sum;
}

Vec Sum(const Vec& a, const Vec& b) {
  Vec out;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      out.push_back(a[i++]);
    } else if (i == a.size() || b[j].first < a[i].first) {
      out.push_back(b[j++]);
    } else {
      out.emplace_back(a[i].first, a[i].second + b[j].second);
      ++i;
      ++j;
    }
  }
  return out;
}

// IDF of every token of both sides: from the table when given, otherwise
// over the sentences of both documents (each sentence a "document"), so words
// in most sentences ("the", "said") weigh little and a sentence's specific
// names and numbers weigh most.
std::unordered_map<std::uint64_t, double> Weights(const Side& a, const Side& b,
                                                  const DocumentFrequencies* stats) {
  std::unordered_map<std::uint64_t, double> idf;  // by stem
  if (stats != nullptr) {
    for (const Side* side : {&a, &b}) {
      for (std::size_t t = 0; t < side->hashes.size(); ++t) {
        idf.emplace(side->stems[t], stats->Idf(side->hashes[t]));
      }
    }
    return idf;
  }
  std::unordered_map<std::uint64_t, std::uint32_t> df;
  std::size_t n = 0;
  for (const Side* side : {&a, &b}) {
    for (std::size_t s = 0; s < side->sentences.size(); ++s) {
      std::vector<std::uint64_t> seen(
          side->stems.begin() + static_cast<std::ptrdiff_t>(side->first[s]),
          side->stems.begin() + static_cast<std::ptrdiff_t>(side->last[s]));
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      for (std::uint64_t h : seen) ++df[h];
      ++n;
    }
  }
  for (const auto& [h, count] : df) {
    idf[h] = std::log((static_cast<double>(n) + 1) / (static_cast<double>(count) + 0.5));
  }
  return idf;
}

// A vector with its Euclidean norm.
struct Scored {
  Vec v;
  double norm = 0;
};

Scored MakeScored(Vec v) {
  const double n = std::sqrt(Dot(v, v));
  return Scored{std::move(v), n};
}

// Windows of consecutive sentences: out[i][w - 1] sums sentences i .. i+w-1.
std::vector<std::vector<Scored>> Windows(const std::vector<Vec>& v, std::size_t w_max) {
  std::vector<std::vector<Scored>> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    Vec acc;
    for (std::size_t w = 1; w <= w_max && i + w <= v.size(); ++w) {
      acc = Sum(acc, v[i + w - 1]);
      out[i].push_back(MakeScored(acc));
    }
  }
  return out;
}

// Paragraph vectors: the sum of their sentences' vectors.
std::vector<Vec> Paragraphs(const Side& side, const std::vector<Vec>& v) {
  std::vector<Vec> sums;
  for (std::size_t s = 0; s < v.size(); ++s) {
    const std::size_t p = side.sentences[s].paragraph;
    if (sums.size() <= p) sums.resize(p + 1);
    sums[p] = Sum(sums[p], v[s]);
  }
  return sums;
}

// Which paragraphs of B head a section: paragraphs made only of headings,
// and a paragraph of one short line ending in '?' or ':' ("Explainer: what
// happens next?"). Paragraphs without sentences are not headings.
std::vector<bool> HeadingParagraphs(const Side& b) {
  std::size_t n = 0;
  for (const Sentence& s : b.sentences) n = std::max<std::size_t>(n, s.paragraph + 1);
  std::vector<bool> heading(n, true), present(n, false);
  for (const Sentence& s : b.sentences) {
    present[s.paragraph] = true;
    if (s.kind != SentenceKind::kHeading) heading[s.paragraph] = false;
  }
  for (std::size_t s = 0; s < b.sentences.size(); ++s) {
    const Sentence& x = b.sentences[s];
    const bool alone = (s == 0 || b.sentences[s - 1].paragraph != x.paragraph) &&
                       (s + 1 == b.sentences.size() || b.sentences[s + 1].paragraph != x.paragraph);
    const char last = b.text[x.end - 1];
    if (alone && (last == '?' || last == ':') && b.last[s] - b.first[s] <= 8) {
      heading[x.paragraph] = true;
    }
  }
  for (std::size_t q = 0; q < n; ++q) heading[q] = heading[q] && present[q];
  return heading;
}

// Which paragraphs of B have a counterpart in A. A paragraph is anchored when
// its best cosine with a window of A paragraphs reaches `threshold`, or half
// of it between two anchored neighbours (a rewrite keeps the story's body
// together, and an added section is a run of unanchored paragraphs). A
// paragraph of headings only follows the paragraph after it.
// `score[q]` is paragraph q's best cosine with a window of A paragraphs.
std::vector<bool> AnchorParagraphs(const Side& b, const std::vector<double>& score,
                                   const std::vector<bool>& heading, double threshold) {
  const std::size_t n = score.size();
  std::vector<bool> present(n, false);
  for (const Sentence& s : b.sentences) present[s.paragraph] = true;
  std::vector<std::size_t> body;  // paragraphs with running text, in order
  for (std::size_t q = 0; q < n; ++q) {
    if (present[q] && !heading[q]) body.push_back(q);
  }
  std::vector<bool> anchored(n, false);
  for (std::size_t q : body) anchored[q] = score[q] >= threshold;
  std::vector<bool> filled = anchored;
  for (std::size_t k = 0; k < body.size(); ++k) {
    const std::size_t q = body[k];
    if (anchored[q] || score[q] < threshold / 2) continue;
    const bool before = k == 0 || anchored[body[k - 1]];
    const bool after = k + 1 == body.size() || anchored[body[k + 1]];
    if (before && after && body.size() > 1) filled[q] = true;
  }
  // An outlet's own section sits under its own heading: a section (from one
  // heading paragraph to the next) whose words are mostly in unanchored
  // paragraphs is unanchored as a whole. The text before the first heading
  // is the story's lead and is left alone.
  std::vector<std::size_t> words(n, 0);
  for (std::size_t s = 0; s < b.sentences.size(); ++s) {
    words[b.sentences[s].paragraph] += b.last[s] - b.first[s];
  }
  for (std::size_t q = 0; q < n;) {
    if (!(present[q] && heading[q])) {
      ++q;
      continue;
    }
    std::size_t end = q + 1;
    std::size_t total = 0, anchored_words = 0;
    while (end < n && !(present[end] && heading[end])) {
      total += words[end];
      anchored_words += filled[end] ? words[end] : 0;
      ++end;
    }
    if (3 * anchored_words < 2 * total) {
      for (std::size_t r = q + 1; r < end; ++r) filled[r] = false;
    }
    q = end;
  }
  for (std::size_t q = n; q-- > 0;) {
    if (present[q] && heading[q]) filled[q] = q + 1 < n && filled[q + 1];
  }
  return filled;
}

// Dot products of a query vector with every target vector at once, through
// postings (token -> targets holding it): the cost is the postings walked,
// not a merge per pair.
class DotIndex {
 public:
  explicit DotIndex(const std::vector<Vec>& targets) : size_(targets.size()) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      for (const auto& [h, w] : targets[i]) postings_[h].emplace_back(i, w);
    }
  }
  // (*row)[i] = dot(query, targets[i]).
  void Row(const Vec& query, std::vector<double>* row) const {
    row->assign(size_, 0.0);
    for (const auto& [h, w] : query) {
      auto it = postings_.find(h);
      if (it == postings_.end()) continue;
      for (const auto& [i, tw] : it->second) (*row)[i] += w * tw;
    }
  }

 private:
  std::size_t size_;
  std::unordered_map<std::uint64_t, std::vector<std::pair<std::size_t, double>>> postings_;
};

// Euclidean norms of the windows of consecutive vectors: out[i][w - 1] for
// vectors i .. i+w-1.
std::vector<std::vector<double>> WindowNorms(const std::vector<Vec>& v, std::size_t w_max) {
  std::vector<std::vector<double>> out;
  for (const std::vector<Scored>& windows : Windows(v, w_max)) {
    out.emplace_back();
    for (const Scored& x : windows) out.back().push_back(x.norm);
  }
  return out;
}

double Ratio(double dot, double norm_x, double norm_y) {
  return norm_x > 0 && norm_y > 0 ? dot / (norm_x * norm_y) : 0.0;
}

// Best A window for every B sentence (similarity 0 and an empty window when
// none clears the thresholds). A pair's score mixes the sentences' cosine
// with their paragraphs' cosine (weight AlignOptions::context): a paraphrase
// shares few words with its source sentence, but its paragraph still shares
// the source paragraph's names and numbers. A window's vector is the sum of
// its sentences', so its dot product with anything is the sum of theirs.
}  // namespace

std::vector<Match> AlignSentences(const Side& a, const Side& b, const AlignOptions& options) {
  const std::unordered_map<std::uint64_t, double> idf = Weights(a, b, options.stats);
  std::vector<Vec> av(a.sentences.size()), bv(b.sentences.size());
  for (std::size_t s = 0; s < av.size(); ++s) av[s] = SentenceVector(a, s, idf);
  for (std::size_t s = 0; s < bv.size(); ++s) bv[s] = SentenceVector(b, s, idf);
  const auto w_max = static_cast<std::size_t>(std::max(1, options.max_window));
  const std::vector<std::vector<double>> aw = WindowNorms(av, w_max);
  const std::vector<std::vector<double>> bw = WindowNorms(bv, w_max);

  // Paragraphs: cosine of every B paragraph with every A paragraph, and its
  // best cosine with a window of A paragraphs.
  const std::vector<Vec> ap = Paragraphs(a, av);
  const std::vector<Vec> bp = Paragraphs(b, bv);
  const std::vector<std::vector<double>> apw = WindowNorms(ap, w_max);
  const DotIndex par_index(ap);
  std::vector<std::vector<double>> par_sim(bp.size());
  std::vector<double> par_best(bp.size(), 0);
  std::vector<double> row;
  for (std::size_t q = 0; q < bp.size(); ++q) {
    par_index.Row(bp[q], &row);
    const double norm_q = std::sqrt(Dot(bp[q], bp[q]));
    par_sim[q].resize(ap.size());
    for (std::size_t p = 0; p < ap.size(); ++p) {
      par_sim[q][p] = Ratio(row[p], norm_q, apw[p][0]);
      double dot = 0;
      for (std::size_t w = 0; w < apw[p].size(); ++w) {
        dot += row[p + w];
        par_best[q] = std::max(par_best[q], Ratio(dot, norm_q, apw[p][w]));
      }
    }
  }
  const std::vector<bool> heading = HeadingParagraphs(b);
  const std::vector<bool> anchored =
      AnchorParagraphs(b, par_best, heading, options.passage_threshold);
  const double lambda = std::clamp(options.context, 0.0, 1.0);
  auto score = [&](double sentence, std::size_t j, std::size_t i) {
    if (sentence < options.sentence_floor) return 0.0;  // the paragraph alone is not enough
    return (1 - lambda) * sentence +
           lambda * par_sim[b.sentences[j].paragraph][a.sentences[i].paragraph];
  };

  // rows[k][i] = dot(b sentence j + k, a sentence i), for the B windows at j.
  const DotIndex sentence_index(av);
  std::vector<std::vector<double>> rows;
  for (std::size_t k = 0; k < w_max && k < bv.size(); ++k) {
    rows.emplace_back();
    sentence_index.Row(bv[k], &rows.back());
  }
  std::vector<double> a_best(av.size(), 0);  // best score of each A sentence, for `relative`
  std::vector<Match> best(bv.size());
  for (std::size_t j = 0; j < bv.size(); ++j) {
    const std::vector<double>& cur = rows[0];
    for (std::size_t i = 0; i < av.size(); ++i) {
      double dot = 0;
      for (std::size_t w = 0; w < aw[i].size(); ++w) {
        dot += cur[i + w];
        const double sim = score(Ratio(dot, bw[j][0], aw[i][w]), j, i);
        // Prefer the smaller window on ties: a merge must earn its extra sentence.
        if (sim > best[j].similarity + 1e-12) best[j] = Match{i, i + w + 1, sim};
      }
      double bdot = 0;
      for (std::size_t w = 0; w < bw[j].size(); ++w) {
        bdot += rows[w][i];
        a_best[i] = std::max(a_best[i], score(Ratio(bdot, bw[j][w], aw[i][0]), j, i));
      }
    }
    rows.erase(rows.begin());
    if (j + w_max < bv.size()) {
      rows.emplace_back();
      sentence_index.Row(bv[j + w_max], &rows.back());
    }
  }
  for (std::size_t j = 0; j < bv.size(); ++j) {
    Match& m = best[j];
    double counterpart_best = 0;
    for (std::size_t i = m.a_begin; i < m.a_end; ++i) {
      counterpart_best = std::max(counterpart_best, a_best[i]);
    }
    // A heading pairs with a heading (a new headline with the old one); with
    // running text only when nearly the same words: a section heading that
    // names the story's subject is the outlet's own.
    const bool heading_to_text = b.sentences[j].kind == SentenceKind::kHeading &&
                                 m.a_end > m.a_begin &&
                                 a.sentences[m.a_begin].kind != SentenceKind::kHeading;
    const double needed = anchored[b.sentences[j].paragraph] && !heading_to_text
                              ? options.threshold
                              : options.strong_threshold;
    if (m.similarity < needed || m.similarity < options.relative * counterpart_best) m = Match{};
  }
  DropOwnSections(a, b, heading, options, &best);
  return best;
}

}  // namespace neardup::internal
