"""Indicator tables: pipe-delimited rows ``no | [domain |] indicator | baseline | target |
binding``, grouped by category rows (活力, 质量, …), as in 002's table of 25 indicators.

Values are parsed as numbers where they are numbers: ``98%以上`` -> 98, unit %, comparator
``>=``. A domain cell spans the rows below it until the next one, as a merged cell would.
The years come from the header (``2020年 | 2025年``).
"""

from __future__ import annotations

import re

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


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def indicators_frame(corpus: Corpus, items: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator row of every table item."""
    docs = {doc.doc_id: doc for doc in corpus}
    rows = []
    tables = items[items["kind"] == "table"]
    # the items of each document holding a table, found once: a scan of every item per
    # table would grow as tables times items
    own = items[items["doc_id"].isin(set(tables["doc_id"]))]
    by_doc = dict(tuple(own.groupby("doc_id", sort=False)))
    for table in records(tables):
        text = docs[table.doc_id].text
        years: list[int] = []
        category, domain = None, None
        doc_items = by_doc[table.doc_id]
        members = doc_items[doc_items["item_id"].str.startswith(table.item_id + "/")]
        for item in records(members):
            if item.kind == "category":
                category, domain = item.label, None
                continue
            if item.kind != "indicator":
                continue
            if not years:
                header = text[table.start : item.start]
                years = [int(y) for y in re.findall(r"(\d{4})年", header)]
            cells = _cells(text[item.start : item.own_end].split("\n")[0])
            if len(cells) >= 6:
                no, domain, name, base, target, binding = cells[:6]
            else:
                no, name, base, target, binding = (cells + [""] * 5)[:5]
            domain = re.sub(r"\s+", "", domain) if domain else None
            b_val, b_unit, _ = parse_value(base)
            t_val, t_unit, comparator = parse_value(target)
            unit = t_unit or b_unit or (m.group(1) if (m := _UNIT_IN_NAME.search(name)) else None)
            rows.append(
                (
                    table.doc_id,
                    item.item_id,
                    int(no),
                    category,
                    domain,
                    name,
                    b_val,
                    t_val,
                    years[0] if years else None,
                    years[1] if len(years) > 1 else None,
                    unit,
                    comparator,
                    binding.strip() or None,
                )
            )
    df = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
    return df.astype({"baseline_year": "Int64", "target_year": "Int64"})
