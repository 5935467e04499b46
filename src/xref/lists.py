"""The labels a word processor draws in front of the paragraphs of its numbered lists.

Word numbers many lists itself: a heading's 一、 or （一） is then not in the paragraph's text
but drawn from the list's definition, and without it a document would lose its structure.
Both Word formats (:mod:`xref.docx`, :mod:`xref.msdoc`) describe a list the same way: per
level, a start, a number format, a pattern (``%1、``, ``（%2）``) and when the level restarts;
this module keeps the counters and draws the labels.
"""

from __future__ import annotations

from typing import NamedTuple

from xref.numerals import int_to_cn

# formats drawn as Chinese counting numbers (一, 十一): Word's Chinese and Japanese ones
_COUNTING = ("chineseCounting", "ideographDigital", "japaneseCounting", "taiwaneseCounting")


class Level(NamedTuple):
    start: int
    fmt: str  # the OOXML name of the number format: decimal, chineseCounting...
    pattern: str  # %1、, （%2）...: %k is the counter of level k - 1
    restart: int | None  # restarts after a level below this one; 0: never; None: after any


class Counters:
    """The counters of a document's lists, advanced paragraph by paragraph in order."""

    def __init__(self) -> None:
        self.counters: dict[object, dict[int, int]] = {}

    def label(self, list_id: object, levels: dict[int, Level], ilvl: int) -> str:
        """The label of the next paragraph at ``ilvl`` of the list ``list_id`` (its levels
        ``levels``), "" when the list has no such level."""
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(list_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            # a new item restarts the lists below it, but those told to go on (restart 0)
            # or to restart only after a higher level (restart: that level, from 1)
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and ilvl <= restart - 1):
                del counters[deeper]
        pattern = levels[ilvl].pattern
        for k in range(9):
            if f"%{k + 1}" in pattern:
                level = levels.get(k, Level(1, "decimal", "", None))
                number = format_number(counters.get(k, level.start), level.fmt)
                pattern = pattern.replace(f"%{k + 1}", number)
        return pattern


def format_number(n: int, fmt: str) -> str:
    """A counter as a list format shows it."""
    if fmt.startswith(_COUNTING):
        return int_to_cn(n)
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)  # ①
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)
