"""The text of a Word 97-2003 document (``.doc``), read as the document's raw text.

Government sites still attach many documents as ``.doc``. Such a file is an OLE compound file
([MS-DOC]); its text lies in the ``WordDocument`` stream in pieces, which the piece table (in
the table stream) lists in order, each piece either 8-bit (cp1252) or UTF-16. Only the main
document is read: footnotes, headers and comments follow it and are not the document's text.

Paragraphs end with ``\\r`` and become lines. A table cell ends with ``\\x07``, and so does a
row, whose end mark is told from an empty cell's by its paragraph properties (``TTP``); a row
becomes one line of cells joined by `` | ``, as in a ``.docx`` or a web page. A field
(``\\x13`` code ``\\x14`` result ``\\x15``) keeps its result, not its code.

The labels Word numbers itself (一、, （一）) are drawn as :mod:`xref.lists` draws them for a
``.docx``: a paragraph names its list instance and level (``ilfo``, ``ilvl``), the table stream
holds the lists' levels (``PlfLst``, then the ``LVL`` of each) and the instances' overrides
(``PlfLfo``). A list named only by a paragraph's style, not by the paragraph itself, is not
drawn (LibreOffice names a heading style's list in each paragraph too).

Offsets into a ``.doc`` document's ``raw`` text are offsets into this text.
"""

from __future__ import annotations

import io
import re
import struct
from typing import NamedTuple

from xref.decode import Decoded, DecodeError
from xref.docx import cell_text
from xref.lists import Counters, Level

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # of an OLE compound file (four of its eight bytes)
WORD_MAGIC = 0xA5EC  # wIdent of a Word document's file information block
_FC_CLX = 33  # index of fcClx among the FIB's (offset, length) pairs
_FC_BTE_PAPX = 13  # index of fcPlcfBtePapx: where each paragraph's properties are
_FC_PLF_LST, _FC_PLF_LFO = 73, 74  # the lists' definitions, and their instances
_SPRM_ILVL, _SPRM_ILFO = 0x260A, 0x460B  # a paragraph's list level, and list instance
# the number formats of a list level ([MS-OSHARED] MSONFC) by their OOXML names; the others
# are drawn as decimals
_NFC = {
    0x00: "decimal",
    0x03: "upperLetter",
    0x04: "lowerLetter",
    0x0A: "ideographDigital",
    0x0B: "japaneseCounting",
    0x12: "decimalEnclosedCircle",
    0x17: "bullet",
    0x1E: "ideographTraditional",
    0x21: "taiwaneseCounting",
    0x23: "taiwaneseCountingThousand",
    0x25: "chineseCounting",
    0x27: "chineseCountingThousand",
    0xFF: "none",
}
_SPRM_TTP = (0x2417, 0x244C)  # a paragraph mark that ends a table row (outer, nested)
_SPRM_IN_TABLE, _SPRM_ITAP = 0x2416, 0x6649  # a paragraph in a table; its table depth
_SPRM_DEF_TABLE, _SPRM_CHG_TABS = 0xD608, 0xC615  # operands of their own length forms
_SPRM_HUGE_PAPX = 0x6646  # the rest of the properties, in the Data stream (a row's, often)
_CELL = "\x07"
_CELL_PARAGRAPH = "\x1f"  # between a cell's paragraphs, until they are joined as one cell
# a mark's meaning by where its paragraph stands: in a cell, a paragraph mark parts the cell's
# paragraphs; a row's end mark ends the line of its cells
_MARKS = {"\r": {"cell": _CELL_PARAGRAPH, "row": "\n"}, _CELL: {"cell": _CELL, "row": "\n"}}
_FIELD_START, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_MARK = re.compile("[\r\x07]")
# marks of things that are not text (pictures, footnote references) go; paragraph, line, page
# and column breaks end a line (a page break is no page of a laid-out text: no form feed)
_NOT_TEXT = str.maketrans(
    {"\x01": None, "\x02": None, "\x08": None, "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x0e": "\n"}
)


def is_doc(data: bytes) -> bool:
    """Whether the bytes are an OLE compound file, the container of a Word 97-2003 document."""
    return data.startswith(OLE_MAGIC)


def is_rtf(data: bytes) -> bool:
    """Whether the bytes are an RTF document (Word saves them under .doc too)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")


def doc_text(data: bytes) -> Decoded:
    """The text of a Word 97-2003 document; :class:`~xref.decode.DecodeError` when it cannot
    be read (another Office file among them), asks for a password, or holds no text."""
    import olefile  # here: most corpora hold no .doc

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            word = ole.openstream("WordDocument").read()
            ident, flags = struct.unpack_from("<H8xH", word, 0)
            if ident != WORD_MAGIC:
                raise DecodeError("unreadable", "not a Word 97-2003 document")
            if flags & 0x0100:  # fEncrypted
                raise DecodeError(
                    "encrypted",
                    "the Word document asks for a password to open; save it without one",
                )
            table_name = "1Table" if flags & 0x0200 else "0Table"  # fWhichTblStm
            table = ole.openstream(table_name).read()
            # a paragraph's properties too large for its page lie in the Data stream
            extra = ole.openstream("Data").read() if ole.exists("Data") else b""
        text = _main_text(word, table, extra)
    except DecodeError:
        raise
    except Exception as exc:  # a parser of untrusted files: any failure means unreadable
        detail = f"not a readable Word 97-2003 document ({type(exc).__name__}: {exc})"
        raise DecodeError("unreadable", detail) from exc
    if not text.strip():
        raise DecodeError("empty", "the Word document has no text")
    return Decoded(text, "doc")


def _fib_longs(word: bytes) -> int:
    """Where the FIB's FibRgLw (its 4-byte values) starts: after the base and its 2-byte
    values, whose count (csw) it gives."""
    return 34 + 2 * struct.unpack_from("<H", word, 32)[0] + 2


def _fc_lcb(word: bytes, index: int) -> tuple[int, int]:
    """The (offset, length) pair ``index`` of the FIB's FibRgFcLcb, after its 4-byte values."""
    longs = _fib_longs(word)
    cslw = struct.unpack_from("<H", word, longs - 2)[0]
    return struct.unpack_from("<II", word, longs + 4 * cslw + 2 + 8 * index)


def _text_length(word: bytes) -> int:
    """ccpText, the FIB's 4th 4-byte value: the characters of the main document, before
    footnotes and headers."""
    return struct.unpack_from("<i", word, _fib_longs(word) + 12)[0]


def _main_text(word: bytes, table: bytes, extra: bytes) -> str:
    """The main document's characters, pieces read in order, marks made lines and cells."""
    fc, lcb = _fc_lcb(word, _FC_CLX)
    clx = table[fc : fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 1:  # Prc: formatting of pieces, not text
        at += 3 + struct.unpack_from("<H", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 2:
        raise ValueError("no piece table")
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + size]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    limit = _text_length(word)
    marks = _paragraphs(word, table, extra)
    lists = _lists(word, table) if any(m.ilfo for m in marks.values()) else {}
    labels: list[tuple[int, str]] = []  # (where in chars, label)
    counters = Counters()
    chars: list[str] = []
    paragraph = 0  # where the paragraph being read starts, in chars
    for i in range(n):
        start, end = cps[i], min(cps[i + 1], limit)
        if end <= start:
            continue
        value = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        offset, count = value & 0x3FFFFFFF, end - start
        if value & 0x40000000:  # fCompressed: one byte a character, at half the offset
            offset, width, codec = offset // 2, 1, "cp1252"
        else:
            width, codec = 2, "utf-16-le"
        piece = list(word[offset : offset + width * count].decode(codec, "replace"))
        for m in _MARK.finditer("".join(piece)):
            # a paragraph's properties are keyed by the stream offset just past its mark
            if mark := marks.get(offset + width * m.end()):
                if mark.kind:
                    piece[m.start()] = _MARKS[m.group()][mark.kind]
                levels = lists.get(mark.ilfo, {})
                if label := counters.label(mark.ilfo, levels, mark.ilvl):
                    labels.append((paragraph, label))
            paragraph = len(chars) + m.end()
        chars += piece
    for at, label in reversed(labels):
        chars.insert(at, label)
    return _lines("".join(chars))


def _lines(text: str) -> str:
    """Fields reduced to their results, paragraphs to lines, a row's cells to ``a | b |``."""
    if _FIELD_START in text:
        out: list[str] = []
        depth: list[bool] = []  # per open field: whether its code is over (its result shown)
        for char in text:
            if char == _FIELD_START:
                depth.append(False)
            elif char == _FIELD_SEPARATOR and depth:
                depth[-1] = True
            elif char == _FIELD_END and depth:
                depth.pop()
            elif all(depth):
                out.append(char)
        text = "".join(out)
    lines = text.translate(_NOT_TEXT)
    return "\n".join(
        "".join(
            f"{cell_text(c.split(_CELL_PARAGRAPH))} | " for c in line.split(_CELL)[:-1]
        ).rstrip()
        if _CELL in line
        else line
        for line in lines.split("\n")
    )


class _Mark(NamedTuple):
    """What a paragraph's properties say of it: in a table (``"row"``: its mark ends a row,
    ``"cell"``: it is in a cell, None: neither), and its list instance (0: none) and level."""

    kind: str | None
    ilfo: int
    ilvl: int


def _paragraphs(word: bytes, table: bytes, extra: bytes) -> dict[int, _Mark]:
    """The properties of paragraphs in a table or a list, keyed by the stream offset just
    past the paragraph's mark; read from the paragraphs' formatted disk pages (PapxFkp)."""
    fc, lcb = _fc_lcb(word, _FC_BTE_PAPX)
    n = (lcb - 4) // 8
    if n <= 0:
        return {}
    marks: dict[int, _Mark] = {}
    for page in struct.unpack_from(f"<{n}I", table, fc + 4 * (n + 1)):
        fkp = word[(page & 0x3FFFFF) * 512 : (page & 0x3FFFFF) * 512 + 512]
        runs = fkp[511]
        bounds = struct.unpack_from(f"<{runs + 1}I", fkp, 0)
        for i in range(runs):
            offset = fkp[4 * (runs + 1) + 13 * i] * 2
            if offset and any(mark := _mark(_grpprl(fkp, offset), extra)):
                marks[bounds[i + 1]] = mark
    return marks


def _grpprl(fkp: bytes, offset: int) -> bytes:
    """The property modifiers of the paragraph properties at ``offset`` of a PapxFkp."""
    cb = fkp[offset]
    if cb:
        start, size = offset + 1, 2 * cb - 1
    else:
        start, size = offset + 2, 2 * fkp[offset + 1]
    return fkp[start + 2 : start + size]  # after the style index


def _mark(grpprl: bytes, extra: bytes) -> _Mark:
    """What a paragraph's property modifiers say of its table and list."""
    kind, ilfo, ilvl, at = None, 0, 0, 0
    while at + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, at)[0]
        at += 2
        if at < len(grpprl):
            if sprm in _SPRM_TTP and grpprl[at] == 1:
                kind = "row"
            if sprm == _SPRM_IN_TABLE and grpprl[at] == 1:
                kind = kind or "cell"
            if sprm == _SPRM_ITAP and at + 4 <= len(grpprl):
                kind = kind or ("cell" if struct.unpack_from("<i", grpprl, at)[0] > 0 else None)
            if sprm == _SPRM_ILVL:
                ilvl = grpprl[at]
            if sprm == _SPRM_ILFO and at + 2 <= len(grpprl):
                ilfo = struct.unpack_from("<h", grpprl, at)[0]
            if sprm == _SPRM_HUGE_PAPX and at + 4 <= len(grpprl):
                place = struct.unpack_from("<I", grpprl, at)[0]
                size = struct.unpack_from("<H", extra, place)[0] if place + 2 <= len(extra) else 0
                huge = _mark(extra[place + 2 : place + 2 + size], b"")
                kind = "row" if "row" in (kind, huge.kind) else kind or huge.kind
                ilfo, ilvl = huge.ilfo or ilfo, huge.ilvl if huge.ilfo else ilvl
        at += _operand_size(sprm, grpprl, at)
    return _Mark(kind, max(ilfo, 0), ilvl)


def _lists(word: bytes, table: bytes) -> dict[int, dict[int, Level]]:
    """The levels of each list instance (LFO), by the 1-based index paragraphs name it by;
    none when the list tables cannot be read (the text is worth having without its labels)."""
    try:
        return _read_lists(word, table)
    except (struct.error, IndexError, ValueError):
        return {}


def _read_lists(word: bytes, table: bytes) -> dict[int, dict[int, Level]]:
    fc, lcb = _fc_lcb(word, _FC_PLF_LST)
    if not lcb:
        return {}
    count = struct.unpack_from("<h", table, fc)[0]
    at = fc + 2 + 28 * count  # the levels follow the definitions: 9 each, or 1 (fSimpleList)
    definitions: dict[int, dict[int, Level]] = {}
    for i in range(count):
        lsid = struct.unpack_from("<i", table, fc + 2 + 28 * i)[0]
        levels = definitions[lsid] = {}
        for ilvl in range(1 if table[fc + 2 + 28 * i + 26] & 1 else 9):
            levels[ilvl], at = _level(table, at)
    fc, lcb = _fc_lcb(word, _FC_PLF_LFO)
    if not lcb:
        return {}
    n = struct.unpack_from("<i", table, fc)[0]
    at = fc + 4 + 16 * n  # each instance's overrides (LFOData) follow the instances
    out = {}
    for i in range(n):
        lsid, overrides = struct.unpack_from("<i8xB", table, fc + 4 + 16 * i)
        levels = dict(definitions.get(lsid, {}))
        at += 4  # the LFOData's cp
        for _ in range(overrides):
            start, flags = struct.unpack_from("<iI", table, at)
            at += 8
            ilvl = flags & 0x0F
            if flags & 0x20:  # fFormatting: a level of its own follows
                levels[ilvl], at = _level(table, at)
            if flags & 0x10 and ilvl in levels:  # fStartAt
                levels[ilvl] = levels[ilvl]._replace(start=start)
        out[i + 1] = levels
    return out


def _level(table: bytes, at: int) -> tuple[Level, int]:
    """The list level (LVL) at ``at``, and where the next begins. Its number text (xst) holds
    each level's counter as a character of that level's index, where rgbxchNums points."""
    start, nfc, flags = struct.unpack_from("<iBB", table, at)
    places = table[at + 6 : at + 15]
    cb_chpx, cb_papx, restart_limit = table[at + 24], table[at + 25], table[at + 26]
    at += 28 + cb_papx + cb_chpx
    cch = struct.unpack_from("<H", table, at)[0]
    text = list(table[at + 2 : at + 2 + 2 * cch].decode("utf-16-le"))
    for place in places:
        if not place:
            break
        if place <= len(text) and ord(text[place - 1]) < 9:
            text[place - 1] = f"%{ord(text[place - 1]) + 1}"
    restart = restart_limit if flags & 0x08 else None  # fNoRestart: ilvlRestartLim says
    return Level(start, _NFC.get(nfc, "decimal"), "".join(text), restart), at + 2 + 2 * cch


def _operand_size(sprm: int, grpprl: bytes, at: int) -> int:
    spra = sprm >> 13
    if spra == 6:  # variable: a length byte first, but for two sprms
        if at >= len(grpprl):
            return 0
        if sprm == _SPRM_DEF_TABLE:  # a two-byte length, one more than the rest
            return 1 + struct.unpack_from("<H", grpprl, at)[0] if at + 2 <= len(grpprl) else 0
        if sprm == _SPRM_CHG_TABS and grpprl[at] == 255:  # its own long form: the rest
            return len(grpprl) - at
        return 1 + grpprl[at]
    return (1, 1, 2, 4, 2, 2, 0, 3)[spra]
