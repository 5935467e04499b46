"""Walking items' own text, and the sentence around a match: shared by the fact extractors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from xref.frames import records
from xref.types import Corpus, Document

_BREAKS = "。；！？\n"
_SENTENCE_BREAK = re.compile(f"[{_BREAKS}]")


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
    left = after_last(text, _BREAKS, start)
    m = _SENTENCE_BREAK.search(text, end)
    right = m.end() if m and m.group(0) != "\n" else (m.start() if m else len(text))
    return text[left:right].strip()


def after_last(text: str, marks: str, end: int, start: int = 0) -> int:
    """Where the text after the last of ``marks`` in ``text[start:end]`` starts (``start`` if
    there is none). Looked for backwards, each mark no further back than the nearest found so
    far: a scan from the start of the text, for each match, grew with the square of a
    document's length, and so did a mark the text never uses, looked for back to its start."""
    at = start
    for mark in marks:
        at = max(at, text.rfind(mark, at, end) + 1)
    return at
