"""The result of a scan: matches held column-wise in Rust until asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from lexiscan import _analysis, _display, _insights, _lexiscan, _pickling
from lexiscan._dtypes import TEXT_DTYPE as _TEXT_DTYPE
from lexiscan._optional import require
from lexiscan._plot import ScanPlots

if TYPE_CHECKING:
    from lexiscan._resolve import Resolution

COLUMNS = ["doc", "entity", "label", "alias", "start", "end", "text"]


class _Owner(Protocol):
    """The matcher of a scan, as the result reads it: its native matcher and its lexicon's
    tables (a `lexiscan.Matcher`; named by shape so this module does not import it)."""

    @property
    def _native(self) -> _lexiscan.Matcher: ...
    @property
    def _entities(self) -> list[tuple[str, str | None]]: ...
    @property
    def _alias_texts(self) -> list[str]: ...
    @property
    def _resolver(self) -> _lexiscan.Resolver: ...


def _pyarrow_available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


# With pandas 3 and pyarrow, `str` columns are Arrow arrays: build them from Rust's buffers.
_ARROW_STRINGS = _TEXT_DTYPE == "str" and _pyarrow_available()


class ScanResult:
    """All matches of a scan, one row per match, in document order.

    >>> import lexiscan
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG"))
    >>> res = m.scan(["NATO met.", "No match.", "nato, NATO"])
    >>> len(res), res.n_docs
    (3, 3)
    >>> res.to_pandas()["doc"].tolist()
    [0, 2, 2]
    """

    def __init__(
        self,
        native: _lexiscan.ScanResult,
        owner: _Owner,
        keys: pd.Index | None,
        n_docs: int,
    ) -> None:
        self._native = native
        self._owner = owner  # the matcher of the scan: its lexicon's tables and folding
        self._matcher = owner._native
        self._keys = keys
        self.n_docs = n_docs
        self._resolution: Resolution | None = None  # set by `resolve`

    # The lexicon's tables as Python lists, converted only when an analysis asks for them.
    @property
    def _entities(self) -> list[tuple[str, str | None]]:
        return self._owner._entities

    @property
    def _alias_texts(self) -> list[str]:
        return self._owner._alias_texts

    def __reduce__(self) -> tuple[Any, ...]:
        # Columns, matched texts, keys, the matcher's spec, and the documents if kept; rebuilt
        # by a module-level function, which pickle and cloudpickle both find by name.
        state = _pickling.native_state(self._native, self.n_docs)
        return (_rebuild_result, (self._owner, self._keys, state))

    @staticmethod
    def concat(results: Iterable[ScanResult]) -> ScanResult:
        """Results of one matcher over separate documents as one result, as if one scan had
        read all the documents in order: positions are renumbered, document keys kept (a key
        in two results is a ValueError naming it), and every analysis of the joined result is
        that of the whole corpus. The documents are kept only if every result kept them.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
        >>> parts = [m.scan(["NATO", "no"]), m.scan(["NATO NATO"])]
        >>> joined = lexiscan.ScanResult.concat(parts)
        >>> joined.n_docs, joined.to_pandas()["doc"].tolist()
        (3, [0, 2, 2])
        """
        parts = list(results)
        if not parts:
            raise ValueError("concat needs at least one ScanResult")
        for part in parts:
            if not isinstance(part, ScanResult):
                raise TypeError(f"concat takes ScanResults, not {type(part).__name__}")
        _pickling.check_same_matcher([part._owner for part in parts])
        keys = _pickling.joined_keys([part._keys for part in parts])
        native = _pickling.joined_native([part._native for part in parts])
        return ScanResult(native, parts[0]._owner, keys, sum(part.n_docs for part in parts))

    def __len__(self) -> int:
        return len(self._native)

    def _scan(self) -> _analysis.Scan:
        """What the analyses read: explicit inputs instead of this object's attributes."""
        return _analysis.Scan(self._native, self._matcher, self._entities, self._keys, self.n_docs)

    def _column(self, name: str, dtype: str) -> np.ndarray:
        return np.frombuffer(self._native.column(name), dtype=dtype)

    def _signed(self, *names: str) -> list[np.ndarray]:
        """Columns as signed ints of their width (int64 doc/start/end, int32 entity/alias),
        made together (one hand-off to the core's threads): each a writable view of a buffer
        made for this call alone; their values are far below the signed limits."""
        return [
            np.frombuffer(buffer, dtype="<i4" if name in ("entity", "alias") else "<i8")
            for name, buffer in zip(names, self._native.columns(list(names)))
        ]

    def _has_typos(self) -> bool:
        """Whether the matcher also found typos (`max_edits`): then rows carry `edits`."""
        return bool(self._matcher.options()["max_edits"])

    def _columns(self) -> list[str]:
        columns = COLUMNS + ["edits"] if self._has_typos() else COLUMNS
        return columns + (["score", "evidence"] if self._resolution is not None else [])

    def _resolved(self) -> dict[str, Any]:
        """The `score` and `evidence` columns of a resolved result."""
        return {} if self._resolution is None else self._resolution.columns()

    def _edits(self) -> dict[str, np.ndarray]:
        """The `edits` column (0 = exact), when the matcher looked for typos."""
        if not self._has_typos():
            return {}
        return {"edits": self._column("edits", "u1").astype(np.int64)}

    def to_pandas(self) -> pd.DataFrame:
        """One row per match: doc, entity, label, alias, start, end, text.

        `doc` is the document's key (its position, or its index label for a Series);
        `text` is ``document[start:end]``. A matcher with ``max_edits`` adds `edits` (0 for
        an exact match).

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> m.scan(["Kiev/Kyiv"]).to_pandas()[["entity", "alias", "start", "end", "text"]]
          entity alias  start  end  text
        0   Kyiv  Kiev      0    4  Kiev
        1   Kyiv  Kyiv      5    9  Kyiv
        """
        if _ARROW_STRINGS:
            return self._to_pandas_via_arrow()
        doc, entity, alias, start, end = self._signed("doc", "entity", "alias", "start", "end")
        entity, alias = entity.astype(np.intp), alias.astype(np.intp)
        names = np.array([name for name, _ in self._entities] or [""], dtype=object)
        labels = np.array([label for _, label in self._entities] or [None], dtype=object)
        alias_texts = np.array(self._alias_texts or [""], dtype=object)
        frame = pd.DataFrame(
            {
                "doc": self._doc_keys(doc),
                "entity": names.take(entity),
                "label": labels.take(entity),
                "alias": alias_texts.take(alias),
                "start": start,
                "end": end,
                "text": np.array(self._native.surfaces(), dtype=object),
                **self._edits(),
                **self._resolved(),
            },
            columns=self._columns(),
        )
        text_columns = ["entity", "label", "alias", "text"]
        return frame.astype(dict.fromkeys(text_columns, _TEXT_DTYPE))

    def _doc_keys(self, doc: np.ndarray) -> Any:
        return doc if self._keys is None else self._keys.take(doc)

    def _arrow_columns(self) -> dict[str, Any]:
        """The text columns as Arrow arrays over buffers that Rust wrote on all cores: no
        Python object per match, and no single-threaded dictionary decoding."""
        import pyarrow as pa

        n = len(self)

        def text(offsets: bytes, data: bytes, validity: bytes | None = None) -> Any:
            buffers = [pa.py_buffer(b) for b in (offsets, data)]
            null_bitmap = None if validity is None else pa.py_buffer(validity)
            return pa.LargeStringArray.from_buffers(n, *buffers, null_bitmap)

        names = ("entity", "label", "alias", "text")
        buffers = self._native.text_columns(self._matcher)
        return {name: text(*column) for name, column in zip(names, buffers)}

    def _to_pandas_via_arrow(self) -> pd.DataFrame:
        doc, start, end = self._signed("doc", "start", "end")
        dtype = pd.StringDtype("pyarrow", na_value=np.nan)
        strings = {
            name: pd.arrays.ArrowStringArray(array, dtype=dtype)
            for name, array in self._arrow_columns().items()
        }
        # copy=False: every column is a fresh buffer of this call (writable, owned by nobody
        # else), so the frame takes them as they are instead of copying them into one block.
        return pd.DataFrame(
            {
                "doc": self._doc_keys(doc),
                **{k: strings[k] for k in ("entity", "label", "alias")},
                "start": start,
                "end": end,
                "text": strings["text"],
                **self._edits(),
                **self._resolved(),
            },
            columns=self._columns(),
            copy=False,
        )

    def to_arrow(self) -> Any:
        """The matches as a `pyarrow.Table` (columns as `to_pandas`), built from the Rust
        buffers without a Python object per match. Needs pyarrow.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> m.scan(["Kiev/Kyiv"]).to_arrow().column("text").to_pylist()
        ['Kiev', 'Kyiv']
        """
        pa = require("pyarrow", "to_arrow", "arrow")

        doc, start, end = self._signed("doc", "start", "end")
        keys = self._doc_keys(doc)
        columns = self._arrow_columns()
        return pa.table(
            {
                "doc": pa.array(np.asarray(keys)),
                "entity": columns["entity"],
                "label": columns["label"],
                "alias": columns["alias"],
                "start": pa.array(start),
                "end": pa.array(end),
                "text": columns["text"],
                **{k: pa.array(v) for k, v in self._edits().items()},
                **{k: pa.array(np.asarray(v)) for k, v in self._resolved().items()},
            }
        )

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The Arrow PyCapsule stream interface: ``pa.table(result)``, ``pl.DataFrame(result)``."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def resolve(self, min_score: float = 0.0, window: int = 10) -> ScanResult:
        """At most one entity per mention: where an alias names several entities ("Georgia":
        the country, the US state), choose one from the document itself. Rules in order: the
        "Place, Region" pattern ("Paris, Texas"), the candidates' context phrases within
        `window` words, what else the document names unambiguously (the candidate, its parent,
        children, siblings), one sense per alias per document, and last the prior `weight`
        (Lexicon.add's parent, weight and context; docs/resolving.md).

        Returns a ScanResult whose `to_pandas()` adds `score` (NaN where the mention was not
        ambiguous) and `evidence` (the rule that decided). A mention whose score stays below
        `min_score` is left out and listed by `.dropped`. Every analysis works on the result.

        >>> import lexiscan
        >>> lex = (lexiscan.Lexicon()
        ...     .add("Georgia", label="COUNTRY", weight=3.7e6, context=["Tbilisi"])
        ...     .add("Georgia", label="US_STATE", weight=10.7e6)
        ...     .add("Atlanta", label="CITY", parent=("Georgia", "US_STATE")))
        >>> res = lexiscan.Matcher(lex).scan(["Talks in Tbilisi, Georgia.", "Atlanta, Georgia"])
        >>> res.to_pandas()[["doc", "label"]].values.tolist()
        [[0, 'COUNTRY'], [0, 'US_STATE'], [1, 'CITY'], [1, 'COUNTRY'], [1, 'US_STATE']]
        >>> res.resolve().to_pandas()[["doc", "entity", "label", "evidence"]]
           doc   entity     label     evidence
        0    0  Georgia   COUNTRY      context
        1    1  Atlanta      CITY  unambiguous
        2    1  Georgia  US_STATE      pattern
        """
        from lexiscan import _resolve

        return _resolve.resolve(self, min_score, window)

    @property
    def dropped(self) -> ScanResult:
        """The mentions that `resolve` left out (score below `min_score`): each with its best
        candidate, `score` and `evidence`.

        >>> import lexiscan
        >>> lex = lexiscan.Lexicon().add("Jordan", label="COUNTRY").add("Jordan", label="RIVER")
        >>> res = lexiscan.Matcher(lex).scan(["Jordan scored 30 points."]).resolve(min_score=1)
        >>> len(res)
        0
        >>> res.dropped.to_pandas()[["text", "label", "score", "evidence"]]
             text    label  score evidence
        0  Jordan  COUNTRY    0.5    prior
        """
        if self._resolution is None or self._resolution.dropped is None:
            raise ValueError("only a result of resolve() has dropped mentions")
        return self._resolution.dropped

    @property
    def plot(self) -> ScanPlots:
        """Pictures in one call: ``.plot.counts()`` (heatmap), ``.plot.cooccurrence()``
        (network), ``.plot.frequency(groups=...)`` (bars); each returns the matplotlib Axes.
        Needs the ``notebook`` extra (matplotlib, networkx).

        >>> import lexiscan
        >>> res = lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(["NATO"])
        >>> type(res.plot).__name__
        'ScanPlots'
        """
        return ScanPlots(self)

    def counts(self, by: str = "entity", presence: bool = False, sparse: bool = False) -> Any:
        """Documents x entities (or x labels with ``by="label"``): mentions per document.

        Rows are every scanned document (keys as in `to_pandas`), columns the entities in
        lexicon order ("name (label)" where two entities share a name). ``presence=True``
        gives 0/1; ``sparse=True`` a `SparseCounts` (scipy CSR matrix, row and column keys).

        >>> import lexiscan
        >>> lex = lexiscan.Lexicon().add("NATO", label="ORG").add("Kyiv", label="GPE")
        >>> lexiscan.Matcher(lex).scan(["NATO NATO Kyiv", "none"]).counts()
           NATO  Kyiv
        0     2     1
        1     0     0
        """
        return _analysis.counts(self._scan(), by, presence, sparse)

    def frequency(self, by: str = "entity", groups: Any = None) -> pd.DataFrame:
        """Per entity (or label): mentions, rank, documents mentioning, share of documents.

        The shape of quanteda's ``textstat_frequency``: feature, frequency, rank (ties share
        the best rank), docfreq, share; with `groups` (one value per document, or a Series
        indexed by doc key) one block per group with a ``group`` column.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
        >>> m.scan(["NATO NATO Kyiv", "Kyiv"]).frequency()
          feature  frequency  rank  docfreq  share
        0    NATO          2     1        1    0.5
        1    Kyiv          2     1        2    1.0
        """
        return _analysis.frequency(self._scan(), by, groups)

    def cooccurrence(
        self, window: str | int = "document", as_: str = "frame", by: str = "entity"
    ) -> pd.DataFrame:
        """How often entities appear together.

        ``window="document"`` / ``"sentence"`` counts the documents / sentences (Unicode
        sentence boundaries) in which both appear; an int N counts the pairs of mentions at
        most N words apart. ``as_="frame"`` gives a symmetric entity x entity DataFrame with a
        zero diagonal, ``as_="edges"`` a source, target, weight list for
        ``networkx.from_pandas_edgelist``.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Russia").add("Kyiv"))
        >>> res = m.scan(["NATO met Russia. Kyiv waited.", "Russia, Kyiv"])
        >>> res.cooccurrence(as_="edges")
           source  target  weight
        0    NATO  Russia       1
        1    NATO    Kyiv       1
        2  Russia    Kyiv       2
        >>> res.cooccurrence("sentence", as_="edges")
           source  target  weight
        0    NATO  Russia       1
        1  Russia    Kyiv       1
        """
        return _analysis.cooccurrence(self._scan(), window, as_, by)

    def kwic(self, pattern: str, window: int = 5, unit: str = "words") -> pd.DataFrame:
        """Keyword in context for an entity (canonical name) or an alias.

        Columns as quanteda's ``kwic``: docname, from, to (character offsets), pre, keyword,
        post, pattern (the alias), plus entity. The window is in words (default 5) or, with
        ``unit="chars"``, characters cut back to word boundaries.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Alexander Fomin", ["Fomin"]))
        >>> res = m.scan(["Deputy Defence Minister Alexander\\nFomin said no."])
        >>> res.kwic("Alexander Fomin", 2)[["pre", "keyword", "post"]].values.tolist()
        [['Defence Minister', 'Alexander\\nFomin', 'said no']]
        """
        return _analysis.kwic(
            self._scan(), self._alias_texts, self.to_pandas, pattern, window, unit
        )

    def compare(self, groups: Any, by: str = "entity") -> pd.DataFrame:
        """Who each group (outlet) talks about more: keyness of each entity for each group
        against the rest, as quanteda's ``textstat_keyness``: signed chi-squared with Yates'
        correction and its p-value, and log-likelihood G2 and its p-value (1 degree of freedom).
        `groups` gives one value per document (or a Series indexed by doc key).

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Russia"))
        >>> res = m.scan(["NATO NATO NATO Russia", "Russia Russia Russia NATO"])
        >>> res.compare(["A", "B"])[["group", "feature", "n_target", "n_reference"]]
          group feature  n_target  n_reference
        0     A    NATO         3            1
        1     A  Russia         1            3
        2     B  Russia         3            1
        3     B    NATO         1            3
        """
        return _analysis.compare(self._scan(), groups, by)

    def figures(self, groups: Any = None) -> pd.DataFrame:
        """Every number in a sentence that has a match, one row per figure: doc, figure (as
        written), value, hedge ("nearly", "more than"), unit (the counted noun: "troops",
        "people killed"), entities (of the sentence), sentence, start, end (offsets in the
        document). With `groups` (as in `compare`), a group column. Rules: docs/insights.md.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Ukraine", label="GPE"))
        >>> res = m.scan(["Nearly 100,000 troops massed near Ukraine. No match: 7 days."])
        >>> res.figures()[["figure", "value", "hedge", "unit", "entities"]]
            figure     value   hedge    unit   entities
        0  100,000  100000.0  nearly  troops  [Ukraine]
        """
        return _insights.figures(self._scan(), groups)

    def disagreements(
        self, groups: Any, max_ratio: float = 1.5, hedges: bool = True
    ) -> pd.DataFrame:
        """Figures about the same thing that groups (outlets) report differently: figures with
        the same unit, sharing an entity and within `max_ratio` of each other, are one topic;
        a topic told by two or more groups is a disagreement of kind "value" when the values
        differ, or of kind "hedge" when only the wording differs (`hedges=False` drops those).
        One row per figure, with each group's value, hedge and sentence.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Donbas", ["Donbass"]))
        >>> res = m.scan(["In Donbass, more than 14,000 people were killed.",
        ...               "The war in Donbas has killed 13,000 people."])
        >>> res.disagreements(["A", "B"])[["group", "value", "hedge", "unit", "kind"]]
          group    value      hedge           unit   kind
        0     A  14000.0  more than  people killed  value
        1     B  13000.0             people killed  value
        """
        return _insights.disagreements(self._scan(), groups, max_ratio, hedges)

    def descriptions(
        self, label: str = "TITLE", window: int = 3, groups: Any = None
    ) -> pd.DataFrame:
        """How the documents describe their entities: each match of an entity with `label`
        (titles, roles) paired with the nearest other match of its sentence at most `window`
        words away, before or after ("U.S. Deputy Secretary of State Wendy Sherman", "Wendy R.
        Sherman, the assistant secretary of state"). One row per pair: doc, entity, label,
        text, description (the describing entity), description_text, start, end (of the
        described match). With `groups` (as in `compare`), a group column.

        >>> import lexiscan
        >>> lex = (lexiscan.Lexicon().add("Wendy R. Sherman", ["Wendy Sherman"], label="PERSON")
        ...        .add("Deputy Secretary of State", label="TITLE")
        ...        .add("Assistant Secretary of State", label="TITLE"))
        >>> res = lexiscan.Matcher(lex).scan([
        ...     "U.S. Deputy Secretary of State Wendy Sherman said.",
        ...     "Wendy R. Sherman, the assistant secretary of state, said."])
        >>> res.descriptions(groups=["Daily", "Live"])[["group", "entity", "description"]]
           group            entity                   description
        0  Daily  Wendy R. Sherman     Deputy Secretary of State
        1   Live  Wendy R. Sherman  Assistant Secretary of State
        """
        return _insights.descriptions(self._scan(), self.to_pandas, label, window, groups)

    def audit(self, groups: Any = None, min_chars: int = 5, max_edits: int = 1) -> _insights.Audit:
        """How each group names the lexicon: `aliases_used` (group, entity, alias as written,
        count), `never_matched` (entities of the lexicon without a match, per group) and
        `near_misses` — words within `max_edits` (1 or 2) of a word of an alias of at least
        `min_chars` characters that matched nothing ("formin" for Fomin), found with a
        deletion index, never mixed into the matches. Returns a named tuple of DataFrames.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Alexander Fomin", ["Fomin"]))
        >>> a = m.scan(["Fomin spoke.", "Deputy minister Alexander formin."]).audit()
        >>> a.near_misses[["doc", "word", "alias_word", "entity", "distance"]]
           doc    word alias_word           entity  distance
        0    1  formin      fomin  Alexander Fomin         1
        """
        return _insights.audit(self._scan(), self.to_pandas, groups, min_chars, max_edits)

    def highlight(self, doc: Any, colours: dict[str, str] | None = None) -> _display.Highlighted:
        """One document as static HTML with its matches marked and labelled (inline styles,
        ``$`` escaped for MathJax); it renders itself in Jupyter, VS Code and Colab.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG"))
        >>> html = m.scan(["NATO <costs> $5bn"]).highlight(0).html
        >>> "NATO<span" in html and "&lt;costs&gt; &#36;5bn" in html
        True
        """
        return _analysis.highlight(self._scan(), doc, colours)

    def _repr_html_(self) -> str:
        """A notebook view: size, the most mentioned entities, the first matches."""
        top = self.frequency().head(8)
        return _display.scan_result_html(len(self), self.n_docs, top, self.to_pandas().head(10))

    def __repr__(self) -> str:
        return f"<ScanResult: {len(self)} matches in {self.n_docs} documents>"


def _rebuild_result(owner: _Owner, keys: pd.Index | None, state: dict[str, Any]) -> ScanResult:
    """A pickled ScanResult back (see `ScanResult.__reduce__`)."""
    return ScanResult(_pickling.native_from_state(state), owner, keys, state["n_docs"])
