"""neardup.diff: what one text changed of another, as ``neardup diff --format json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Union

from . import _native

Text = Union[str, bytes]


@dataclass(frozen=True)
class Span:
    """A run of words of one of the two texts (``neardup diff --format json``'s
    ``spans``). Offsets count characters for str texts (``text[start:end]``
    is the span) and bytes for bytes texts, as the CLI does."""

    doc: int  # 0: the span is in a; 1: in b
    kind: str  # shared, added, dropped, reworded, moved or normalized
    start: int  # in that text, from the first word's start to the last word's end
    end: int
    at: int  # in the other text: where the counterpart starts, or where the span would go
    group: int  # aligned sentence group, -1 for a whole added or dropped sentence
    similarity: Optional[float]  # the group's sentence similarity; None without a group
    text: Text  # the span's own text


@dataclass(frozen=True)
class Diff:
    """The result of ``neardup.diff(a, b)``."""

    spans: List[Span]  # a's spans, then b's, each in text order
    summaries: List[Dict[str, float]]  # words per kind: a's (all shared), then b's
    core: List[Span]  # a's sentences (kind "core"; every one for a pair)

    def of(self, kind: str) -> List[Span]:
        """The spans of one kind."""
        return [s for s in self.spans if s.kind == kind]


def diff(a: Text, b: Text, stats: Optional[str] = None) -> Diff:
    """Aligns ``b`` to ``a`` sentence by sentence and diffs the aligned
    sentences word by word: every word of each text is in one span, shared
    with the other text, ``added`` (only in b), ``dropped`` (only in a),
    ``reworded`` (a passage said in other words), ``moved`` (the same words
    elsewhere in the order) or ``normalized`` (the same words in another form,
    such as case or full-width letters). The spans are the ones ``neardup diff
    --format json A B`` gives for the two texts. ``stats`` is a word
    frequency file (``neardup stats build``) to weight words by, as
    ``--stats``. Binary texts, and texts above 64 MiB, raise ValueError.
    Runs with the GIL released."""
    spans, summaries, core = _native.diff(a, b, stats or "")
    return Diff([Span(*s) for s in spans], list(summaries),
                [Span(0, "core", start, end, start, -1, None, text) for start, end, text in core])
