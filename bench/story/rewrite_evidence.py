#!/usr/bin/env python3
"""Heavy revisions against independent answers: the evidence per document.

    bench/story/rewrite_evidence.py DIR [--pairs PAIRS.tsv] [--clusters C.jsonl]
    bench/story/rewrite_evidence.py --news DIR

DIR holds docs.jsonl and labels.story.tsv of a graded-rewrite set: ids
"QUESTION__KIND..." (KIND source, cut, light, heavy or indep, as
/work/lead-heldout/mkset.py and corpora/paraphrase name them; documents of
one family share a story label, independent answers stand alone).
For each heavy revision and each independent answer, its strongest link
to its question's family: word-pair containment (distinct adjacent word
pairs shared / the smaller text's), the order of the shared content words
(Kendall tau of their first positions) and the share of its names and
numbers that no other family member mentions; with PAIRS (the level's
scored pairs, "a<TAB>b<TAB>similarity" by input index, as written by the
scratch build of bench/results/2026-12-07-story-prec6-experiments.patch
with NEARDUP_DUMP_EDGES) also the level's similarity. Heavy revisions are
measured against the source, copies and light revisions; independent
answers against the whole family for the similarity and containment.
Prints one line per document and min / median / max per kind; with
CLUSTERS (`neardup cluster` output), independent answers clustered with a
member of their family also count as "joined".

With --news: for each report of a story of >= 5 reports (with >= 3 marks),
the share of its marks no other report of the story mentions (quantiles).

Tokens: lowercase alphanumeric runs; marks: a capitalised word not first
in its sentence, or a number of >= 2 digits (an approximation of the story
level's name and number features). docs/STORY_LEVEL.md, "Heavy rewrites or
independent answers", has the figures. Python 3 stdlib only.
"""

import argparse
import bisect
import collections
import json
import os
import re
import statistics

STOP = set(
    "the a an of and or in on at to for by with from as is was are were be been it its this "
    "that these those which who he she they them his her their we our you your i not but so "
    "if than then there here has have had do does did can could will would should may might "
    "also into over about after before between through during under more most such other some "
    "any all no one two very just like what when where how why each many much only".split())


def read(dir_):
    docs = [json.loads(line) for line in open(os.path.join(dir_, "docs.jsonl"))]
    labels = {}
    for line in open(os.path.join(dir_, "labels.story.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        doc, label = line.rstrip("\n").split("\t")
        labels[doc] = label
    return [d["id"] for d in docs], [d["text"] for d in docs], labels


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def word_pairs(text):
    w = words(text)
    return {(w[i], w[i + 1]) for i in range(len(w) - 1)}


def first_positions(text):
    positions = {}
    for i, w in enumerate(x for x in words(text) if x not in STOP and len(x) > 2):
        positions.setdefault(w, i)
    return positions


def marks(text):
    found = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        tokens = re.findall(r"[A-Za-z0-9]+", sentence)
        for i, w in enumerate(tokens):
            if i > 0 and w[0].isupper() and not w.isupper():
                found.add(w.lower())
            if re.fullmatch(r"\d{2,}", w):
                found.add(w)
    return found


def containment(a, b):
    return len(a & b) / max(1, min(len(a), len(b)))


def kendall(a, b):
    shared = [w for w in a if w in b]
    concordant = discordant = 0
    for i in range(len(shared)):
        for j in range(i + 1, len(shared)):
            s = (a[shared[i]] - a[shared[j]]) * (b[shared[i]] - b[shared[j]])
            concordant += s > 0
            discordant += s < 0
    return (concordant - discordant) / max(1, concordant + discordant)


def kind(doc_id):
    tail = doc_id.split("__")[-1]
    for k in ("source", "cut", "light", "heavy"):
        if k in tail:
            return k
    return "indep"


def question(doc_id):
    return doc_id.split("__")[0].split("-indep")[0]


def quantiles(values):
    v = sorted(values)
    return " ".join(f"{v[int(p * (len(v) - 1))]:.2f}" for p in (0.1, 0.25, 0.5, 0.75, 0.9))


def graded(args):
    ids, texts, labels = read(args.dir)
    similarity = collections.defaultdict(dict)
    if args.pairs:
        for line in open(args.pairs):
            a, b, s = line.split()
            similarity[int(a)][int(b)] = similarity[int(b)][int(a)] = float(s)
    pairs = [word_pairs(t) for t in texts]
    order = [first_positions(t) for t in texts]
    mark = [marks(t) for t in texts]
    size = collections.Counter(labels.get(i, i) for i in ids)
    family = collections.defaultdict(list)  # question -> family members' indices
    for i, doc in enumerate(ids):
        if size[labels.get(doc, doc)] > 1:
            family[question(doc)].append(i)
    cluster_of = {}
    if args.clusters:
        for n, line in enumerate(open(args.clusters)):
            for m in json.loads(line)["members"]:
                cluster_of[m["id"] if isinstance(m, dict) else m] = n
    rows = collections.defaultdict(list)
    for x, doc in enumerate(ids):
        k = kind(doc)
        if k not in ("heavy", "indep") or (k == "indep" and size[labels.get(doc, doc)] > 1):
            continue
        members = [y for y in family[question(doc)] if y != x]
        core = [y for y in members if kind(ids[y]) != "heavy"]
        linked = core if k == "heavy" else members
        row = (max((similarity[x].get(y, 0.0) for y in linked), default=0.0),
               max((containment(pairs[x], pairs[y]) for y in linked), default=0.0),
               max((kendall(order[x], order[y]) for y in core), default=0.0),
               len(mark[x] - set().union(*(mark[y] for y in members))) / max(1, len(mark[x])))
        rows[k].append(row)
        if k == "indep" and doc in cluster_of and any(
                cluster_of.get(ids[y]) == cluster_of[doc] for y in members):
            rows["joined"].append(row)
        print(f"{doc:48s} similarity {row[0]:.2f}  containment {row[1]:.2f}  "
              f"order {row[2]:.2f}  own marks {row[3]:.2f}")
    for k, values in sorted(rows.items()):
        for i, name in enumerate(("similarity", "containment", "order", "own marks")):
            column = [r[i] for r in values]
            print(f"{k:6s} {name:12s} min {min(column):.2f}  median "
                  f"{statistics.median(column):.2f}  max {max(column):.2f}  (n={len(column)})")


def news(args):
    ids, texts, labels = read(args.dir)
    stories = collections.defaultdict(list)
    for i, doc in enumerate(ids):
        stories[labels.get(doc, doc)].append(i)
    mark = [marks(t) for t in texts]
    own = []
    for members in stories.values():
        if len(members) < 5:
            continue
        for x in members:
            if len(mark[x]) < 3:
                continue
            rest = set().union(*(mark[y] for y in members if y != x))
            own.append(len(mark[x] - rest) / len(mark[x]))
    print(f"{len(own)} reports; own marks p10 p25 p50 p75 p90: {quantiles(own)}; "
          f"<= 0.2: {sum(o <= 0.2 for o in own) / len(own):.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--pairs")
    ap.add_argument("--clusters")
    ap.add_argument("--news", action="store_true")
    args = ap.parse_args()
    news(args) if args.news else graded(args)


if __name__ == "__main__":
    main()
