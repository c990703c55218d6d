"""The built-in corpus analysed: who is mentioned in which article (`lexiscan` with no
arguments, and the README's first command)."""

from __future__ import annotations

import textwrap

import pandas as pd

from lexiscan import Matcher, datasets


def demo() -> int:
    """Print, for the sample corpus, the mentions of each person, organisation and place per
    article, then the events and topics.

    >>> demo()  # doctest: +ELLIPSIS
    Mentions per article in the built-in corpus: 5 news articles ...
    """
    docs = datasets.seeds()
    lexicon = datasets.seeds_lexicon()
    matcher = Matcher(lexicon)
    matches = matcher.scan(docs.set_index("doc")["text"]).to_pandas()
    short = {doc: f"{i}:{outlet}" for i, (doc, outlet) in enumerate(zip(docs.doc, docs.outlet))}
    matches["article"] = matches["doc"].map(short)
    n_entities, n_aliases = len(lexicon.entities), len(lexicon.to_frame())
    header = (
        f"Mentions per article in the built-in corpus: {len(docs)} news articles on the "
        f"NATO-Russia talks of January 2022, scanned for the {n_entities} "
        f"entities ({n_aliases} aliases) of its lexicon, ignoring case and accents, whole "
        f"words only: {len(matches)} matches."
    )
    print(textwrap.fill(header, width=100))
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
            # Every article keeps its column, zeros included: a blank is a finding too.
            table = pd.crosstab(subset["entity"], subset["article"])
            table = table.reindex(columns=list(short.values()), fill_value=0)
            table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
            print(f"\n{heading}:")
            print(table.to_string())
    return 0
