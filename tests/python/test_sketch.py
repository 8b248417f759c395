"""neardup.MinHash (run with pytest): estimates within a bound derived from
the signature length of the exact word-5-gram Jaccard on real texts; band
keys and sketches equal to the ones the engine writes (`neardup sign-part`);
the same arrays for any thread count; the GIL released while it signs."""

import json
import math
import os
import random
import re
import struct
import subprocess
import threading
import time

import numpy as np
import pytest

import corpus

import neardup


def long_docs(min_words):
    return [(name, text) for name, text in corpus.corpus_docs() if len(text.split()) >= min_words]


def edited(text, fraction, rng):
    """`text` with `fraction` of its words replaced by new ones."""
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = f"w{rng.randrange(10**9)}"
    return " ".join(words)


def pairs_of_real_text():
    """(a, b) pairs over the whole range of Jaccard: each long corpus document
    against copies with 1-60% of its words replaced, and the documents of one
    news story against each other (rewrites by other outlets, corrections,
    trims)."""
    rng = random.Random(5)
    docs = long_docs(400)
    out = []
    for _, text in docs[::3]:
        for fraction in (0.01, 0.03, 0.06, 0.1, 0.2, 0.35, 0.6):
            out.append((text, edited(text, fraction, rng)))
    news = [(n, t) for n, t in docs if n.startswith("news/")]
    for i, (na, ta) in enumerate(news):
        for nb, tb in news[i + 1:]:
            if na.split("__")[0] == nb.split("__")[0]:
                out.append((ta, tb))
    return out


def exact_jaccard(mh, a, b):
    x, y = set(mh.shingles(a).tolist()), set(mh.shingles(b).tolist())
    return len(x & y) / len(x | y)


@pytest.mark.parametrize("options", [{}, {"num_perm": 256}, {"minhash_scheme": "kperm"}])
def test_estimates_within_the_derived_bound(options):
    # The estimate is the mean of k indicators "position i agrees", each true
    # with probability J: standard error sigma = sqrt(J (1 - J) / k) with k
    # independent permutations (Broder). One permutation hashing comes close
    # to that for documents of more shingles than k (signature.h), as these
    # are (400 words or more). Every pair must lie within 4 sigma
    # (two-sided normal tail 6e-5) plus 1/k (the estimate moves in steps of
    # 1/k); the failure budget: at most 10% beyond 2 sigma + 1/k, where the
    # normal law puts 4.6%.
    mh = neardup.MinHash(**options)
    k = mh.num_perm
    pairs = pairs_of_real_text()
    sigs_a = mh.sign([a for a, _ in pairs])
    sigs_b = mh.sign([b for _, b in pairs])
    estimates = mh.jaccard(sigs_a, sigs_b)
    beyond_2 = 0
    js = []
    for (a, b), est in zip(pairs, estimates):
        j = exact_jaccard(mh, a, b)
        js.append(j)
        sigma = math.sqrt(j * (1 - j) / k)
        assert abs(est - j) <= 4 * sigma + 1 / k, (j, est, sigma)
        beyond_2 += abs(est - j) > 2 * sigma + 1 / k
    assert beyond_2 <= 0.10 * len(pairs), beyond_2
    # Not vacuous: the pairs cover the range, and single pairs agree as arrays do.
    assert len(pairs) > 60 and min(js) < 0.2 and max(js) > 0.9
    assert sum(0.3 < j < 0.9 for j in js) > 15
    assert mh.jaccard(sigs_a[0], sigs_b[0]) == estimates[0]


def test_sketch_estimates_within_their_error():
    # The b-bit sketch (512 bins, 4 bits) fills U bins of the union; its
    # variance is about J (1 - J) / U plus the chance agreements' term
    # (signature.h); at U >= 300 sigma < 0.03 for every J, and 4 sigma + the
    # 1/15 chance term's leftover bias is well inside 0.15.
    mh = neardup.MinHash()
    pairs = pairs_of_real_text()
    _, ska = mh.sign([a for a, _ in pairs], sketches=True)
    _, skb = mh.sign([b for _, b in pairs], sketches=True)
    assert ska.shape == (len(pairs), 256) and ska.dtype == np.uint8
    for (a, b), est in zip(pairs, mh.sketch_jaccard(ska, skb)):
        assert abs(est - exact_jaccard(mh, a, b)) <= 0.15


def read_part(path):
    """The band keys and sketches of a part file (docs/FORMATS.md), per document id."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"NDPART03"  # MinHash documents as in 02
    pos = 8

    def u64():
        nonlocal pos
        (v,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        return v

    def string():
        nonlocal pos
        n = u64()
        pos += n
        return data[pos - n:pos]

    header = [u64() for _ in range(13)]
    documents, bands, sketch_bytes = header[6], header[7], header[8]
    out = {}
    for _ in range(documents):
        doc_id = string().decode()
        string()  # source file
        for _ in range(4):  # line, input, bytes, words
            u64()
        string()  # url
        for _ in range(3):  # offset, exact fingerprint
            u64()
        keys = np.frombuffer(data, dtype="<u8", count=bands, offset=pos)
        pos += 8 * bands
        sketch = np.frombuffer(data, dtype=np.uint8, count=sketch_bytes, offset=pos)
        pos += sketch_bytes + 1  # and the flags byte
        out[doc_id] = (keys, sketch)
    return out


@pytest.mark.parametrize("options", [
    {},
    {"num_perm": 64, "threshold": 0.7},
    {"minhash_scheme": "kperm", "sketch_bins": 256},
    {"shingle": 3, "seed": 7, "bands": 10, "rows": 12},
    {"max_doc_bytes": 700},
])
def test_band_keys_and_sketches_equal_the_engines(tmp_path, options):
    rng = random.Random(9)
    texts = [t for _, t in corpus.corpus_docs()]
    texts += [edited(t, 0.05, rng) for t in texts[::4]]
    texts += ["", "one", "Ｔhe “Quick” brown ﬁsh, straße\r\nΣΑΣ 漢字かな"]
    path = tmp_path / "texts.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": t}) + "\n")
    part = tmp_path / "part"
    corpus.run_cli("sign-part", "-q", *neardup.cli_args(**options), "-o", str(part), str(path))
    engine = read_part(part)
    assert len(engine) == len(texts)

    mh = neardup.MinHash(**options)
    sigs, sketches = mh.sign(texts, sketches=True)
    keys = mh.band_keys(sigs)
    assert keys.shape == (len(texts), mh.bands) and keys.dtype == np.uint64
    for i in range(len(texts)):
        engine_keys, engine_sketch = engine[str(i)]
        assert np.array_equal(keys[i], engine_keys), i
        assert np.array_equal(sketches[i], engine_sketch), i


@pytest.mark.parametrize("options", [{}, {"threshold": 0.6}, {"num_perm": 256, "threshold": 0.9},
                                     {"containment": 0.8}, {"containment": 0.7,
                                                            "containment_ratio": 2}])
def test_bands_and_rows_are_the_clis(tmp_path, options):
    # sign-part refuses --containment's signatures for clusters, so these
    # compare with the (b, r) `neardup cluster` reports in its summary.
    news = os.path.join(corpus.CORPORA, "news", "docs")
    done = subprocess.run([corpus.CLI, "cluster", *neardup.cli_args(**options), "-o",
                           str(tmp_path / "clusters.jsonl"), news],
                          capture_output=True, text=True, check=True)
    bands, rows = re.search(r"LSH (\d+) bands x (\d+) rows", done.stderr).groups()
    mh = neardup.MinHash(**options)
    assert (mh.bands, mh.rows) == (int(bands), int(rows))


def test_identical_texts_share_keys_and_output_is_deterministic():
    docs = [t for _, t in corpus.corpus_docs()]
    texts = docs + docs[:5] + [d.encode() for d in docs[5:10]]
    one = neardup.MinHash(threads=1)
    all_cores = neardup.MinHash()
    sigs = one.sign(texts)
    assert np.array_equal(sigs, all_cores.sign(texts))
    assert np.array_equal(sigs, one.sign(texts))
    keys = one.band_keys(sigs)
    assert np.array_equal(keys, all_cores.band_keys(sigs))
    n = len(docs)
    for i in range(10):  # the repeated texts, as str and as UTF-8 bytes
        assert np.array_equal(sigs[n + i], sigs[i])
        assert np.array_equal(keys[n + i], keys[i])
        assert one.jaccard(sigs[n + i], sigs[i]) == 1.0
    # Different texts rarely share a band: far fewer key matches than rows.
    shared = sum(len(np.intersect1d(keys[i], keys[j])) for i in range(20) for j in range(20, 40))
    assert shared < 40
    # Other seeds, other signatures; chosen bands and rows.
    assert not np.array_equal(neardup.MinHash(seed=2).sign(docs[:3]), sigs[:3])
    assert one.band_keys(sigs, bands=4, rows=32).shape == (len(texts), 4)


def test_empty_text_and_errors():
    mh = neardup.MinHash()
    sigs = mh.sign(["", "... !!"])
    assert (sigs == 0xFFFFFFFF).all()
    assert mh.jaccard(sigs[0], sigs[1]) == 0.0
    assert mh.sign([]).shape == (0, 128)
    with pytest.raises(TypeError):
        mh.sign(["text", 5])
    with pytest.raises(TypeError):
        mh.sign("one text, not a list of them")
    with pytest.raises(ValueError):
        mh.band_keys(np.zeros((2, 64), dtype=np.uint32))
    with pytest.raises(ValueError):
        mh.band_keys(mh.sign(["a b c"]), bands=20, rows=7)
    with pytest.raises(ValueError):
        neardup.MinHash(level="story")
    with pytest.raises(ValueError):
        neardup.MinHash(num_perm=0)


def test_gil_is_released_while_signing():
    # A Python thread counts while the main thread signs. With the GIL held
    # through the call it could count only in the switch interval before the
    # call took the GIL (5 ms of a call of about a second); released, it
    # counts during the call about as fast as while the main thread sleeps.
    # 400 copies: about 0.3 s on an idle core (80 took 55 ms, under the
    # 0.1 s floor below, once the machine was quiet).
    texts = [t for _, t in corpus.corpus_docs()] * 400
    mh = neardup.MinHash(threads=1)
    count = [0]
    stop = threading.Event()

    def counter():
        while not stop.is_set():
            count[0] += 1

    worker = threading.Thread(target=counter)
    worker.start()
    try:
        time.sleep(0.05)
        start, before = time.perf_counter(), count[0]
        mh.sign(texts)
        seconds, during = time.perf_counter() - start, count[0] - before
        before = count[0]
        time.sleep(seconds)
        idle = count[0] - before
    finally:
        stop.set()
        worker.join()
    assert seconds > 0.1  # the call did real work
    assert during > 0.25 * idle, (during, idle, seconds)
