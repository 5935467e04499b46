"""Documents a text cites in 《》, with a normalised title so that variants compare equal.

``《法治政府建设实施纲要(2021—2025年)》`` and ``《法治政府建设实施纲要（2021-2025年）》``
both normalise to ``法治政府建设实施纲要2021-2025``. The document's own title (the name inside
its 关于印发《…》 heading) is not a citation.
"""

from __future__ import annotations

import re

import pandas as pd

from xref.normalize import to_simplified
from xref.spans import own_spans, sentence_at
from xref.types import Corpus

CITATION_COLUMNS = ("doc_id", "item_id", "title", "title_norm", "sentence", "start", "end")
_CITED = re.compile(r"《([^《》\n]{2,80})》")
_DASHES = re.compile(r"[—–－―‐‑-]+")
_YEAR_RANGE = re.compile(r"(\d{4})年?-(\d{4})年?")


def normalize_title(title: str) -> str:
    """A comparison key for a title: Simplified, no quotes, brackets, spaces or 中华人民共和国
    prefix, one kind of dash, year ranges as ``2021-2025``."""
    t = to_simplified(title)
    t = re.sub(r"[“”\"'‘’《》\s·・]", "", t)
    t = re.sub(r"[（(【\[〔）)】\]〕]", "", t)
    t = _DASHES.sub("-", t)
    t = _YEAR_RANGE.sub(r"\1-\2", t)
    return t.removeprefix("中华人民共和国")


def citations_frame(corpus: Corpus, items: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, item_id, title`` (as written), ``title_norm``, ``sentence, start, end`` for
    every 《title》 a document cites, its own title excepted."""
    rows = []
    for doc, item_id, start, own_end in own_spans(corpus, items):
        own = normalize_title(doc.meta.title) if doc.meta.title else None
        for m in _CITED.finditer(doc.text, start, own_end):
            norm = normalize_title(m.group(1))
            if norm == own:
                continue
            rows.append(
                (
                    doc.doc_id,
                    item_id,
                    m.group(1),
                    norm,
                    sentence_at(doc.text, m.start(), m.end()),
                    m.start(),
                    m.end(),
                )
            )
    return pd.DataFrame(rows, columns=list(CITATION_COLUMNS))
