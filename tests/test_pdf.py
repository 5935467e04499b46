"""PDFs: the text layer read as the document, and the PDFs that cannot be read."""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

import pytest
from conftest import assert_reads_as_paginated_seed, assert_reads_as_seed
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import xref
from xref.fonts import cjk_font_path
from xref.ocr import ocr_available

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a CJK font every PDF reader has


def write_pdf(
    path: Path,
    text: str,
    *,
    encrypt=None,
    width: int = 34,
    header: str = "",
    footer: str = "",
    placed: bool = False,
) -> None:
    """``text`` laid out as an office suite exports it: each paragraph indented two characters
    and broken at the page's width, a page number at the foot of each page; ``header`` and
    ``footer`` (``{page}`` for its number) on every page but the first, as a report's running
    header and footer; ``placed``: each character drawn on its own, as some PDF printers do."""
    lines = []
    for paragraph in filter(None, text.split("\n")):
        paragraph = "\u3000\u3000" + paragraph
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for start in range(0, len(lines), 32):
        pdf.setFont("STSong-Light", 14)
        for row, line in enumerate(lines[start : start + 32]):
            if not placed:
                pdf.drawString(60, 790 - 22 * row, line)
                continue
            x = 60.0
            for char in line:
                pdf.drawString(x, 790 - 22 * row, char)
                x += pdfmetrics.stringWidth(char, "STSong-Light", 14)
        page = pdf.getPageNumber()
        if page > 1:
            pdf.setFont("STSong-Light", 10)
            pdf.drawString(60, 812, header)
            pdf.drawString(60, 62, footer.format(page=page))
        pdf.drawCentredString(297, 40, f"— {page} —")
        pdf.showPage()
    pdf.save()


def write_scan(path: Path) -> None:
    """A scanned page: a picture of text, and no text layer (a grey block stands for it)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFillGray(0.5)
    pdf.rect(60, 100, 470, 650, fill=1)
    pdf.drawCentredString(297, 40, "1")
    pdf.showPage()
    pdf.save()


@pytest.mark.parametrize(
    ("prefix", "width"),
    [
        ("001", 34),
        ("004", 34),
        # lines that end at a sentence's end (…复议零撤销。) or a closing quote (“屏对屏”)
        # while their paragraph goes on
        ("001", 28),
    ],
)
def test_a_pdf_reads_as_the_same_document(tmp_path, docs, items, prefix, width) -> None:
    doc = docs[prefix]
    write_pdf(tmp_path / f"{doc.doc_id}.pdf", doc.text, width=width)
    pdf = assert_reads_as_paginated_seed(xref.load_corpus(tmp_path), doc, items, "pdf")
    at = pdf.text.index("一、")
    start, end = pdf.raw_span(at, at + 6)
    assert pdf.raw[start:end].replace("\n", "") == pdf.text[at : at + 6]


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ("嘉定区市场监督管理局2024年法治政府建设工作报告", ""),
        ("上海市市场监督管理局", "沪市监法〔2021〕421号 第{page}页"),
    ],
)
def test_a_pdfs_running_header_and_footer_are_dropped(tmp_path, docs, items, header, footer):
    """A report's PDF repeats its title or issuer at the head of each page and its number at
    the foot: page furniture, which would otherwise land in the middle of a paragraph."""
    doc = docs["001"]
    write_pdf(tmp_path / f"{doc.doc_id}.pdf", doc.text, header=header, footer=footer)
    corpus = xref.load_corpus(tmp_path)
    pdf = corpus[doc.doc_id]
    assert pdf.raw.count(header) >= 3
    assert header not in pdf.text
    assert "号 第" not in pdf.text
    assert {r.text for r in pdf.removed if r.reason == "chrome"} >= {header}
    assert_reads_as_seed(corpus, doc, items)


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_a_pdf_that_places_each_character_on_its_own_reads(tmp_path, docs, items, prefix):
    """pypdf reads such a page one character per line; its lines are rebuilt from where the
    characters stand."""
    doc = docs[prefix]
    write_pdf(tmp_path / f"{doc.doc_id}.pdf", doc.text, placed=True)
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert_reads_as_seed(corpus, doc, items)
    assert corpus[doc.doc_id].text.count("。") == doc.text.count("。")


def test_placed_latin_words_keep_their_space(tmp_path, docs) -> None:
    """A space drawn between two placed characters is kept (ISO 9001, and 001's 大调解 ”)."""
    text = docs["004"].text + "\n推动企业通过ISO 9001质量管理体系认证，执行GB/T 19001标准。"
    write_pdf(tmp_path / "placed.pdf", text, placed=True)
    got = xref.load_corpus(tmp_path)["placed"].text
    assert "通过ISO 9001质量管理体系认证，执行GB/T 19001标准。" in got


def test_a_copy_protected_pdf_reads(tmp_path, docs) -> None:
    """Many published PDFs forbid copying (an owner password), which does not stop reading."""
    protect = StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    write_pdf(tmp_path / "protected.pdf", docs["004"].text, encrypt=protect)
    assert xref.load_corpus(tmp_path)["protected"].meta.title == docs["004"].meta.title


def test_pdf_bytes_saved_as_text_read_as_a_pdf(tmp_path, docs) -> None:
    write_pdf(tmp_path / "download.pdf", docs["004"].text)
    (tmp_path / "download.pdf").rename(tmp_path / "download.txt")
    assert xref.load_corpus(tmp_path)["download"].meta.region == "闵行区"


def test_pdfs_that_cannot_be_read_are_skipped_with_their_reason(tmp_path, docs) -> None:
    write_pdf(tmp_path / "good.pdf", docs["004"].text)
    write_scan(tmp_path / "scan.pdf")
    locked = StandardEncryption("secret", ownerPassword="owner")
    write_pdf(tmp_path / "locked.pdf", docs["004"].text, encrypt=locked)
    whole = (tmp_path / "good.pdf").read_bytes()
    (tmp_path / "cut_short.pdf").write_bytes(whole[: len(whole) // 3])
    (tmp_path / "error_page.pdf").write_text("<html><body>404 Not Found</body></html>")
    corpus = xref.load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["good"]
    problems = {Path(p.path).name: (p.problem, p.detail) for p in corpus.problems}
    assert {name: problem for name, (problem, _) in problems.items()} == {
        "scan.pdf": "no_text_layer",
        "locked.pdf": "encrypted",
        "cut_short.pdf": "unreadable",
        "error_page.pdf": "unreadable",
    }
    assert "OCR" in problems["scan.pdf"][1]
    assert "password" in problems["locked.pdf"][1]
    assert "not a PDF" in problems["error_page.pdf"][1]


def test_reading_a_broken_pdf_leaves_logging_as_it_was(tmp_path, docs) -> None:
    """pypdf's complaints about odd files are hushed while xref reads, and only then."""
    import logging

    write_pdf(tmp_path / "good.pdf", docs["004"].text)
    whole = (tmp_path / "good.pdf").read_bytes()
    (tmp_path / "cut_short.pdf").write_bytes(whole[: len(whole) // 2])
    log = logging.getLogger("pypdf")
    log.setLevel(logging.INFO)
    try:
        corpus = xref.load_corpus(tmp_path)
        assert log.level == logging.INFO
    finally:
        log.setLevel(logging.NOTSET)
    assert [d.doc_id for d in corpus] == ["good"]


def test_a_label_inside_a_quote_is_no_part(tmp_path, docs, items) -> None:
    """Jizhou's plan breaks a line inside a quote, 推动“多证合|一、一照一码”: the 一、 that
    opens the next line is no part's label, and the paragraph goes on."""
    doc = docs["002"]
    write_pdf(tmp_path / f"{doc.doc_id}.pdf", doc.text)
    corpus = xref.load_corpus(tmp_path)
    assert "推动“多证合一、一照一码”" in corpus[doc.doc_id].text
    sections = xref.extract(corpus).query("kind == 'section'")["item_id"]
    assert list(sections) == list(
        items.query("doc_id == @doc.doc_id and kind == 'section'")["item_id"]
    )


def write_scanned_pdf(path: Path, text: str, pages: int) -> None:
    """The first ``pages`` pages of ``text`` as a scanner makes them: pictures of the printed
    page at 300 dpi, no text layer."""
    font = ImageFont.truetype(str(cjk_font_path()), 58)  # 14 points at 300 dpi
    lines = []
    for paragraph in filter(None, text.split("\n")):
        paragraph = "\u3000\u3000" + paragraph
        lines += [paragraph[i : i + 34] for i in range(0, len(paragraph), 34)]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for start in range(0, 32 * pages, 32):
        picture = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(picture)
        for row, line in enumerate(lines[start : start + 32]):
            draw.text((250, 250 + 92 * row), line, font=font, fill=0)
        pdf.drawImage(ImageReader(picture), 0, 0, *A4)
        pdf.showPage()
    pdf.save()


@pytest.mark.skipif(not ocr_available(), reason="no Tesseract with chi_sim on this machine")
def test_a_scan_is_read_by_ocr_where_the_machine_can(tmp_path, docs) -> None:
    """Two pages of Minhang's opinions as a scan: OCR reads them, misreading a few characters
    (闵 as 岗), and the document says it was read so; its parts are found."""
    doc = docs["004"]
    write_scanned_pdf(tmp_path / "scan.pdf", doc.text, pages=2)
    corpus = xref.load_corpus(tmp_path)
    scan = corpus["scan"]
    assert scan.encoding == "pdf+ocr"
    assert "read by OCR" in scan.warnings[0]
    read = scan.text.replace("\n", "")
    matcher = SequenceMatcher(None, doc.text.replace("\n", ""), read, autojunk=False)
    right = sum(block.size for block in matcher.get_matching_blocks())
    assert right > 0.95 * len(read) > 1500  # 97% measured: 闵 as 岗, 关 as 天
    headings = set(xref.extract(corpus)["heading"])
    assert {"总体要求", "指导思想", "主要目标"} <= headings
    assert xref.load_corpus(tmp_path)["scan"].text == scan.text  # the same text every time
