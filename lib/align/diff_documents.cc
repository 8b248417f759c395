// DiffDocuments: passage alignment (passage_align.cc), then a word diff
// inside each aligned group, as spans over the original bytes.
#include <algorithm>
#include <cctype>
#include <numeric>
#include <string>
#include <unordered_map>

#include "align/passage_align.h"
#include "align/word_diff.h"
#include "neardup/align.h"
#include "neardup/normalize.h"

namespace neardup {
namespace {

using internal::EditOp;
using internal::Match;
using internal::Side;

// Disjoint sets over sentence nodes (A sentences, then B sentences).
struct Sets {
  std::vector<std::uint32_t> parent;
  explicit Sets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t Find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(std::uint32_t x, std::uint32_t y) {
    x = Find(x);
    y = Find(y);
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
};

// Appends a span over tokens [first, last) of one side.
void AddSpan(const Side& side, std::uint32_t doc, SpanKind kind, std::size_t first,
             std::size_t last, std::int32_t group, std::size_t at, std::vector<DiffSpan>* out) {
  if (first >= last) return;
  const TextSpan t = side.norm.OriginalSpan(first, last);
  out->push_back(DiffSpan{doc, kind, t.begin, t.end, group, at});
}

// Appends a span over a whole sentence (when it has words).
void AddSentenceSpan(const Side& side, std::uint32_t doc, SpanKind kind, std::size_t s,
                     std::int32_t group, std::size_t at, std::vector<DiffSpan>* out) {
  if (side.first[s] == side.last[s]) return;  // no words: nothing to report
  out->push_back(DiffSpan{doc, kind, side.sentences[s].begin, side.sentences[s].end, group, at});
}

// Where each sentence of one side that has no counterpart would go in the
// other side: after the counterpart of the nearest preceding aligned
// sentence, else before that of the nearest following one, else at 0. One
// pass each way, so a long run of unaligned sentences costs no more than its
// length.
std::vector<std::size_t> Anchors(const std::vector<std::int32_t>& match,
                                 const std::vector<AlignedGroup>& groups, bool from_a,
                                 const std::vector<Sentence>& other) {
  std::vector<std::size_t> at(match.size(), 0);
  std::vector<bool> placed(match.size(), false);
  std::int32_t prev = -1;
  for (std::size_t s = 0; s < match.size(); ++s) {
    if (match[s] >= 0) {
      prev = match[s];
    } else if (prev >= 0) {
      const AlignedGroup& g = groups[static_cast<std::size_t>(prev)];
      at[s] = other[from_a ? g.b.back() : g.a.back()].end;
      placed[s] = true;
    }
  }
  std::int32_t next = -1;
  for (std::size_t s = match.size(); s-- > 0;) {
    if (match[s] >= 0) {
      next = match[s];
    } else if (!placed[s] && next >= 0) {
      const AlignedGroup& g = groups[static_cast<std::size_t>(next)];
      at[s] = other[from_a ? g.b.front() : g.a.front()].begin;
    }
  }
  return at;
}

// Detaches from group `g` a sentence that shares almost none of its words
// (under AlignOptions::detach_below) when another sentence on its side is
// mostly shared (at least half): an inserted or deleted sentence drawn into
// the group by its unchanged neighbour's context. It is then added or dropped
// on its own, rather than making the whole group a rewording. Returns true
// when it detached any. `ops` is the group's word diff, `sa` / `sb` each
// token's sentence.
bool DetachStrangers(const std::vector<EditOp>& ops, const std::vector<std::uint32_t>& sa,
                     const std::vector<std::uint32_t>& sb, const Side& a, const Side& b,
                     double detach_below, AlignedGroup* g, std::vector<std::int32_t>* a_match,
                     std::vector<std::int32_t>* b_match, std::vector<double>* b_similarity) {
  constexpr double kAnchor = 0.5;
  if (g->a.size() + g->b.size() <= 2 || detach_below <= 0) return false;
  std::unordered_map<std::uint32_t, std::size_t> equal_a, equal_b;
  std::size_t x = 0, y = 0;
  for (EditOp op : ops) {
    if (op == EditOp::kEqual) {
      ++equal_a[sa[x++]];
      ++equal_b[sb[y++]];
    } else if (op == EditOp::kDelete) {
      ++x;
    } else {
      ++y;
    }
  }
  auto detach = [detach_below](const Side& side, std::vector<std::uint32_t>* members,
                               const std::unordered_map<std::uint32_t, std::size_t>& equal,
                               std::vector<std::int32_t>* match, std::vector<double>* similarity) {
    if (members->size() < 2) return false;
    auto share = [&](std::uint32_t s) {
      const std::size_t words = side.last[s] - side.first[s];
      auto it = equal.find(s);
      return words == 0 ? 1.0
                        : static_cast<double>(it == equal.end() ? 0 : it->second) /
                              static_cast<double>(words);
    };
    bool anchored = false;
    for (std::uint32_t s : *members) anchored = anchored || share(s) >= kAnchor;
    if (!anchored) return false;
    const std::size_t before = members->size();
    std::erase_if(*members, [&](std::uint32_t s) {
      if (share(s) >= detach_below) return false;
      (*match)[s] = -1;
      if (similarity != nullptr) (*similarity)[s] = 0.0;
      return true;
    });
    return members->size() != before;
  };
  const bool from_a = detach(a, &g->a, equal_a, a_match, nullptr);
  const bool from_b = detach(b, &g->b, equal_b, b_match, b_similarity);
  return from_a || from_b;
}

// The token sequences of one aligned group and their word diff.
struct GroupTokens {
  std::vector<std::size_t> ia, ib;    // token indices, in sentence order
  std::vector<std::uint32_t> sa, sb;  // sentence of each token
  std::vector<EditOp> ops;

  void Diff(const Side& a, const Side& b, const AlignedGroup& g) {
    std::vector<std::uint64_t> ta, tb;
    ia.clear(), ib.clear(), sa.clear(), sb.clear();
    for (std::uint32_t s : g.a) {
      for (std::size_t t = a.first[s]; t < a.last[s]; ++t) {
        ta.push_back(a.hashes[t]);
        ia.push_back(t);
        sa.push_back(s);
      }
    }
    for (std::uint32_t s : g.b) {
      for (std::size_t t = b.first[s]; t < b.last[s]; ++t) {
        tb.push_back(b.hashes[t]);
        ib.push_back(t);
        sb.push_back(s);
      }
    }
    ops = internal::MyersDiff(ta, tb);
  }
};

// Marks the groups that moved: all but a heaviest chain of groups ascending
// in both B order (first B sentence) and A order (first A sentence), each
// weighing its words plus one. This is the longest common subsequence of the
// two orders of the aligned passages, weighted so that a long passage stays
// in place and the short one that changed place is the one moved. A
// weighted longest increasing subsequence: O(g log g) with a Fenwick tree
// of prefix maxima over A sentence indices. Reworded groups take no part
// and never move: a passage in other words is weak evidence of where its
// counterpart is (a revision's new sentence that resembles a deleted one
// would otherwise make the unchanged sentence between them "moved").
void MarkMoved(const std::vector<GroupTokens>& diffs, std::vector<AlignedGroup>* groups) {
  const std::size_t n = groups->size();
  if (n < 2) return;
  std::vector<std::uint32_t> order;
  for (std::uint32_t gi = 0; gi < n; ++gi) {
    if (!(*groups)[gi].reworded) order.push_back(gi);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    return (*groups)[x].b.front() < (*groups)[y].b.front();
  });
  std::uint32_t keys = 0;
  for (const AlignedGroup& g : *groups) keys = std::max(keys, g.a.front() + 1);
  struct Best {
    std::size_t weight = 0;
    std::int64_t group = -1;  // last group of the chain
  };
  auto better = [](const Best& x, const Best& y) {
    return x.weight != y.weight ? x.weight > y.weight : x.group < y.group;
  };
  std::vector<Best> tree(keys + 1);  // Fenwick tree: max over A keys [0, i)
  std::vector<std::int64_t> prev(n, -1);
  Best top;
  for (std::uint32_t gi : order) {
    const std::uint32_t key = (*groups)[gi].a.front();
    Best before;  // the best chain ending at an A key below this one
    for (std::uint32_t i = key; i > 0; i -= i & (~i + 1)) {
      if (better(tree[i], before)) before = tree[i];
    }
    prev[gi] = before.group;
    const Best mine{before.weight + diffs[gi].ia.size() + diffs[gi].ib.size() + 1, gi};
    for (std::uint32_t i = key + 1; i <= keys; i += i & (~i + 1)) {
      if (better(mine, tree[i])) tree[i] = mine;
    }
    if (better(mine, top)) top = mine;
  }
  for (std::uint32_t gi : order) (*groups)[gi].moved = true;
  for (std::int64_t gi = top.group; gi >= 0; gi = prev[static_cast<std::size_t>(gi)]) {
    (*groups)[static_cast<std::size_t>(gi)].moved = false;
  }
}

// Span kinds whose words are matched with words of the other document.
bool IsMatchedKind(SpanKind kind) {
  return kind == SpanKind::kShared || kind == SpanKind::kMoved || kind == SpanKind::kNormalized;
}

// A matched word: its bytes in A and in B (32-bit, as Token's: texts are
// below 4 GiB, CheckDiffText), and whether they are the same bytes. One per
// shared word, so kept small.
struct WordPair {
  std::uint32_t a_begin, a_end, b_begin, b_end;
  bool equal;
};

// The byte-exact script of DocDiff::edits from the matched words of groups
// in order (`anchors`, one piece per word pair; `equal` when the bytes are
// the same). Anchors that would cross an earlier one (groups whose sentences
// interleave) are left to the changes.
std::vector<EditPiece> EditScript(std::string_view a, std::string_view b,
                                  std::vector<WordPair> anchors) {
  std::stable_sort(anchors.begin(), anchors.end(),
                   [](const WordPair& x, const WordPair& y) { return x.b_begin < y.b_begin; });
  std::vector<EditPiece> out;
  std::size_t pa = 0, pb = 0;  // bytes of A and B already in the script
  auto add = [&](std::size_t a_end, std::size_t b_end, bool equal) {
    if (a_end == pa && b_end == pb) return;
    if (!out.empty() && out.back().equal == equal) {
      EditPiece& last = out.back();
      last.a_end = a_end;
      last.b_end = b_end;
      // Two changes may add up to the same bytes ("ab" -> "a", then "" -> "b").
      if (!equal && a.substr(last.a_begin, a_end - last.a_begin) ==
                        b.substr(last.b_begin, b_end - last.b_begin)) {
        last.equal = true;
        if (out.size() >= 2) {
          out[out.size() - 2].a_end = a_end;
          out[out.size() - 2].b_end = b_end;
          out.pop_back();
        }
      }
    } else {
      out.push_back(EditPiece{equal, pa, a_end, pb, b_end});
    }
    pa = a_end;
    pb = b_end;
  };
  // The bytes between two anchors: their common prefix and suffix are equal,
  // the rest a change, so a word inserted between spaces is "new " and not
  // " new " against " ". Common bytes are cut only between words (never
  // "Mon" -> "Tues" before a shared "day"), which also keeps UTF-8
  // characters whole: bytes >= 0x80 count as word bytes.
  auto gap = [&](std::size_t a_end, std::size_t b_end) {
    const std::string_view x = a.substr(pa, a_end - pa), y = b.substr(pb, b_end - pb);
    auto word = [](std::string_view t, std::size_t i) {  // false outside t
      if (i >= t.size()) return false;
      const auto c = static_cast<unsigned char>(t[i]);
      return c >= 0x80 || std::isalnum(c) != 0;
    };
    auto between_words = [&](std::size_t px, std::size_t py, bool common_before) {
      const bool common_is_word = common_before ? word(x, px - 1) : word(x, px);
      const bool x_other = common_before ? word(x, px) : px > 0 && word(x, px - 1);
      const bool y_other = common_before ? word(y, py) : py > 0 && word(y, py - 1);
      return !common_is_word || (!x_other && !y_other);
    };
    std::size_t p = 0;
    while (p < x.size() && p < y.size() && x[p] == y[p]) ++p;
    while (p > 0 && !between_words(p, p, true)) --p;
    std::size_t q = 0;
    while (q < x.size() - p && q < y.size() - p && x[x.size() - 1 - q] == y[y.size() - 1 - q]) ++q;
    while (q > 0 && !between_words(x.size() - q, y.size() - q, false)) --q;
    add(pa + p, pb + p, true);
    add(a_end - q, b_end - q, false);
    add(a_end, b_end, true);
  };
  for (const WordPair& w : anchors) {
    if (w.a_begin < pa || w.b_begin < pb) continue;
    gap(w.a_begin, w.b_begin);
    add(w.a_end, w.b_end, w.equal);
  }
  gap(a.size(), b.size());
  return out;
}

// Groups of a diff: connected components of B sentences and the A sentences
// they match; fills out->groups, a_match, b_match and b_similarity.
void GroupSentences(const Side& a, const Side& b, const std::vector<Match>& matches,
                    DocDiff* diff) {
  DocDiff& out = *diff;
  const std::size_t na = a.sentences.size();
  const std::size_t nb = b.sentences.size();
  Sets sets(na + nb);
  for (std::size_t j = 0; j < nb; ++j) {
    for (std::size_t i = matches[j].a_begin; i < matches[j].a_end; ++i) {
      sets.Union(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(na + j));
    }
  }
  out.a_match.assign(na, -1);
  out.b_match.assign(nb, -1);
  out.b_similarity.assign(nb, 0.0);
  std::unordered_map<std::uint32_t, std::int32_t> group_of_root;
  for (std::size_t j = 0; j < nb; ++j) {
    if (matches[j].a_end == 0) continue;
    const std::uint32_t root = sets.Find(static_cast<std::uint32_t>(na + j));
    auto [it, inserted] = group_of_root.emplace(root, static_cast<std::int32_t>(out.groups.size()));
    if (inserted) out.groups.emplace_back();
    AlignedGroup& g = out.groups[static_cast<std::size_t>(it->second)];
    g.b.push_back(static_cast<std::uint32_t>(j));
    g.similarity = std::max(g.similarity, matches[j].similarity);
    out.b_match[j] = it->second;
    out.b_similarity[j] = matches[j].similarity;
  }
  for (std::size_t i = 0; i < na; ++i) {
    auto it = group_of_root.find(sets.Find(static_cast<std::uint32_t>(i)));
    if (it == group_of_root.end()) continue;
    out.groups[static_cast<std::size_t>(it->second)].a.push_back(static_cast<std::uint32_t>(i));
    out.a_match[i] = it->second;
  }
}

// Each group's word diff, after detaching strangers (which may change the
// group's sentences, so the order of groups is known only after all); marks
// the groups reworded and moved.
std::vector<GroupTokens> DiffGroups(const Side& a, const Side& b, const AlignOptions& options,
                                    DocDiff* diff) {
  DocDiff& out = *diff;
  std::vector<GroupTokens> diffs(out.groups.size());
  for (std::size_t gi = 0; gi < out.groups.size(); ++gi) {
    AlignedGroup& g = out.groups[gi];
    GroupTokens& t = diffs[gi];
    t.Diff(a, b, g);
    if (DetachStrangers(t.ops, t.sa, t.sb, a, b, options.detach_below, &g, &out.a_match,
                        &out.b_match, &out.b_similarity)) {
      t.Diff(a, b, g);
    }
    const std::size_t words = t.ia.size() + t.ib.size();
    const auto equal =
        static_cast<std::size_t>(std::count(t.ops.begin(), t.ops.end(), EditOp::kEqual));
    g.word_overlap =
        words == 0 ? 1.0 : 2.0 * static_cast<double>(equal) / static_cast<double>(words);
    g.reworded = g.word_overlap < options.reworded_below;
  }
  MarkMoved(diffs, &out.groups);
  return diffs;
}

// The spans of a group that is not reworded, from its word diff `t`; its
// equal words (unless moved) appended to *anchors for the edit script.
void MatchedGroupSpans(const Side& a, const Side& b, const AlignedGroup& g, const GroupTokens& t,
                       std::int32_t group, DocDiff* diff, std::vector<WordPair>* anchors_out) {
  DocDiff& out = *diff;
  std::vector<DiffSpan>& spans = out.spans;
  std::vector<WordPair>& anchors = *anchors_out;
  // Runs of one kind within one sentence become one span per side. A run
  // also ends where the other side has an edit, so every dropped run has a
  // span boundary in B to sit at (DiffSpan::at), and every added run one in A.
  struct Run {
    SpanKind kind;
    std::size_t first, last;  // token indices
    std::uint32_t sentence;
    std::size_t at;  // position in the other side
    bool open = false;
  };
  Run run_a{}, run_b{};
  auto flush = [&](const Side& side, std::uint32_t doc, Run* run) {
    if (run->open) AddSpan(side, doc, run->kind, run->first, run->last, group, run->at, &spans);
    run->open = false;
  };
  auto extend = [&](const Side& side, std::uint32_t doc, Run* run, SpanKind kind, std::size_t token,
                    std::uint32_t sentence, std::size_t at) {
    if (run->open && (run->kind != kind || run->sentence != sentence || run->last != token)) {
      flush(side, doc, run);
    }
    if (!run->open) *run = Run{kind, token, token, sentence, at, true};
    run->last = token + 1;
  };
  auto matched = [](const Run& run) { return run.open && IsMatchedKind(run.kind); };
  std::size_t a_pos =
      t.ia.empty() ? a.sentences[g.a.front()].begin : a.norm.tokens[t.ia.front()].orig_begin;
  std::size_t b_pos =
      t.ib.empty() ? b.sentences[g.b.front()].begin : b.norm.tokens[t.ib.front()].orig_begin;
  std::size_t x = 0, y = 0;
  for (EditOp op : t.ops) {
    if (op == EditOp::kEqual) {
      const Token& ta = a.norm.tokens[t.ia[x]];
      const Token& tb = b.norm.tokens[t.ib[y]];
      const bool same_bytes = a.text.substr(ta.orig_begin, ta.orig_end - ta.orig_begin) ==
                              b.text.substr(tb.orig_begin, tb.orig_end - tb.orig_begin);
      const SpanKind kind = g.moved      ? SpanKind::kMoved
                            : same_bytes ? SpanKind::kShared
                                         : SpanKind::kNormalized;
      extend(a, 0, &run_a, kind, t.ia[x], t.sa[x], tb.orig_begin);
      extend(b, 1, &run_b, kind, t.ib[y], t.sb[y], ta.orig_begin);
      if (!g.moved)
        anchors.push_back(
            WordPair{ta.orig_begin, ta.orig_end, tb.orig_begin, tb.orig_end, same_bytes});
      a_pos = ta.orig_end;
      b_pos = tb.orig_end;
      ++x;
      ++y;
      ++(kind == SpanKind::kMoved        ? out.counts.words_moved
         : kind == SpanKind::kNormalized ? out.counts.words_normalized
                                         : out.counts.words_shared);
    } else if (op == EditOp::kDelete) {
      if (matched(run_b)) flush(b, 1, &run_b);
      // Before the next word of B, as git's word diff puts [-old-]{+new+}.
      extend(a, 0, &run_a, SpanKind::kDropped, t.ia[x], t.sa[x],
             y < t.ib.size() ? b.norm.tokens[t.ib[y]].orig_begin : b_pos);
      ++x;
      ++out.counts.words_dropped;
    } else {
      if (matched(run_a)) flush(a, 0, &run_a);
      extend(b, 1, &run_b, SpanKind::kAdded, t.ib[y], t.sb[y],
             x < t.ia.size() ? a.norm.tokens[t.ia[x]].orig_begin : a_pos);
      ++y;
      ++out.counts.words_added;
    }
  }
  flush(a, 0, &run_a);
  flush(b, 1, &run_b);
}

// The spans of the sentences no group holds: dropped from A, added in B.
void UnmatchedSentenceSpans(const Side& a, const Side& b, DocDiff* diff) {
  DocDiff& out = *diff;
  std::vector<DiffSpan>& spans = out.spans;
  const std::size_t na = a.sentences.size();
  const std::size_t nb = b.sentences.size();
  const std::vector<std::size_t> a_at = Anchors(out.a_match, out.groups, true, b.sentences);
  for (std::size_t i = 0; i < na; ++i) {
    if (out.a_match[i] >= 0) continue;
    AddSentenceSpan(a, 0, SpanKind::kDropped, i, -1, a_at[i], &spans);
    out.counts.words_dropped += a.last[i] - a.first[i];
  }
  const std::vector<std::size_t> b_at = Anchors(out.b_match, out.groups, false, a.sentences);
  for (std::size_t j = 0; j < nb; ++j) {
    if (out.b_match[j] >= 0) continue;
    AddSentenceSpan(b, 1, SpanKind::kAdded, j, -1, b_at[j], &spans);
    out.counts.words_added += b.last[j] - b.first[j];
  }
}

}  // namespace

const char* SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kShared:
      return "shared";
    case SpanKind::kAdded:
      return "added";
    case SpanKind::kDropped:
      return "dropped";
    case SpanKind::kReworded:
      return "reworded";
    case SpanKind::kMoved:
      return "moved";
    case SpanKind::kNormalized:
      return "normalized";
  }
  return "shared";
}

Status CheckDiffText(std::string_view text, const AlignOptions& options) {
  constexpr std::size_t kOffsetLimit = (std::size_t{1} << 32) - 1;  // Token offsets are 32-bit
  const std::size_t limit = std::min(options.max_text_bytes, kOffsetLimit);
  if (text.size() <= limit) return Status::OK();
  auto mib = [](std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20); };
  return Status::InvalidInput("text of " + mib(text.size()) + " MiB is longer than diff accepts (" +
                              mib(limit) + " MiB, AlignOptions::max_text_bytes)");
}

std::size_t CountWords(std::string_view text, std::size_t begin, std::size_t end) {
  const NormalizedText n = Normalize(text.substr(begin, end - begin));
  return n.tokens.size();
}

DocDiff DiffDocuments(std::string_view a_text, std::string_view b_text,
                      const AlignOptions& options) {
  Side a, b;
  internal::PrepareSide(a_text, &a);
  internal::PrepareSide(b_text, &b);
  DocDiff out;
  out.counts.words_a = a.hashes.size();
  out.counts.words_b = b.hashes.size();
  GroupSentences(a, b, internal::AlignSentences(a, b, options), &out);
  const std::vector<GroupTokens> diffs = DiffGroups(a, b, options, &out);

  std::vector<DiffSpan>& spans = out.spans;
  std::vector<WordPair> anchors;  // equal words of groups in order, in B order
  for (std::size_t gi = 0; gi < out.groups.size(); ++gi) {
    const AlignedGroup& g = out.groups[gi];
    const GroupTokens& t = diffs[gi];
    const auto group = static_cast<std::int32_t>(gi);
    if (g.reworded) {
      const std::size_t a_at = a.sentences[g.a.front()].begin;
      const std::size_t b_at = b.sentences[g.b.front()].begin;
      for (std::uint32_t s : g.a) {
        AddSentenceSpan(a, 0, SpanKind::kReworded, s, group, b_at, &spans);
      }
      for (std::uint32_t s : g.b) {
        AddSentenceSpan(b, 1, SpanKind::kReworded, s, group, a_at, &spans);
      }
      out.counts.words_reworded += t.ib.size();
      continue;
    }
    MatchedGroupSpans(a, b, g, t, group, &out, &anchors);
  }
  out.edits = EditScript(a.text, b.text, std::move(anchors));
  UnmatchedSentenceSpans(a, b, &out);
  std::sort(spans.begin(), spans.end(), [](const DiffSpan& x, const DiffSpan& y) {
    return x.doc != y.doc ? x.doc < y.doc : x.begin < y.begin;
  });
  out.a_sentences = std::move(a.sentences);
  out.b_sentences = std::move(b.sentences);
  return out;
}

}  // namespace neardup
