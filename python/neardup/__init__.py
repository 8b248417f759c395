"""neardup from Python: find duplicate and near-duplicate documents.

A thin, typed layer over the C++ engine (the extension module
``neardup._native``, which runs the library with the GIL released)::

    import neardup
    for c in neardup.cluster(["corpora/news/docs"], level="near", threshold=0.8):
        print(c.id, c.representative.id, [m.id for m in c.members])

Documents in memory go in as ``(id, text)`` pairs instead of paths.
``neardup.dedup(inputs, outdir)`` writes what ``neardup dedup`` writes and
returns its decisions; ``neardup.MinHash`` signs texts into NumPy arrays
(signatures, sketches, LSH band keys) for an index of your own;
``neardup.diff(a, b)`` returns what b changed of a, as spans;
``neardup.tune(inputs, labels)`` chooses a threshold from a labelled sample.
Keyword arguments are the options of ``neardup cluster`` (``--num-perm 256``
is ``num_perm=256``, ``--skip-bad`` is ``skip_bad=True``), with the same
defaults; the clusters are the ones ``neardup cluster`` writes. Errors raise
``neardup.Error``, whose message names the file and line or record.
``python3 -m neardup ARGS`` runs the command line itself, and
``python3 -m neardup.dask`` runs it on a Dask cluster.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from . import _native

__all__ = ["Cluster", "Decision", "Diff", "Error", "Member", "MinHash", "Span", "TunePoint",
           "Tuning", "cluster", "dedup", "diff", "main", "tune"]

Error = _native.Error

from ._diff import Diff, Span, diff  # noqa: E402
from ._sketch import MinHash  # noqa: E402
from ._tune import TunePoint, Tuning, tune  # noqa: E402

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Member:
    """A document of a cluster, as clusters.jsonl lists it."""

    id: str
    source: str  # "file:line", or the file for a whole-file document
    url: str  # WARC-Target-URI; "" for other formats
    similarity: float  # to the representative


@dataclass(frozen=True)
class Cluster:
    """A cluster of two or more documents: the representative first, then
    the other members in input order."""

    id: int
    level: str
    members: List[Member]

    @property
    def representative(self) -> Member:
        """The kept document (by default the cluster's earliest in input order;
        ``keep="longest"`` etc. as ``--keep``); the other members follow in
        input order."""
        return self.members[0]


@dataclass(frozen=True)
class Decision:
    """What ``neardup dedup`` decided for one input record: a line of
    decisions.jsonl (docs/FORMATS.md), with the source also as file and line."""

    id: str
    file: str  # the input file the record came from
    line: int  # 1-based line of a line-oriented format; 0 for a whole-file document
    url: str  # WARC-Target-URI; "" for other formats
    cluster: Optional[int]  # the cluster holding the document, if any
    cluster_size: Optional[int]  # documents in that cluster (1 when in none); None when skipped
    kept: bool  # written to the output
    duplicate_of: Optional[str]  # the kept representative's id, when not kept
    duplicate_of_source: Optional[str]  # and its "file:line"
    similarity: Optional[float]  # to the representative, when in a cluster
    skipped: bool = False  # not a document (malformed JSON, a warcinfo record, a binary file)
    reason: Optional[str] = None  # why it was skipped

    @property
    def source(self) -> str:
        """``"file:line"``, or the file for a whole-file document (decisions.jsonl's ``source``)."""
        return f"{self.file}:{self.line}" if self.line else self.file


def cli_args(**options: object) -> List[str]:
    """The command-line options for keyword arguments: ``num_perm=256`` ->
    ``["--num-perm", "256"]``, ``skip_bad=True`` -> ``["--skip-bad"]``;
    False and None are left out."""
    args: List[str] = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        else:
            args += [flag, str(value)]
    return args


def cluster(
    inputs: Union[PathLike, Iterable[PathLike], Iterable[Tuple[str, str]]], **options: object
) -> List[Cluster]:
    """Clusters of the documents of ``inputs``, as ``neardup cluster INPUTS
    --OPTION VALUE...`` finds them. ``inputs`` are paths (directories, JSONL,
    WARC/WET or text files), or ``(id, text)`` pairs (any iterable of them; a
    member's ``source`` is then ``"<texts>:N"``, N its position from 1). Runs
    in this process, on every core unless ``threads`` says otherwise; the GIL
    is released meanwhile."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    items = list(inputs)
    if not items:
        raise ValueError("no inputs")
    pairs = [isinstance(x, tuple) for x in items]
    if all(pairs):
        texts = []
        for x in items:
            if len(x) != 2:
                raise TypeError("a document is an (id, text) pair")
            texts.append((str(x[0]), x[1]))
        found = _native.cluster_texts(cli_args(**options), texts)
    elif any(pairs):
        raise TypeError("inputs are either paths or (id, text) pairs, not both")
    else:
        found = _native.cluster(cli_args(**options) + ["--"] + [os.fspath(p) for p in items])
    return [Cluster(cid, level, [Member(*m) for m in members]) for cid, level, members in found]


def dedup(
    inputs: Union[PathLike, Iterable[PathLike]], outdir: PathLike, force: bool = False,
    **options: object
) -> List[Decision]:
    """Runs ``neardup dedup INPUTS -o OUTDIR --OPTION VALUE...`` in this
    process and returns its decisions, one per input record in input order
    (skipped records included), as decisions.jsonl lists them. OUTDIR gets
    what the command writes: the kept documents in each input's own format,
    decisions.jsonl and manifest.json, committed whole at the end. ``force``
    is ``--force`` (replace an earlier output of neardup). Keyword options
    are ``neardup.cluster``'s. Input errors raise ``neardup.Error`` naming
    the file and line; bad options, or an OUTDIR the command refuses,
    ``ValueError``. The GIL is released while it runs."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths = list(inputs)
    if not paths:
        raise ValueError("no inputs")
    if any(isinstance(p, tuple) for p in paths):
        raise TypeError("dedup writes each input's kept documents in its own format, so it takes "
                        "paths; cluster() takes (id, text) pairs")
    found = _native.dedup(cli_args(**options), [os.fspath(p) for p in paths], os.fspath(outdir),
                          bool(force))
    return [
        Decision(i, f, line, url, cl, size, kept, dup, dup_source, sim, reason is not None, reason)
        for i, f, line, url, cl, size, kept, dup, dup_source, sim, reason in found
    ]


def main(args: Sequence[str]) -> int:
    """Runs the neardup command line (``neardup ARGS``) in this process and
    returns its exit code."""
    return _native.main(list(args))
