"""The Matcher: a lexicon compiled for matching, and scanning of whole corpora."""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from lexiscan import _atomic, _lexiscan
from lexiscan._lexicon import Lexicon
from lexiscan._optional import require
from lexiscan._result import ScanResult

_DEFAULT_BATCH = 10_000
# Matchers rebuilt from bytes in this process, by fingerprint: the second unpickle of the same
# matcher in a worker (every Dask task, every Spark batch) costs a hash, not a rebuild.
_REBUILT: OrderedDict[str, Matcher] = OrderedDict()
_REBUILT_MAX = 8
_REBUILT_LOCK = threading.Lock()

PathLike = str | os.PathLike[str]


class Matcher:
    """A lexicon compiled for matching. Immutable and safe to share between threads.

    Defaults: Unicode case folding, accent folding, whole words, leftmost-longest
    non-overlapping matches. The matcher keeps a snapshot: later changes to the lexicon do not
    reach it. The exact rules are in docs/matching.md.

    `max_edits=1` (or 2) also finds aliases written with that many edits inside one of their
    words of at least `typo_min_chars` characters ("Lavrow" for Lavrov); such matches never
    overlap an exact one, and their `edits` (a column of `to_pandas()`) says how far they are.
    Off by default: it costs a lookup per word (benches/bench_scan.py).

    >>> lex = Lexicon().add("Russia", label="GPE").add("Alexander Fomin", ["Fomin"], label="PERSON")
    >>> m = Matcher(lex)
    >>> [(x.entity, x.text) for x in m.find("Russian envoy Alexander\\nFomin, for Russia’s army")]
    [('Alexander Fomin', 'Alexander\\nFomin'), ('Russia', 'Russia')]
    >>> typos = Matcher(Lexicon().add("Sergei Lavrov", ["Lavrov"]), max_edits=1)
    >>> [(x.text, x.edits) for x in typos.find("Sergei Lavrow met Lavrov")]
    [('Sergei Lavrow', 1), ('Lavrov', 0)]
    """

    def __init__(
        self,
        lexicon: Lexicon,
        case: str = "insensitive",
        accents: str = "fold",
        whole_words: bool = True,
        overlapping: bool = False,
        max_edits: int = 0,
        typo_min_chars: int = 5,
    ) -> None:
        if not isinstance(lexicon, Lexicon):
            raise TypeError(f"Matcher needs a lexiscan.Lexicon, not {type(lexicon).__name__}")
        for name, flag in (("whole_words", whole_words), ("overlapping", overlapping)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be bool, not {type(flag).__name__}")
        for name, choice in (("case", case), ("accents", accents)):
            if not isinstance(choice, str):
                raise TypeError(f"{name} must be str, not {type(choice).__name__}")
        for name, number in (("max_edits", max_edits), ("typo_min_chars", typo_min_chars)):
            if not isinstance(number, int) or isinstance(number, bool):
                raise TypeError(f"{name} must be int, not {type(number).__name__}")
        self._adopt(
            _lexiscan.Matcher(
                lexicon._native,
                case,
                accents,
                whole_words,
                overlapping,
                max_edits,
                typo_min_chars,
            )
        )

    def _adopt(self, native: _lexiscan.Matcher) -> None:
        self._native = native
        self._fingerprint: str | None = None

    # The lexicon's tables as Python lists, made when first needed (a million aliases take a
    # noticeable moment to convert, and many matchers are only ever used to scan).
    @functools.cached_property
    def _entities(self) -> list[tuple[str, str | None]]:
        return self._native.entities()

    @functools.cached_property
    def _alias_texts(self) -> list[str]:
        return self._native.alias_texts()

    @functools.cached_property
    def _resolver(self) -> _lexiscan.Resolver:
        """Parents, weights and context phrases indexed for `ScanResult.resolve`, once."""
        return _lexiscan.Resolver(self._native)

    @classmethod
    def _from_native(cls, native: _lexiscan.Matcher) -> Matcher:
        matcher = cls.__new__(cls)
        matcher._adopt(native)
        return matcher

    @classmethod
    def from_bytes(cls, data: bytes) -> Matcher:
        """A matcher rebuilt from `to_bytes()`. Rebuilds are cached per process by fingerprint.

        >>> m = Matcher(Lexicon().add("Kyiv", ["Kiev"]))
        >>> Matcher.from_bytes(m.to_bytes()).find("Kiev")[0].entity
        'Kyiv'
        """
        return cls._rebuild(hashlib.sha256(data).hexdigest(), data)

    @classmethod
    def _rebuild(cls, fingerprint: str, data: bytes) -> Matcher:
        # Matchers are immutable, so the cached one is handed out as it is.
        with _REBUILT_LOCK:
            matcher = _REBUILT.get(fingerprint)
            if matcher is not None:
                _REBUILT.move_to_end(fingerprint)
                return matcher
        matcher = cls._from_native(_lexiscan.Matcher.from_bytes(data))
        matcher._fingerprint = fingerprint
        with _REBUILT_LOCK:
            _REBUILT[fingerprint] = matcher
            while len(_REBUILT) > _REBUILT_MAX:
                _REBUILT.popitem(last=False)
        return matcher

    def to_bytes(self) -> bytes:
        """The matcher as versioned bytes (lexicon and options; the automaton is rebuilt).

        >>> data = Matcher(Lexicon().add("NATO")).to_bytes()
        >>> data[:8]
        b'LEXISCAN'
        """
        return self._native.to_bytes()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of `to_bytes()`: equal lexicons with equal options have equal fingerprints.

        >>> a, b = Matcher(Lexicon().add("NATO")), Matcher(Lexicon().add("NATO"))
        >>> a.fingerprint == b.fingerprint
        True
        """
        if self._fingerprint is None:
            self._fingerprint = hashlib.sha256(self.to_bytes()).hexdigest()
        return self._fingerprint

    def save(self, path: PathLike) -> None:
        """Write the matcher to a file (magic, format version, checksum, then the spec).

        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "nato.lexiscan")
        >>> Matcher(Lexicon().add("NATO")).save(path)
        >>> Matcher.load(path).find("nato")[0].text
        'nato'
        """
        _atomic.write_bytes(path, self.to_bytes())

    @classmethod
    def load(cls, path: PathLike) -> Matcher:
        """Read a matcher written by `save`; a damaged or foreign file raises ValueError.

        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "kyiv.lexiscan")
        >>> Matcher(Lexicon().add("Kyiv", ["Kiev"])).save(path)
        >>> [(x.entity, x.text) for x in Matcher.load(path).find("Kiev, Kyiv")]
        [('Kyiv', 'Kiev'), ('Kyiv', 'Kyiv')]
        """
        return cls.from_bytes(Path(path).read_bytes())

    def __reduce__(self) -> tuple[Any, ...]:
        # The fingerprint travels with the bytes, so a worker that has this matcher already
        # finds it without hashing the bytes again.
        # A module-level function: cloudpickle would copy a bound classmethod by value, with
        # this module's lock.
        return (_rebuild_matcher, (self.fingerprint, self.to_bytes()))

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("lexiscan.Matcher", self.fingerprint)

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
        batch_size: int | None = None,
        progress: bool | None = None,
        keep_text: bool | None = None,
    ) -> ScanResult:
        """Find all matches in many documents, in parallel with the GIL released.

        `docs` is a list or tuple of str, a pandas Series (its index labels become the doc
        keys), a mapping key -> text, or any iterable of str (consumed in batches). Missing
        values (None, NaN, pandas.NA) are documents without matches. `n_threads` defaults to
        all cores (or the LEXISCAN_NUM_THREADS environment variable). Documents go to Rust
        `batch_size` at a time (None: a collection in one call, so the cores never wait for
        Python between batches; an iterator 10,000 at a time); `progress=True` shows a tqdm bar
        that moves batch by batch (None: only for more than 100,000 documents), which works in
        notebooks and terminals alike. The result keeps the documents for kwic, highlight and
        sentence/word co-occurrence; for an iterator (a stream) it does not unless
        ``keep_text=True``, so memory stays one batch.

        >>> m = Matcher(Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> docs = pd.Series(["Kiev, now Kyiv", None], index=["a", "b"])
        >>> m.scan(docs).to_pandas()[["doc", "text"]]
          doc  text
        0   a  Kiev
        1   a  Kyiv
        """
        parts = []
        n_docs = 0
        keys: pd.Index | None = None
        for part in self._scan_parts(docs, n_threads, batch_size, progress, keep_text):
            parts.append(part._native)
            n_docs, keys = part.n_docs, part._keys
        native = _lexiscan.ScanResult.concat(parts)
        return ScanResult(native, self, keys, n_docs)

    def scan_to_parquet(
        self,
        docs: Iterable[Any] | pd.Series | Mapping[Any, Any],
        path: PathLike,
        *,
        n_threads: int | None = None,
        batch_size: int = _DEFAULT_BATCH,
        progress: bool | None = None,
        resume: bool = False,
    ) -> int:
        """Scan a corpus larger than memory: each batch's matches are written to Parquet as
        soon as they are found, so memory holds one batch, never the whole result.
        Columns as `ScanResult.to_pandas`; returns the number of matches. Needs pyarrow.

        The file appears at `path` only when the scan has finished (until then it is a hidden
        temporary file beside it): an interrupted scan leaves the previous file, if any, as it
        was. With ``resume=True`` `path` is a folder of parts and a manifest, committed after
        each batch; calling again with the same documents and matcher skips the documents
        done. Read it with `lexiscan.read_scan`, which refuses an unfinished run.

        >>> import os, tempfile, pandas as pd
        >>> path = os.path.join(tempfile.mkdtemp(), "matches.parquet")
        >>> m = Matcher(Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> m.scan_to_parquet((t for t in ["Kiev", "none", "Kyiv"]), path, batch_size=1)
        2
        >>> pd.read_parquet(path)[["doc", "text"]].values.tolist()
        [[0, 'Kiev'], [2, 'Kyiv']]
        """
        pq = require("pyarrow.parquet", "scan_to_parquet", "arrow")
        if resume:
            from lexiscan import _resumable

            return _resumable.scan_to_dataset(self, docs, path, n_threads, batch_size, progress)

        found = 0
        with _atomic.atomic_path(path) as tmp:
            writer = None
            try:
                for part in self._scan_parts(docs, n_threads, batch_size, progress, False):
                    table = part.to_arrow()
                    if writer is None:
                        writer = pq.ParquetWriter(os.fspath(tmp), table.schema)
                    writer.write_table(table)
                    found += len(part)
                if writer is None:  # no documents: an empty file with the columns
                    pq.write_table(self.scan([]).to_arrow(), os.fspath(tmp))
            finally:
                if writer is not None:
                    writer.close()
        return found

    def _scan_parts(
        self,
        docs: Iterable[Any] | pd.Series | Mapping[Any, Any],
        n_threads: int | None,
        batch_size: int | None,
        progress: bool | None,
        keep_text: bool | None,
        start: int | None = None,
    ) -> Iterator[ScanResult]:
        """The results of one batch at a time (document keys as in `scan`).

        `start` (for resumed scans) skips that many documents, numbering the rest from it,
        and cuts Arrow sources into batches too; a stream shorter than `start` raises.
        """
        if isinstance(docs, (str, bytes)):
            raise TypeError(
                "scan() takes a collection of documents, not a single "
                f"{type(docs).__name__}; use find(text) or scan([text])"
            )
        if isinstance(docs, pd.DataFrame):
            # Iterating a DataFrame gives its column names: never what was meant.
            raise TypeError(
                "scan() takes one column of documents, not a DataFrame; pass the text "
                "column, e.g. scan(frame['text'])"
            )
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"batch_size must be a positive int or None, not {batch_size!r}")
        keys: pd.Index | None = None
        if keep_text is None:  # documents already in memory are kept; a stream's are not
            keep_text = isinstance(docs, (list, tuple, pd.Series, Mapping)) or (
                _arrow_source(docs) is not None
            )
        arrow = _arrow_source(docs)
        if arrow is not None:
            # Strings already in Arrow memory are read in place, all at once: batching would
            # only copy them.
            if isinstance(docs, pd.Series):
                keys = docs.index
            if start is None:
                native = self._native.scan_arrow(arrow, 0, n_threads, keep_text)
                yield ScanResult(native, self, keys, native.document_count())
                return
            yield from self._scan_arrow_batches(arrow, keys, start, n_threads, batch_size)
            return
        if isinstance(docs, pd.Series):
            keys, docs = docs.index, docs.tolist()
        elif isinstance(docs, Mapping):
            keys, docs = pd.Index(list(docs.keys())), list(docs.values())
        n_docs = start or 0
        if n_docs:
            docs = _skip(docs, n_docs)
        total = len(docs) if isinstance(docs, (list, tuple)) else None
        bar = _progress_bar(progress, total)
        if batch_size is None:
            # A bar moves only between batches, and an iterator is read a batch at a time.
            batch_size = _DEFAULT_BATCH if total is None or bar is not None else max(total, 1)
        try:
            for batch in _batches(docs, batch_size):
                native = self._native.scan(batch, n_docs, n_threads, keep_text)
                n_docs += len(batch)
                if bar is not None:
                    bar.update(len(batch))
                yield ScanResult(native, self, keys, n_docs)
        finally:
            if bar is not None:
                bar.close()

    def _scan_arrow_batches(
        self, arrow: Any, keys: pd.Index | None, start: int, n_threads: int | None, size: int | None
    ) -> Iterator[ScanResult]:
        import pyarrow as pa

        column = pa.chunked_array(arrow)
        if len(column) < start:
            raise ValueError(_too_short(len(column), start))
        size = size or _DEFAULT_BATCH
        for at in range(start, len(column), size):
            native = self._native.scan_arrow(column.slice(at, size), at, n_threads, False)
            yield ScanResult(native, self, keys, min(at + size, len(column)))

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
        o = self._native.options()
        typos = (
            f", max_edits={o['max_edits']}, typo_min_chars={o['typo_min_chars']}"
            if o["max_edits"]
            else ""
        )
        return (
            f"<Matcher: {len(self._entities)} entities, {len(self._alias_texts)} aliases; "
            f"case={o['case']!r}, accents={o['accents']!r}, whole_words={o['whole_words']}, "
            f"overlapping={o['overlapping']}{typos}>"
        )


def _rebuild_matcher(fingerprint: str, data: bytes) -> Matcher:
    """A pickled matcher back in this process: rebuilt once, then taken from the cache."""
    return Matcher._rebuild(fingerprint, data)


def _arrow_source(docs: Any) -> Any:
    """An object with `__arrow_c_stream__` for documents held as Arrow strings, else None.

    pyarrow arrays and chunked arrays, polars Series (string_view), and pandas Series with
    Arrow-backed strings (pandas 3's `str`) qualify; object-dtype Series and lists do not.
    """
    if isinstance(docs, pd.Series):
        dtype = docs.dtype
        arrow_backed = (
            isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
        ) or isinstance(dtype, getattr(pd, "ArrowDtype", ()))
        if not arrow_backed:
            return None
        if hasattr(docs, "__arrow_c_stream__"):
            return docs
        import pyarrow as pa

        return pa.chunked_array(docs.array)
    if isinstance(docs, (pd.DataFrame, pd.Index)):
        return None
    if hasattr(docs, "__arrow_c_stream__"):
        return docs
    if hasattr(docs, "__arrow_c_array__"):
        import pyarrow as pa

        return pa.chunked_array([docs])
    return None


def _progress_bar(progress: bool | None, total: int | None) -> Any:
    # Drawn from Python, batch by batch: bars printed from Rust misbehave in Jupyter.
    if progress is None:
        progress = total is not None and total > 10 * _DEFAULT_BATCH
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", desc="lexiscan")


def _too_short(n_docs: int, start: int) -> str:
    return (
        f"the documents end after {n_docs:,}, but {start:,} were already scanned: "
        "resume with the same documents, in the same order"
    )


def _skip(docs: Iterable[Any], n: int) -> Iterable[Any]:
    """`docs` without its first `n` documents (read past for a stream)."""
    if isinstance(docs, (list, tuple)):
        if len(docs) < n:
            raise ValueError(_too_short(len(docs), n))
        return list(docs[n:])
    iterator = iter(docs)
    skipped = sum(1 for _ in itertools.islice(iterator, n))
    if skipped < n:
        raise ValueError(_too_short(skipped, n))
    return iterator


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
