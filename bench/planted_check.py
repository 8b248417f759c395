#!/usr/bin/env python3
"""Checks gen_planted's trimmed, extended and templated documents against
what the generator promises, measured here without the generator's code.

    planted_check.py DOCS.jsonl PAIRS.tsv TRIM_MAX EXTEND_MAX TEMPLATED

TRIM_MAX and EXTEND_MAX are the --trim-max and --extend-max percentages the
corpus was made with; TEMPLATED the number of templated originals its
summary printed. Checks, with tokens as maximal runs of non-whitespace:
- trimmed (original a, copy b): b's tokens are a prefix of a's followed by
  a suffix of a's (one stretch cut at its end, start or middle); the bytes
  cut are 30% to TRIM_MAX% of a's, up to a token's length at either edge;
  every word 5-gram of b but the 4 that span the cut is one of a's;
- extended: a's tokens are one contiguous run of b's; the bytes added are
  40% to 1.5 * EXTEND_MAX% of a's (new prose comes in whole sentences, up
  to 1.5 times its target, and may fall short of a 50% target by part of
  a sentence: 44.9% seen; no upper bound for originals under 1,000 bytes,
  which one sentence can outgrow);
  every 5-gram of a is one of b's;
- templated: TEMPLATED documents in no pair share, in groups, a
  frame of over 300 tokens around their own text (same prefix and suffix,
  3 frames at most; a frame only one of them got is not seen, and
  excuses one), their own text at most 90% of the frame's
  tokens (less when the original is shorter); and among pairs of one frame,
  or more, some pairs have a 5-gram Jaccard of 0.5 or more and some less,
  the chains a low threshold makes.
Also that the draws span the ranges: some cut above 60% when TRIM_MAX is
above 65, some addition above 150% when EXTEND_MAX is above 200.
Prints a summary; exits 1 on the first failed check.
"""
import collections
import json
import sys


def shingles(tokens, n=5):
    low = [t.lower() for t in tokens]
    if len(low) < n:
        return {tuple(low)}
    return {tuple(low[i:i + n]) for i in range(len(low) - n + 1)}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def common_prefix(a, b):
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def main(docs_path, pairs_path, trim_max, extend_max, templated):
    texts = {}
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    paired = set()
    cuts, adds = [], []
    kinds = collections.Counter()
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            a, b, kind, _ = line.rstrip("\n").split("\t")
            paired.update((a, b))
            kinds[kind] += 1
            ta, tb = texts[a].split(), texts[b].split()
            la, lb = len(texts[a].encode()), len(texts[b].encode())
            if kind == "trimmed":
                p = common_prefix(ta, tb)
                rest = tb[p:]
                if rest and ta[len(ta) - len(rest):] != rest:
                    fail("%s is not a prefix and a suffix of %s" % (b, a))
                longest = max(len(t.encode()) for t in ta) + 1
                cut = (la - lb) / la
                if not (0.30 - longest / la <= cut <= trim_max / 100 + 2 * longest / la):
                    fail("%s cuts %.3f of %s" % (b, cut, a))
                cuts.append(cut)
                sa, sb = shingles(ta), shingles(tb)
                if len(sb - sa) > 4:
                    fail("%s has %d 5-grams not in %s" % (b, len(sb - sa), a))
            elif kind == "extended":
                run = " ".join(ta)
                if (" " + run + " ") not in (" " + " ".join(tb) + " "):
                    fail("%s does not hold %s whole" % (b, a))
                added = (lb - la) / la
                # A short original can get more: one whole sentence may be
                # longer than its 50-150% target (332 bytes + 297% seen).
                top = 1.5 * extend_max / 100 + 0.05 if la >= 1000 else float("inf")
                if not (0.40 <= added <= top):
                    fail("%s adds %.3f of %s" % (b, added, a))
                adds.append(added)
                if shingles(ta) - shingles(tb):
                    fail("%s lacks 5-grams of %s" % (b, a))
    if not cuts or not adds:
        fail("no trimmed or no extended pairs")
    if trim_max > 65 and max(cuts) <= 0.60:
        fail("no cut above 60%% with --trim-max %d" % trim_max)
    if extend_max > 200 and max(adds) <= 1.5:
        fail("no addition above 150%% with --extend-max %d" % extend_max)
    # Templated: documents in no pair, grouped by their first and last 40
    # tokens (the frame's: it is about 600 tokens, 60% before the document's
    # own text; recombined prose alone may share a start, not both ends).
    groups = collections.defaultdict(list)
    for i, t in texts.items():
        if i not in paired:
            tokens = t.split()
            groups[(tuple(tokens[:40]), tuple(tokens[-40:]))].append(i)
    framed = []
    jaccards = []
    for members in sorted(groups.values()):
        if len(members) < 2:
            continue
        toks = [texts[i].split() for i in members]
        head = min(common_prefix(toks[0], t) for t in toks[1:])
        tail = min(common_prefix(toks[0][::-1], t[::-1]) for t in toks[1:])
        frame = head + tail
        if frame < 300:
            continue  # two unrelated documents that happen to share a start
        for i, t in zip(members, toks):
            own = len(t) - frame
            if own > 0.9 * frame + 2:
                fail("%s: %d own tokens in a frame of %d" % (i, own, frame))
        framed.append(members)
        sets = [shingles(t) for t in toks]
        jaccards += [len(x & y) / len(x | y) for k, x in enumerate(sets) for y in sets[k + 1:]]
    count = sum(len(m) for m in framed)
    # A frame only one document got cannot be seen here: it hides that one.
    if len(framed) > 3 or not (0 <= templated - count <= 3 - len(framed)):
        fail("%d templated documents in %d frames, expected %d in at most 3" %
             (count, len(framed), templated))
    print("trimmed %d (cut %.2f-%.2f), extended %d (added %.2f-%.2f), templated %d in %d frames "
          "(pairs' Jaccard %s): ok" % (
              len(cuts), min(cuts), max(cuts), len(adds), min(adds), max(adds), count, len(framed),
              "%.3f-%.3f" % (min(jaccards), max(jaccards)) if jaccards else "none"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
