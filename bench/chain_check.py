#!/usr/bin/env python3
"""Checks clusters.jsonl against exact Jaccard, independently of neardup's code.

  chain_check.py [--center] CLUSTERS.jsonl DOCS THRESHOLD

DOCS is the JSONL input ("id" and "text" fields) or a directory of text
files (ids are paths relative to it).

For every member of every cluster, the exact Jaccard of its word 5-gram set
with its representative's: words as neardup's normalization makes them
(NFKC, case folding, maximal runs of letters and digits), computed here in
Python. Prints the clusters, the members checked, and every member below
THRESHOLD (with its Jaccard), and exits 1 when there is one.

Then, for every cluster, its best center: the member within THRESHOLD of the
most others (ties: the first listed, the representative first), found from
every pair's exact Jaccard; it prints the members below THRESHOLD against
their cluster's best center. With --center it exits 1 when there is one of
those instead (the chain guard's promise: every member within the threshold
of one center, which need not be the kept document).
"""
import json
import os
import sys
import unicodedata

def is_cjk(ch):
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or
            0xF900 <= o <= 0xFAFF or 0x3040 <= o <= 0x30FF)


def words_of(text):
    """Maximal runs of letters, combining marks and digits; Han ideographs and
    kana one character each."""
    words, cur = [], []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if is_cjk(ch):
            if cur:
                words.append("".join(cur))
                cur = []
            words.append(ch)
        elif unicodedata.category(ch)[0] in "LMN":
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return words


def shingles(text, n=5):
    words = words_of(text)
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def main():
    args = sys.argv[1:]
    by_center = "--center" in args
    args = [a for a in args if a != "--center"]
    clusters_path, docs_path, threshold = args[0], args[1], float(args[2])
    clusters = [json.loads(line) for line in open(clusters_path)]
    wanted = {m["id"] for c in clusters for m in c["members"]}
    texts = {}
    if os.path.isdir(docs_path):
        for i in wanted:
            with open(os.path.join(docs_path, i), encoding="utf-8", errors="replace") as f:
                texts[i] = f.read()
    else:
        for line in open(docs_path):
            d = json.loads(line)
            if d["id"] in wanted:
                texts[d["id"]] = d["text"]
    members = below = 0
    lowest = 1.0
    center_below = 0
    center_lowest = 1.0
    for c in clusters:
        sets = [shingles(texts[m["id"]]) for m in c["members"]]
        n = len(sets)
        jac = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                u = sets[i] | sets[j]
                jac[i][j] = jac[j][i] = len(sets[i] & sets[j]) / len(u) if u else 1.0
        within = [sum(1 for j in range(n) if j != i and jac[i][j] >= threshold) for i in range(n)]
        center = max(range(n), key=lambda i: (within[i], -i))
        for j in range(n):
            if j == center:
                continue
            center_lowest = min(center_lowest, jac[center][j])
            if jac[center][j] < threshold:
                center_below += 1
                print("below center: cluster %d %s vs %s: %.4f" %
                      (c["cluster"], c["members"][j]["id"], c["members"][center]["id"],
                       jac[center][j]))
        rep = shingles(texts[c["representative"]])
        for m in c["members"]:
            if m["id"] == c["representative"]:
                continue
            s = shingles(texts[m["id"]])
            j = len(rep & s) / len(rep | s) if rep | s else 1.0
            members += 1
            lowest = min(lowest, j)
            if j < threshold:
                below += 1
                print("below: cluster %d %s vs %s: %.4f (estimate %.4f)" %
                      (c["cluster"], m["id"], c["representative"], j, m["similarity"]))
    print("%d clusters, %d members checked, %d below %.2f, lowest exact Jaccard %.4f" %
          (len(clusters), members, below, threshold, lowest if members else float("nan")))
    print("against each cluster's best center: %d below %.2f, lowest exact Jaccard %.4f" %
          (center_below, threshold, center_lowest if members else float("nan")))
    return 1 if (center_below if by_center else below) else 0


if __name__ == "__main__":
    sys.exit(main())
