"""The numbering styles of Chinese official documents: which label a line opens with.

:mod:`xref.structure` builds each document's tree of items from them; :mod:`xref.normalize`
reads them too, to keep a line that opens a part apart when it joins the lines of a text taken
from a PDF.
"""

from __future__ import annotations

import re

CN = "一二三四五六七八九十百"

# line-level labels: (style, regex); the first group is the number as written
LINE_LABELS = (
    # five-year plan outlines (规划纲要) group chapters in 篇 and divide them in 节
    ("volume", re.compile(rf"^(第[{CN}]+篇)\s*")),
    ("chapter", re.compile(rf"^(第[{CN}]+(?:章|部分|编))\s*")),
    ("part", re.compile(rf"^(第[{CN}]+节)\s*")),
    # the articles of measures and regulations (办法, 规定, 条例), under chapters or alone
    ("article", re.compile(rf"^(第[{CN}\d]+条)\s*")),
    ("cn", re.compile(rf"^([{CN}]+)、\s*")),
    ("paren_cn", re.compile(rf"^（([{CN}]+)）\s*")),
    ("arabic", re.compile(r"^(\d{1,2})[.、](?!\d)\s*")),
    ("paren_arabic", re.compile(r"^（(\d{1,2})）\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
    ("ordinal", re.compile(rf"^(第[{CN}]+)[，、]")),
    ("dash", re.compile(r"^(——)")),
)


def line_label(text: str) -> tuple[str, str, str] | None:
    """``(style, number, label as written)`` of a line that starts with a label."""
    for style, pattern in LINE_LABELS:
        if m := pattern.match(text):
            return style, m.group(1), m.group(0).strip()
    return None
