"""Web pages saved as one file (.mhtml, .mht): read as the page they hold."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

from conftest import assert_reads_as_seed

import xref

BOUNDARY = "----MultipartBoundary--xref"
PICTURE = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()


def page(text: str, charset: str = "utf-8") -> bytes:
    lines = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
    head = f'<head><meta charset="{charset}"><title>{text.split(chr(10))[0]}</title></head>'
    return f"<!DOCTYPE html><html>{head}<body>{lines}</body></html>".encode(charset)


def write_mhtml(path: Path, html: bytes, *, part_header: str, encoding: str) -> None:
    """``html`` saved as a browser saves a page as one file: the page, then a picture."""
    body = quopri.encodestring(html) if encoding == "quoted-printable" else base64.encodebytes(html)
    message = (
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://www.shmh.gov.cn/\r\n"
        "Subject: =?utf-8?Q?page?=\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{BOUNDARY}"'
        f"\r\n\r\n\r\n--{BOUNDARY}\r\n{part_header}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n"
        "Content-Location: https://www.shmh.gov.cn/\r\n\r\n"
    ).encode() + body
    picture = (
        f"\r\n--{BOUNDARY}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Location: https://www.shmh.gov.cn/logo.png\r\n\r\n{PICTURE}\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    path.write_bytes(message + picture)


def test_a_page_saved_by_a_browser_reads_as_the_page(tmp_path, docs, items) -> None:
    """Chrome's "Webpage, Single File": UTF-8, quoted-printable, no charset on the part."""
    doc = docs["004"]
    path = tmp_path / f"{doc.doc_id}.mhtml"
    write_mhtml(
        path, page(doc.text), part_header="Content-Type: text/html", encoding="quoted-printable"
    )
    assert b"=E9=97=B5" in path.read_bytes()  # 闵, as the file holds it
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert corpus[doc.doc_id].encoding == "mhtml"
    assert_reads_as_seed(corpus, doc, items)


def test_a_gbk_page_saved_as_mht_reads_as_the_page(tmp_path, docs, items) -> None:
    """Internet Explorer's web archive of a GBK page: base64, the charset on the part."""
    doc = docs["001"]
    write_mhtml(
        tmp_path / f"{doc.doc_id}.mht",
        page(doc.text, "gbk"),
        part_header='Content-Type: text/html;\r\n\tcharset="gb2312"',
        encoding="base64",
    )
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert_reads_as_seed(corpus, doc, items)


def test_a_saved_page_without_its_html_is_a_problem(tmp_path) -> None:
    message = (
        f'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="{BOUNDARY}"\r\n\r\n'
        f"--{BOUNDARY}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{PICTURE}\r\n--{BOUNDARY}--\r\n"
    )
    (tmp_path / "logo_only.mhtml").write_text(message, encoding="ascii")
    corpus = xref.load_corpus(tmp_path)
    assert [(Path(p.path).name, p.problem) for p in corpus.problems] == [
        ("logo_only.mhtml", "unreadable")
    ]
