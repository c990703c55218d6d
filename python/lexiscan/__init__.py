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

from lexiscan import datasets
from lexiscan._corpus import read_jsonl, read_texts
from lexiscan._formats import LexiconFormatError
from lexiscan._lexicon import Lexicon
from lexiscan._lexiscan import InternalError, Match
from lexiscan._lexiscan import __version__ as __version__
from lexiscan._matcher import Matcher
from lexiscan._result import ScanResult
from lexiscan._resumable import IncompleteScanError, read_scan

__all__ = [
    "IncompleteScanError",
    "InternalError",
    "Lexicon",
    "LexiconFormatError",
    "Match",
    "Matcher",
    "ScanResult",
    "datasets",
    "read_jsonl",
    "read_scan",
    "read_texts",
]
