"""Text placed on a page, read back as lines.

A fixed-layout file (a PDF that places each character on its own, an OFD) says where each
run of text stands, not which line it belongs to. Runs on one baseline are one line, read
left to right; lines are read top to bottom; a line that starts in from the page's margin
(a paragraph's first line) keeps that as an indent, which the unwrapping of
:func:`xref.normalize.normalize` reads as the start of a paragraph.
"""

from __future__ import annotations

from typing import NamedTuple

PAGE_BREAK = "\f"  # between pages: normalising reads a paginated text's furniture by it


class Run(NamedTuple):
    """Text drawn at one place: ``top`` grows down the page, ``left`` across it, ``size`` is
    the font's height, all in one unit."""

    top: float
    left: float
    size: float
    text: str


def placed_lines(runs: list[Run]) -> str:
    """The lines of a page's runs, joined by line breaks."""
    rows: list[list[Run]] = []
    for run in sorted(runs):
        # one baseline: within half a character's height of the row's first run
        if rows and run.top - rows[-1][0].top < run.size / 2:
            rows[-1].append(run)
        else:
            rows.append([run])
    margin = min((min(r.left for r in row) for row in rows), default=0.0)
    out = []
    for row in rows:
        row.sort(key=lambda r: r.left)
        first = row[0]
        indent = "\u3000" * round((first.left - margin) / first.size) if first.size else ""
        out.append(indent + "".join(r.text for r in row))
    return "\n".join(out)
