"""The Lexicon: canonical entities with a label and their aliases."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from lexiscan import _display, _lexiscan, formats

if TYPE_CHECKING:
    import pandas as pd

AliasSpec = str | Mapping[str, Any]
# A column of a table of aliases: a sequence, a pandas column, or an Arrow array.
Column = Sequence[Any] | Any
ParentSpec = str | tuple[str, str | None]


def _parent_pair(entity: str, parent: Any) -> tuple[str, str | None] | None:
    """`parent` as (name, label or None: any label), checked."""
    if parent is None:
        return None
    if isinstance(parent, str):
        return (parent, None)
    if (
        isinstance(parent, tuple)
        and len(parent) == 2
        and isinstance(parent[0], str)
        and (parent[1] is None or isinstance(parent[1], str))
    ):
        return (parent[0], parent[1])
    raise TypeError(
        f"parent of {entity!r} must be an entity name or a (name, label) tuple, not {parent!r}"
    )


def _weight_value(entity: str, weight: Any) -> float | None:
    """`weight` as a float (numpy numbers too); its range is checked in the core."""
    if weight is None:
        return None
    if isinstance(weight, (bool, str, bytes)) or not hasattr(weight, "__float__"):
        raise TypeError(f"weight of {entity!r} must be a number, not {type(weight).__name__}")
    return float(weight)


def _context_list(entity: str, context: Any) -> list[str]:
    if context is None:
        return []
    if isinstance(context, str):
        return [context]
    items = list(context)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"context phrase {item!r} of {entity!r} is {type(item).__name__}, not str"
            )
    return items


def pd_value_counts(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def _alias_list(entity: str, aliases: str | Iterable[str]) -> list[str]:
    if isinstance(aliases, str):
        return [aliases]
    try:
        items = list(aliases)
    except TypeError:
        raise TypeError(
            f"aliases of {entity!r} must be a str or an iterable of str, "
            f"not {type(aliases).__name__}"
        ) from None
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"alias {item!r} of {entity!r} is {type(item).__name__}, not str")
    return items


def _text_column(values: Any) -> Any:
    """A column of texts as the core takes it: a list, or an Arrow array read in place.

    Object columns (pandas, numpy) become lists, so that a value that is not text is named
    by its row; the rest of what is not Arrow becomes a list.
    """
    if isinstance(values, (list, tuple)):
        return values
    dtype = getattr(values, "dtype", None)
    if hasattr(values, "isna") and str(dtype) == "object":  # pandas: NaN and NA are None
        missing = values.isna()
        return (values.where(~missing, None) if missing.any() else values).tolist()
    if hasattr(values, "__arrow_c_stream__") or hasattr(values, "__arrow_c_array__"):
        return values
    if getattr(dtype, "kind", None) in ("O", "U") and hasattr(values, "tolist"):
        return values.tolist()  # numpy
    return list(values)


def _flag_column(values: Any) -> Any:
    """A column of case_sensitive flags as the core takes it (see `_text_column`)."""
    if isinstance(values, (list, tuple)):
        return values
    if (
        hasattr(values, "dtype")
        and hasattr(values, "tolist")
        and not hasattr(values, "__arrow_c_stream__")
    ):
        return values.tolist()  # numpy
    if getattr(getattr(values, "dtype", None), "kind", None) == "O":
        return values.tolist()
    if hasattr(values, "__arrow_c_stream__") or hasattr(values, "__arrow_c_array__"):
        return values
    return list(values)


def _plain_list(values: Any) -> list[Any]:
    if isinstance(values, list):
        return values
    for method in ("to_pylist", "tolist", "to_list"):
        if hasattr(values, method):
            return list(getattr(values, method)())
    return list(values)


def _row_infos(
    entities: Any, parents: Any, weights: Any, contexts: Any
) -> list[tuple[int, tuple[str, str | None] | None, float | None, list[str]]]:
    """(row, parent, weight, context) of every row that gives any of them, checked for type;
    the core checks their values before it adds anything."""
    if parents is None and weights is None and contexts is None:
        return []
    names = _plain_list(entities)
    n = len(names)
    columns: list[list[Any]] = []
    for given, what in ((parents, "parents"), (weights, "weights"), (contexts, "contexts")):
        values: list[Any] = [None] * n if given is None else _plain_list(given)
        if len(values) != n:
            raise ValueError(f"add_many got {n} entities but {len(values)} {what}")
        columns.append(values)
    infos = []
    for i, (name, parent, weight, context) in enumerate(zip(names, *columns)):
        if weight is not None and weight != weight:  # an empty cell of a frame (NaN)
            weight = None
        if parent is not None or weight is not None or context is not None:
            infos.append(
                (
                    i,
                    _parent_pair(name, parent),
                    _weight_value(name, weight),
                    _context_list(name, context),
                )
            )
    return infos


def _alias_specs(value: Any) -> Any:
    """An iterable of alias specs as a list (a str stays a str)."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        return value
    return [dict(spec) if isinstance(spec, Mapping) else spec for spec in value]


class Lexicon:
    """Entities (a canonical name and a label) with their aliases.

    The canonical name is itself an alias. Adding to an entity that exists (same name and
    label) merges the new aliases into it; "Washington" as PERSON and as GPE are two entities.

    >>> lex = Lexicon()
    >>> _ = lex.add("Jens Stoltenberg", ["Stoltenberg", "NATO Secretary General"], label="PERSON")
    >>> _ = lex.add("United States", ["U.S.", "America"], label="GPE")
    >>> _ = lex.add("United States", ["US"], label="GPE", case_sensitive=True)
    >>> len(lex), lex.labels
    (2, ['GPE', 'PERSON'])
    """

    def __init__(self) -> None:
        self._native = _lexiscan.Lexicon()

    def add(
        self,
        entity: str,
        aliases: str | Iterable[str] = (),
        label: str | None = None,
        case_sensitive: bool = False,
        *,
        name_is_alias: bool = True,
        parent: ParentSpec | None = None,
        weight: float | None = None,
        context: str | Iterable[str] | None = None,
    ) -> Lexicon:
        """Add `aliases` to `entity` (created if new, with its name as first alias).

        `case_sensitive=True` makes these aliases match only their exact capitalisation (so
        "US" does not match "us"). `name_is_alias=False` creates the entity without making its
        name an alias — for category names that are not words (a topic "economy" that should
        count "inflation" and "jobs", not the word "economy"). Nothing is added if any alias is
        invalid. Returns the lexicon.

        Three fields serve `ScanResult.resolve` (docs/resolving.md): `parent` names the entity
        this one belongs to (a city's state), by name or as ``(name, label)`` where a name
        repeats across labels — checked when a Matcher is built (a missing parent or a cycle
        raises ValueError); `weight` is a prior such as a population (a number, 0 or more);
        `context` lists words or phrases that vouch for the entity when they stand near a
        mention. Given again, `parent` and `weight` replace the old value, `context` adds.

        >>> lex = Lexicon().add("NATO", ["North Atlantic Treaty Organization"], label="ORG")
        >>> lex.aliases_of("NATO")
        ['NATO', 'North Atlantic Treaty Organization']
        >>> _ = lex.add("economy", ["inflation", "jobs"], label="TOPIC", name_is_alias=False)
        >>> lex.aliases_of("economy")
        ['inflation', 'jobs']
        >>> _ = lex.add("Georgia", label="COUNTRY", weight=3.7e6, context=["Tbilisi", "Caucasus"])
        >>> _ = lex.add("Atlanta", label="CITY", parent=("Georgia", "US_STATE"))
        >>> lex.info("Georgia")
        {'parent': None, 'weight': 3700000.0, 'context': ['Tbilisi', 'Caucasus']}
        """
        if not isinstance(entity, str):
            raise TypeError(f"entity must be str, not {type(entity).__name__}: {entity!r}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label of {entity!r} must be str or None, not {type(label).__name__}")
        if not isinstance(case_sensitive, bool):
            raise TypeError(f"case_sensitive must be bool, not {type(case_sensitive).__name__}")
        if not isinstance(name_is_alias, bool):
            raise TypeError(f"name_is_alias must be bool, not {type(name_is_alias).__name__}")
        aliases = _alias_list(entity, aliases)
        self._native.add(
            entity,
            aliases,
            label,
            case_sensitive,
            name_is_alias,
            _parent_pair(entity, parent),
            _weight_value(entity, weight),
            _context_list(entity, context),
        )
        return self

    def info(self, entity: str, label: str | None = None) -> dict[str, Any]:
        """The `parent`, `weight` and `context` of `entity` (the first of that name unless
        `label` is given). A parent is a name, or ``(name, label)`` when given so.

        >>> Lexicon().add("Paris", label="GPE", parent="France", weight=2.1e6).info("Paris")
        {'parent': 'France', 'weight': 2100000.0, 'context': []}
        """
        infos = self._native.resolution_info()
        for (name, lab), (parent, parent_label, weight, context) in zip(self.entities, infos):
            if name == entity and (label is None or lab == label):
                shown: Any = parent if parent_label is None else (parent, parent_label)
                return {"parent": shown, "weight": weight, "context": context}
        raise KeyError(
            f"no entity {entity!r}" + ("" if label is None else f" with label {label!r}")
        )

    def add_many(
        self,
        entities: Column,
        aliases: Column,
        labels: Column | str | None = None,
        case_sensitive: Column | bool = False,
        *,
        name_is_alias: bool = True,
        parents: Sequence[ParentSpec | None] | None = None,
        weights: Sequence[float | None] | None = None,
        contexts: Sequence[Iterable[str] | None] | None = None,
    ) -> Lexicon:
        """Add one alias per row from parallel columns, in one call into the core.

        The fast way to load big gazetteers: columns are lists of str, pandas columns, or
        Arrow arrays (pyarrow, polars; read in place, without a Python object per value), and
        a million rows take about a second. Rows behave like `add(entity, [alias], label,
        case_sensitive, name_is_alias=name_is_alias)` in order; nothing is added if any row is
        invalid. `labels` is one label for all rows or a column (None: no label);
        `case_sensitive` one bool or a column of bools. `parents`, `weights` and `contexts`,
        one per row (None: not given), set what `add` sets; they are checked before anything
        is added (these three are read row by row in Python when given).

        >>> lex = Lexicon().add_many(["Kyiv", "Kyiv", "Lviv"], ["Kyiv", "Kiev", "Lemberg"], "GPE")
        >>> lex.aliases_of("Kyiv"), len(lex)
        (['Kyiv', 'Kiev'], 2)
        >>> import pyarrow as pa
        >>> lex.add_many(pa.array(["Odesa"]), pa.array(["Odessa"]), pa.array(["GPE"])).entities
        [('Kyiv', 'GPE'), ('Lviv', 'GPE'), ('Odesa', 'GPE')]
        >>> Lexicon().add_many(["economy"], ["inflation"], name_is_alias=False).n_aliases
        1
        >>> lex = Lexicon().add_many(["Paris", "Paris"], ["Paris", "Paname"], "GPE",
        ...                          weights=[2.1e6, None], contexts=[["Seine"], None])
        >>> lex.info("Paris")
        {'parent': None, 'weight': 2100000.0, 'context': ['Seine']}
        """
        entity_column, alias_column = _text_column(entities), _text_column(aliases)
        label_column = labels if labels is None or isinstance(labels, str) else _text_column(labels)
        flags = case_sensitive if isinstance(case_sensitive, bool) else _flag_column(case_sensitive)
        infos = _row_infos(entity_column, parents, weights, contexts)
        if not isinstance(name_is_alias, bool):
            raise TypeError(f"name_is_alias must be bool, not {type(name_is_alias).__name__}")
        self._native.add_columns(
            entity_column, alias_column, label_column, flags, False, infos, name_is_alias
        )
        return self

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Mapping[str, str | Iterable[AliasSpec]] | Iterable[AliasSpec]]
    ) -> Lexicon:
        """Build a lexicon from ``{label: {entity: [aliases]}}``.

        An alias is a str, or a mapping ``{"alias": "US", "case_sensitive": True}``; aliases are
        added in the order given. A top-level ``{entity: [aliases]}`` is an entity without a
        label. A bad entry raises ValueError.

        >>> lex = Lexicon.from_dict({
        ...     "PERSON": {"Jens Stoltenberg": ["Stoltenberg"]},
        ...     "ORG": {"NATO": ["North Atlantic Treaty Organization"]},
        ...     "détente": ["detente"],
        ... })
        >>> lex.entities
        [('Jens Stoltenberg', 'PERSON'), ('NATO', 'ORG'), ('détente', None)]
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"from_dict takes a mapping label -> entity -> aliases, not {data!r}")
        plain = {
            label: {entity: _alias_specs(aliases) for entity, aliases in value.items()}
            if isinstance(value, Mapping)
            else _alias_specs(value)
            for label, value in data.items()
        }
        return formats.from_dict(plain, cls())

    def to_dict(self) -> dict[str | None, dict[str, list[AliasSpec]]]:
        """The lexicon as ``{label: {entity: [aliases]}}``, the shape `from_dict` reads.

        >>> Lexicon().add("US", ["U.S."], label="GPE").to_dict()
        {'GPE': {'US': ['US', 'U.S.']}}
        """
        out: dict[str | None, dict[str, list[AliasSpec]]] = {}
        entities = self.entities
        for alias, entity_index, sensitive in self._native.aliases():
            name, label = entities[entity_index]
            spec: AliasSpec = {"alias": alias, "case_sensitive": True} if sensitive else alias
            out.setdefault(label, {}).setdefault(name, []).append(spec)
        return out

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        entity: str = "entity",
        alias: str = "alias",
        label: str | None = "label",
        case_sensitive: str | bool | None = None,
        *,
        name_is_alias: bool = True,
    ) -> Lexicon:
        """Build a lexicon from a DataFrame with one row per alias, the rows in order.

        `entity` and `alias` name the columns of entity names and aliases (an empty alias: the
        entity alone); `label` the column of labels, used if the frame has it (empty: no
        label). `case_sensitive` is a column of booleans (None: the column "case_sensitive" if
        there is one) or one bool for every alias. An entity's name is case-sensitive only if a
        row gives it, case-sensitive, as the entity's first alias; with `name_is_alias=False`
        the names are no aliases (an entity has the aliases of its rows). Bad rows raise
        `LexiconFormatError`, every one of them named by its position.

        A frame of text columns and a boolean case column goes to the core in one call (a
        million rows in about a second; Arrow-backed columns are read in place); a frame with
        empty cells, case flags written as text or the resolution columns is read row by row.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"entity": ["United States", "United States", "Kyiv"],
        ...                    "alias": ["U.S.", "US", "Kiev"],
        ...                    "label": ["GPE", "GPE", None],
        ...                    "case_sensitive": [False, True, False]})
        >>> lex = Lexicon.from_frame(df)
        >>> lex.entities
        [('United States', 'GPE'), ('Kyiv', None)]
        >>> lex.to_dict()["GPE"]
        {'United States': ['United States', 'U.S.', {'alias': 'US', 'case_sensitive': True}]}
        """
        columns = formats.frame_columns(df, entity, alias, label, case_sensitive)
        if columns is not None:
            lex = cls()
            entities, aliases, labels, flags = columns
            try:
                lex._native.add_columns(
                    _text_column(entities),
                    _text_column(aliases),
                    None if labels is None else _text_column(labels),
                    flags if isinstance(flags, bool) else _flag_column(flags),
                    True,
                    [],
                    name_is_alias,
                )
            except (TypeError, ValueError):
                pass  # nothing was added: the rows below name every bad one
            else:
                return lex
        return formats.from_frame(df, cls(), entity, alias, label, case_sensitive, name_is_alias)

    def to_frame(self) -> pd.DataFrame:
        """One row per alias: entity, label, alias, case_sensitive.

        Entities come in the order added, each with its aliases in the order added, canonical
        names included; `from_frame` rebuilds the same lexicon from it.

        >>> Lexicon().add("Kyiv", ["Kiev"], label="GPE").to_frame()
          entity label alias  case_sensitive
        0   Kyiv   GPE  Kyiv           False
        1   Kyiv   GPE  Kiev           False
        """
        return formats.to_frame(self._entity_aliases(), self._entity_infos())

    @classmethod
    def read(cls, path: str | os.PathLike[str], format: str | None = None) -> Lexicon:
        """Read a lexicon file; the format is `format` or the file's extension.

        ====================  ==========  =================================================
        extension             format      shape
        ====================  ==========  =================================================
        ``.yml``, ``.yaml``   ``yaml``    quanteda dictionary: nested keys, lists of patterns
        ``.json``             ``json``    ``{label: {entity: [aliases]}}`` as in `from_dict`
        ``.csv``, ``.tsv``    ``csv``,    the columns of `to_frame`, with a header
                              ``tsv``
        ``.jsonl``            ``spacy``   spaCy EntityRuler: ``{"label", "pattern", "id"}``
        ``.dic``              ``liwc``    LIWC: ``%`` category table ``%``, term lines
        ====================  ==========  =================================================

        The README's "Lexicon files" section says how each format maps to entities, labels and
        aliases. Files are UTF-8. Bad lines raise one `LexiconFormatError` that names the file
        and every bad line.

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "topics.yml"
        >>> _ = path.write_text("TOPIC:\\n  security:\\n    - defence\\n    - military\\n")
        >>> lex = Lexicon.read(path)
        >>> lex.entities, lex.aliases_of("security")
        ([('security', 'TOPIC')], ['defence', 'military'])
        """
        return formats.read(path, format, cls())

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> None:
        """Write the lexicon to a file that `read` turns back into the same lexicon.

        The format is `format` or the file's extension (see `read`). What a format cannot hold
        (a case-sensitive alias in a .dic file, an empty label in CSV) raises ValueError.

        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "gpe.jsonl"
        >>> Lexicon().add("Kyiv", ["Kiev"], label="GPE").write(path)
        >>> print(path.read_text(), end="")
        {"label": "GPE", "pattern": "Kyiv", "id": "Kyiv"}
        {"label": "GPE", "pattern": "Kiev", "id": "Kyiv"}
        """
        formats.write(self._entity_aliases(), path, format, self._entity_infos())

    def _entity_infos(self) -> list[dict[str, Any]] | None:
        """Every entity's parent, weight and context, or None when no entity has any."""
        return formats.entity_infos(self._native.resolution_info())

    def _entity_aliases(self) -> list[formats.EntityAliases]:
        """Entities in order, each with its aliases in order: what the writers take."""
        return formats.entity_aliases(self.entities, self._native.aliases())

    @property
    def entities(self) -> list[tuple[str, str | None]]:
        """(name, label) of every entity, in the order added.

        >>> Lexicon().add("NATO", label="ORG").add("Kyiv", label="GPE").entities
        [('NATO', 'ORG'), ('Kyiv', 'GPE')]
        """
        return self._native.entities()

    @property
    def labels(self) -> list[str]:
        """The distinct labels, sorted.

        >>> Lexicon().add("NATO", label="ORG").add("Kyiv", label="GPE").labels
        ['GPE', 'ORG']
        """
        return sorted({label for _, label in self.entities if label is not None})

    def aliases_of(self, entity: str, label: str | None = None) -> list[str]:
        """The aliases of `entity` (of any label unless `label` is given), in the order added.

        >>> Lexicon().add("Kyiv", ["Kiev"], label="GPE").aliases_of("Kyiv")
        ['Kyiv', 'Kiev']
        """
        entities = self.entities
        return [
            alias
            for alias, index, _ in self._native.aliases()
            if entities[index][0] == entity and (label is None or entities[index][1] == label)
        ]

    def ambiguous(self) -> dict[str, list[tuple[str, str | None]]]:
        """Aliases that name more than one entity (compared case- and accent-insensitively).

        >>> lex = Lexicon().add("George Washington", ["Washington"], label="PERSON")
        >>> lex.add("Washington", label="GPE").ambiguous()
        {'Washington': [('George Washington', 'PERSON'), ('Washington', 'GPE')]}
        """
        entities = self.entities
        return {alias: [entities[i] for i in ids] for alias, ids in self._native.ambiguous()}

    def copy(self) -> Lexicon:
        """An independent copy.

        >>> lex = Lexicon().add("NATO")
        >>> other = lex.copy().add("Kyiv")
        >>> len(lex), len(other)
        (1, 2)
        """
        new = Lexicon()
        new._native = self._native.copy()
        return new

    @property
    def n_aliases(self) -> int:
        """Number of aliases, canonical names included.

        >>> Lexicon().add("Kyiv", ["Kiev"]).n_aliases
        2
        """
        return self._native.n_aliases()

    def to_bytes(self) -> bytes:
        """The lexicon as versioned bytes (what pickling uses).

        >>> lex = Lexicon().add("Kyiv", ["Kiev"], label="GPE")
        >>> Lexicon.from_bytes(lex.to_bytes()) == lex
        True
        """
        return self._native.to_bytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """A lexicon back from `to_bytes()`; damaged or foreign bytes raise ValueError.

        >>> lex = Lexicon.from_bytes(Lexicon().add("Kyiv", ["Kiev"]).to_bytes())
        >>> lex.entities
        [('Kyiv', None)]
        """
        lex = cls()
        lex._native = _lexiscan.Lexicon.from_bytes(data)
        return lex

    def __reduce__(self) -> tuple[Any, ...]:
        # A module-level function: cloudpickle would copy a bound classmethod by value.
        return (_lexicon_from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lexicon):
            return NotImplemented
        return (
            self.entities == other.entities
            and self._native.aliases() == other._native.aliases()
            and self._native.resolution_info() == other._native.resolution_info()
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __len__(self) -> int:
        return len(self._native)

    def __iter__(self) -> Iterator[tuple[str, str | None]]:
        return iter(self.entities)

    def __contains__(self, entity: object) -> bool:
        return any(name == entity for name, _ in self.entities)

    def _repr_html_(self) -> str:
        """A notebook view: size, entities per label, and the first entities with aliases."""
        entities = self.entities
        per_label = pd_value_counts([str(label) for _, label in entities])
        aliases: dict[int, list[str]] = {}
        for alias, index, _ in self._native.aliases():
            if index < 10:
                aliases.setdefault(index, []).append(alias)
        return _display.lexicon_html(entities, aliases, per_label, self.n_aliases)

    def __repr__(self) -> str:
        labels = ", ".join(self.labels) or "none"
        return f"<Lexicon: {len(self)} entities, {self.n_aliases} aliases; labels: {labels}>"


def _lexicon_from_bytes(data: bytes) -> Lexicon:
    """A pickled lexicon back (see `Lexicon.__reduce__`)."""
    return Lexicon.from_bytes(data)
