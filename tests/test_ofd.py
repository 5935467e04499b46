"""OFD documents (.ofd, GB/T 33190): their text read back from where it is placed."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import assert_reads_as_paginated_seed, assert_reads_as_seed, flag_zip, problems_of

import xref

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
SIZE = 5.3  # mm: 15 points, as official documents set their body text
LINE, WIDTH, LINES_PER_PAGE = 7.0, 28, 32  # single spacing: 1.3 times the font


def _text_object(n: int, left: float, top: float, text: str, scale: float = 1.0) -> str:
    """A box of one run; ``scale`` < 1: its inside in points, which its CTM makes millimetres
    (as converters from PDF write it)."""
    size, ctm = SIZE / scale, f' CTM="{scale} 0 0 {scale} 0 0"' if scale != 1.0 else ""
    gaps = f' DeltaX="g {len(text) - 1} {size:.2f}"' if len(text) > 1 else ""
    return (
        f'<ofd:TextObject ID="{n}" Boundary="{left:.2f} {top:.2f} {SIZE * len(text):.2f} '
        f'{LINE}"{ctm} Font="2" Size="{size:.2f}"><ofd:TextCode X="0" Y="{size:.2f}"{gaps}>'
        f"{escape(text)}</ofd:TextCode></ofd:TextObject>"
    )


def write_ofd(
    path: Path, text: str, *, each_character: bool = False, template: str = "", scale: float = 1.0
) -> None:
    """``text`` laid out as a converter writes an OFD: each paragraph's first line two
    characters in from the margin, lines broken at the page's width, each line (or each
    character) a text object, a page number at the foot; ``template``: a page template (a
    running header) every page uses."""
    lines = []
    for paragraph in filter(None, text.split("\n")):
        parts = [paragraph[: WIDTH - 2]]
        parts += [paragraph[i : i + WIDTH] for i in range(WIDTH - 2, len(paragraph), WIDTH)]
        lines += [(2 * SIZE if k == 0 else 0.0, part) for k, part in enumerate(parts) if part]
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "OFD.xml",
            f'<ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
            "<ofd:DocID>0</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml"
            "</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(
            f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>'
            for n in range(len(pages))
        )
        tpl = '<ofd:TemplatePage ID="99" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
        z.writestr(
            "Doc_0/Document.xml",
            f"<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
            f"</ofd:PhysicalBox></ofd:PageArea>{tpl}</ofd:CommonData>"
            f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        if template:
            header = _text_object(1, 25.0, 10.0, template)
            z.writestr(
                "Doc_0/Tpls/Tpl_0/Content.xml",
                f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="1">{header}</ofd:Layer>'
                "</ofd:Content></ofd:Page>",
            )
        for n, page in enumerate(pages):
            objects, k = [], 10
            for row, (indent, line) in enumerate(page):
                top = 25.0 + LINE * row
                pieces = enumerate(line) if each_character else [(0, line)]
                for at, piece in pieces:
                    objects.append(_text_object(k, 25.0 + indent + at * SIZE, top, piece, scale))
                    k += 1
            objects.append(_text_object(k, 95.0, 280.0, f"— {n + 1} —"))
            use = '<ofd:Template TemplateID="99"/>' if template else ""
            z.writestr(
                f"Doc_0/Pages/Page_{n}/Content.xml",
                f'<ofd:Page {NS}>{use}<ofd:Content><ofd:Layer ID="2">{"".join(objects)}'
                "</ofd:Layer></ofd:Content></ofd:Page>",
            )


@pytest.mark.parametrize(
    ("prefix", "each_character", "scale"),
    [
        ("001", False, 1.0),
        ("004", False, 1.0),
        ("001", True, 1.0),
        ("004", True, 1.0),
        ("004", True, 25.4 / 72),  # a box's inside in points, its CTM scaling it to mm
    ],
)
def test_an_ofd_reads_as_the_same_document(tmp_path, docs, items, prefix, each_character, scale):
    doc = docs[prefix]
    path = tmp_path / f"{doc.doc_id}.ofd"
    write_ofd(path, doc.text, each_character=each_character, scale=scale)
    ofd = assert_reads_as_paginated_seed(xref.load_corpus(tmp_path), doc, items, "ofd")
    assert ofd.text.count("。") == doc.text.count("。")


def test_an_ofds_page_template_is_not_its_text(tmp_path, docs, items) -> None:
    """A running header drawn by a template every page uses is page furniture."""
    doc = docs["004"]
    write_ofd(tmp_path / f"{doc.doc_id}.ofd", doc.text, template="闵行区市场监督管理局文件")
    corpus = xref.load_corpus(tmp_path)
    assert "闵行区市场监督管理局文件" not in corpus[doc.doc_id].raw
    assert_reads_as_seed(corpus, doc, items)


def test_ofd_files_that_cannot_be_read_are_skipped_with_their_reason(tmp_path, docs) -> None:
    write_ofd(tmp_path / "scan.ofd", docs["004"].text)
    with zipfile.ZipFile(tmp_path / "scan.ofd") as z:
        parts = {name: z.read(name) for name in z.namelist()}
    picture = (
        f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="2"><ofd:ImageObject ID="3" '
        'Boundary="0 0 210 297" ResourceID="4"/></ofd:Layer></ofd:Content></ofd:Page>'
    )
    with zipfile.ZipFile(tmp_path / "scan.ofd", "w") as z:  # a scan: pages of pictures
        for name, data in parts.items():
            z.writestr(name, picture if name.endswith("Content.xml") else data)
    with zipfile.ZipFile(tmp_path / "no_root.ofd", "w") as z:
        z.writestr("OFD.xml", f"<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>")
    (tmp_path / "page.ofd").write_text("<html><body>404</body></html>", encoding="utf-8")
    write_ofd(tmp_path / "deflate64.ofd", docs["004"].text)
    flag_zip(tmp_path / "deflate64.ofd", method=9)
    assert problems_of(tmp_path) == {
        "scan.ofd": "no_text_layer",
        "no_root.ofd": "unreadable",
        "page.ofd": "unreadable",
        "deflate64.ofd": "unreadable",
    }
