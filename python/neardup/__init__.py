"""neardup from Python: find duplicate and near-duplicate documents.

A thin, typed layer over the C++ engine (the extension module
``neardup._native``, which runs the library with the GIL released)::

    import neardup
    for c in neardup.cluster(["corpora/news/docs"], level="near", threshold=0.8):
        print(c.id, c.representative.id, [m.id for m in c.members])

Documents in memory go in as ``(id, text)`` pairs instead of paths.
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
from typing import Iterable, List, Sequence, Tuple, Union

from . import _native

__all__ = ["Cluster", "Error", "Member", "cluster", "main"]

Error = _native.Error

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


def main(args: Sequence[str]) -> int:
    """Runs the neardup command line (``neardup ARGS``) in this process and
    returns its exit code."""
    return _native.main(list(args))
