"""Decoding: every encoding real users send, and every kind of file that is not text."""

from __future__ import annotations

import codecs
import re

import pytest
from conftest import RAW, seed

from xref.decode import DecodeError, decode_bytes
from xref.normalize import normalize

SIMPLIFIED = (RAW / f"{seed('001')}.txt").read_text(encoding="utf-8")


def traditional_passage() -> str:
    """Real Traditional text: the body of seed 000 with its pinyin annotations removed."""
    raw = (RAW / f"{seed('000')}.txt").read_text(encoding="utf-8")
    body = raw[raw.index("(二十一)") : raw.index("(二十八)")]  # no garbled span here
    return re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", body)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (traditional_passage().encode("big5"), "big5hkscs"),
        # Windows' "Unicode" text: UTF-16 with a byte-order mark, either order
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-32"), "utf-32"),
        # and without one: told by the byte order that gives common characters
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (traditional_passage().encode("utf-16-be"), "utf-16-be"),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "gbk",
        "gb18030",
        "big5",
        "utf-16",
        "utf-16-be-bom",
        "utf-32",
        "utf-16-le-no-bom",
        "utf-16-be-no-bom",
    ],
)
def test_decodes_each_encoding_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.replaced == 0
    expected = traditional_passage() if encoding in ("big5hkscs", "utf-16-be") else SIMPLIFIED
    assert decoded.text == expected


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("上海市市场监督管理局关于印发通知", "gbk"), ("市場監督管理局", "big5"), ("蓟州区", "gbk")],
)
def test_short_texts_are_told_apart(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)).text == text


@pytest.mark.parametrize(
    ("data", "problem", "words"),
    [
        (b"", "empty", "no text"),
        (b" \r\n\t\n", "empty", "no text"),
        (codecs.BOM_UTF8, "empty", "no text"),
        (" \r\n".encode("utf-16"), "empty", "no text"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8" * 64, "undecodable", "utf-16"),  # lone surrogates
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "PNG"),
        (b"%PDF-1.7\n", "binary", "PDF"),
        (bytes(range(256)) * 4, "binary", "NUL"),
        (bytes(range(0x80, 0x100)) * 8, "undecodable", "UTF-8"),
    ],
    ids=[
        "empty",
        "whitespace",
        "bom-only",
        "utf-16-blank",
        "utf-16-broken",
        "png",
        "pdf",
        "noise",
        "high-bytes",
    ],
)
def test_non_text_is_refused_with_a_reason(data: bytes, problem: str, words: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.problem == problem
    assert words in info.value.detail


def test_a_few_broken_bytes_are_tolerated_and_counted() -> None:
    broken = SIMPLIFIED[:1000].encode("utf-8") + b"\xff" + SIMPLIFIED[1000:].encode("utf-8")
    decoded = decode_bytes(broken)
    assert decoded.encoding == "utf-8"
    assert decoded.replaced == 1
    assert decoded.text.replace("\ufffd", "") == SIMPLIFIED


def test_a_stray_nul_does_not_make_text_binary() -> None:
    """A scraper that wrote a fixed-size buffer leaves NULs; normalising drops them."""
    data = SIMPLIFIED[:100].encode() + b"\x00\x00" + SIMPLIFIED[100:].encode()
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert normalize(decoded.text).text == normalize(SIMPLIFIED).text


def test_mojibake_is_refused_with_its_cause() -> None:
    """UTF-8 read as GBK and saved again (乱码): every character is a valid one, few are common
    ones. Loaded, it would add a document of nonsense without a word."""
    text = (RAW / f"{seed('001')}.txt").read_text(encoding="utf-8")
    garbled = text.encode("utf-8").decode("gbk", errors="replace")
    with pytest.raises(DecodeError, match="mojibake") as info:
        decode_bytes(garbled.encode("utf-8"))
    assert info.value.problem == "undecodable"
