"""lexiscan: find the entities and keywords of a lexicon in a corpus.

Unicode-exact (case, accents, curly quotes, dashes, line breaks), whole-word, parallel
Aho-Corasick matching in Rust, with results as pandas DataFrames.

>>> import lexiscan
>>> lex = lexiscan.Lexicon()
>>> _ = lex.add("Jens Stoltenberg", ["Stoltenberg"], label="PERSON")
>>> m = lexiscan.Matcher(lex)
>>> [x.text for x in m.find("NATO chief STOLTENBERG’s remarks")]
['STOLTENBERG']
"""

from lexiscan import datasets, formats
from lexiscan._analysis import SparseCounts
from lexiscan._corpus import read_jsonl, read_texts
from lexiscan._display import Highlighted
from lexiscan._insights import Audit
from lexiscan._lexicon import Lexicon
from lexiscan._lexiscan import InternalError, Match
from lexiscan._lexiscan import __version__ as __version__
from lexiscan._matcher import Matcher
from lexiscan._result import ScanResult
from lexiscan._resumable import IncompleteScanError, read_scan
from lexiscan.formats import LexiconFormatError

__all__ = [
    "Audit",
    "Highlighted",
    "IncompleteScanError",
    "InternalError",
    "Lexicon",
    "LexiconFormatError",
    "Match",
    "Matcher",
    "ScanResult",
    "SparseCounts",
    "datasets",
    "formats",
    "read_jsonl",
    "read_scan",
    "read_texts",
]
