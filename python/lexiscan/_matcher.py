"""The Matcher: a lexicon compiled for matching, and scanning of whole corpora."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from lexiscan import _lexiscan
from lexiscan._lexicon import Lexicon
from lexiscan._result import ScanResult

_DEFAULT_BATCH = 10_000


class Matcher:
    """A lexicon compiled for matching. Immutable and safe to share between threads.

    Defaults: Unicode case folding, accent folding, whole words, leftmost-longest
    non-overlapping matches. The matcher keeps a snapshot: later changes to the lexicon do not
    reach it. The exact rules are in docs/matching.md.

    >>> lex = Lexicon().add("Russia", label="GPE").add("Alexander Fomin", ["Fomin"], label="PERSON")
    >>> m = Matcher(lex)
    >>> [(x.entity, x.text) for x in m.find("Russian envoy Alexander\\nFomin, for Russia’s army")]
    [('Alexander Fomin', 'Alexander\\nFomin'), ('Russia', 'Russia')]
    """

    def __init__(
        self,
        lexicon: Lexicon,
        case: str = "insensitive",
        accents: str = "fold",
        whole_words: bool = True,
        overlapping: bool = False,
    ) -> None:
        if not isinstance(lexicon, Lexicon):
            raise TypeError(f"Matcher needs a lexiscan.Lexicon, not {type(lexicon).__name__}")
        for name, flag in (("whole_words", whole_words), ("overlapping", overlapping)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be bool, not {type(flag).__name__}")
        for name, choice in (("case", case), ("accents", accents)):
            if not isinstance(choice, str):
                raise TypeError(f"{name} must be str, not {type(choice).__name__}")
        self._native = _lexiscan.Matcher(lexicon._native, case, accents, whole_words, overlapping)
        self._entities = self._native.entities()
        self._alias_texts = self._native.alias_texts()

    def find(self, text: str) -> list[_lexiscan.Match]:
        """All matches in one text, in order. Offsets are Python str indices.

        >>> m = Matcher(Lexicon().add("United States", ["U.S."], label="GPE"))
        >>> [(x.start, x.end, x.text) for x in m.find("The U.S., in short")]
        [(4, 8, 'U.S.')]
        """
        return self._native.find(text)

    def scan(
        self,
        docs: Iterable[Any] | pd.Series | Mapping[Any, Any],
        *,
        n_threads: int | None = None,
        batch_size: int = _DEFAULT_BATCH,
    ) -> ScanResult:
        """Find all matches in many documents, in parallel with the GIL released.

        `docs` is a list or tuple of str, a pandas Series (its index labels become the doc
        keys), a mapping key -> text, or any iterable of str (consumed in batches). Missing
        values (None, NaN, pandas.NA) are documents without matches. `n_threads` defaults to
        all cores (or the LEXISCAN_NUM_THREADS environment variable).

        >>> m = Matcher(Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> docs = pd.Series(["Kiev, now Kyiv", None], index=["a", "b"])
        >>> m.scan(docs).to_pandas()[["doc", "text"]]
          doc  text
        0   a  Kiev
        1   a  Kyiv
        """
        if isinstance(docs, (str, bytes)):
            raise TypeError(
                "scan() takes a collection of documents, not a single "
                f"{type(docs).__name__}; use find(text) or scan([text])"
            )
        if n_threads is not None and (not isinstance(n_threads, int) or n_threads < 1):
            raise ValueError(f"n_threads must be a positive int or None, not {n_threads!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, not {batch_size!r}")
        keys: pd.Index | None = None
        if isinstance(docs, pd.Series):
            keys, docs = docs.index, docs.tolist()
        elif isinstance(docs, Mapping):
            keys, docs = pd.Index(list(docs.keys())), list(docs.values())
        native = _lexiscan.ScanResult()
        n_docs = 0
        for batch in _batches(docs, batch_size):
            native.extend(self._native.scan(batch, n_docs, n_threads))
            n_docs += len(batch)
        return ScanResult(native, self._entities, self._alias_texts, keys, n_docs)

    @property
    def lexicon(self) -> Lexicon:
        """A copy of the lexicon this matcher was compiled from.

        >>> Matcher(Lexicon().add("NATO", label="ORG")).lexicon.entities
        [('NATO', 'ORG')]
        """
        lex = Lexicon()
        lex._native = self._native.lexicon()
        return lex

    def __repr__(self) -> str:
        case, accents, whole_words, overlapping = self._native.options()
        return (
            f"<Matcher: {len(self._entities)} entities, {len(self._alias_texts)} aliases; "
            f"case={case!r}, accents={accents!r}, whole_words={whole_words}, "
            f"overlapping={overlapping}>"
        )


def _batches(docs: Iterable[Any], size: int) -> Iterable[list[Any]]:
    if isinstance(docs, list):
        for at in range(0, max(len(docs), 1), size):
            yield docs[at : at + size]
        return
    try:
        iterator = iter(docs)
    except TypeError:
        raise TypeError(
            f"scan() takes a list, Series, mapping or iterable of str, not {type(docs).__name__}"
        ) from None
    while batch := list(itertools.islice(iterator, size)):
        yield batch
