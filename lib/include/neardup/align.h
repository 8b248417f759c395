// Stage "align": what one copy of a text added, dropped and reworded.
//
// Four steps, all over the ORIGINAL bytes of the documents:
//   1. SegmentSentences cuts a text into sentences, headings and list items,
//      each a trimmed byte range with its paragraph number.
//   2. Passage alignment: every sentence of B is matched to its best
//      counterpart in A, a sentence or a window of consecutive sentences
//      (so merges and splits align), by the cosine of IDF-weighted word
//      vectors mixed with that of their paragraphs. Order is ignored, so
//      reordered and paraphrased passages align. Paragraphs of B with no
//      counterpart paragraph in A, and sections under their own heading made
//      mostly of such paragraphs, are held to a much higher bar: that is how
//      an outlet's added section stays "added" although it names the story's
//      people and places. So is a section that carries little of A: one
//      whose counterparts are out of the story's order, already carried by
//      B's body, or far shorter than it (an explainer restating the facts).
//   3. Inside each aligned group a word-level Myers diff over normalized tokens
//      (the normalize stage's words) finds shared, added and dropped words; a
//      group whose words mostly differ is reported as reworded instead.
//      Groups off the heaviest chain that keeps the order of both documents
//      are moved; words equal only after normalization are normalized.
//   4. The matched words of groups in order, and the bytes between, make a
//      byte-exact edit script from A to B (DocDiff::edits).
// Results are spans with byte offsets into the original texts.
//
//   DocDiff d = DiffDocuments(original, copy);             // A = original, B = copy
//   for (const DiffSpan& s : d.spans)                      // s.doc: 0 = A, 1 = B
//     Show(SpanKindName(s.kind), (s.doc == 0 ? original : copy).substr(s.begin, s.size()));
//   ClusterDiff c = DiffCluster(texts);                    // texts[0] = representative
//
// All functions are pure and thread-safe; results own their data and hold
// no views into the inputs.
//
// Bounds. Memory is linear in the texts (about 20 bytes per input byte with
// the CLI's allocator settings: 193 MB for two 5 MB texts) and time near
// linear on long texts (scripts/bench-diff.sh, docs/PERFORMANCE.md):
//   - The word diff of an aligned group searches at most 1,024 edits at a
//     time. A group needing more (two long unrelated passages, a text of one
//     giant unpunctuated "sentence") gets a valid script that may have more
//     edits than a shortest one: words of a heavily changed stretch may be
//     reported added and dropped although a few of them could have matched.
//   - Passage alignment is exact while it would walk fewer than 2^24
//     postings (about 200 KB of prose a side). Above that, a sentence's
//     candidates are found through its rarest words (at most 2,048 postings,
//     the 32 best by partial cosine): a sentence made only of very common
//     words ("History.") may miss a counterpart and be added or dropped.
//   - Texts longer than AlignOptions::max_text_bytes are refused
//     (CheckDiffText) rather than risking memory.
#ifndef NEARDUP_ALIGN_H_
#define NEARDUP_ALIGN_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "neardup/document.h"
#include "neardup/stats.h"
#include "neardup/status.h"

namespace neardup {

enum class SentenceKind {
  kSentence,  // running text ending at . ! ? … (or at the end of its paragraph)
  kHeading,   // a short line without final punctuation (title, section heading, site menu)
  kListItem,  // a line starting with a bullet (- * • + ·) or an enumerator (1. 2) a) (iv))
};

// "sentence", "heading" or "list item".
const char* SentenceKindName(SentenceKind kind);

struct Sentence {
  std::size_t begin = 0;        // byte range in the original text, surrounding whitespace trimmed;
  std::size_t end = 0;          //   a list item's bullet is left out, an enumerator kept
  std::uint32_t paragraph = 0;  // 0-based; paragraphs are separated by blank lines
  SentenceKind kind = SentenceKind::kSentence;
};

// Cuts `text` into sentences, in text order, never overlapping, never empty.
// A sentence ends at . ! ? or an ellipsis followed by whitespace and a word
// that does not start with a lower-case letter (closing quotes and brackets
// after the mark stay with the sentence), except after a known abbreviation
// (Mr. Dr. e.g. ...), a single initial (J. Smith, U.S.) or an enumerator.
// Decimals and times (3.5, $1.2bn, 10.30am) never end one, as the mark is not
// followed by whitespace. A segment also ends at a blank line, before a list
// item, and after a line that is short and has no final punctuation (a
// heading); other line breaks inside a paragraph are wrapped text. LF, CRLF
// and CR line ends, tabs and any UTF-8 (invalid bytes are plain characters)
// are accepted.
std::vector<Sentence> SegmentSentences(std::string_view text);

enum class SpanKind {
  kShared,    // the same words in both documents
  kAdded,     // only in the document the span belongs to (B, or a cluster member)
  kDropped,   // only in A (the representative): the other document lacks it
  kReworded,  // a passage with a counterpart in the other document, in other words
  // The same words as in the other document, in a passage whose place in the
  // order differs: its aligned group is not on a heaviest common subsequence
  // of the (not reworded) groups in A order and in B order (AlignedGroup::moved).
  kMoved,
  // The same words after normalization, in other bytes (case, NFKC forms such
  // as ligatures and full-width letters): a difference of form only, not a
  // rewording. Quotes, punctuation and whitespace between words are outside
  // every span, so they never make a word "normalized".
  kNormalized,
};

// "shared", "added", "dropped", "reworded", "moved" or "normalized".
const char* SpanKindName(SpanKind kind);

struct DiffSpan {
  std::uint32_t doc = 0;  // 0 = A (representative), 1 = B (member)
  SpanKind kind = SpanKind::kShared;
  std::size_t begin = 0;    // byte range in that document's original text: from the start of
  std::size_t end = 0;      //   the first word to the end of the last (inner punctuation included)
  std::int32_t group = -1;  // index into DocDiff::groups, -1 for added/dropped whole sentences
  // Byte offset in the OTHER document where this span's counterpart starts
  // (shared, reworded) or where its text would go (added, dropped): at the
  // start of the other side's next word (or after the last), so a renderer
  // can show a dropped span inline in B, as `git diff --word-diff` does.
  std::size_t at = 0;
  std::size_t size() const { return end - begin; }
};

// Sentences of A and B that align with each other.
struct AlignedGroup {
  std::vector<std::uint32_t> a;  // sentence indices into DocDiff::a_sentences, ascending
  std::vector<std::uint32_t> b;  // sentence indices into DocDiff::b_sentences, ascending
  double similarity = 0;         // best cosine similarity of a B sentence with its match, [0, 1]
  double word_overlap = 0;       // 2 x common words / (words in a + words in b), from the diff
  bool reworded = false;         // word_overlap < AlignOptions::reworded_below
  // Out of order: not on the heaviest chain of groups (weighted by their
  // words) that ascends both in A and in B. Its shared words are kMoved spans.
  // Reworded groups are left out of the chain and are never moved.
  bool moved = false;
};

struct DiffCounts {
  std::size_t words_a = 0;           // words in A
  std::size_t words_b = 0;           // words in B
  std::size_t words_shared = 0;      // words of B in shared spans
  std::size_t words_added = 0;       // words of B in added spans
  std::size_t words_dropped = 0;     // words of A in dropped spans
  std::size_t words_reworded = 0;    // words of B in reworded spans
  std::size_t words_moved = 0;       // words of B in moved spans (not in words_shared)
  std::size_t words_normalized = 0;  // words of B in normalized spans (not in words_shared)
};

// One piece of a byte-exact edit script from A to B: concatenating the
// pieces' A ranges gives A, their B ranges B. An equal piece has the same
// bytes on both sides; a change piece has different bytes (one side may be
// empty). Consecutive pieces never have the same `equal`.
struct EditPiece {
  bool equal = false;
  std::size_t a_begin = 0;  // byte range in A
  std::size_t a_end = 0;
  std::size_t b_begin = 0;  // byte range in B
  std::size_t b_end = 0;
};

struct DocDiff {
  std::vector<Sentence> a_sentences;
  std::vector<Sentence> b_sentences;
  std::vector<AlignedGroup> groups;  // ordered by their first B sentence
  // Every word of A and B lies in exactly one span; spans of one document do
  // not overlap. Sorted by doc, then begin. Bytes between words (spaces,
  // punctuation, bullets) may lie outside every span.
  std::vector<DiffSpan> spans;
  std::vector<std::int32_t> b_match;  // per B sentence: its group, or -1 when added
  std::vector<std::int32_t> a_match;  // per A sentence: its group, or -1 when dropped
  std::vector<double> b_similarity;   // per B sentence: score of its match (0 when added)
  // A to B as a byte-exact script whose equal pieces are the shared and
  // normalized words of groups in order (not moved, not reworded), byte for
  // byte, and the identical bytes between them. Moved and reworded passages
  // are changes (dropped where A has them, added where B has them). This is
  // what CriticMarkup output renders.
  std::vector<EditPiece> edits;
  DiffCounts counts;
};

struct AlignOptions {
  // A pair's score is (1 - context) x the cosine of the sentences' IDF-weighted
  // word vectors + context x the cosine of their paragraphs' vectors.
  // Defaults chosen on the 12 heavy rewrites of corpora/stories
  // (tests/align/corpus_test.cc): with these, 81-100% of each rewrite's
  // sentences outside its added section align, and all of the section's
  // words are reported added (with carried_below; without it, Q&A answers
  // and timelines that restate the story align, and as little as 57% is).
  // Minimum score for a B sentence, in a paragraph with a counterpart in A,
  // to align with an A sentence or window.
  double threshold = 0.13;
  // The same in a paragraph of B without a counterpart: only a sentence moved
  // nearly verbatim into B's own section aligns.
  double strong_threshold = 0.5;
  // A paragraph of B has a counterpart when the cosine of its word vector
  // with one or two consecutive paragraphs of A reaches this.
  double passage_threshold = 0.2;
  // A B sentence must also score at least this fraction of the best score its
  // A counterpart reaches with any B sentence: a related-links line that shares
  // a few names with a sentence copied verbatim elsewhere does not align.
  double relative = 0.5;
  // A section of B after its lead (from a heading to the next) is the
  // outlet's own, and keeps only counterparts reaching strong_threshold, when
  // the A sentences it alone aligns with, in the story's order, have fewer
  // words than this fraction of its own: a paraphrase keeps a passage's
  // length, an explainer restating a few facts does not. On corpora/stories
  // the story's sections carry 0.78-0.97 of their length, the outlets' own
  // 0-0.30 (passage_align.cc, DropOwnSections).
  double carried_below = 0.5;
  // Aligned groups whose word overlap is below this are reported as reworded.
  double reworded_below = 0.5;
  // A sentence sharing fewer than this share of its words with the rest of
  // its aligned group, when another sentence on its side shares at least
  // half of its own, leaves the group and is added or dropped on its own: an
  // inserted sentence drawn in by its unchanged neighbour is not a rewording
  // of it. 0 turns this off. On in-place revisions of the corpus texts
  // (tests/align/corpus_test.cc) it takes agreement with a plain word diff
  // from 44 to 46 of 48.
  double detach_below = 0.2;
  int max_window = 2;    // consecutive A sentences a B sentence may merge
  double context = 0.5;  // weight of the paragraphs' similarity in a pair's score
  // Sentences whose own cosine is below this do not pair, whatever their
  // paragraphs share (a new sentence inside a paragraph that has a counterpart).
  double sentence_floor = 0.05;
  // Word weights: IDF from this table when given (borrowed, must outlive the
  // call); otherwise IDF over the sentences of the documents being compared.
  const DocumentFrequencies* stats = nullptr;
  // Longest text DiffDocuments and DiffCluster accept (CheckDiffText): 64 MiB
  // a text takes about 2.5 GB for a pair (see Bounds above). Must stay below
  // 4 GiB, the most that byte offsets of 32 bits address.
  std::size_t max_text_bytes = std::size_t{64} << 20;
};

// OK when `text` may be diffed with `options`; InvalidInput naming its size
// and the limit when it is longer than AlignOptions::max_text_bytes (or 4 GiB).
// Callers check every text before DiffDocuments or DiffCluster.
Status CheckDiffText(std::string_view text, const AlignOptions& options = {});

// Aligns B to A and diffs the aligned groups word by word.
// REQUIRES: CheckDiffText(a, options).ok() && CheckDiffText(b, options).ok()
DocDiff DiffDocuments(std::string_view a, std::string_view b, const AlignOptions& options = {});

// Words (normalize-stage tokens) inside [begin, end) of `text`.
std::size_t CountWords(std::string_view text, std::size_t begin, std::size_t end);

struct MemberSummary {
  std::size_t words = 0;             // words in the member
  std::size_t words_shared = 0;      // words in spans shared with the representative
  std::size_t words_added = 0;       // words only the member has
  std::size_t words_dropped = 0;     // words of the representative the member lacks
  std::size_t words_reworded = 0;    // words of the member in reworded passages
  std::size_t words_moved = 0;       // words of the member in moved passages
  std::size_t words_normalized = 0;  // words the same after normalization, in other bytes
  std::size_t core_sentences = 0;    // sentences in the cluster's core
  std::size_t core_covered = 0;      // core sentences the member has (shared or reworded)
  double core_share = 0;             // core_covered / core_sentences (1 when the core is empty)
};

struct ClusterDiff {
  std::vector<Sentence> representative;  // sentences of texts[0]
  // Per representative sentence: in the core, i.e. present in at least half
  // of all the documents, the representative included (so every sentence of
  // A is core for a pair, and 2 of 4 other members must have it in a cluster
  // of 5). Sentences without words are never core.
  std::vector<bool> core;
  // members[i] diffs texts[0] (doc 0) against texts[i + 1] (doc 1).
  std::vector<DocDiff> members;
  // summaries[0] describes the representative itself (all shared), then one per member.
  std::vector<MemberSummary> summaries;
};

// Diffs every member against the representative texts[0] and finds the core.
// REQUIRES: !texts.empty(), and CheckDiffText(t, options).ok() for every text t
ClusterDiff DiffCluster(std::span<const std::string_view> texts, const AlignOptions& options = {});

// Two clusters compared through their cores: the diff of their
// representatives first[0] (doc 0) and second[0] (doc 1), as DiffCluster of
// those two would give, with only the spans inside core sentences of their
// own cluster (DiffCluster(first) for doc 0's spans, DiffCluster(second) for
// doc 1's); `core` is first's core, and the two summaries count the words of
// the spans kept and the share of first's core sentences second[0] covers.
// REQUIRES: !first.empty(), !second.empty(), and CheckDiffText(t, options).ok()
//           for every text t of both
ClusterDiff CompareClusterCores(std::span<const std::string_view> first,
                                std::span<const std::string_view> second,
                                const AlignOptions& options = {});

}  // namespace neardup

#endif  // NEARDUP_ALIGN_H_
