"""Responsible units named by a document: ``（责任处室：市局办公室、新闻宣传处）`` and the
lead/co-responsible forms ``牵头单位：… 配合单位：…``."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from xref.frames import records
from xref.resources import data_rows
from xref.spans import own_spans
from xref.structure import INLINE_SEGMENT
from xref.types import Corpus

UNIT_COLUMNS = ("doc_id", "item_id", "unit", "role", "label", "start", "end")
_SPLIT = re.compile(r"[、，,；;]|及(?=[^，、；]{2,})")


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    roles = {r["label"]: r["role"] for r in data_rows("unit_roles.csv")}
    labels = "|".join(map(re.escape, roles))
    return re.compile(
        rf"(?P<label>{labels})\s*[:：]\s*(?P<units>[^）)。\n]+?)(?=[）)。；\n]|$)"
    ), roles


def unit_clauses(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause naming responsible units, from its label to the end of
    its list (``责任处室：市局办公室、法规处``). A clause says who does the work, not what the
    work is: its words (处室, 管理处) are nobody's topic."""
    pattern, _ = _pattern()
    return [(m.start("label"), m.end("units")) for m in pattern.finditer(text)]


def split_units(text: str) -> list[str]:
    """``市局办公室、科技和财务处、其他相关处室`` -> the three units."""
    return [u.strip() for u in _SPLIT.split(text) if u.strip()]


def units_frame(corpus: Corpus, items: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, item_id, unit, role`` (``responsible``/``lead``/``co``), ``label`` as
    written, ``start, end`` (offsets of the list) for every named unit."""
    pattern, roles = _pattern()
    # a unit line closing an item with inline enumerations (一是…三是) is the item's, not 三是's
    owner = {
        (d, i): p if INLINE_SEGMENT.search(i) and isinstance(p, str) else i
        for d, i, p in records(items[["doc_id", "item_id", "parent_id"]])
    }
    rows = []
    for doc, own_item, start, own_end in own_spans(corpus, items):
        item_id = owner[(doc.doc_id, own_item)]
        for m in pattern.finditer(doc.text, start, own_end):
            for unit in split_units(m.group("units")):
                rows.append(
                    (
                        doc.doc_id,
                        item_id,
                        unit,
                        roles[m.group("label")],
                        m.group("label"),
                        m.start("units"),
                        m.end("units"),
                    )
                )
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))
