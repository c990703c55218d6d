"""The Lexicon: canonical entities with a label and their aliases."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from lexiscan import _lexiscan

AliasSpec = str | Mapping[str, Any]


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
    ) -> Lexicon:
        """Add `aliases` to `entity` (created if new, with its name as first alias).

        `case_sensitive=True` makes these aliases match only their exact capitalisation (so
        "US" does not match "us"). Nothing is added if any alias is invalid. Returns the lexicon.

        >>> lex = Lexicon().add("NATO", ["North Atlantic Treaty Organization"], label="ORG")
        >>> lex.aliases_of("NATO")
        ['NATO', 'North Atlantic Treaty Organization']
        """
        if not isinstance(entity, str):
            raise TypeError(f"entity must be str, not {type(entity).__name__}: {entity!r}")
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label of {entity!r} must be str or None, not {type(label).__name__}")
        if not isinstance(case_sensitive, bool):
            raise TypeError(f"case_sensitive must be bool, not {type(case_sensitive).__name__}")
        self._native.add(entity, _alias_list(entity, aliases), label, case_sensitive)
        return self

    def add_many(
        self,
        entities: Sequence[str],
        aliases: Sequence[str],
        labels: Sequence[str | None] | str | None = None,
        case_sensitive: Sequence[bool] | bool = False,
    ) -> Lexicon:
        """Add one alias per row from parallel columns, in one call into the core.

        The fast way to load big gazetteers: a million rows take about a second. Rows behave
        like `add(entity, [alias], label, case_sensitive)` in order; nothing is added if any
        row is invalid.

        >>> lex = Lexicon().add_many(["Kyiv", "Kyiv", "Lviv"], ["Kyiv", "Kiev", "Lemberg"], "GPE")
        >>> lex.aliases_of("Kyiv"), len(lex)
        (['Kyiv', 'Kiev'], 2)
        """
        entities, aliases = list(entities), list(aliases)
        n = len(entities)
        if len(aliases) != n:
            raise ValueError(f"add_many got {n} entities but {len(aliases)} aliases")
        label_column = [labels] * n if labels is None or isinstance(labels, str) else list(labels)
        flags = [case_sensitive] * n if isinstance(case_sensitive, bool) else list(case_sensitive)
        if len(label_column) != n or len(flags) != n:
            raise ValueError("add_many needs labels and case_sensitive of the same length")
        for column, what in ((entities, "entity"), (aliases, "alias")):
            for i, value in enumerate(column):
                if not isinstance(value, str):
                    raise TypeError(f"{what} in row {i} is {type(value).__name__}, not str")
        self._native.add_rows(entities, aliases, label_column, flags)
        return self

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, str | Iterable[AliasSpec]]]) -> Lexicon:
        """Build a lexicon from ``{label: {entity: [aliases]}}``.

        An alias is a str, or a mapping ``{"alias": "US", "case_sensitive": True}``.

        >>> lex = Lexicon.from_dict({
        ...     "PERSON": {"Jens Stoltenberg": ["Stoltenberg"]},
        ...     "ORG": {"NATO": ["North Atlantic Treaty Organization"]},
        ... })
        >>> lex.entities
        [('Jens Stoltenberg', 'PERSON'), ('NATO', 'ORG')]
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"from_dict takes a mapping label -> entity -> aliases, not {data!r}")
        lex = cls()
        for label, entities in data.items():
            if not isinstance(entities, Mapping):
                raise TypeError(
                    f"label {label!r} must map entity names to aliases, not "
                    f"{type(entities).__name__}"
                )
            for entity, aliases in entities.items():
                lex._add_specs(entity, aliases, label)
        return lex

    def _add_specs(self, entity: str, aliases: str | Iterable[AliasSpec], label: str) -> None:
        plain: list[str] = []
        sensitive: list[str] = []
        for spec in [aliases] if isinstance(aliases, str) else aliases:
            if isinstance(spec, Mapping):
                unknown = set(spec) - {"alias", "case_sensitive"}
                if "alias" not in spec or unknown:
                    raise ValueError(
                        f"alias entry {dict(spec)!r} of {entity!r} needs the key 'alias' "
                        "and may have 'case_sensitive'"
                    )
                target = sensitive if spec.get("case_sensitive", False) else plain
                target.append(spec["alias"])
            else:
                plain.append(spec)
        self.add(entity, plain, label=label)
        if sensitive:
            self.add(entity, sensitive, label=label, case_sensitive=True)

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
        return len(self._native.aliases())

    def to_bytes(self) -> bytes:
        """The lexicon as versioned bytes (what pickling uses).

        >>> lex = Lexicon().add("Kyiv", ["Kiev"], label="GPE")
        >>> Lexicon.from_bytes(lex.to_bytes()) == lex
        True
        """
        return self._native.to_bytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """A lexicon back from `to_bytes()`; damaged or foreign bytes raise ValueError."""
        lex = cls()
        lex._native = _lexiscan.Lexicon.from_bytes(data)
        return lex

    def __reduce__(self) -> tuple[Any, ...]:
        return (Lexicon.from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lexicon):
            return NotImplemented
        return self.entities == other.entities and self._native.aliases() == other._native.aliases()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __len__(self) -> int:
        return len(self._native)

    def __iter__(self) -> Iterator[tuple[str, str | None]]:
        return iter(self.entities)

    def __contains__(self, entity: object) -> bool:
        return any(name == entity for name, _ in self.entities)

    def __repr__(self) -> str:
        labels = ", ".join(self.labels) or "none"
        return f"<Lexicon: {len(self)} entities, {self.n_aliases} aliases; labels: {labels}>"
