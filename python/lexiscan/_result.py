"""The result of a scan: matches held column-wise in Rust until asked for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lexiscan import _lexiscan

COLUMNS = ["doc", "entity", "label", "alias", "start", "end", "text"]
# pandas 3 gives text columns its `str` dtype; say so explicitly so that an empty result has the
# same dtypes as a full one. Older pandas keeps object columns.
_TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


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
        entities: list[tuple[str, str | None]],
        alias_texts: list[str],
        keys: pd.Index | None,
        n_docs: int,
    ) -> None:
        self._native = native
        self._entities = entities
        self._alias_texts = alias_texts
        self._keys = keys
        self.n_docs = n_docs

    def __len__(self) -> int:
        return len(self._native)

    def _column(self, name: str, dtype: str) -> np.ndarray:
        return np.frombuffer(self._native.column(name), dtype=dtype)

    def to_pandas(self) -> pd.DataFrame:
        """One row per match: doc, entity, label, alias, start, end, text.

        `doc` is the document's key (its position, or its index label for a Series);
        `text` is ``document[start:end]``.

        >>> import lexiscan
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
        >>> m.scan(["Kiev/Kyiv"]).to_pandas()[["entity", "alias", "start", "end", "text"]]
          entity alias  start  end  text
        0   Kyiv  Kiev      0    4  Kiev
        1   Kyiv  Kyiv      5    9  Kyiv
        """
        doc = self._column("doc", "<u8").astype(np.int64)
        entity = self._column("entity", "<u4").astype(np.intp)
        alias = self._column("alias", "<u4").astype(np.intp)
        names = np.array([name for name, _ in self._entities] or [""], dtype=object)
        labels = np.array([label for _, label in self._entities] or [None], dtype=object)
        alias_texts = np.array(self._alias_texts or [""], dtype=object)
        keys = doc if self._keys is None else self._keys.take(doc)
        frame = pd.DataFrame(
            {
                "doc": keys,
                "entity": names.take(entity),
                "label": labels.take(entity),
                "alias": alias_texts.take(alias),
                "start": self._column("start", "<u8").astype(np.int64),
                "end": self._column("end", "<u8").astype(np.int64),
                "text": np.array(self._native.surfaces(), dtype=object),
            },
            columns=COLUMNS,
        )
        text_columns = ["entity", "label", "alias", "text"]
        return frame.astype(dict.fromkeys(text_columns, _TEXT_DTYPE))

    def __repr__(self) -> str:
        return f"<ScanResult: {len(self)} matches in {self.n_docs} documents>"
