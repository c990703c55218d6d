"""How lexiscan's objects look in a notebook: the one module that writes HTML.

The core finds the spans and labels (`ScanResult.highlight` asks it which matches of a
document can be drawn without overlapping); this module draws them, and every
``_repr_html_`` (Lexicon, Match, ScanResult, Audit, Highlighted) is written here. Styles are
inline and ``$`` is escaped, so the same HTML renders in Jupyter (where MathJax would eat
``$...$``), VS Code and Colab.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Label colours for highlight(), in the spirit of displaCy's palette.
PALETTE = ["#7aecec", "#bfeeb7", "#feca74", "#ff9561", "#aa9cfc", "#c887fb", "#9cc9cc", "#ffeb80"]

_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "$": "&#36;"}
)


def escape(text: str) -> str:
    """`text` with ``& < > " ' $`` escaped for HTML (and MathJax).

    >>> escape("NATO & <Russia> $5")
    'NATO &amp; &lt;Russia&gt; &#36;5'
    """
    return text.translate(_ESCAPES)


def label_colours(labels: Iterable[str], colours: Mapping[str, str] | None) -> dict[str, str]:
    """A colour per label: the palette in label order, overridden by `colours`.

    >>> label_colours(["GPE", "ORG"], {"ORG": "pink"})
    {'GPE': '#7aecec', 'ORG': 'pink'}
    """
    palette = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}
    palette.update(colours or {})
    return palette


def highlight_html(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """The text as HTML with each span (start, end in code points, label, colour; sorted and
    not overlapping) in a `<mark>` of its colour, followed by a small label tag.

    >>> html = highlight_html("NATO & $5", [(0, 4, "ORG", "#7aecec")])
    >>> html.split("</mark>")[1]
    ' &amp; &#36;5</div>'
    >>> "NATO<span" in html and ">ORG</span>" in html
    True
    """
    parts = ['<div style="line-height:2.2;white-space:pre-wrap;font-family:inherit">']
    at = 0
    for start, end, label, colour in spans:
        if start < at:
            continue  # overlapping spans are not drawn twice
        parts.append(escape(text[at:start]))
        parts.append(
            f'<mark style="background:{escape(colour)};padding:0.2em 0.35em;'
            f'border-radius:0.3em">{escape(text[start:end])}'
            '<span style="font-size:0.7em;font-weight:bold;margin-left:0.4em;'
            f'vertical-align:middle">{escape(label)}</span></mark>'
        )
        at = end
    parts.append(escape(text[at:]))
    parts.append("</div>")
    return "".join(parts)


class Highlighted:
    """A document as HTML with its matches marked (`ScanResult.highlight`); renders itself in
    notebooks, and `str()` gives the HTML.

    >>> Highlighted("<div>NATO</div>")
    <Highlighted document: 15 characters of HTML>
    """

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Highlighted document: {len(self.html):,} characters of HTML>"


def match_html(match: Any) -> str:
    """A `Match` in a notebook: the matched text marked, with its entity, label, alias and
    offsets.

    >>> import lexiscan
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG"))
    >>> match_html(m.find("NATO")[0]).split("</mark> ")[1]
    '<small>NATO <b>ORG</b> · alias NATO · 0–4</small>'
    """
    label = "" if match.label is None else escape(match.label)
    return (
        '<mark style="background:#7aecec;padding:0.1em 0.3em;border-radius:0.3em">'
        f"{escape(match.text)}</mark> <small>{escape(match.entity)} <b>{label}</b> · alias "
        f"{escape(match.alias)} · {match.start}–{match.end}</small>"
    )


def lexicon_html(
    entities: list[tuple[str, str | None]],
    first_aliases: Mapping[int, list[str]],
    per_label: Mapping[str, int],
    n_aliases: int,
) -> str:
    """A `Lexicon` in a notebook: size, entities per label, and the first ten entities with
    their aliases (`first_aliases`: by entity index).

    >>> lexicon_html([("Kyiv", "GPE")], {0: ["Kyiv", "Kiev"]}, {"GPE": 1}, 2).split("<table>")[0]
    '<p><b>Lexicon</b>: 1 entities, 2 aliases; labels GPE: 1</p>'
    """
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(str(label))}</td>"
        f"<td>{html.escape(', '.join(first_aliases.get(i, [])))}</td></tr>"
        for i, (name, label) in enumerate(entities[:10])
    )
    labels = ", ".join(f"{html.escape(k)}: {v}" for k, v in per_label.items()) or "none"
    more = f"<p>… and {len(entities) - 10:,} more entities</p>" if len(entities) > 10 else ""
    return (
        f"<p><b>Lexicon</b>: {len(entities):,} entities, {n_aliases:,} aliases; "
        f"labels {labels}</p><table><thead><tr><th>entity</th><th>label</th>"
        f"<th>aliases</th></tr></thead><tbody>{rows}</tbody></table>{more}"
    )


def scan_result_html(n_matches: int, n_docs: int, top: Any, preview: Any) -> str:
    """A `ScanResult` in a notebook: size, the most mentioned entities (`top`: a frequency
    frame) and the first matches (`preview`: a frame of them).

    >>> import pandas as pd
    >>> top = pd.DataFrame({"feature": ["NATO"], "frequency": [2]})
    >>> scan_result_html(2, 1, top, pd.DataFrame({"doc": [0, 0]}))[:78]
    '<p><b>ScanResult</b>: 2 matches in 1 documents; most mentioned: NATO (2)</p><t'
    """
    listed = ", ".join(f"{f} ({n})" for f, n in zip(top["feature"], top["frequency"]))
    table = preview.to_html(index=False, escape=True)
    return (
        f"<p><b>ScanResult</b>: {n_matches:,} matches in {n_docs:,} documents"
        f"{'; most mentioned: ' + listed if listed else ''}</p>{table}"
    )


def frames_html(frames: Mapping[str, Any]) -> str:
    """Named DataFrames one after the other, each under its name (an `Audit`).

    >>> import pandas as pd
    >>> frames_html({"never_matched": pd.DataFrame()}).split("<table")[0]
    '<h4>never matched</h4>'
    """
    return "".join(
        f"<h4>{name.replace('_', ' ')}</h4>{frame.to_html(max_rows=20)}"
        for name, frame in frames.items()
    )
