"""neardup.diff (run with pytest): the spans, summaries and core of
`neardup diff --format json A B` for the same two texts, as bytes (byte
offsets, as the CLI) and as str (character offsets)."""

import json
import os

import pytest

import corpus

import neardup

PAIRS = [
    ("news", "glacier-forest__wire.txt", "glacier-forest__edit-correction.txt"),  # a correction
    ("news", "glacier-forest__wire.txt", "glacier-forest__coastlineherald.txt"),  # outlet's copy
    ("news", "harbor-bridge__wire.txt", "harbor-bridge__edit-update.txt"),
    ("stories", "corvane-breach__original.txt", "corvane-breach__rewrite-bytegauge.txt"),
    ("stories", "corvane-breach__original.txt", "corvane-breach-neg1__tessel9-shipping.txt"),
]


def cli_diff(path_a, path_b):
    return json.loads(corpus.run_cli("diff", "--format", "json", path_a, path_b))


def paths(name, a, b):
    docs = os.path.join(corpus.CORPORA, name, "docs")
    return os.path.join(docs, a), os.path.join(docs, b)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("name,a,b", PAIRS)
def test_bytes_diff_equals_the_cli_json(name, a, b):
    path_a, path_b = paths(name, a, b)
    expected = cli_diff(path_a, path_b)
    got = neardup.diff(read_bytes(path_a), read_bytes(path_b))
    doc_ids = [path_a, path_b]
    assert [(doc_ids[s.doc], s.kind, s.start, s.end, s.at, s.group, s.similarity,
             s.text.decode("utf-8")) for s in got.spans] == [
        (s["doc"], s["kind"], s["start"], s["end"], s["at"], s["group"], s["similarity"],
         s["text"]) for s in expected["spans"]]
    assert got.summaries == [{k: v for k, v in s.items() if k != "doc"}
                             for s in expected["summaries"]]
    assert [(c.start, c.end, c.text.decode()) for c in got.core] == [
        (c["start"], c["end"], c["text"]) for c in expected["core"]]
    # Not vacuous: each pair has changes, and every span's text is its bytes.
    assert any(s.kind != "shared" for s in got.spans)
    texts = [read_bytes(path_a), read_bytes(path_b)]
    for s in got.spans:
        assert texts[s.doc][s.start:s.end] == s.text


@pytest.mark.parametrize("name,a,b", PAIRS[:3])
def test_str_diff_counts_characters(name, a, b):
    path_a, path_b = paths(name, a, b)
    raw = [read_bytes(path_a), read_bytes(path_b)]
    texts = [r.decode("utf-8") for r in raw]
    by_bytes = neardup.diff(*raw)
    by_str = neardup.diff(*texts)

    def chars(doc, offset):
        return len(raw[doc][:offset].decode("utf-8"))

    assert len(by_str.spans) == len(by_bytes.spans)
    for s, t in zip(by_str.spans, by_bytes.spans):
        assert (s.doc, s.kind, s.group, s.similarity) == (t.doc, t.kind, t.group, t.similarity)
        assert (s.start, s.end, s.at) == (chars(t.doc, t.start), chars(t.doc, t.end),
                                          chars(1 - t.doc, t.at))
        assert texts[s.doc][s.start:s.end] == s.text == t.text.decode()
    assert by_str.summaries == by_bytes.summaries
    # The glacier texts hold "Inés Valcárcel": character and byte offsets part.
    if not raw[0].isascii():
        assert any(s.start != t.start for s, t in zip(by_str.spans, by_bytes.spans))


def test_what_changed():
    a = ("The council approved the new bridge on Tuesday. It will cost 40 million euros. "
         "Work starts in May.")
    b = ("The council approved the new bridge on Tuesday. Work starts in May. "
         "The mayor welcomed the decision.")
    d = neardup.diff(a, b)
    # Whole sentences added or dropped span the sentence, its full stop included.
    assert [s.text for s in d.of("dropped")] == ["It will cost 40 million euros."]
    assert [s.text for s in d.of("added")] == ["The mayor welcomed the decision."]
    dropped = d.of("dropped")[0]
    assert a[dropped.start:dropped.end] == dropped.text and b[dropped.at:].lstrip().startswith("Work")
    assert all(s.doc == 0 for s in d.of("dropped")) and all(s.doc == 1 for s in d.of("added"))
    assert d.summaries[1]["added"] == 5 and d.summaries[1]["dropped"] == 6


def test_errors():
    with pytest.raises(ValueError, match="a: binary"):
        neardup.diff(b"\x00\x01\x02 binary", "text")
    with pytest.raises(TypeError):
        neardup.diff("text", 5)
    with pytest.raises(neardup.Error, match="missing.nddf"):
        neardup.diff("a text", "another text", stats="/nonexistent/missing.nddf")
