"""The built-in corpus analysed: who is mentioned in which article (`lexiscan` with no
arguments, and the README's first command)."""

from __future__ import annotations

import pandas as pd

from lexiscan import Matcher, datasets


def demo() -> int:
    """Print, for the sample corpus, the mentions of each person, organisation and place per
    article, then the events and topics.

    >>> demo()  # doctest: +ELLIPSIS
    Mentions per article in the built-in corpus ...
    """
    docs = datasets.seeds()
    matcher = Matcher(datasets.seeds_lexicon())
    matches = matcher.scan(docs.set_index("doc")["text"]).to_pandas()
    short = {doc: f"{i}:{outlet}" for i, (doc, outlet) in enumerate(zip(docs.doc, docs.outlet))}
    matches["article"] = matches["doc"].map(short)
    print(
        f"Mentions per article in the built-in corpus ({len(docs)} articles, "
        f"{len(matches)} matches of {matcher!r})."
    )
    for i, row in docs.iterrows():
        print(f"  {i}:{row.outlet:<16} {row.title}")
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        for labels, heading in (
            (["PERSON"], "People"),
            (["ORG"], "Organisations"),
            (["GPE"], "Places"),
            (["EVENT"], "Events"),
            (["TOPIC"], "Topics"),
        ):
            subset = matches[matches["label"].isin(labels)]
            if subset.empty:
                continue
            table = pd.crosstab(subset["entity"], subset["article"])
            table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
            print(f"\n{heading}:")
            print(table.to_string())
    return 0
