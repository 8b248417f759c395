"""neardup.tune: choose a threshold from a labelled sample, as ``neardup tune``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Union

from . import _native

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class TunePoint:
    """The clusters at one threshold, scored against the labels (as ``neardup eval``)."""

    threshold: float
    precision: float  # pairwise
    recall: float  # pairwise
    f1: float  # pairwise
    bcubed_f1: float
    adjusted_rand: float
    clusters: int


@dataclass(frozen=True)
class Tuning:
    """The sweep of ``neardup tune`` and its recommendation."""

    points: List[TunePoint]  # ascending thresholds: the rows of tune's table
    min_precision: float  # the pairwise precision the recommendation had to reach
    best: TunePoint  # highest F1 of the sweep (ties: the higher threshold)
    precise_enough: Optional[TunePoint]  # highest F1 at precision >= min_precision, if any
    most_precise: TunePoint  # highest precision (then F1)
    recommended: TunePoint  # precise_enough, else most_precise

    @property
    def threshold(self) -> float:
        """The recommended threshold: ``neardup.cluster(..., threshold=T)``
        gives exactly the clusters scored at it."""
        return self.recommended.threshold


def tune(
    inputs: Union[PathLike, Iterable[PathLike]], labels: PathLike,
    min_precision: Optional[float] = None, thresholds: Optional[Sequence[float]] = None,
    **options: object
) -> Tuning:
    """Runs ``neardup tune --labels LABELS INPUTS``: clusters the labelled
    sample once at each threshold of a sweep (``thresholds``; default near
    0.5 to 0.95 by 0.05, story 0.05 to 0.5 by 0.025), scores each against
    the labels (``id<TAB>label`` lines) and recommends the threshold with
    the highest pairwise F1 among those with precision >= ``min_precision``
    (default 0.99 near, 0.95 story), else the most precise. Keyword options
    are ``neardup.cluster``'s (``level="story"``...; not ``threshold``).
    Errors as ``neardup.cluster``; the GIL is released while it runs."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths = [os.fspath(p) for p in inputs]
    if not paths:
        raise ValueError("no inputs")
    from . import cli_args

    grid = ",".join(repr(float(t)) for t in thresholds) if thresholds is not None else ""
    if thresholds is not None and not grid:
        raise ValueError("thresholds: no threshold given")
    points, floor, best, precise_enough, most_precise, recommended = _native.tune(
        cli_args(**options), paths, os.fspath(labels),
        -1.0 if min_precision is None else float(min_precision), grid)
    pts = [TunePoint(*p) for p in points]
    return Tuning(pts, floor, pts[best], None if precise_enough is None else pts[precise_enough],
                  pts[most_precise], pts[recommended])
