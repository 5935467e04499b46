"""Word documents (.docx): their text, the labels Word numbers itself, their tables."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import assert_reads_as_seed, flag_zip, problems_of

import xref

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
# the lists of a Chinese official document, as Word numbers them: 一、 / （一） / 1. (the last
# going on across its parents, as Minhang's measures 1-9 do: lvlRestart 0)
NUMBERING = (
    f'<w:numbering {NS}><w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:lvlRestart w:val="0"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>'
)
LABELS = (
    (0, re.compile(r"^[一二三四五六七八九十]+、")),
    (1, re.compile(r"^（[一二三四五六七八九十]+）")),
)
LABELS += ((2, re.compile(r"^\d+\.")),)


def paragraph(text: str, level: int | None = None) -> str:
    numbered = (
        ""
        if level is None
        else (f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr></w:pPr>')
    )
    return f'<w:p>{numbered}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(path: Path, body: str, *, numbering: str | None = None) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        if numbering:
            z.writestr("word/numbering.xml", numbering)


def test_a_word_document_reads_as_the_same_document(tmp_path, docs, items) -> None:
    doc = docs["004"]
    write_docx(tmp_path / f"{doc.doc_id}.docx", "".join(map(paragraph, doc.text.split("\n"))))
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert corpus[doc.doc_id].encoding == "docx"
    assert_reads_as_seed(corpus, doc, items)


def test_the_labels_word_numbers_itself_are_read(tmp_path, docs, items) -> None:
    """Minhang's 一、 （一） 1. taken out of the text and left to Word's numbering: without
    them the document had no structure; with them it reads as the seed."""
    doc = docs["004"]
    body = []
    for line in doc.text.split("\n"):
        level = next((lvl for lvl, label in LABELS if label.match(line)), None)
        body.append(paragraph(LABELS[level][1].sub("", line) if level is not None else line, level))
    assert sum("numPr" in p for p in body) == 25  # 3 一、, 13 （一）, 9 1.
    write_docx(tmp_path / f"{doc.doc_id}.docx", "".join(body), numbering=NUMBERING)
    corpus = xref.load_corpus(tmp_path)
    assert "二、推进措施" in corpus[doc.doc_id].text
    assert_reads_as_seed(corpus, doc, items)


def test_a_word_table_reads_as_rows_of_cells(tmp_path) -> None:
    def cell(text: str, span: int = 1) -> str:
        props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{props}{''.join(map(paragraph, text.split('/')))}</w:tc>"

    rows = [
        [cell("序号"), cell("指标"), cell("2020年"), cell("2025年")],
        [cell("活力", 4)],
        [cell("1"), cell("市场主体总量/（万户）"), cell("8.4"), cell("10")],  # two paragraphs
        [cell("2"), cell("通过ISO/9001认证的企业（家）"), cell("354"), cell("750")],
    ]
    table = "<w:tbl>" + "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows) + "</w:tbl>"
    deleted = "<w:p><w:del><w:r><w:delText>删去的字</w:delText></w:r></w:del></w:p>"
    write_docx(tmp_path / "plan.docx", paragraph("表1 主要指标") + table + deleted)
    text = xref.load_corpus(tmp_path)["plan"].text
    assert text.split("\n") == [
        "表1 主要指标",
        "序号 | 指标 | 2020年 | 2025年 |",
        "活力 | | | |",
        "1 | 市场主体总量（万户） | 8.4 | 10 |",
        "2 | 通过ISO 9001认证的企业（家） | 354 | 750 |",
    ]


def test_word_files_that_cannot_be_read_are_skipped_with_their_reason(tmp_path) -> None:
    write_docx(tmp_path / "blank.docx", paragraph(""))
    (tmp_path / "cut_short.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (tmp_path / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 40)
    assert problems_of(tmp_path) == {
        "blank.docx": "empty",
        "cut_short.docx": "unreadable",
        "old.wps": "not_text",
    }


def one_level(fmt: str, pattern: str) -> str:
    return (
        f'<w:numbering {NS}><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">'
        f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{pattern}"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )


@pytest.mark.parametrize(
    ("fmt", "pattern", "labels"),
    [
        ("chineseCounting", "%1、", ["一、", "二、", "三、"]),
        ("decimalEnclosedCircle", "%1", ["①", "②", "③"]),
        ("ideographTraditional", "%1.", ["甲.", "乙.", "丙."]),
        ("decimal", "（%1）", ["（1）", "（2）", "（3）"]),
    ],
)
def test_list_formats(tmp_path, fmt: str, pattern: str, labels: list[str]) -> None:
    body = "".join(paragraph(f"第{n}项措施", 0) for n in "一二三")
    write_docx(tmp_path / "list.docx", body, numbering=one_level(fmt, pattern))
    lines = xref.load_corpus(tmp_path)["list"].raw.split("\n")
    assert [line.removesuffix(f"第{n}项措施") for line, n in zip(lines, "一二三", strict=True)] == (
        labels
    )


def test_a_paragraph_style_can_carry_the_numbering(tmp_path) -> None:
    """Headings numbered through their style (标题 1 numbered 一、), not paragraph by paragraph."""
    styles = (
        f'<w:styles {NS}><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr>'
        '<w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style></w:styles>'
    )
    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'
    body = heading.format("总体要求") + paragraph("正文。") + heading.format("主要任务")
    with zipfile.ZipFile(tmp_path / "styled.docx", "w") as z:
        z.writestr("word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/numbering.xml", one_level("chineseCounting", "%1、"))
        z.writestr("word/styles.xml", styles)
    assert xref.load_corpus(tmp_path)["styled"].raw.split("\n") == [
        "一、总体要求",
        "正文。",
        "二、主要任务",
    ]


def test_a_zip_python_cannot_unpack_is_unreadable(tmp_path, docs) -> None:
    """A Word file saved with a password in an old tool, or packed with Deflate64, stops
    zipfile with RuntimeError or NotImplementedError: a problem of that file, not a crash."""
    body = "".join(map(paragraph, docs["004"].text.split("\n")))
    for name, flags in {"locked": {"flag": 1}, "deflate64": {"method": 9}}.items():
        write_docx(tmp_path / f"{name}.docx", body)
        flag_zip(tmp_path / f"{name}.docx", **flags)
    assert problems_of(tmp_path) == {"locked.docx": "unreadable", "deflate64.docx": "unreadable"}


def test_a_numbering_part_with_nonsense_is_unreadable(tmp_path, docs) -> None:
    """Numbering definitions hand-edited or cut short: a problem of that file, not a crash."""
    body = paragraph("市场监管", level=0)
    write_docx(tmp_path / "bad.docx", body, numbering=NUMBERING.replace('w:val="1"', 'w:val="一"'))
    assert problems_of(tmp_path) == {"bad.docx": "unreadable"}
