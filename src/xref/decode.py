"""Turn a file's bytes into text, or say precisely why that cannot be done.

A byte-order mark decides first: UTF-8, or UTF-16 and UTF-32 (Windows Notepad's and Excel's
"Unicode" text). Otherwise a file with more than a stray NUL byte is UTF-16 if it decodes as
such to Chinese text, else binary. Then UTF-8 is tried: real GB or Big5 text almost never
forms valid UTF-8.
Otherwise GB18030 (a superset of GBK and GB2312) and Big5 both often decode the same bytes
without error, so each successful decoding is scored by how many of its Han characters
are *common* ones (GB2312 level 1 or Big5 level 1): the wrong decoding of Chinese text lands
on rare characters, kana and private-use code points about half the time. The same score
tells mojibake (text decoded with the wrong encoding before it was saved) from Chinese text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAGIC = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\xd0\xcf\x11\xe0": "OLE document (doc/xls?)",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
}
# (mark, name, codec), UTF-32 first: its little-endian mark begins with UTF-16's
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
MAX_REPLACED = 1 / 1000  # tolerated share of undecodable bytes before giving up
# mojibake: of the Han characters in a text's first MOJIBAKE_SPAN characters (at least
# MOJIBAKE_MIN_HAN of them), fewer than MOJIBAKE_SHARE common ones (the seeds: 99.7-100%;
# UTF-8 read as GBK: about a third)
MOJIBAKE_SPAN = 500
MOJIBAKE_MIN_HAN = 100
MOJIBAKE_SHARE = 0.6
_HAN_OR_PRIVATE = re.compile("[\u3400-\u9fff\ue000-\uf8ff]+")


class DecodeError(ValueError):
    """The bytes are not a text document xref can read; ``problem`` is a short code."""

    def __init__(self, problem: str, detail: str):
        super().__init__(f"{problem}: {detail}")
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD


def _is_common_han(ch: str) -> bool:
    try:
        gb = ch.encode("gb2312")
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b5 = ch.encode("big5")
        return len(b5) == 2 and 0xA440 <= int.from_bytes(b5, "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


@cache
def _common() -> frozenset[str]:
    """The common Han characters (:func:`_is_common_han`)."""
    return frozenset(c for c in map(chr, range(0x3400, 0xA000)) if _is_common_han(c))


def _common_share(text: str) -> float:
    """The share of common characters among the Han (and private-use) characters of text."""
    han = "".join(_HAN_OR_PRIVATE.findall(text))
    if not han:
        return 0.0
    return sum(map(_common().__contains__, han)) / len(han)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document's bytes; :class:`DecodeError` for empty, binary or unreadable data,
    and for mojibake: text that was decoded with the wrong encoding before it was saved."""
    decoded = _decode(data)
    if (share := mojibake_share(decoded.text)) is not None:
        raise DecodeError(
            "undecodable",
            f"decodes as {decoded.encoding}, but only {share:.0%} of its Chinese characters "
            "are common ones (over 90% in Chinese text): mojibake, text decoded with the "
            "wrong encoding before it was saved (UTF-8 read as GBK turns 关于 into 鍏充簬); "
            "save it again from its source",
        )
    return decoded


def zip_members(data: bytes) -> frozenset[str]:
    """The member names of a zip archive, none for bytes that are not one (a .docx and an
    .ofd are zips, told apart by their members)."""
    if not data.startswith(b"PK\x03\x04"):
        return frozenset()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return frozenset(z.namelist())
    except zipfile.BadZipFile:
        return frozenset()


def mojibake_share(text: str) -> float | None:
    """The share of common characters among the first Han characters of a text that reads as
    mojibake (too few of them common), else None."""
    han = "".join(_HAN_OR_PRIVATE.findall(text, 0, MOJIBAKE_SPAN))
    if len(han) >= MOJIBAKE_MIN_HAN and (share := _common_share(han)) < MOJIBAKE_SHARE:
        return share
    return None


def _decode(data: bytes) -> Decoded:
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise DecodeError("empty", "the file has no text")
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise DecodeError("binary", f"looks like a {what}, not text")
    for mark, label, codec in BOMS:
        if data.startswith(mark):
            decoded = _strict_or_replaced(data[len(mark) :], label, codec)
            if not decoded.text.strip(" \t\r\n\x00\ufeff"):
                raise DecodeError("empty", "the file has no text")
            return decoded
    # a stray NUL (a scraper's fixed-size buffer) does not make text binary: normalising
    # drops it; many of them, in a file that is not UTF-16, do
    if b"\x00" in data[:4096] and data.count(b"\x00") > MAX_REPLACED * len(data):
        if (decoded := _utf16_without_mark(data)) is not None:
            return decoded
        raise DecodeError("binary", "contains NUL bytes, and is not UTF-16 Chinese text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass

    candidates = []
    for enc in ("gb18030", "big5hkscs"):  # big5hkscs: Big5 plus the HK extensions
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_share(text), enc, text))
    if candidates:
        share, enc, text = max(candidates, key=lambda c: c[0])
        if share >= 0.8:
            return Decoded(text, enc)

    # Scraped files often carry a few broken bytes; accept them when they are rare.
    best: Decoded | None = None
    for enc in ("utf-8", "gb18030", "big5hkscs"):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        readable = bad <= MAX_REPLACED * len(text) and _common_share(text) >= 0.8
        if readable and (best is None or bad < best.replaced):
            best = Decoded(text, enc, bad)
    if best is not None:
        return best
    raise DecodeError(
        "undecodable",
        "not valid UTF-8, GB18030/GBK or Big5 text (or binary data); "
        "re-save it as UTF-8 or fix its encoding in the source",
    )


def read_table(path: str | Path) -> list[list[str]]:
    """The rows of an analysts' table (manifest, decisions, gold links), line breaks inside
    quoted cells kept. It may be in any encoding a document may have, as spreadsheets save
    them (Excel on Chinese Windows: GB18030; its "Unicode text": UTF-16, tab-separated), but
    is decoded strictly: a broken byte would change a value without a word. Cells are
    separated by commas, or by tabs when the header has tabs and no comma. An empty file is
    an empty table."""
    stream, delimiter = _table(path)
    return list(csv.reader(stream, delimiter=delimiter))


def read_records(path: str | Path) -> list[dict[str, str]]:
    """The rows of :func:`read_table` after the header, as dicts keyed by the header's
    names (as :class:`csv.DictReader` makes them)."""
    stream, delimiter = _table(path)
    return list(csv.DictReader(stream, delimiter=delimiter))


def _table(path: str | Path) -> tuple[io.StringIO, str]:
    text = _decode_table(Path(path).read_bytes())
    header = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in header and "," not in header else ","
    return io.StringIO(text, newline=""), delimiter


def _decode_table(data: bytes) -> str:
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        if exc.problem == "empty":
            return ""
        raise
    if decoded.replaced:
        raise DecodeError(
            "undecodable",
            f"{decoded.replaced} byte(s) are not {decoded.encoding} text; re-save it as UTF-8",
        )
    return decoded.text


def _utf16_without_mark(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte-order mark, when one byte order decodes the data strictly
    to text whose Han characters are common ones (as GB and Big5 are told apart above)."""
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _common_share(text) >= 0.8:
            return Decoded(text, codec)
    return None


def _strict_or_replaced(data: bytes, label: str, codec: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), label)
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if bad > MAX_REPLACED * len(text):
            raise DecodeError(
                "undecodable", f"starts with a {label} mark but is not {codec}"
            ) from None
        return Decoded(text, label, bad)
