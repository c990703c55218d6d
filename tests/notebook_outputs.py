"""Re-run notebooks and compare their text outputs with the committed ones.

nbmake fails only when a cell raises, so a committed output that no longer matches the code
(or was edited by hand) would pass. This script executes each notebook in its own folder and
compares every cell's text outputs (stdout, and the text/plain of results and displays) with
the committed ones, after masking what changes from run to run: memory addresses, durations,
and every number printed by a cell that reads the clock (a timing table keeps its shape, not its
figures) or is tagged ``volatile``. Images and HTML are not compared: their text/plain twin
is. Exit status 1 names the first differing cell of each stale notebook; re-run
`notebooks/make_notebooks.py` to refresh them.

    python tests/notebook_outputs.py notebooks/*.ipynb
"""

from __future__ import annotations

import copy
import difflib
import re
import sys
from pathlib import Path
from typing import Any

_VOLATILE = [
    (re.compile(r"0x[0-9a-fA-F]{6,}"), "0x…"),  # object addresses
    (re.compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s)\b"), "<duration>"),  # timings
    (re.compile(r"[ \t]+$", re.M), ""),
]


_CLOCK = re.compile(r"perf_counter|time\.time\(|timeit|%%?time\b")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def mask(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def reads_the_clock(cell: dict[str, Any]) -> bool:
    source = _joined(cell.get("source", ""))
    return bool(_CLOCK.search(source)) or "volatile" in cell.get("metadata", {}).get("tags", [])


def text_outputs(cell: dict[str, Any]) -> list[str]:
    """The cell's comparable outputs, masked; stderr (progress bars, warnings) is left out."""
    if reads_the_clock(cell):  # numbers masked, and the padding that their widths change
        return [re.sub(r"[ \t]+", " ", _NUMBER.sub("#", text)) for text in _text_outputs(cell)]
    return _text_outputs(cell)


def _text_outputs(cell: dict[str, Any]) -> list[str]:
    found = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream" and output.get("name") == "stdout":
            found.append(mask(_joined(output["text"])))
        elif kind in ("execute_result", "display_data") and "text/plain" in output["data"]:
            found.append(mask(_joined(output["data"]["text/plain"])))
        elif kind == "error":
            found.append(f"error: {output['ename']}: {output['evalue']}")
    return found


def _joined(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def stale_cells(path: Path) -> list[str]:
    """A report line per code cell whose re-run text differs from the committed one."""
    import nbformat
    from nbclient import NotebookClient

    committed = nbformat.read(path, as_version=4)
    rerun = copy.deepcopy(committed)
    NotebookClient(
        rerun, timeout=900, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
    report = []
    pairs = zip(committed.cells, rerun.cells)
    for number, (old, new) in enumerate(pairs, start=1):
        if old.cell_type != "code":
            continue
        before, after = text_outputs(old), text_outputs(new)
        if before != after:
            diff = difflib.unified_diff(
                "\n".join(before).splitlines(),
                "\n".join(after).splitlines(),
                "committed",
                "re-run",
                lineterm="",
                n=1,
            )
            report.append(f"{path}: cell {number} differs:\n" + "\n".join(list(diff)[:40]))
    return report


def main(paths: list[str]) -> int:
    problems = []
    for name in paths:
        problems.extend(stale_cells(Path(name)))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("notebooks are stale: run notebooks/make_notebooks.py", file=sys.stderr)
        return 1
    print(f"{len(paths)} notebooks: re-run text outputs equal the committed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
