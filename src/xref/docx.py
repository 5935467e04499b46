"""The text of a Word document (``.docx``), read as the document's raw text.

A ``.docx`` is a zip of XML parts; its body (``word/document.xml``) holds paragraphs and
tables. Each paragraph becomes a line; a table row becomes one line of cells joined by
`` | `` (the form indicator tables take, as in a web page). Deleted revisions and field codes
are not text and are left out.

Word numbers many lists itself: a heading's 一、 or （一） is then not in its text but drawn
from the numbering definitions (``word/numbering.xml``). Each numbered paragraph gets its
label as Word shows it (:mod:`xref.lists`).

Offsets into a Word document's ``raw`` text are offsets into this text.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from xref.decode import Decoded, DecodeError
from xref.lists import Counters, Level

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
        self.levels: dict[str, dict[int, Level]] = {}  # numId -> ilvl -> level
        self.counters = Counters()
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
        # numId 0: numbering switched off
        return self.counters.label(num_id, self.levels.get(num_id, {}), ilvl)


def _num_pr(num_pr: ET.Element) -> tuple[str, int]:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val", "") if num_id is not None else "",
        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0,
    )


def _levels(abstract: ET.Element) -> dict[int, Level]:
    """The levels of an abstract list, by ``ilvl``."""
    out = {}
    for lvl in abstract.iter(f"{W}lvl"):
        values = {
            name: node.get(f"{W}val")
            for name in ("start", "numFmt", "lvlText", "lvlRestart")
            if (node := lvl.find(f"{W}{name}")) is not None
        }
        restart = values.get("lvlRestart")
        out[int(lvl.get(f"{W}ilvl", "0"))] = Level(
            int(values.get("start") or 1),
            values.get("numFmt") or "decimal",
            values.get("lvlText") or "",
            int(restart) if restart is not None else None,
        )
    return out
