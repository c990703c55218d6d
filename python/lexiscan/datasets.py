"""The built-in example: five articles on the NATO–Russia talks of January 2022, and a lexicon.

>>> import lexiscan
>>> from lexiscan import datasets
>>> res = lexiscan.Matcher(datasets.seeds_lexicon()).scan(datasets.seeds()["text"])
>>> res.counts()["NATO"].tolist()
[13, 21, 23, 14, 19]
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

from lexiscan._lexicon import Lexicon

__all__ = ["seeds", "seeds_lexicon"]


def _data():  # type: ignore[no-untyped-def]
    return resources.files("lexiscan") / "data"


def seeds() -> pd.DataFrame:
    """The sample corpus: one row per article, columns doc, title, outlet, text.

    The texts are exactly as scraped (typos, line breaks and page furniture included).

    >>> df = seeds()
    >>> df.shape, list(df.columns)
    ((5, 4), ['doc', 'title', 'outlet', 'text'])
    """
    folder = _data() / "seeds"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    rows = [
        {**row, "text": (folder / f"{row['doc']}.txt").read_text(encoding="utf-8")} for row in index
    ]
    return pd.DataFrame(rows, columns=["doc", "title", "outlet", "text"])


def seeds_lexicon() -> Lexicon:
    """The lexicon written for the sample corpus: people, organisations, places, topics, titles.

    >>> lex = seeds_lexicon()
    >>> "Jens Stoltenberg" in lex
    True
    """
    text = (_data() / "seeds_lexicon.json").read_text(encoding="utf-8")
    return Lexicon.from_dict(json.loads(text))
