"""Scanned pages read by OCR, where the machine has Tesseract with Simplified Chinese.

Many older government documents are published as scans: a PDF of page pictures with no text
layer, or one whose fonts do not map to Unicode. When the ``tesseract`` program and its
``chi_sim`` data are installed (Debian, Ubuntu: ``apt install tesseract-ocr
tesseract-ocr-chi-sim``), :func:`xref.pdf.pdf_text` reads such a PDF's pages by OCR;
without them the PDF is reported as before. Nothing here is needed for any other document.

Each page is rendered at :data:`DPI` (pdfium) and read on one thread, so the same file and
the same Tesseract give the same text. OCR misreads some characters (on a clean page of the
seeds, about 3 in 100: 闵 as 岗, 关 as 天), so a document read this way says so: its encoding
is ``pdf+ocr`` and it carries a warning.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cache

DPI = 300
LANGUAGE = "chi_sim"
# Tesseract spaces out Chinese characters it reads apart; no space belongs between two
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_SPACE_IN_CHINESE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


@cache
def ocr_available() -> bool:
    """Whether Tesseract and its Simplified Chinese data are installed."""
    if shutil.which("tesseract") is None:
        return False
    listed = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    )
    return LANGUAGE in listed.stdout.split()


def ocr_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, read by OCR."""
    import pypdfium2  # here: only scans need it

    pages = []
    document = pypdfium2.PdfDocument(data)
    try:
        for page in document:
            picture = io.BytesIO()
            page.render(scale=DPI / 72, grayscale=True).to_pil().save(picture, format="PNG")
            pages.append(_read_picture(picture.getvalue()))
    finally:
        document.close()
    return pages


def _read_picture(png: bytes) -> str:
    read = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", LANGUAGE],
        input=png,
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one thread: the same text every time
    )
    return _SPACE_IN_CHINESE.sub("", read.stdout.decode("utf-8"))
