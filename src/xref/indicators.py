"""Indicator tables: pipe-delimited rows ``no | [domain |] indicator | baseline | target |
binding``, grouped by category rows (活力, 质量, …), as in 002's table of 25 indicators.

Values are parsed as numbers where they are numbers: ``98%以上`` -> 98, unit %, comparator
``>=``. A domain cell spans the rows below it until the next one, as a merged cell would.
The years come from the header (``2020年 | 2025年``).

Each row's target is also a quantitative target (:func:`table_targets`, in
:func:`xref.targets_frame`): the target column's figure, with the indicator as its subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from xref.frames import records
from xref.types import Corpus

INDICATOR_COLUMNS = (
    "doc_id",
    "item_id",
    "no",
    "category",
    "domain",
    "indicator",
    "baseline",
    "target",
    "baseline_year",
    "target_year",
    "unit",
    "comparator",
    "binding",
)
TABLE_KINDS = ("table", "category", "indicator")  # the items of an indicator table
_VALUE = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<pct>%)?\s*(?P<after>以上|以下|以内)?$")
_UNIT_IN_NAME = re.compile(r"（([^（）]{1,8})）$")
_COMPARATOR = {"以上": ">=", "以下": "<=", "以内": "<="}


def parse_value(cell: str) -> tuple[float | None, str | None, str]:
    """``"98%以上"`` -> ``(98.0, "%", ">=")``; ``"10"`` -> ``(10.0, None, "=")``."""
    m = _VALUE.match(cell.strip())
    if not m:
        return None, None, ""
    return (
        float(m.group("number")),
        "%" if m.group("pct") else None,
        _COMPARATOR.get(m.group("after") or "", "="),
    )


def _cells(line: str) -> list[tuple[str, int]]:
    """The line's cells, stripped, each with its offset in the line; empty cells at the end
    dropped."""
    cells, at = [], 0
    for raw in line.split("|"):
        stripped = raw.strip()
        cells.append((stripped, at + (len(raw) - len(raw.lstrip()))))
        at += len(raw) + 1
    while cells and not cells[-1][0]:
        cells.pop()
    return cells


@dataclass(frozen=True)
class _Row:
    """One indicator row as the table gives it, with where its target cell is."""

    doc_id: str
    item_id: str
    cells: tuple[str, ...]  # no, domain (or ""), name, baseline, target, binding
    category: str | None
    years: tuple[int, ...]
    target_start: int  # offsets of the target cell in the document's text
    target_end: int

    def values(self) -> tuple[float | None, float | None, str | None, str]:
        """``(baseline, target, unit, comparator)``, numbers where the cells are numbers."""
        b_val, b_unit, _ = parse_value(self.cells[3])
        t_val, t_unit, comparator = parse_value(self.cells[4])
        unit = (
            t_unit or b_unit or (m.group(1) if (m := _UNIT_IN_NAME.search(self.cells[2])) else None)
        )
        return b_val, t_val, unit, comparator


def _rows(corpus: Corpus, items: pd.DataFrame) -> Iterator[_Row]:
    docs = {doc.doc_id: doc for doc in corpus}
    tables = items[items["kind"] == "table"]
    # the items of each document holding a table, found once: a scan of every item per
    # table would grow as tables times items
    own = items[items["doc_id"].isin(set(tables["doc_id"]))]
    by_doc = dict(tuple(own.groupby("doc_id", sort=False)))
    for table in records(tables):
        text = docs[table.doc_id].text
        years: tuple[int, ...] = ()
        category, domain = None, ""
        doc_items = by_doc[table.doc_id]
        members = doc_items[doc_items["item_id"].str.startswith(table.item_id + "/")]
        for item in records(members):
            if item.kind == "category":
                category, domain = item.label, ""
                continue
            if item.kind != "indicator":
                continue
            if not years:
                header = text[table.start : item.start]
                years = tuple(int(y) for y in re.findall(r"(\d{4})年", header))
            line = text[item.start : item.own_end].split("\n")[0]
            cells = _cells(line)
            if len(cells) >= 6:
                no, (cell, _), *rest = cells[:6]
                domain = re.sub(r"\s+", "", cell)
                cells = [no, *rest]
            cells = (cells + [("", len(line))] * 5)[:5]
            target, at = cells[3]
            texts = (cells[0][0], domain, cells[1][0], cells[2][0], target, cells[4][0])
            start = item.start + at
            yield _Row(
                table.doc_id, item.item_id, texts, category, years, start, start + len(target)
            )


def indicators_frame(corpus: Corpus, items: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator row of every table item."""
    rows = []
    for row in _rows(corpus, items):
        no, domain, name, _, _, binding = row.cells
        baseline, target, unit, comparator = row.values()
        rows.append(
            (
                row.doc_id,
                row.item_id,
                int(no),
                row.category,
                domain or None,
                name,
                baseline,
                target,
                row.years[0] if row.years else None,
                row.years[1] if len(row.years) > 1 else None,
                unit,
                comparator,
                binding or None,
            )
        )
    df = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
    return df.astype({"baseline_year": "Int64", "target_year": "Int64"})


def table_targets(corpus: Corpus, items: pd.DataFrame) -> dict[tuple[str, str], tuple]:
    """The target of each indicator row, as a row of :func:`xref.targets_frame` (``doc_id,
    item_id, quantity, unit, comparator, subject, sentence, start, end``) by ``(doc_id,
    item_id)``: the target column's figure, the indicator's name (its unit cut) as subject,
    the table row as sentence. Rows whose target is not a number have none."""
    out = {}
    for row in _rows(corpus, items):
        _, target, unit, comparator = row.values()
        if target is None:
            continue
        subject = _UNIT_IN_NAME.sub("", row.cells[2])
        sentence = " | ".join(c for c in row.cells if c)
        out[(row.doc_id, row.item_id)] = (
            row.doc_id,
            row.item_id,
            target,
            unit or "",
            comparator,
            subject,
            sentence,
            row.target_start,
            row.target_end,
        )
    return out
