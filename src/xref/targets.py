"""Quantitative targets: a number with a unit, how it compares, and what it counts.

``不少于60学时`` -> (60, 学时, ``>=``); ``98%以上`` -> (98, %, ``>=``); ``出庭应诉率100%`` ->
(100, %, ``=``). The subject is the clause before the comparison (``法制审核人员``), or the
clause before that when the comparison opens its clause (``…人员，目前已达到…7%以上``).
Durations (10个工作日内) are deadlines, not targets: see :mod:`xref.deadlines`. An indicator
table's rows give their targets from the table's columns (:func:`xref.indicators.table_targets`),
not from the figures of the row's text: the baseline column is not a target.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from xref.frames import records
from xref.indicators import TABLE_KINDS, table_targets
from xref.resources import data_rows, word_set
from xref.spans import after_last, own_spans, sentence_at
from xref.types import Corpus

TARGET_COLUMNS = (
    "doc_id",
    "item_id",
    "quantity",
    "unit",
    "comparator",
    "subject",
    "sentence",
    "start",
    "end",
)
_CLAUSE_MARKS = "，。；：！？、\n"
_LEADING = re.compile(r"^(原则上|目前已?|年内|每年|确保|力争|全年|累计|其中|已经?|共|并|且|的)+")


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    rows = data_rows("comparators.csv")
    before = {r["word"]: r["comparator"] for r in rows if r["position"] == "before"}
    after = {r["word"]: r["comparator"] for r in rows if r["position"] == "after"}
    vocabulary = word_set("units.txt")
    units = [u for u in vocabulary if not u.startswith("/")]
    per = [u for u in vocabulary if u.startswith("/")]
    alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
    firsts = re.escape("".join(sorted({word[0] for word in before})))
    pattern = re.compile(
        # a match starts with a digit or a comparator: the lookahead turns other positions
        # away before the comparators are tried (the same matches, 3x faster)
        rf"(?=[{firsts}\d])"
        rf"(?:(?P<before>{alt(before)})(?P<of>[^，。；\d]{{0,16}}?))?"
        rf"(?<![\d.])(?P<number>\d+(?:\.\d+)?)(?P<unit>(?:{alt(units)})(?:{alt(per)})?)"
        rf"(?!工作日|小时|日内|天内)(?P<after>{alt(after)})?"
    )
    return pattern, before, after


def _subject(text: str, clause_start: int, at: int) -> str:
    subject = _LEADING.sub("", text[clause_start:at].strip())
    if len(subject) >= 2:
        return subject
    prev = after_last(text, _CLAUSE_MARKS, max(clause_start - 1, 0))
    return _LEADING.sub("", text[prev : max(clause_start - 1, prev)].strip())


def targets_frame(corpus: Corpus, items: pd.DataFrame) -> pd.DataFrame:
    """``doc_id, item_id, quantity, unit, comparator, subject, sentence, start, end`` for
    every quantity stated in an item's own text, and the target of every indicator table row
    (``start``/``end``: offsets of the figure)."""
    pattern, before, after = _pattern()
    in_tables = set(records(items.loc[items["kind"].isin(TABLE_KINDS), ["doc_id", "item_id"]]))
    from_tables = table_targets(corpus, items) if in_tables else {}
    rows = []
    for doc, item_id, start, own_end in own_spans(corpus, items):
        if (key := (doc.doc_id, item_id)) in in_tables:
            if key in from_tables:
                rows.append(from_tables[key])
            continue
        text = doc.text
        for m in pattern.finditer(text, start, own_end):
            if re.match(r"\d{4}$", m.group("number")) and m.group("unit") in ("年",):
                continue
            comparator = (
                before.get(m.group("before") or "") or after.get(m.group("after") or "") or "="
            )
            head = m.start("before") if m.group("before") else m.start("number")
            clause_start = after_last(text, _CLAUSE_MARKS, head, start)
            rows.append(
                (
                    doc.doc_id,
                    item_id,
                    float(m.group("number")),
                    m.group("unit"),
                    comparator,
                    _subject(text, clause_start, head),
                    sentence_at(text, m.start(), m.end()),
                    m.start("number"),
                    m.end(),
                )
            )
    return pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
