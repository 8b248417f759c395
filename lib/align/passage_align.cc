// Passage alignment (passage_align.h): word vectors, paragraph anchoring and
// the best A window for each B sentence; own_sections.cc then drops the
// counterparts of an outlet's own sections.
#include "align/passage_align.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "align/dot_index.h"
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

// Paragraph vectors: the sum of their sentences' vectors. One stable sort of
// all their entries per paragraph, not a merge per sentence (which is
// quadratic in a paragraph's sentences); each word's weights are still added
// in sentence order, so the sums are the same.
std::vector<Vec> Paragraphs(const Side& side, const std::vector<Vec>& v) {
  std::vector<Vec> sums;
  for (std::size_t s = 0; s < v.size();) {
    const std::size_t p = side.sentences[s].paragraph;
    Vec all;
    for (; s < v.size() && side.sentences[s].paragraph == p; ++s) {
      all.insert(all.end(), v[s].begin(), v[s].end());
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    Vec out;
    for (const auto& [h, w] : all) {
      if (!out.empty() && out.back().first == h) {
        out.back().second += w;
      } else {
        out.emplace_back(h, w);
      }
    }
    if (sums.size() <= p) sums.resize(p + 1);
    sums[p] = std::move(out);
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
// paragraph of headings only follows the paragraph after it, or when it is
// the last, its own score.
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
  // A heading paragraph follows the paragraph after it; the last one (a
  // text that is one unpunctuated line, a heading after the body) has none
  // and stands on its own score, as a body paragraph does.
  for (std::size_t q = n; q-- > 0;) {
    if (present[q] && heading[q]) filled[q] = q + 1 < n ? filled[q + 1] : score[q] >= threshold;
  }
  return filled;
}

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

// Above these many postings walked in all (the sum over a document's
// sentences, or paragraphs, of the postings of their words), dot products
// are capped (DotIndex): an exact pass over two 200 KB texts already walks
// about 10^8. Below, alignment is exact; ordinary articles are far below.
constexpr std::size_t kExactSentenceWork = std::size_t{1} << 24;
constexpr std::size_t kExactParagraphWork = std::size_t{1} << 22;

double Ratio(double dot, double norm_x, double norm_y) {
  return norm_x > 0 && norm_y > 0 ? dot / (norm_x * norm_y) : 0.0;
}

// Paragraph similarities of B to A: the cosine of every B paragraph with the
// A paragraphs it shares words with (sorted by A paragraph; the others' is
// 0), and its best cosine with a window of A paragraphs.
struct ParagraphScores {
  std::vector<std::vector<std::pair<std::size_t, double>>> sim;  // by B paragraph
  std::vector<double> best;                                      // by B paragraph
  double Similarity(std::size_t q, std::size_t p) const {
    const auto& sims = sim[q];
    auto it = std::lower_bound(sims.begin(), sims.end(), p,
                               [](const auto& x, std::size_t y) { return x.first < y; });
    return it != sims.end() && it->first == p ? it->second : 0.0;
  }
};

ParagraphScores ScoreParagraphs(const Side& a, const Side& b, const std::vector<Vec>& av,
                                const std::vector<Vec>& bv, std::size_t w_max) {
  std::vector<std::size_t> starts;
  const std::vector<Vec> ap = Paragraphs(a, av);
  const std::vector<Vec> bp = Paragraphs(b, bv);
  const std::vector<std::vector<double>> apw = WindowNorms(ap, w_max);
  DotIndex par_index(ap);
  par_index.set_exact(ExactWithin(par_index, bp, kExactParagraphWork));
  ParagraphScores out;
  std::vector<std::vector<std::pair<std::size_t, double>>>& par_sim = out.sim;
  par_sim.resize(bp.size());
  std::vector<double>& par_best = out.best;
  par_best.assign(bp.size(), 0);
  SparseRow row{std::vector<double>(ap.size(), 0.0), {}};
  for (std::size_t q = 0; q < bp.size(); ++q) {
    par_index.Row(bp[q], q * ap.size() / bp.size(), &row);
    const double norm_q = std::sqrt(Dot(bp[q], bp[q]));
    for (std::size_t p : row.touched) {
      par_sim[q].emplace_back(p, Ratio(row.dot[p], norm_q, apw[p][0]));
    }
    starts.clear();
    WindowStarts(row.touched, w_max, &starts);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (std::size_t p : starts) {
      double dot = 0;
      for (std::size_t w = 0; w < apw[p].size(); ++w) {
        dot += row.dot[p + w];
        par_best[q] = std::max(par_best[q], Ratio(dot, norm_q, apw[p][w]));
      }
    }
    row.Clear();
  }
  return out;
}

// Best A window for every B sentence, before the thresholds (similarity 0
// and an empty window when none scores); *a_best_out gets each A sentence's
// best score against a B window (AlignOptions::relative). `score` mixes a
// pair's sentence cosine with their paragraphs' cosine (weight
// AlignOptions::context): a paraphrase shares few words with its source
// sentence, but its paragraph still shares the source paragraph's names and
// numbers. A window's vector is the sum of its sentences', so its dot product
// with anything is the sum of theirs.
template <typename ScoreFn>
std::vector<Match> BestWindows(const std::vector<Vec>& av, const std::vector<Vec>& bv,
                               std::size_t w_max, const ScoreFn& score,
                               std::vector<double>* a_best_out) {
  const std::vector<std::vector<double>> aw = WindowNorms(av, w_max);
  const std::vector<std::vector<double>> bw = WindowNorms(bv, w_max);
  const std::size_t na = av.size();
  const std::size_t nb = bv.size();
  std::vector<std::size_t> starts;
  // rows[(j + k) % w_max] holds the dot products of B sentence j + k with the
  // A sentences, for the B windows at j. Pairs sharing no word score 0, so
  // only windows holding a touched A sentence are scored.
  DotIndex sentence_index(av);
  sentence_index.set_exact(ExactWithin(sentence_index, bv, kExactSentenceWork));
  std::vector<SparseRow> rows(w_max, SparseRow{std::vector<double>(na, 0.0), {}});
  std::vector<Match> best(nb);
  std::size_t last_j = 0, last_a = 0;  // the last aligned B sentence and its A window's end
  // Where in A sentence j's counterpart likely is: right after the last
  // aligned window (its end is exclusive), one sentence further for every
  // B sentence since. REQUIRES: j > last_j once a sentence has aligned.
  auto near = [&](std::size_t j) {
    return last_a > 0 ? last_a + (j - last_j - 1) : j * na / std::max<std::size_t>(nb, 1);
  };
  for (std::size_t k = 0; k < w_max && k < nb; ++k) sentence_index.Row(bv[k], near(k), &rows[k]);
  std::vector<double>& a_best = *a_best_out;
  a_best.assign(na, 0);
  for (std::size_t j = 0; j < nb; ++j) {
    const SparseRow& cur = rows[j % w_max];
    auto later = [&](std::size_t w) -> const SparseRow& { return rows[(j + w) % w_max]; };
    starts.clear();
    WindowStarts(cur.touched, w_max, &starts);
    for (std::size_t w = 1; w < bw[j].size(); ++w) {
      starts.insert(starts.end(), later(w).touched.begin(), later(w).touched.end());
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    const std::size_t expected = near(j);
    auto distance = [expected](std::size_t i) {
      return i > expected ? i - expected : expected - i;
    };
    for (std::size_t i : starts) {
      double dot = 0;
      for (std::size_t w = 0; w < aw[i].size(); ++w) {
        dot += cur.dot[i + w];
        const double sim = score(Ratio(dot, bw[j][0], aw[i][w]), j, i);
        // Prefer the smaller window on ties: a merge must earn its extra
        // sentence. Between windows of one size, prefer the one nearest where
        // the previous sentences aligned: of a passage repeated word for
        // word, each copy aligns with its own counterpart, not all with the first.
        // (Windows are visited by start, so a larger window starting earlier
        // can come first: a smaller one that ties replaces it.)
        Match& m = best[j];
        const std::size_t size = w + 1, best_size = m.a_end - m.a_begin;
        if (sim > m.similarity + 1e-12) {
          m = Match{i, i + size, sim};
        } else if (sim > 0 && sim >= m.similarity - 1e-12 &&
                   (size < best_size || (size == best_size && distance(i) < distance(m.a_begin)))) {
          m = Match{i, i + size, sim};
        }
      }
      double bdot = 0;
      for (std::size_t w = 0; w < bw[j].size(); ++w) {
        bdot += later(w).dot[i];
        a_best[i] = std::max(a_best[i], score(Ratio(bdot, bw[j][w], aw[i][0]), j, i));
      }
    }
    if (best[j].a_end > 0) {
      last_j = j;
      last_a = best[j].a_end;
    }
    rows[j % w_max].Clear();
    if (j + w_max < nb) sentence_index.Row(bv[j + w_max], near(j + w_max), &rows[j % w_max]);
  }
  return best;
}

// Drops each B sentence's window below the thresholds: AlignOptions::threshold
// in an anchored paragraph, strong_threshold elsewhere, and `relative` of
// the best score its A sentences reach.
void ApplyThresholds(const Side& a, const Side& b, const std::vector<double>& a_best,
                     const std::vector<bool>& anchored, const AlignOptions& options,
                     std::vector<Match>* best_out) {
  std::vector<Match>& best = *best_out;
  for (std::size_t j = 0; j < best.size(); ++j) {
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
}

}  // namespace

std::vector<Match> AlignSentences(const Side& a, const Side& b, const AlignOptions& options) {
  const std::unordered_map<std::uint64_t, double> idf = Weights(a, b, options.stats);
  std::vector<Vec> av(a.sentences.size()), bv(b.sentences.size());
  for (std::size_t s = 0; s < av.size(); ++s) av[s] = SentenceVector(a, s, idf);
  for (std::size_t s = 0; s < bv.size(); ++s) bv[s] = SentenceVector(b, s, idf);
  const auto w_max = static_cast<std::size_t>(std::max(1, options.max_window));
  const ParagraphScores paragraphs = ScoreParagraphs(a, b, av, bv, w_max);
  const std::vector<bool> heading = HeadingParagraphs(b);
  const std::vector<bool> anchored =
      AnchorParagraphs(b, paragraphs.best, heading, options.passage_threshold);
  const double lambda = std::clamp(options.context, 0.0, 1.0);
  auto score = [&](double sentence, std::size_t j, std::size_t i) {
    if (sentence < options.sentence_floor) return 0.0;  // the paragraph alone is not enough
    return (1 - lambda) * sentence +
           lambda * paragraphs.Similarity(b.sentences[j].paragraph, a.sentences[i].paragraph);
  };
  std::vector<double> a_best;  // best score of each A sentence, for `relative`
  std::vector<Match> best = BestWindows(av, bv, w_max, score, &a_best);
  ApplyThresholds(a, b, a_best, anchored, options, &best);
  DropOwnSections(a, b, heading, options, &best);
  return best;
}

}  // namespace neardup::internal
