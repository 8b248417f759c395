"""Shared helpers of the Python tests: the CLI, the source tree, and a
generated JSONL corpus (real news of corpora/ with planted edited copies)."""

import json
import os
import random
import subprocess
import tempfile

SOURCE = os.environ.get("NEARDUP_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("NEARDUP_CLI", os.path.join(SOURCE, "build", "cli", "neardup"))
CORPORA = os.path.join(SOURCE, "corpora")


def tree_bytes(root):
    """Every file under root (manifest.json included), path -> bytes."""
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def run_cli(*args):
    """Runs the neardup binary; returns its stdout, failing on a non-zero exit."""
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"neardup {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def corpus_docs():
    """(name, text) of every document of corpora/*/docs, in name order."""
    docs = []
    for corpus in sorted(os.listdir(CORPORA)):
        folder = os.path.join(CORPORA, corpus, "docs")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                docs.append((f"{corpus}/{name}", f.read()))
    return docs


def write_planted_jsonl(path, documents, seed=23):
    """A JSONL file of `documents` records: each a corpora/ document, every
    third one with a few words dropped or replaced (a near copy of an
    earlier record), so that clusters span the whole file and every part."""
    rng = random.Random(seed)
    sources = corpus_docs()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(documents):
            name, text = sources[rng.randrange(len(sources))]
            words = text.split()
            if i % 3 != 0:
                # Distinct documents: a window of the source and a unique tag.
                start = rng.randrange(max(1, len(words) - 60))
                words = words[start:start + rng.randrange(60, 400)] + [f"doc{i}"]
            else:
                for _ in range(rng.randrange(0, 4)):
                    if words:
                        words[rng.randrange(len(words))] = f"edit{rng.randrange(10**6)}"
            out.write(json.dumps({"id": f"d{i}", "text": " ".join(words)}) + "\n")
            if i % 997 == 5:
                out.write("\n")  # blank lines count in line numbers, not as records


def temp_dir(test):
    """A temporary directory removed when `test` ends."""
    d = tempfile.TemporaryDirectory(prefix="neardup-pytest-")
    test.addCleanup(d.cleanup)
    return d.name
