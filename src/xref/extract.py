"""Extraction entry points: documents -> items (and, per item, terms and facts)."""

from __future__ import annotations

import pandas as pd

from xref.frames import records, share_strings
from xref.parallel import fork_map
from xref.segment import Segmenter
from xref.structure import parse
from xref.terms import item_terms, terms_by_item
from xref.types import Corpus, Document

DOCS_PER_TASK = 50  # documents outlined per forked task
ITEM_COLUMNS = (
    "doc_id",
    "item_id",
    "parent_id",
    "depth",
    "label",
    "heading",
    "text",
    "kind",
    "start",
    "end",
    "own_end",
    "raw_start",
    "raw_end",
    "actions",
    "terms",
)


def extract(corpus: Corpus, *, segmenter: Segmenter | None = None, jobs: int = 1) -> pd.DataFrame:
    """One row per item of every document: its place in the outline, text, kind and offsets.

    ``start``/``end`` are offsets in the normalised text (``text`` is ``doc.text[start:end]``
    without trailing blank lines); ``own_end`` is where the item's own text stops and its first
    child begins; ``raw_start``/``raw_end`` locate the item in the raw file. ``jobs``:
    processes for the outlines and the items' key terms (:func:`~xref.terms.item_terms`).
    """
    docs = list(corpus)
    parts = [docs[i : i + DOCS_PER_TASK] for i in range(0, len(docs), DOCS_PER_TASK)]
    rows = [row for part in fork_map(_outline_rows, parts, jobs) for row in part]
    columns = [c for c in ITEM_COLUMNS[:-2] if c != "text"]
    items = pd.DataFrame(rows, columns=columns)
    del rows
    # the texts are sliced here, not handed back: nested items repeat their children's text
    texts = {doc.doc_id: doc.text for doc in docs}
    spans = records(items[["doc_id", "start", "end"]])
    items.insert(ITEM_COLUMNS.index("text"), "text", [texts[d][s:e].rstrip() for d, s, e in spans])
    terms, actions = item_terms(corpus, items, segmenter=segmenter, jobs=jobs)
    keys = list(records(items[["doc_id", "item_id"]]))
    items["actions"] = [";".join(actions[k]) for k in keys]
    per_item = terms_by_item(terms)
    items["terms"] = [";".join(per_item.get(k, ())) for k in keys]
    # ids, labels and kinds recur from document to document, as do the joined words
    return share_strings(items, ["item_id", "label", "kind", "actions", "terms"])


def _outline_rows(docs: list[Document]) -> list[tuple]:
    """The item rows of ``docs`` (every column of the items table up to ``raw_end`` but
    ``text``)."""
    rows = []
    for doc in docs:
        for node in parse(doc):
            rows.append(
                (
                    doc.doc_id,
                    node.item_id,
                    node.parent.item_id if node.parent else None,
                    node.depth,
                    node.label,
                    node.heading,
                    node.kind,
                    node.start,
                    node.end,
                    node.own_end,
                    *doc.raw_span(node.start, node.end),
                )
            )
    return rows


def outline(items: pd.DataFrame, doc_id: str, *, max_depth: int = 3) -> str:
    """A document's outline as indented text: label, heading and kind of each item."""
    lines = []
    doc = items[(items["doc_id"] == doc_id) & (items["depth"] <= max_depth)]
    for row in records(doc):
        name = row.label or row.item_id
        heading = f" {row.heading}" if row.heading else ""
        lines.append(f"{'    ' * (row.depth - 1)}{name}{heading}  [{row.kind}]")
    return "\n".join(lines)
