"""Shared pieces of the story-level benchmarks (python3 stdlib only).

Reading a labelled set, tokens as neardup normalizes them, word rarity from
the shipped Wikipedia background blended with the input's own counts (as
lib/story/rarity.cc does), cosine over (1 + ln tf) x idf vectors, average-linkage
clustering cut at several thresholds, and the scores `neardup eval` reports
(pairwise and B-cubed P/R/F1, wrongly joined same-topic pairs).

A labelled set is a folder with docs.jsonl ({"id", "text"} per line) or a
docs/ folder of text files (id = file name, as corpora/stories),
labels.story.tsv and optionally labels.topic.tsv (id<TAB>label).
"""

import ctypes
import ctypes.util
import heapq
import json
import math
import os
import struct
import unicodedata
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKGROUND = os.path.join(ROOT, "data", "background", "enwiki-2015.nddf")
INPUT_WEIGHT_DOCUMENTS = 10000.0  # StoryLevelOptions::input_weight_documents


# ---------------------------------------------------------------------------
# Reading


def read_set(folder):
    """(ids, texts, extra fields per doc, story labels, topic labels or {})."""
    ids, texts, extra = [], [], []
    jsonl = os.path.join(folder, "docs.jsonl")
    if not os.path.exists(jsonl):  # a docs/ folder of text files, id = file name
        for name in sorted(os.listdir(os.path.join(folder, "docs"))):
            with open(os.path.join(folder, "docs", name), encoding="utf-8") as f:
                ids.append(name)
                texts.append(f.read())
                extra.append({})
    else:
        with open(jsonl, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                ids.append(str(d["id"]))
                texts.append(d.get("text", ""))
                extra.append({k: v for k, v in d.items() if k not in ("id", "text")})
    story = read_tsv(os.path.join(folder, "labels.story.tsv"))
    topic_path = os.path.join(folder, "labels.topic.tsv")
    topic = read_tsv(topic_path) if os.path.exists(topic_path) else {}
    return ids, texts, extra, story, topic


def read_tsv(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            k, v = line.split("\t", 1)
            out[k] = v
    return out


# ---------------------------------------------------------------------------
# Tokens: a word is a maximal run of letters, marks and digits, folded with
# NFKC and case folding (lib/include/neardup/normalize.h). Han and kana
# singletons are not split out here (English sets).


def _is_word_char(c, cache={}):
    r = cache.get(c)
    if r is None:
        cat = unicodedata.category(c)
        r = cat[0] in "LNM"
        cache[c] = r
    return r


def tokens_with_offsets(text):
    """[(folded word, start, end)] with character offsets into `text`."""
    out = []
    start = None
    for i, c in enumerate(text):
        if _is_word_char(c):
            if start is None:
                start = i
        elif start is not None:
            out.append((unicodedata.normalize("NFKC", text[start:i]).casefold(), start, i))
            start = None
    if start is not None:
        out.append((unicodedata.normalize("NFKC", text[start:]).casefold(), start, len(text)))
    return out


def tokens(text):
    return [t for t, _, _ in tokens_with_offsets(text)]


# ---------------------------------------------------------------------------
# Background document frequencies (format: lib/include/neardup/stats.h),
# keyed by XXH3-64 (seed 0) of the folded word, as neardup hashes tokens.


class _Xxh3:
    def __init__(self):
        name = ctypes.util.find_library("xxhash") or "libxxhash.so.0"
        lib = ctypes.CDLL(name)
        self.fn = lib.XXH3_64bits_withSeed
        self.fn.restype = ctypes.c_uint64
        self.fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]

    def __call__(self, word):
        b = word.encode("utf-8")
        return self.fn(b, len(b), 0)


class Background:
    """Document counts of the shipped Wikipedia sample, looked up by word."""

    def __init__(self, path=BACKGROUND):
        with open(path, "rb") as f:
            data = f.read()
        magic, version, docs, entries = struct.unpack_from("<4sIQQ", data, 0)
        assert magic == b"NDDF" and version == 1, path
        self.documents = docs
        self.counts = {}
        off = 24
        for _ in range(entries):
            h, c = struct.unpack_from("<QI", data, off)
            self.counts[h] = c
            off += 12
        self.hash = _Xxh3()
        self._cache = {}

    def count(self, word):
        c = self._cache.get(word)
        if c is None:
            c = self.counts.get(self.hash(word), 0)
            self._cache[word] = c
        return c


class Rarity:
    """idf = -ln(lambda (c_in + .5)/(n_in + 1) + (1 - lambda)(c_bg + .5)/(n_bg + 1)),
    lambda = n_in / (n_in + 10,000): TermRarity in lib/story/rarity.cc."""

    def __init__(self, docs_tokens, background=None):
        self.df = Counter()
        for toks in docs_tokens:
            self.df.update(set(toks))
        self.n = len(docs_tokens)
        self.bg = background
        self.lam = self.n / (self.n + INPUT_WEIGHT_DOCUMENTS) if background else 1.0
        self._cache = {}

    def probability(self, word):
        """The blended chance that a document holds `word`."""
        p = self.lam * (self.df.get(word, 0) + 0.5) / (self.n + 1)
        if self.bg is not None:
            p += (1 - self.lam) * (self.bg.count(word) + 0.5) / (self.bg.documents + 1)
        return p

    def idf(self, word):
        v = self._cache.get(word)
        if v is None:
            v = -math.log(self.probability(word))
            self._cache[word] = v
        return v


# ---------------------------------------------------------------------------
# Vectors and similarity


def tfidf_vector(toks, rarity, sublinear=True):
    tf = Counter(toks)
    v = {}
    for w, n in tf.items():
        v[w] = ((1 + math.log(n)) if sublinear else n) * rarity.idf(w)
    return normalize(v)


def normalize(v):
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {w: x / norm for w, x in v.items()} if norm > 0 else {}


def cosine_matrix(vectors):
    """sim[i][j] for unit vectors, through an inverted index (i < j stored both ways)."""
    n = len(vectors)
    index = defaultdict(list)
    for i, v in enumerate(vectors):
        for w, x in v.items():
            index[w].append((i, x))
    sim = [[0.0] * n for _ in range(n)]
    for postings in index.values():
        if len(postings) < 2:
            continue
        for a in range(len(postings)):
            i, x = postings[a]
            row = sim[i]
            for b in range(a + 1, len(postings)):
                j, y = postings[b]
                row[j] += x * y
    for i in range(n):
        for j in range(i + 1, n):
            sim[j][i] = sim[i][j]
    return sim


# ---------------------------------------------------------------------------
# Clustering


def average_linkage(sim, min_threshold, cannot=(), veto=None):
    """UPGMA merges down to `min_threshold`: [(height, a, b)] in merge order,
    a, b cluster ids (documents 0..n-1, merge k makes cluster n + k).
    Heights never increase (average linkage has no inversions). `cannot`:
    pairs of documents never put in one cluster (a merge that would join
    them is skipped). `veto(docs_a, docs_b)`: True skips that merge too."""
    docs = {i: [i] for i in range(len(sim))}
    n = len(sim)
    conflict = defaultdict(set)
    for i, j in cannot:
        conflict[i].add(j)
        conflict[j].add(i)
    members = {i: 1 for i in range(n)}
    total = {}  # (a, b) a < b -> sum of similarities between the clusters
    heap = []
    for i in range(n):
        row = sim[i]
        for j in range(i + 1, n):
            s = row[j]
            if s > 0:
                total[(i, j)] = s
                if s >= min_threshold:
                    heap.append((-s, i, j))
    heapq.heapify(heap)
    neighbours = defaultdict(set)
    for (i, j) in total:
        neighbours[i].add(j)
        neighbours[j].add(i)
    merges = []
    next_id = n
    while heap:
        negh, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        key = (a, b) if a < b else (b, a)
        cur = total.get(key, 0.0) / (members[a] * members[b])
        if abs(cur + negh) > 1e-12:  # stale entry
            continue
        if b in conflict.get(a, ()):
            continue
        if veto is not None and veto(docs[a], docs[b]):
            continue
        c = next_id
        next_id += 1
        merges.append((-negh, a, b))
        members[c] = members[a] + members[b]
        docs[c] = docs.pop(a) + docs.pop(b)
        if a in conflict or b in conflict:
            cc = conflict.pop(a, set()) | conflict.pop(b, set())
            conflict[c] = cc
            for y in cc:
                conflict[y].discard(a)
                conflict[y].discard(b)
                conflict[y].add(c)
        for x in (a, b):
            for y in neighbours[x]:
                if y in (a, b) or y not in members:
                    continue
                k = (x, y) if x < y else (y, x)
                s = total.pop(k, 0.0)
                total[(y, c)] = total.get((y, c), 0.0) + s
                neighbours[y].discard(x)
                neighbours[y].add(c)
                neighbours[c].add(y)
            total.pop(key, None)
        for y in neighbours[c]:
            avg = total[(y, c)] / (members[y] * members[c])
            if avg >= min_threshold:
                heapq.heappush(heap, (-avg, y, c))
        del members[a], members[b]
        neighbours.pop(a, None)
        neighbours.pop(b, None)
    return merges


def cut(merges, n, threshold):
    """Cluster number per document after the merges of height >= threshold."""
    parent = list(range(n + len(merges)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, (h, a, b) in enumerate(merges):
        if h < threshold:
            break
        parent[find(a)] = n + k
        parent[find(b)] = n + k
    return [find(i) for i in range(n)]


def single_linkage(sim, threshold):
    n = len(sim)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(n):
        for j in range(i + 1, n):
            if sim[i][j] >= threshold:
                parent[find(i)] = find(j)
    return [find(i) for i in range(n)]


# ---------------------------------------------------------------------------
# Scores (the same definitions as lib/eval: an unlabelled id is a singleton)


def _pairs(k):
    return k * (k - 1) / 2


def evaluate(ids, clusters, story, topic=None):
    """dict of pairwise/B-cubed P R F1, same-topic wrong pairs, largest cluster."""
    n = len(ids)
    gold = [story.get(i, ("#single", k)) for k, i in enumerate(ids)]
    top = [topic.get(i, ("#single", k)) for k, i in enumerate(ids)] if topic else None
    cell, psize, gsize = Counter(), Counter(), Counter()
    for k in range(n):
        cell[(clusters[k], gold[k])] += 1
        psize[clusters[k]] += 1
        gsize[gold[k]] += 1
    correct = sum(_pairs(v) for v in cell.values())
    pred = sum(_pairs(v) for v in psize.values())
    true = sum(_pairs(v) for v in gsize.values())
    p = correct / pred if pred else 1.0
    r = correct / true if true else 1.0
    bp = sum(v * v / psize[c] for (c, g), v in cell.items()) / n
    br = sum(v * v / gsize[g] for (c, g), v in cell.items()) / n
    out = {
        "P": p, "R": r, "F1": f1(p, r),
        "bP": bp, "bR": br, "bF1": f1(bp, br),
        "pred_pairs": int(pred), "wrong_pairs": int(pred - correct),
        "largest": max(psize.values()) if psize else 0,
    }
    if top is not None:
        ct, cts = Counter(), Counter()
        for k in range(n):
            ct[(clusters[k], top[k])] += 1
            cts[(clusters[k], top[k], gold[k])] += 1
        out["same_topic_wrong"] = int(sum(_pairs(v) for v in ct.values()) -
                                      sum(_pairs(v) for v in cts.values()))
    return out


def f1(p, r):
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def clusters_jsonl(ids, clusters, path):
    """Writes clusters of >= 2 in the clusters.jsonl shape `neardup eval` reads."""
    groups = defaultdict(list)
    for k, c in enumerate(clusters):
        groups[c].append(ids[k])
    with open(path, "w", encoding="utf-8") as f:
        for num, (c, members) in enumerate(sorted(groups.items(), key=lambda x: x[1][0])):
            if len(members) < 2:
                continue
            f.write(json.dumps({"cluster": num, "members": [{"id": m} for m in members]}) + "\n")
