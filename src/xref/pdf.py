"""The text layer of a PDF, read as the document's raw text.

Government sites publish many documents as PDF attachments. Their text layer (read with
pypdf) holds the lines as the page lays them out: each broken at the page's width, a page
number between pages. :func:`xref.normalize.normalize` joins the lines back into paragraphs
and drops the page numbers, so a PDF reads as the same document saved as text. Pages are
joined by form feeds, which normalising makes line breaks. A page that places each character
on its own (pypdf reads it one character per line) has its lines rebuilt from where the
characters stand.

Offsets into a PDF document's ``raw`` text are offsets into this text layer.
"""

from __future__ import annotations

import io
import logging

from xref.decode import Decoded, DecodeError, mojibake_share
from xref.layout import PAGE_BREAK, Run, placed_lines
from xref.ocr import ocr_available, ocr_pages

MIN_CHARS_PER_PAGE = 10  # fewer, and the PDF is a scan: page numbers are not a text layer
OCR_HINT = (
    "install Tesseract with Simplified Chinese (apt install tesseract-ocr-chi-sim) and xref "
    "reads it by OCR, or run OCR on it and save the text as .txt"
)
# a page whose text comes out one glyph per line places each glyph on its own
_PLACED_MIN_LINES = 20
_PLACED_SHARE = 0.8


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF file (its header may follow a little junk)."""
    return b"%PDF-" in data[:1024]


def pdf_text(data: bytes) -> Decoded:
    """The text of a PDF's pages; :class:`~xref.decode.DecodeError` for a PDF that cannot be
    read, that asks for a password, whose text layer is missing (a scan) or unreadable. A
    scan is read by OCR where the machine can (:mod:`xref.ocr`)."""
    from pypdf import PdfReader  # here: most corpora hold no PDF, and it costs an import

    # pypdf logs every oddity of a file it still reads; a corpus of scraped PDFs has many
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DecodeError(
                "encrypted", "the PDF asks for a password to open; save it without one"
            )
        pages = [_page_text(page) for page in reader.pages]
    except DecodeError:
        raise
    except Exception as exc:  # a parser of untrusted files: any failure means unreadable
        detail = f"not a readable PDF ({type(exc).__name__}: {exc})"
        raise DecodeError("unreadable", detail) from exc
    finally:
        log.setLevel(level)
    text = PAGE_BREAK.join(pages)
    if (problem := _unread(text, len(pages))) is None:
        return Decoded(text, "pdf")
    if not ocr_available():
        raise problem
    try:
        text = PAGE_BREAK.join(ocr_pages(data))
    except Exception as exc:  # pdfium or Tesseract failing on this file: the file's problem
        raise DecodeError(problem.problem, f"{problem.detail}; OCR failed: {exc}") from exc
    if _unread(text, len(pages)) is not None:
        raise DecodeError(problem.problem, f"{problem.detail}; OCR read no text either")
    return Decoded(text, "pdf+ocr")


def _unread(text: str, n_pages: int) -> DecodeError | None:
    """Why a PDF's text is no text: no text layer (a scan), or one that reads as nonsense."""
    if sum(not c.isspace() for c in text) < MIN_CHARS_PER_PAGE * max(n_pages, 1):
        return DecodeError(
            "no_text_layer",
            f"a PDF of {n_pages} page(s) without a text layer (a scan?): {OCR_HINT}",
        )
    if (share := mojibake_share(text)) is not None:
        return DecodeError(
            "undecodable",
            f"the PDF's text layer reads as nonsense (only {share:.0%} of its Chinese "
            f"characters are common ones): its fonts do not map to Unicode; {OCR_HINT}",
        )
    return None


def _page_text(page) -> str:
    """A page's text; for a page that places each glyph on its own (some PDF printers do),
    its lines rebuilt from where the glyphs stand, as pypdf gives one glyph per line."""
    text = page.extract_text() or ""
    lines = [line for line in text.split("\n") if line.strip()]
    singles = sum(len(line.strip()) == 1 for line in lines)
    if singles < max(_PLACED_MIN_LINES, _PLACED_SHARE * len(lines)):
        return text
    runs: list[Run] = []

    def visit(fragment: str, cm: list, tm: list, _font: object, size: float) -> None:
        if drawn := fragment.replace("\n", ""):  # a drawn space stays: 大调解 ”
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Run(-y, x, abs(size * tm[3] * cm[3]) or 1.0, drawn))

    page.extract_text(visitor_text=visit)
    return placed_lines(runs)
