"""Write the notebooks from their cells, then run them so they are committed with outputs.

    python notebooks/make_notebooks.py     # needs nbformat, nbclient, ipykernel

The test suite re-executes the committed notebooks (pytest --nbmake), so they cannot rot.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent

SEED_CORPUS = [
    (
        "md",
        """# Five outlets, one week of talks: the NATO–Russia meetings of January 2022

lexiscan ships five articles from different outlets on the talks in Geneva and Brussels, as
they were scraped — page furniture, typos and a name broken across two lines included — and a
lexicon written for them. This notebook asks what a journalist comparing the coverage would
ask: who is mentioned where, who appears with whom, what is said around a phrase, which outlet
stresses whom, and how the many spellings of a name were caught.""",
    ),
    (
        "code",
        """import lexiscan
import pandas as pd

articles = lexiscan.datasets.seeds()
lexicon = lexiscan.datasets.seeds_lexicon()
matcher = lexiscan.Matcher(lexicon)
result = matcher.scan(articles.set_index("doc")["text"])
articles[["doc", "outlet", "title"]]""",
    ),
    ("code", "lexicon"),
    ("code", "result"),
    (
        "md",
        """## Who is mentioned in which article

Mentions per article of the people in the lexicon: the aggregator's copy of the Geneva report
is about Wendy Sherman and Sergei Ryabkov, the Brussels pieces about Jens Stoltenberg and
Alexander Grushko.""",
    ),
    (
        "code",
        """outlet = articles.set_index("doc")["outlet"]
ax = result.plot.counts(labels="PERSON", doc_names=outlet)
ax.set_title("Mentions of people per article");""",
    ),
    (
        "md",
        """## Who appears with whom

Two people, organisations or places are linked when they are named in the same sentence
(Unicode sentence boundaries); the thicker the line, the more sentences they share.""",
    ),
    (
        "code",
        """ax = result.plot.cooccurrence("sentence", labels=["PERSON", "ORG", "GPE"], top=30)""",
    ),
    ("md", "The strongest links as a table:"),
    (
        "code",
        """edges = result.cooccurrence("sentence", as_="edges")
edges.sort_values("weight", ascending=False).head(10)""",
    ),
    (
        "md",
        """## Keyword in context: the "open door"

NATO's open-door policy — the right of any European country to apply — is the phrase the
talks turned on. Here is every mention with five words either side.""",
    ),
    (
        "code",
        """pd.set_option("display.max_colwidth", 80)
result.kwic("open door policy", window=5)[["docname", "pre", "keyword", "post"]]""",
    ),
    (
        "md",
        """## Which outlet stresses whom

Keyness compares each outlet with the other four, as quanteda's `textstat_keyness` does: a
positive chi-squared means the outlet names the entity more often than the rest of the corpus
would lead one to expect.""",
    ),
    (
        "code",
        """keyness = result.compare(articles.set_index("doc")["outlet"])
top = keyness[keyness.chi2 > 0].groupby("group").head(3)
top[["group", "feature", "n_target", "n_reference", "chi2", "p"]].round(3)""",
    ),
    ("md", "The raw mentions of the most named people, outlet by outlet:"),
    ("code", """ax = result.plot.frequency(groups=outlet, labels="PERSON", top=8)"""),
    (
        "md",
        """## How the variants were caught

Names come in many spellings: titles, initials, transliterations, a line break in the middle.
Every alias that matched, per entity, with the texts it matched:""",
    ),
    (
        "code",
        """matches = result.to_pandas()
variants = ["Wendy R. Sherman", "Aleksandr V. Grushko", "Alexander Fomin", "Kyiv"]
(matches[matches.entity.isin(variants)]
 .groupby(["entity", "alias"])["text"]
 .agg(lambda texts: " | ".join(sorted({t.replace("\\n", "⏎") for t in texts})))
 .to_frame("matched texts"))""",
    ),
    (
        "md",
        """The line-broken `Alexander⏎Fomin` is one match of *Alexander Fomin*; its offsets point
into the original text, so slicing the article gives it back exactly. The misspelling
"Alexander formin" is, rightly, not a match.""",
    ),
    (
        "code",
        """fomin = matches[matches.entity == "Alexander Fomin"]
texts = articles.set_index("doc")["text"]
for row in fomin.itertuples():
    assert texts[row.doc][row.start:row.end] == row.text
fomin[["doc", "alias", "start", "end", "text"]]""",
    ),
    ("md", "## One article, marked up"),
    ("code", """result.highlight(articles.doc[0])"""),
    (
        "md",
        """## What each outlet says: figures, disagreements, names

Every number that stands in a sentence with a matched entity is a *figure*: its value (digits
or words), the hedge before it and the noun it counts. Figures with the same unit, sharing an
entity and within a factor of 1.5 of each other are one topic; when outlets report a topic
differently it is a *disagreement* — of kind `value` when the numbers differ, `hedge` when only
the wording does. The rules are in `docs/insights.md`.""",
    ),
    (
        "code",
        """outlets = articles.set_index("doc")["outlet"]
figures = result.figures(outlets)
counts = ~figures.unit.isin(["year", "date"])  # dates are figures too, but not counts
figures[counts][["group", "figure", "value", "hedge", "unit", "entities"]]""",
    ),
    (
        "code",
        """columns = ["unit", "entities", "kind", "group", "value", "hedge", "sentence"]
result.disagreements(outlets)[columns]""",
    ),
    (
        "md",
        """The audit shows how each outlet names the lexicon's entities (Kiev or Kyiv, "Ms Sherman"
or "Ms. Sherman"), which entities an outlet never mentions, and *near misses*: words one edit
away from a word of an alias that matched nothing — reported apart, never added to the
matches.""",
    ),
    (
        "code",
        """audit = result.audit(outlets)
used = audit.aliases_used
used[used.entity.isin(["Kyiv", "Wendy R. Sherman", "Alexander Fomin"])]""",
    ),
    ("code", """audit.near_misses"""),
    (
        "code",
        """audit.never_matched.groupby("group").size().rename("entities never mentioned")""",
    ),
    (
        "md",
        """Outlets also disagree on who people are. The lexicon has a few titles (label `TITLE`);
`descriptions` pairs each title with the name next to it, so one line shows that one outlet
made Wendy Sherman an assistant secretary of state and another gave Sergei Ryabkov an
American title in one paragraph and his own in the next. (Grushko as "Deputy Defense
Minister" at Al Jazeera is a typo's doing: its "Alexander formin" matches nothing, so that
title goes to the nearest name, Grushko's. The typo-tolerant matcher below finds it.)""",
    ),
    (
        "code",
        """described = result.descriptions(groups=outlets)
people = described[described.label == "PERSON"]
people.groupby(["entity", "description"])["group"].agg(lambda g: sorted(set(g)))""",
    ),
    (
        "md",
        """Near misses are a report. To *match* through typos, ask the matcher: `max_edits=1` also
finds aliases with one edit inside one of their words of at least `typo_min_chars` (5)
characters. Exact matches stay as they are; the extra rows say how far they are in `edits`.
"Russian" is never taken for Russia: a longer or shorter form of a word is not a typo.""",
    ),
    (
        "code",
        """typo_tolerant = lexiscan.Matcher(lexicon, max_edits=1)
typos = typo_tolerant.scan(articles.set_index("doc")["text"]).to_pandas()
typos[typos.edits > 0][["doc", "entity", "alias", "text", "edits"]]""",
    ),
]

OWN_LEXICON = [
    (
        "md",
        """# Your own lexicon, your own column

Most analysts arrive with a spreadsheet of names and a DataFrame of documents. This notebook
builds a lexicon from a DataFrame and from a quanteda-style YAML file, scans a pandas column,
and joins the counts back onto the documents.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

import lexiscan
import pandas as pd

names = pd.DataFrame(
    [
        ("Jens Stoltenberg", "PERSON", "Stoltenberg"),
        ("Jens Stoltenberg", "PERSON", "NATO Secretary General"),
        ("Sergei Ryabkov", "PERSON", "Ryabkov"),
        ("Kyiv", "GPE", "Kiev"),
    ],
    columns=["entity", "label", "alias"],
)
people = lexiscan.Lexicon.from_frame(names)
people""",
    ),
    (
        "md",
        """A quanteda dictionary keeps categories as nested keys; the keys are category names, and
the patterns under them — `escalat*` is a prefix entry — are what is matched.""",
    ),
    (
        "code",
        """folder = Path(tempfile.mkdtemp())
(folder / "topics.yml").write_text(
    "TOPIC:\\n"
    "  escalation: [escalat*, invasion, invade*]\\n"
    "  diplomacy: [diplomacy, diplomatic, talks]\\n",
    encoding="utf-8",
)
topics = lexiscan.Lexicon.read(folder / "topics.yml")
topics.to_frame()""",
    ),
    (
        "code",
        """lexicon = lexiscan.Lexicon.from_frame(pd.concat([people.to_frame(), topics.to_frame()]))
articles = lexiscan.datasets.seeds().set_index("doc")
result = lexiscan.Matcher(lexicon).scan(articles["text"])
counts = result.counts()
articles[["outlet"]].join(counts)""",
    ),
    ("md", "Share of articles mentioning each entity, and mentions per group of outlets:"),
    ("code", """result.frequency(groups=articles["outlet"]).head(12)"""),
    ("code", """ax = result.plot.frequency(groups=articles["outlet"])"""),
]

SCALE = [
    (
        "md",
        """# Scale: throughput and threads

A quick measurement on this machine — the built-in corpus repeated to about 10 MB, scanned on
one thread and on every core — then the figures of the project's full benchmark (1 GB of
news, three lexicon sizes, against the peers), as published in `docs/performance.md`. The
benchmark scripts are in `benches/`; this notebook needs nothing but lexiscan and the
`notebook` extra. The built-in corpus is dense in matches (one every 45 bytes or so, each a
row of the result), so it runs well below the benchmark's rate on news with a gazetteer.""",
    ),
    (
        "code",
        """import os
import time

import lexiscan
import pandas as pd

articles = lexiscan.datasets.seeds()
matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
docs = articles["text"].tolist() * 400
megabytes = sum(len(doc.encode("utf-8")) for doc in docs) / 1e6

rows = []
for threads in sorted({1, os.cpu_count() or 1}):
    matcher.scan(docs[:100], n_threads=threads)  # warm up the pool
    start = time.perf_counter()
    found = len(matcher.scan(docs, n_threads=threads))
    seconds = time.perf_counter() - start
    rows.append({"threads": threads, "MB": round(megabytes, 1), "matches": found,
                 "seconds": round(seconds, 3), "MB/s": round(megabytes / seconds)})
pd.DataFrame(rows)""",
    ),
    (
        "md",
        """The published run (`bench_scan.py`, 2026-12-04, a 2-core AMD EPYC machine, MB/s end to
end: documents in, every match out; lexicons of 100, 10,000 and 1,027,626 aliases):""",
    ),
    (
        "code",
        """published = pd.DataFrame(
    [
        ("lexiscan, 2 threads", 2033, 1038, 65.4),
        ("lexiscan, 1 thread", 1028, 510, 33.0),
        ("polars extract_many, 2 cores", 342, 79.5, 14.4),
        ("ahocorasick_rs", 169, 59.0, 8.1),
        ("pyahocorasick", 71, 34.4, 3.1),
        ("flashtext", 10.1, 7.7, None),
        ("spaCy PhraseMatcher", 2.0, 0.9, None),
    ],
    columns=["contender", "100", "10,000", "1,027,626"],
).set_index("contender")
published""",
    ),
    (
        "code",
        """ax = published.plot.barh(figsize=(8, 5), logx=True)
ax.set_xlabel("MB/s (log scale), per lexicon size in aliases")
ax.invert_yaxis()""",
    ),
]


def build(name: str, cells: list[tuple[str, str]]) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        for kind, src in cells
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(notebook, HERE / name)


if __name__ == "__main__":
    build("01_seed_corpus.ipynb", SEED_CORPUS)
    build("02_your_own_lexicon.ipynb", OWN_LEXICON)
    build("03_scale.ipynb", SCALE)
