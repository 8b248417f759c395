#!/usr/bin/env python3
"""Recall of planted pairs by kind, from gen_planted's --pairs file and a
clusters.jsonl: the share of (original, variant) pairs of each kind (copy,
trimmed, extended, distractor) whose two documents share a cluster.

    python3 bench/containment_recall.py PAIRS.tsv CLUSTERS.jsonl

For distractors the share is the rate of false joins among them. Pairwise
precision over the whole corpus comes from `neardup eval`.
"""
import collections
import json
import sys


def main(pairs_path, clusters_path):
    cluster_of = {}
    with open(clusters_path, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            for m in c["members"]:
                cluster_of[m["id"]] = c["cluster"]
    found = collections.Counter()
    total = collections.Counter()
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            a, b, kind, _ = line.rstrip("\n").split("\t")
            total[kind] += 1
            if a in cluster_of and cluster_of.get(a) == cluster_of.get(b):
                found[kind] += 1
    for kind in sorted(total):
        print(f"{kind:<11} {found[kind]:>6} of {total[kind]:>6} joined  ({found[kind] / total[kind]:.4f})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
