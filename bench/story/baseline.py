#!/usr/bin/env python3
"""The story level's baseline: TF-IDF cosine + average-linkage clustering.

    bench/story/baseline.py DIR [--thresholds 0.2,0.25,...] [--clusters-dir OUT]

DIR holds docs.jsonl, labels.story.tsv and optionally labels.topic.tsv.
Words: neardup's tokens (NFKC + case fold); weights (1 + ln tf) x idf with
idf from the shipped Wikipedia background blended with the set's own counts,
exactly as the story level blends them (lib/story/rarity.cc); similarity:
cosine; clusters: average linkage (UPGMA) cut at each threshold. Prints one
line per threshold: pairwise P/R/F1, B-cubed F1, wrongly joined same-topic
pairs, largest cluster. With --clusters-dir, writes OUT/baseline-T.jsonl for
`neardup eval`. Python 3 stdlib only (libxxhash through ctypes for the
background's word hashes).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import storylib  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("dir")
    ap.add_argument("--thresholds", default="0.15,0.20,0.25,0.30,0.35,0.40")
    ap.add_argument("--linkage", choices=["average", "single"], default="average")
    ap.add_argument("--no-background", action="store_true")
    ap.add_argument("--clusters-dir")
    args = ap.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]

    ids, texts, _, story, topic = storylib.read_set(args.dir)
    toks = [storylib.tokens(t) for t in texts]
    bg = None if args.no_background else storylib.Background()
    rarity = storylib.Rarity(toks, bg)
    vectors = [storylib.tfidf_vector(t, rarity) for t in toks]
    sim = storylib.cosine_matrix(vectors)
    merges = storylib.average_linkage(sim, min(thresholds)) if args.linkage == "average" else None

    name = os.path.basename(os.path.normpath(args.dir))
    print(f"# baseline tfidf+{args.linkage} on {name}: {len(ids)} docs, "
          f"{len(set(story.values()))} stories, lambda {rarity.lam:.4f}")
    print("method           T     P       R       F1      B3-F1   same-topic-wrong  largest")
    for t in thresholds:
        clusters = (storylib.cut(merges, len(ids), t) if merges is not None
                    else storylib.single_linkage(sim, t))
        s = storylib.evaluate(ids, clusters, story, topic)
        print(f"baseline-{args.linkage[:3]:7s} {t:.2f}  {s['P']:.4f}  {s['R']:.4f}  {s['F1']:.4f}  "
              f"{s['bF1']:.4f}  {s.get('same_topic_wrong', '-')!s:>16}  {s['largest']:>7}")
        if args.clusters_dir:
            os.makedirs(args.clusters_dir, exist_ok=True)
            storylib.clusters_jsonl(ids, clusters,
                                    os.path.join(args.clusters_dir, f"baseline-{t:.2f}.jsonl"))


if __name__ == "__main__":
    main()
