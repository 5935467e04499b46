"""Walking items' own text, and the sentence around a match: shared by the fact extractors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from xref.frames import records
from xref.types import Corpus, Document

_SENTENCE_BREAK = re.compile(r"[。；！？\n]")


def own_spans(corpus: Corpus, items: pd.DataFrame) -> Iterator[tuple[Document, str, int, int]]:
    """``(document, item_id, start, own_end)`` for every item: each stretch of text belongs to
    exactly one item, so a fact found in it is reported once, by the innermost item."""
    docs = {doc.doc_id: doc for doc in corpus}
    for doc_id, item_id, start, own_end in records(
        items[["doc_id", "item_id", "start", "own_end"]]
    ):
        yield docs[doc_id], item_id, start, own_end


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (up to 。；！？ or a line break) containing ``text[start:end]``."""
    left = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    m = _SENTENCE_BREAK.search(text, end)
    right = m.end() if m and m.group(0) != "\n" else (m.start() if m else len(text))
    return text[left:right].strip()
