"""The text of a Word document (``.docx``), read as the document's raw text.

A ``.docx`` is a zip of XML parts; its body (``word/document.xml``) holds paragraphs and
tables. Each paragraph becomes a line; a table row becomes one line of cells joined by
`` | `` (the form indicator tables take, as in a web page). Deleted revisions and field codes
are not text and are left out.

Word numbers many lists itself: a heading's 一、 or （一） is then not in its text but drawn
from the numbering definitions (``word/numbering.xml``), and without it the document would
lose its structure. Each numbered paragraph gets its label as Word shows it: the level's
pattern (``%1、``, ``（%2）``) filled with the counters of its list, in the level's format
(一二三, 1 2 3, ①②③...).

Offsets into a Word document's ``raw`` text are offsets into this text.
"""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple
from xml.etree import ElementTree as ET

from xref.decode import Decoded, DecodeError
from xref.numerals import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY = "word/document.xml"  # the member that makes a zip a Word document


def docx_text(data: bytes) -> Decoded:
    """The text of a Word document; :class:`~xref.decode.DecodeError` when it cannot be read
    or holds no text."""
    lines: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            body = ET.fromstring(z.read(BODY))
            labels = _Numbering(_part(z, "word/numbering.xml"), _part(z, "word/styles.xml"))
        _blocks(body, labels, lines)
    except Exception as exc:  # a parser of untrusted files: any failure means unreadable
        raise DecodeError("unreadable", f"not a readable Word document ({exc})") from exc
    text = "\n".join(lines)
    if not text.strip():
        raise DecodeError("empty", "the Word document has no text")
    return Decoded(text, "docx")


def _part(z: zipfile.ZipFile, name: str) -> ET.Element | None:
    return ET.fromstring(z.read(name)) if name in z.namelist() else None


def _blocks(parent: ET.Element, labels: _Numbering, lines: list[str]) -> None:
    """Paragraphs and table rows in document order, as lines (content controls and inserted
    revisions hold paragraphs too; a table's paragraphs are its cells)."""
    for child in parent:
        if child.tag == f"{W}p":
            lines.append(labels.label(child) + _text(child))
        elif child.tag == f"{W}tbl":
            lines += [_row(row) for row in child.iter(f"{W}tr")]
        elif child.tag != f"{W}del":
            _blocks(child, labels, lines)


def _text(paragraph: ET.Element) -> str:
    """A paragraph's visible text: its runs' text, tabs and line breaks, without deleted
    revisions or field codes."""
    out = []
    for node in _visible(paragraph):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}tab":
            out.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
    return "".join(out)


def _visible(node: ET.Element):
    """The node and every node inside it, but inside deleted revisions (``w:del``): their
    text is ``w:delText``, their tabs and breaks are gone too. Field codes are
    ``w:instrText``, not ``w:t``: never text."""
    yield node
    for child in node:
        if child.tag != f"{W}del":
            yield from _visible(child)


def _row(row: ET.Element) -> str:
    cells = []
    for cell in row.iter(f"{W}tc"):
        text = cell_text([_text(p) for p in cell.iter(f"{W}p")])
        span = cell.find(f"{W}tcPr/{W}gridSpan")
        cells.append(text)
        cells += [""] * (int(span.get(f"{W}val", "1")) - 1 if span is not None else 0)
    return "".join(f"{c} | " for c in cells).rstrip()


def cell_text(paragraphs: list[str]) -> str:
    """A table cell's paragraphs as one cell: Chinese text that a cell breaks in two is one
    phrase again (公开率 / （法律法规…）), Latin words keep a space between them."""
    out = ""
    for part in filter(None, (p.strip() for p in paragraphs)):
        latin = out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii()
        out += (" " if latin and part[0].isalnum() else "") + part
    return out


class _Numbering:
    """The labels Word draws in front of numbered paragraphs."""

    def __init__(self, numbering: ET.Element | None, styles: ET.Element | None):
        self.levels: dict[str, dict[int, _Level]] = {}  # numId -> ilvl -> level
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if numbering is None:
            return
        abstract = {
            a.get(f"{W}abstractNumId"): _levels(a) for a in numbering.iter(f"{W}abstractNum")
        }
        for num in numbering.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val") if ref is not None else "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl", "0"))
                if (start := override.find(f"{W}startOverride")) is not None and ilvl in levels:
                    levels[ilvl] = levels[ilvl]._replace(start=int(start.get(f"{W}val", "1")))
            self.levels[num.get(f"{W}numId")] = levels
        for style in styles.iter(f"{W}style") if styles is not None else ():
            if (num_pr := style.find(f"{W}pPr/{W}numPr")) is not None:
                num_id, ilvl = _num_pr(num_pr)
                if num_id:
                    self.style_num[style.get(f"{W}styleId")] = (num_id, ilvl)

    def label(self, paragraph: ET.Element) -> str:
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id, ilvl = _num_pr(num_pr)
        else:
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            num_id, ilvl = self.style_num.get(
                style.get(f"{W}val") if style is not None else "", ("", 0)
            )
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""  # numId 0: numbering switched off
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            # a new item restarts the lists below it, but those told to go on (lvlRestart 0)
            # or to restart only after a higher level (lvlRestart: that level, from 1)
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and ilvl <= restart - 1):
                del counters[deeper]
        pattern = levels[ilvl].pattern
        for k in range(9):
            if f"%{k + 1}" in pattern:
                level = levels.get(k, _Level(1, "decimal", "", None))
                number = _format(counters.get(k, level.start), level.fmt)
                pattern = pattern.replace(f"%{k + 1}", number)
        return pattern


def _num_pr(num_pr: ET.Element) -> tuple[str, int]:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val", "") if num_id is not None else "",
        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0,
    )


class _Level(NamedTuple):
    start: int
    fmt: str  # numFmt: decimal, chineseCounting...
    pattern: str  # lvlText: %1、, （%2）...
    restart: int | None  # lvlRestart; None: after any higher level


def _levels(abstract: ET.Element) -> dict[int, _Level]:
    """The levels of an abstract list, by ``ilvl``."""
    out = {}
    for lvl in abstract.iter(f"{W}lvl"):
        values = {
            name: node.get(f"{W}val")
            for name in ("start", "numFmt", "lvlText", "lvlRestart")
            if (node := lvl.find(f"{W}{name}")) is not None
        }
        restart = values.get("lvlRestart")
        out[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
            int(values.get("start") or 1),
            values.get("numFmt") or "decimal",
            values.get("lvlText") or "",
            int(restart) if restart is not None else None,
        )
    return out


def _format(n: int, fmt: str) -> str:
    """A counter as a list format shows it."""
    if fmt.startswith(("chineseCounting", "ideographDigital", "japaneseCounting")):
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
