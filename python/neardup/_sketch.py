"""neardup.MinHash: the near level's MinHash signatures, sketches and LSH
band keys as NumPy arrays, for users who bring their own index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Tuple, Union

from . import _native

if TYPE_CHECKING:  # NumPy (python3-numpy) is needed only once MinHash is used
    import numpy as np

Text = Union[str, bytes]


class MinHash:
    """Signs texts as ``neardup cluster`` signs documents at the near level
    (word 5-gram shingles of the normalized text, one-permutation MinHash,
    LSH banding), many at once, into NumPy arrays::

        mh = neardup.MinHash()                      # k = 128, threshold 0.8
        sigs = mh.sign(["a text ...", "another ..."])   # (2, 128) uint32
        mh.jaccard(sigs[0], sigs[1])                # estimated Jaccard
        keys = mh.band_keys(sigs)                   # (2, 18) uint64: equal key, same bucket

    Keyword options are those of ``neardup cluster`` that signing depends on
    (``num_perm``, ``seed``, ``shingle``, ``minhash_scheme``,
    ``sketch_bins``, ``threshold``, ``bands``/``rows``, ``containment``,
    ``max_doc_bytes``, ``threads``), with the same defaults and checks, so
    the signatures, sketches and band keys are the ones the engine computes
    for the same text and options. Texts are ``str`` (signed as UTF-8) or
    ``bytes``. Native work runs on ``threads`` cores (0: all) with the GIL
    released; the result does not depend on the thread count.
    """

    def __init__(self, **options: object) -> None:
        from . import cli_args

        self._native = _native.Sketcher(cli_args(**options))

    @property
    def num_perm(self) -> int:
        """k, the signature length."""
        return self._native.num_perm

    @property
    def seed(self) -> int:
        """The MinHash seed; signatures compare only under equal seeds."""
        return self._native.seed

    @property
    def shingle(self) -> int:
        """Words per shingle."""
        return self._native.shingle

    @property
    def bands(self) -> int:
        """LSH bands the engine uses for these options."""
        return self._native.bands

    @property
    def rows(self) -> int:
        """Signature values per band."""
        return self._native.rows

    @property
    def sketch_bins(self) -> int:
        """Bins of the b-bit sketch (4 bits each: sketch_bins / 2 bytes)."""
        return self._native.sketch_bins

    def sign(self, texts: Iterable[Text], sketches: bool = False
             ) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """The signatures of ``texts``, an (n, num_perm) uint32 array, row i
        for text i; with ``sketches=True`` also their b-bit sketches, an
        (n, sketch_bins / 2) uint8 array. A text without words signs as
        all 0xFFFFFFFF (and estimates 0 against anything)."""
        if isinstance(texts, (str, bytes)):
            raise TypeError("sign takes a sequence of texts; for one text, sign([text])")
        return self._native.sign(texts, bool(sketches))

    def shingles(self, text: Text) -> np.ndarray:
        """The shingle hashes of ``text`` (uint64, in text order, repeats
        kept): what the signature is the MinHash of. The exact Jaccard of
        two texts is that of the sets of their shingle hashes."""
        return self._native.shingles(text)

    def band_keys(self, signatures: np.ndarray, bands: Optional[int] = None,
                  rows: Optional[int] = None) -> np.ndarray:
        """LSH band keys of ``signatures`` ((n, num_perm) uint32): an
        (n, bands) uint64 array. Two texts are candidates when they share
        the key of some band (the same column). By default the engine's
        (bands, rows) for these options; give both to choose others
        (bands x rows <= num_perm)."""
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        return self._native.band_keys(signatures, bands or 0, rows or 0)

    @staticmethod
    def jaccard(a: np.ndarray, b: np.ndarray) -> Union[float, np.ndarray]:
        """Estimated Jaccard similarity of signatures: the fraction of
        positions where they agree (0 when either text had no words). Two
        rows give a float; two (n, k) arrays give n estimates, row by row.
        The standard error is about sqrt(J (1 - J) / k)."""
        import numpy

        out = _native.estimate_jaccard(a, b)
        return float(out[0]) if numpy.ndim(a) == 1 else out

    @staticmethod
    def sketch_jaccard(a: np.ndarray, b: np.ndarray) -> Union[float, np.ndarray]:
        """Estimated Jaccard similarity of b-bit sketches (from
        ``sign(..., sketches=True)``), as the engine decides candidate
        pairs; one pair or row by row, as ``jaccard``."""
        import numpy

        out = _native.sketch_jaccard(a, b)
        return float(out[0]) if numpy.ndim(a) == 1 else out
