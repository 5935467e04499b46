"""The text of an OFD document (``.ofd``), read as the document's raw text.

OFD (GB/T 33190, Open Fixed-layout Document) is China's own fixed-layout format: official
documents are issued and archived in it, and sites publish them for download. A file is a
zip: ``OFD.xml`` names each document's root (``Document.xml``), which lists its pages; a
page's ``Content.xml`` holds text objects, each a box on the page with runs of text
(``TextCode``) placed inside it. The runs are read back as lines (:mod:`xref.layout`), pages
joined by form feeds, as a PDF's are; page templates (a running header drawn on every page)
are left out.

Offsets into an OFD document's ``raw`` text are offsets into this text.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree import ElementTree as ET

from xref.decode import Decoded, DecodeError
from xref.layout import PAGE_BREAK, Run, placed_lines

NS = "{http://www.ofdspec.org/2016}"
ROOT = "OFD.xml"  # the member that makes a zip an OFD document


def ofd_text(data: bytes) -> Decoded:
    """The text of an OFD file's first document; :class:`~xref.decode.DecodeError` when it
    cannot be read or has no text (a scan)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            pages = [placed_lines(_runs(page)) for page in _pages(z)]
    except Exception as exc:  # a parser of untrusted files: any failure means unreadable
        raise DecodeError("unreadable", f"not a readable OFD document ({exc})") from exc
    text = PAGE_BREAK.join(pages)
    if not text.strip():
        raise DecodeError(
            "no_text_layer",
            f"an OFD of {len(pages)} page(s) without text (a scan?): "
            "run OCR on it and save the text as .txt",
        )
    return Decoded(text, "ofd")


def _part(z: zipfile.ZipFile, path: str) -> ET.Element:
    return ET.fromstring(z.read(path.lstrip("/")))


def _pages(z: zipfile.ZipFile) -> list[ET.Element]:
    """The content of each page of the file's first document, in the document's order."""
    root = _part(z, ROOT).findtext(f"{NS}DocBody/{NS}DocRoot")
    if not root:
        raise ValueError("OFD.xml names no document")
    folder = posixpath.dirname(root.strip().lstrip("/"))
    pages = _part(z, root.strip()).iterfind(f"{NS}Pages/{NS}Page")
    # a location is the document's own folder's, unless it starts at the package's root
    return [
        _part(z, loc if loc.startswith("/") else posixpath.join(folder, loc))
        for loc in (page.get("BaseLoc", "").strip() for page in pages)
    ]


def _runs(page: ET.Element) -> list[Run]:
    """Every run of text on a page, placed: a run's X and Y, in its box's own space (which
    the box's CTM scales, as converters write it), from the box's corner."""
    runs = []
    for box in page.iter(f"{NS}TextObject"):
        left, top = (float(v) for v in box.get("Boundary", "0 0").split()[:2])
        a, b, c, d, e, f = (float(v) for v in box.get("CTM", "1 0 0 1 0 0").split()[:6])
        size = float(box.get("Size", "0")) * abs(d)
        x = y = 0.0
        for code in box.iter(f"{NS}TextCode"):
            # a run without X or Y goes on where the last one stood
            x, y = float(code.get("X", x)), float(code.get("Y", y))
            if code.text:
                runs.append(Run(top + b * x + d * y + f, left + a * x + c * y + e, size, code.text))
    return runs
