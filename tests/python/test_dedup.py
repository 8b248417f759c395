"""neardup.dedup: the decisions it returns are the lines of the
decisions.jsonl that `neardup dedup` writes for the same inputs and options,
and the output directory it writes is the command's (run with pytest)."""

import filecmp
import json
import os
import shutil

import pytest

import corpus

import neardup

NEWS = os.path.join(corpus.CORPORA, "news", "docs")


def as_json(d):
    """A Decision as decisions.jsonl writes it (docs/FORMATS.md)."""
    out = {"id": d.id, "source": d.source}
    if d.url:
        out["url"] = d.url
    out.update(cluster=d.cluster, cluster_size=d.cluster_size, kept=d.kept,
               duplicate_of=d.duplicate_of, duplicate_of_source=d.duplicate_of_source,
               similarity=d.similarity)
    if d.skipped:
        out.update(skipped=True, reason=d.reason)
    return out


def cli_dedup(inputs, outdir, *args):
    corpus.run_cli("dedup", "-q", *args, "-o", outdir, "--", *inputs)
    with open(os.path.join(outdir, "decisions.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def same_tree(a, b):
    """Every file under a and b, byte for byte, but manifest.json (which
    records the command line, and so the output directory's name)."""
    cmp = filecmp.dircmp(a, b, ignore=["manifest.json"])
    assert cmp.left_only == [] and cmp.right_only == [] and cmp.funny_files == []
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    assert mismatch == [] and errors == []
    for sub in cmp.common_dirs:
        same_tree(os.path.join(a, sub), os.path.join(b, sub))


def planted_with_bad_line(path, documents):
    """Planted documents, then a malformed line (its number returned) and one more record."""
    corpus.write_planted_jsonl(path, documents)
    with open(path, encoding="utf-8") as f:
        bad_line = sum(1 for _ in f) + 1
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": \n')  # malformed: skipped under --skip-bad
        f.write(json.dumps({"id": "after", "text": "a record after the broken line"}) + "\n")
    return bad_line


@pytest.mark.parametrize("options", [{}, {"threshold": 0.6}, {"level": "exact"},
                                     {"keep": "longest"}])
def test_decisions_equal_the_cli_on_news(tmp_path, options):
    expected = cli_dedup([NEWS], str(tmp_path / "cli"), *neardup.cli_args(**options))
    got = neardup.dedup(NEWS, tmp_path / "api", quiet=True, **options)
    assert [as_json(d) for d in got] == expected
    same_tree(tmp_path / "cli", tmp_path / "api")
    # Not vacuous: news has clusters and dropped copies (four exact ones).
    assert len(got) == 36
    assert sum(not d.kept for d in got) >= 4
    assert max(d.cluster_size for d in got) >= 2


def test_jsonl_with_skipped_records_equals_the_cli(tmp_path):
    path = str(tmp_path / "planted.jsonl")
    bad_line = planted_with_bad_line(path, 1500)
    expected = cli_dedup([path, NEWS], str(tmp_path / "cli"), "--skip-bad")
    got = neardup.dedup([path, NEWS], tmp_path / "api", quiet=True, skip_bad=True)
    assert [as_json(d) for d in got] == expected
    same_tree(tmp_path / "cli", tmp_path / "api")
    skipped = [d for d in got if d.skipped]
    assert [(d.id, d.line) for d in skipped] == [(f"{path}:{bad_line}", bad_line)]
    assert "malformed JSON" in skipped[0].reason
    assert got[-37].id == "after"  # the record after it is a decision, in input order
    assert sum(d.cluster is not None for d in got) > 100


def test_decision_fields(tmp_path):
    got = neardup.dedup(NEWS, tmp_path / "out", quiet=True)
    by_id = {d.id: d for d in got}
    copy = by_id["glacier-forest__edit-correction.txt"]
    assert not copy.kept and copy.duplicate_of == "glacier-forest__coastlineherald.txt"
    assert copy.line == 0 and copy.source == copy.file == os.path.join(NEWS, copy.id)
    rep = by_id[copy.duplicate_of]
    assert rep.kept and rep.cluster == copy.cluster and rep.cluster_size == copy.cluster_size
    assert 0.8 <= copy.similarity < 1
    # The kept documents are the ones written.
    assert sorted(os.listdir(tmp_path / "out" / "docs")) == sorted(d.id for d in got if d.kept)


def test_input_error_names_file_and_line(tmp_path):
    path = str(tmp_path / "bad.jsonl")
    bad_line = planted_with_bad_line(path, 10)
    with pytest.raises(neardup.Error, match=rf"bad\.jsonl:{bad_line}: malformed JSON"):
        neardup.dedup(path, tmp_path / "out", quiet=True)
    assert not os.path.exists(tmp_path / "out")  # a failed run leaves no output


def test_refused_output_and_bad_option_are_value_errors(tmp_path):
    neardup.dedup(NEWS, tmp_path / "out", quiet=True)
    with pytest.raises(ValueError, match="not empty"):
        neardup.dedup(NEWS, tmp_path / "out", quiet=True)
    assert len(neardup.dedup(NEWS, tmp_path / "out", force=True, quiet=True)) == 36
    with pytest.raises(ValueError):
        neardup.dedup(NEWS, tmp_path / "other", threshold=2)
    with pytest.raises(TypeError):
        neardup.dedup([("a", "some text")], tmp_path / "pairs")


def test_two_threads_at_once_write_what_each_writes_alone(tmp_path):
    # The command line a dedup records in manifest.json is per call: two
    # dedups running at once on two threads (the GIL released) must each
    # write its own, and the same trees as when run one after the other.
    import threading

    path = str(tmp_path / "planted.jsonl")
    corpus.write_planted_jsonl(path, 3000)
    jobs = [([path], tmp_path / "a", {"threshold": 0.7}),
            ([NEWS], tmp_path / "b", {"level": "exact", "keep": "longest"})]
    alone = []
    for inputs, out, options in jobs:
        decisions = neardup.dedup(inputs, out, quiet=True, **options)
        alone.append(([as_json(d) for d in decisions], corpus.tree_bytes(out)))
        manifest = json.loads(alone[-1][1]["manifest.json"])
        assert str(out) in manifest["command"]
        shutil.rmtree(out)
    for _ in range(3):  # the race needs both threads inside Main at once
        got = [None, None]
        errors = []
        start = threading.Barrier(2)

        def run(i):
            inputs, out, options = jobs[i]
            try:
                start.wait()
                decisions = neardup.dedup(inputs, out, quiet=True, **options)
                got[i] = ([as_json(d) for d in decisions], corpus.tree_bytes(out))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert got == alone
        for _, out, _ in jobs:
            shutil.rmtree(out)
