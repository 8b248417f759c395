"""neardup.tune (run with pytest): the table and recommendation of
`neardup tune` for the same sample and options, and the recommended
threshold's clusters are neardup.cluster's at it."""

import os
import re

import pytest

import corpus

import neardup

CASES = [
    ("news", "labels.near.tsv", {}, None, None),
    ("news", "labels.near.tsv", {}, [0.6, 0.8, 0.9], None),
    ("stories", "labels.near.tsv", {}, [0.3, 0.5, 0.7, 0.9], 0.5),
    ("stories", "labels.story.tsv", {"level": "story"}, None, None),
    ("paraphrase", "labels.story.tsv", {"level": "story"}, [0.1, 0.2, 0.3, 0.4], 0.999),
]


def cli_tune(docs, labels, options, thresholds, min_precision):
    args = ["tune", "--labels", labels, *neardup.cli_args(**options)]
    if thresholds is not None:
        args += ["--thresholds", ",".join(repr(t) for t in thresholds)]
    if min_precision is not None:
        args += ["--min-precision", repr(min_precision)]
    lines = corpus.run_cli(*args, docs).splitlines()
    rows = [line.split() for line in lines[1:] if re.match(r"^\d", line)]
    recommended = float(lines[-1].rpartition(" ")[2])
    return [(float(t), p, r, f, int(c)) for t, p, r, f, c in rows], recommended, lines


@pytest.mark.parametrize("name,labels,options,thresholds,min_precision", CASES)
def test_tune_equals_the_cli(name, labels, options, thresholds, min_precision):
    docs = os.path.join(corpus.CORPORA, name, "docs")
    labels = os.path.join(corpus.CORPORA, name, labels)
    rows, recommended, lines = cli_tune(docs, labels, options, thresholds, min_precision)
    got = neardup.tune(docs, labels, min_precision=min_precision, thresholds=thresholds,
                       **options)
    assert [(p.threshold, f"{p.precision:.4f}", f"{p.recall:.4f}", f"{p.f1:.4f}", p.clusters)
            for p in got.points] == rows
    assert got.threshold == recommended
    best_line = [line for line in lines if line.startswith("best F1")][0]
    assert best_line == f"best F1 {got.best.f1:.4f} at {got.best.threshold:g}"
    assert (got.precise_enough is None) == any(line.startswith("no threshold") for line in lines)
    assert got.recommended in (got.precise_enough, got.most_precise)
    # The recommended threshold's clusters are cluster()'s at that threshold.
    clusters = neardup.cluster(docs, threshold=got.threshold, quiet=True, **options)
    assert len(clusters) == got.recommended.clusters


def test_sweep_is_not_flat():
    docs = os.path.join(corpus.CORPORA, "news", "docs")
    got = neardup.tune(docs, os.path.join(corpus.CORPORA, "news", "labels.near.tsv"),
                       thresholds=[0.6, 0.8, 0.9])
    assert [p.threshold for p in got.points] == [0.6, 0.8, 0.9]
    assert got.points[2].recall < 0.5 < got.points[1].recall == 1.0
    assert got.threshold == 0.8 and got.precise_enough == got.points[1]


def test_errors(tmp_path):
    docs = os.path.join(corpus.CORPORA, "news", "docs")
    labels = os.path.join(corpus.CORPORA, "news", "labels.near.tsv")
    with pytest.raises(ValueError, match="exact level"):
        neardup.tune(docs, labels, level="exact")
    with pytest.raises(ValueError, match="tune sweeps it"):
        neardup.tune(docs, labels, threshold=0.8)
    with pytest.raises(ValueError, match="not a number in"):
        neardup.tune(docs, labels, thresholds=[0.5, 1.5])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "one two"}\n{"id": \n')
    with pytest.raises(neardup.Error, match=r"bad\.jsonl:2"):
        neardup.tune(str(bad), labels)
    with pytest.raises(neardup.Error, match="missing.tsv"):
        neardup.tune(docs, tmp_path / "missing.tsv")
