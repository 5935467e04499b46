"""Word 97-2003 documents (.doc): their text, their tables, the files that cannot be read.

The fixtures are seeds saved as .doc by LibreOffice (``tests/fixtures/README.md``)."""

from __future__ import annotations

import io
import re
import shutil
import struct
from pathlib import Path

import olefile
import pytest
from conftest import assert_reads_as_seed, problems_of
from hypothesis import given, settings
from hypothesis import strategies as st

import xref
from xref import msdoc
from xref.decode import DecodeError
from xref.msdoc import doc_text

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixture(prefix: str, folder: Path) -> Path:
    (source,) = FIXTURES.glob(f"{prefix}_*.doc")
    return Path(shutil.copy(source, folder))


@pytest.mark.parametrize("prefix", ["002", "004"])
def test_a_word_97_document_reads_as_the_same_document(tmp_path, docs, items, prefix) -> None:
    copy_fixture(prefix, tmp_path)
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert corpus[docs[prefix].doc_id].encoding == "doc"
    assert_reads_as_seed(corpus, docs[prefix], items)


def test_a_fields_result_is_read_not_its_code(tmp_path, docs) -> None:
    """002's first 京津冀 is a link: a HYPERLINK field, whose code is no text."""
    copy_fixture("002", tmp_path)
    text = xref.load_corpus(tmp_path)[docs["002"].doc_id].text
    assert "HYPERLINK" not in text and "scj.tj.gov.cn" not in text
    assert text.count("京津冀") == docs["002"].text.count("京津冀")


def test_a_word_97_table_reads_as_rows_of_cells(tmp_path, docs, items) -> None:
    """002's indicator table, a real Word table here: a row's end is told from an empty
    cell's by its paragraph's properties, which for the first row lie in the Data stream; a
    cell of two paragraphs is one cell."""
    copy_fixture("002", tmp_path)
    corpus = xref.load_corpus(tmp_path)
    text = corpus[docs["002"].doc_id].text
    assert "序号 | 指标 | 2020年 | 2025年 | 属性 |" in text
    assert "\n活力 | | | | | |\n" in text
    assert "\n12 | 市场监管行政处罚信息公开率（法律法规规定不予公开的除外） | 100% |" in text
    seeds = xref.load_corpus(docs["002"].path.parent)
    got = xref.indicators_frame(corpus, xref.extract(corpus))
    want = xref.indicators_frame(seeds, items[items["doc_id"] == docs["002"].doc_id])
    assert len(got) == 25
    assert got.equals(want.reset_index(drop=True))


def edit_word_stream(path: Path, at: int, value: int) -> None:
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[at] = value
        ole.write_stream("WordDocument", bytes(stream))


def test_word_97_files_that_cannot_be_read_are_skipped_with_their_reason(tmp_path) -> None:
    locked = copy_fixture("004", tmp_path).rename(tmp_path / "locked.doc")
    edit_word_stream(locked, 0x0B, 0x13)  # fEncrypted, as Word marks a file with a password
    other = copy_fixture("004", tmp_path).rename(tmp_path / "not_word.doc")
    edit_word_stream(other, 0, 0)  # another program's stream of that name
    cut = (FIXTURES / "004_05eae9ae364dacde.doc").read_bytes()[:4096]
    (tmp_path / "cut_short.doc").write_bytes(cut)
    (tmp_path / "saved_as_rtf.doc").write_bytes(b"{\\rtf1\\ansi\\ansicpg936 \\'ca\\'d0}")
    assert problems_of(tmp_path) == {
        "locked.doc": "encrypted",
        "not_word.doc": "unreadable",
        "cut_short.doc": "unreadable",
        "saved_as_rtf.doc": "not_text",
    }


def test_a_web_page_served_as_doc_reads_as_the_web_page(tmp_path, docs) -> None:
    """Many sites' "Word" download is the page's HTML under a .doc name."""
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in docs["004"].text.split("\n"))
    (tmp_path / "notice.doc").write_text(page + "</body></html>", encoding="utf-8")
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert corpus["notice"].text.split("\n")[0] == docs["004"].text.split("\n")[0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 22527), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_doc_gives_text_or_a_clear_problem(edits) -> None:
    """A parser of files from the web: whatever bytes it meets, it ends, with text or with a
    DecodeError, never another exception or a loop."""
    data = bytearray((FIXTURES / "004_05eae9ae364dacde.doc").read_bytes())
    for at, value in edits:
        data[at] = value
    try:
        assert isinstance(doc_text(bytes(data)).text, str)
    except DecodeError as exc:
        assert exc.problem in {"unreadable", "encrypted", "empty"}


def test_pieces_of_eight_bit_text_are_read_with_the_rest() -> None:
    """Word stores a run of Western characters (我局依托|OA|平台) as an 8-bit piece at half
    its offset; LibreOffice, which made the fixtures, writes UTF-16 only, so the streams are
    built here: a file information block naming the piece table, the pieces, the table."""
    word = bytearray(2048)
    struct.pack_into("<H", word, 0, 0xA5EC)
    struct.pack_into("<H", word, 32, 14)  # csw: 14 words follow
    struct.pack_into("<H", word, 62, 22)  # cslw: 22 longs follow
    struct.pack_into("<i", word, 76, 9)  # ccpText: the main document's 9 characters
    struct.pack_into("<H", word, 152, 93)  # cbRgFcLcb: 93 (offset, length) pairs follow
    pieces = [("我局依托", 1024, False), ("OA", 1100, True), ("平台\r", 1200, False)]
    table, cps, pcds = bytearray(), [0], b""
    for text, at, eight_bit in pieces:
        data = text.encode("cp1252" if eight_bit else "utf-16-le")
        word[at : at + len(data)] = data
        cps.append(cps[-1] + len(text))
        pcds += struct.pack("<HIH", 0, (2 * at) | 0x40000000 if eight_bit else at, 0)
    plc = struct.pack(f"<{len(cps)}I", *cps) + pcds
    table += b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", word, 154 + 8 * 33, 0, len(table))  # fcClx, lcbClx
    assert msdoc._main_text(bytes(word), bytes(table), b"") == "我局依托OA平台\n"


def measures(text: str) -> list[str]:
    return [m.group() for m in re.finditer(r"(?m)^\d+\.", text)]


def test_the_labels_word_numbers_itself_are_read(tmp_path, docs) -> None:
    """Minhang's 一、 （一） 1. left to Word's numbering (``fixtures/lists``): without them the
    document had no structure. Drawn from its list tables, they read as LibreOffice shows
    them: it saved the measures' level as restarting under each section (1-3, 1-3, 1-3), where
    Minhang numbers them 1-9, and writes the Chinese counting numbers as nfc 0x27."""
    shutil.copy(FIXTURES / "lists" / f"{docs['004'].doc_id}.doc", tmp_path)
    raw = xref.load_corpus(tmp_path)[docs["004"].doc_id].raw
    assert "\n二、推进措施\n" in raw and "\n（七）培养干部队伍综合素养" in raw
    assert measures(raw) == ["1.", "2.", "3."] * 3


def edit_list_tables(folder: Path, prefix: str, edit) -> None:
    """The numbered fixture copied into ``folder``, its table stream edited in place:
    ``edit(table, fc_lst, fc_lfo)`` with the offsets of its PlfLst and PlfLfo."""
    (source,) = (FIXTURES / "lists").glob(f"{prefix}_*.doc")
    path = Path(shutil.copy(source, folder))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = ole.openstream("WordDocument").read()
        name = "1Table" if struct.unpack_from("<H", word, 10)[0] & 0x0200 else "0Table"
        table = bytearray(ole.openstream(name).read())
        edit(table, *(msdoc._fc_lcb(word, i)[0] for i in (msdoc._FC_PLF_LST, msdoc._FC_PLF_LFO)))
        ole.write_stream(name, bytes(table))


def test_a_list_level_that_goes_on_across_its_parents_reads_as_the_seed(
    tmp_path, docs, items
) -> None:
    """Word's own way for Minhang's measures: the level's fNoRestart set, with
    ilvlRestartLim 0 (never restart). LibreOffice does not write it; set here in the list
    table, the measures go on 1-9 and the document reads as the seed."""

    def go_on(table: bytearray, fc_lst: int, _: int) -> None:
        at = fc_lst + 2 + 28 * struct.unpack_from("<h", table, fc_lst)[0]
        for _ in range(2):  # the first list's levels 0 and 1, to its level 2
            at = msdoc._level(bytes(table), at)[1]
        table[at + 5] |= 0x08  # fNoRestart
        table[at + 26] = 0  # ilvlRestartLim

    edit_list_tables(tmp_path, "004", go_on)
    corpus = xref.load_corpus(tmp_path)
    assert measures(corpus[docs["004"].doc_id].raw) == [f"{n}." for n in range(1, 10)]
    assert_reads_as_seed(corpus, docs["004"], items)


def test_a_broken_list_table_costs_the_labels_not_the_text(tmp_path, docs) -> None:
    def too_many(table: bytearray, _: int, fc_lfo: int) -> None:
        struct.pack_into("<i", table, fc_lfo, 1 << 30)  # far more list instances than it holds

    edit_list_tables(tmp_path, "004", too_many)
    raw = xref.load_corpus(tmp_path)[docs["004"].doc_id].raw
    assert "\n推进措施\n" in raw and "二、" not in raw


def test_a_paragraph_split_across_pieces_keeps_its_label_in_front(docs) -> None:
    """Word keeps a text in pieces, and a paragraph may begin in one and end in the next
    (LibreOffice writes one piece). The fixture's piece split inside 推进措施 reads the same."""
    data = (FIXTURES / "lists" / f"{docs['004'].doc_id}.doc").read_bytes()
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        name = "1Table" if struct.unpack_from("<H", word, 10)[0] & 0x0200 else "0Table"
        table = bytearray(ole.openstream(name).read())
        extra = ole.openstream("Data").read() if ole.exists("Data") else b""
    whole = msdoc._main_text(bytes(word), bytes(table), extra)
    fc, lcb = msdoc._fc_lcb(word, msdoc._FC_CLX)
    assert table[fc] == 2  # the piece table itself, no formatting before it
    plc = table[fc + 5 : fc + lcb]
    assert (len(plc) - 4) // 12 == 1
    start, end = struct.unpack_from("<2I", plc, 0)
    flags, offset, prm = struct.unpack_from("<HIH", plc, 8)
    text = word[offset : offset + 2 * (end - start)].decode("utf-16-le")
    cut = text.index("推进措施") + 2
    split = struct.pack("<3I", start, start + cut, end)
    split += struct.pack("<HIH", flags, offset, prm) + struct.pack(
        "<HIH", flags, offset + 2 * cut, prm
    )
    longs = msdoc._fib_longs(word)
    pair = longs + 4 * struct.unpack_from("<H", word, longs - 2)[0] + 2 + 8 * msdoc._FC_CLX
    struct.pack_into("<II", word, pair, len(table), 5 + len(split))
    table += b"\x02" + struct.pack("<I", len(split)) + split
    assert msdoc._main_text(bytes(word), bytes(table), extra) == whole
    assert "\n二、推进措施\n" in whole
