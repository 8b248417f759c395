#!/usr/bin/env python3
# chain_windows.py IN OUT: IN plus 60 chains of 8 windows (600 words, each 150 words
# after the previous: neighbours ~0.6 word 5-gram Jaccard, two apart ~0.33)
# of words drawn at random (seed 5) from IN's vocabulary, so that they share
# no 5-gram with IN's documents.
import json, random, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
vocab = sorted(set(" ".join(d["text"] for d in docs[::7]).split()))
rng = random.Random(5)
words = [rng.choice(vocab) for _ in range(60 * (150 * 7 + 600 + 1000))]
out = open(sys.argv[2], "w")
for d in docs: out.write(json.dumps(d) + "\n")
pos = 0
for c in range(60):
    for w in range(8):
        text = " ".join(words[pos + 150 * w: pos + 150 * w + 600])
        out.write(json.dumps({"id": "chain%02d-w%d" % (c, w), "text": text}) + "\n")
    pos += 150 * 7 + 600 + 1000
