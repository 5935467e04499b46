"""Load a folder of documents: decode, normalise, infer metadata, apply the manifest."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pandas as pd

from xref import docx, ofd
from xref.decode import Decoded, DecodeError, decode_bytes, zip_members
from xref.manifest import read_manifest
from xref.metadata import infer_metadata
from xref.mhtml import is_mhtml, mhtml_text
from xref.msdoc import doc_text, is_doc, is_rtf
from xref.normalize import normalize
from xref.parallel import fork_map
from xref.pdf import is_pdf, pdf_text
from xref.types import METADATA_FIELDS, Corpus, Document, Problem

MANIFEST_NAME = "corpus.csv"
FILES_PER_TASK = 50  # files a worker loads per task, when loading on several processes
# documents saved in a format xref does not read, and archives that may hold documents (a
# site's 附件.zip): named in the problems, not passed over
_SAVE = "save it as .docx, or its text as .txt, to use it"
_UNPACK = "unpack it into the folder to read the documents it holds"
OTHER_FORMATS = {  # suffix: (what the file is, what to do with it)
    ".wps": ("WPS document", _SAVE),
    ".rtf": ("RTF document", _SAVE),
    ".odt": ("OpenDocument text", _SAVE),
    ".zip": ("zip archive", _UNPACK),
    ".rar": ("RAR archive", _UNPACK),
    ".7z": ("7-Zip archive", _UNPACK),
}
# web pages are read as their text, PDFs as their text layer, Word documents as their text
TEXT_SUFFIXES = (".txt", ".html", ".htm", ".mhtml", ".mht", ".pdf", ".docx", ".doc", ".ofd")
# what a file's name promises, which its content must keep (a web page saved as .pdf is not)
_PROMISED = {".pdf": "a PDF", ".docx": "a Word document", ".ofd": "an OFD document"}
# in the head of xref's own report.html, which an output folder inside the corpus holds
REPORT_MARK = '<meta name="generator" content="xref">'

DOCUMENT_COLUMNS = (
    "doc_id",
    *METADATA_FIELDS,
    "n_chars",
    "warnings",
    "encoding",
    "path",
)


def find_manifest(root: Path) -> Path | None:
    """The manifest that goes with a corpus folder: ``<root>/corpus.csv``, else
    ``<root>/../corpus.csv`` (so ``data/raw`` uses ``data/corpus.csv``)."""
    for candidate in (root / MANIFEST_NAME, root.parent / MANIFEST_NAME):
        if candidate.is_file():
            return candidate
    return None


def load_document(
    path: str | Path, *, doc_id: str | None = None, overrides: dict | None = None
) -> Document:
    """Load one document file. Raises :class:`~xref.decode.DecodeError` when it is not text."""
    path = Path(path)
    decoded = _read(path.read_bytes(), path.suffix.lower())
    norm = normalize(decoded.text)
    chrome = [r.text for r in norm.removed if r.reason == "chrome"]
    meta, warnings = infer_metadata(norm.text, chrome, overrides)
    if decoded.replaced:
        warnings.insert(0, f"{decoded.replaced} undecodable byte(s) replaced")
    if decoded.encoding.endswith("+ocr"):
        warnings.insert(0, "read by OCR: expect some misread characters")
    if not norm.text.strip():
        warnings.insert(0, "no text left after removing web-page chrome (see doc.removed)")
    warnings[:0] = [
        f"garbled text replaced by 〓 at raw {r.raw_start}-{r.raw_end}: {r.text!r}"
        for r in norm.removed
        if r.reason == "garbled"
    ]
    return Document(
        doc_id=doc_id or shown(path.stem),
        path=path,
        encoding=decoded.encoding,
        raw=decoded.text,
        text=norm.text,
        offsets=norm.offsets,
        removed=norm.removed,
        meta=meta,
        warnings=tuple(warnings),
    )


def _read(data: bytes, suffix: str) -> Decoded:
    """A file's text, told by its content: a PDF's or an OFD's text, a Word document's, a
    saved page's (MHTML) HTML source, or text in whatever encoding (a web page a site serves
    as .doc, as many do, is a web page);
    a file whose name promises a format it does not hold is refused (a web page saved as
    .pdf), and so is RTF under any name."""
    if is_pdf(data):
        return pdf_text(data)
    members = zip_members(data)  # read once: a .docx and an .ofd are both zips
    if docx.BODY in members:
        return docx.docx_text(data)
    if ofd.ROOT in members:
        return ofd.ofd_text(data)
    if is_doc(data):
        return doc_text(data)
    if is_rtf(data):
        raise DecodeError("not_text", "an RTF document: save it as .docx, or its text as .txt")
    if is_mhtml(data):
        return mhtml_text(data)
    if (kind := _PROMISED.get(suffix)) is not None:
        head = data[:40].decode("utf-8", "replace").strip()
        raise DecodeError("unreadable", f"named {suffix} but not {kind} (it begins {head!r})")
    return decode_bytes(data)


def shown(name: str) -> str:
    """A file name or path as text. A name that is not UTF-8 (a zip archive made on Chinese
    Windows keeps GBK names) arrives with its odd bytes as surrogates, which no output can
    hold: it is read as GB18030, else its odd bytes are escaped."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _load_files(files: list[Path], overrides: dict) -> list[Document | Problem]:
    out: list[Document | Problem] = []
    for file in files:
        doc_id = shown(file.stem)
        try:
            out.append(load_document(file, doc_id=doc_id, overrides=overrides.get(doc_id)))
        except DecodeError as exc:
            out.append(Problem(shown(str(file)), exc.problem, exc.detail))
        except OSError as exc:
            out.append(Problem(shown(str(file)), "unreadable", exc.strerror or str(exc)))
    return out


def _report(file: Path) -> bool:
    """Whether ``file`` is a report xref wrote (its mark is in the first few hundred bytes)."""
    if file.suffix.lower() != ".html":
        return False
    try:
        with file.open("rb") as f:
            return REPORT_MARK.encode() in f.read(1024)
    except OSError:
        return False  # loading it says why it cannot be read


def load_corpus(path: str | Path, *, manifest: str | Path | None = None, jobs: int = 1) -> Corpus:
    """Load every ``*.txt`` file under ``path`` (recursively, ``.TXT`` too), every saved
    web page (``.html``, ``.htm``, ``.mhtml``, ``.mht``: read as their text) but xref's own
    reports, every PDF (``.pdf``: its text layer, :mod:`xref.pdf`, or OCR of a scan,
    :mod:`xref.ocr`), every Word document (``.docx``: its text and list labels,
    :mod:`xref.docx`; ``.doc``: its text, :mod:`xref.msdoc`) and every OFD document
    (``.ofd``: its text, :mod:`xref.ofd`); the file stem is the ``doc_id``.

    Files that are empty, binary or undecodable are skipped and listed in ``Corpus.problems``
    with the reason (a PDF: also a scan without text, or one that asks for a password), as
    are documents in a format xref does not read (WPS, RTF...) and archives; the others
    still load. ``manifest`` defaults to :func:`find_manifest`;
    a malformed manifest raises :class:`~xref.manifest.ManifestError`. ``jobs`` > 1 loads
    files on that many processes (:mod:`xref.parallel`); the corpus is the same.
    """
    root = Path(path)
    if not root.is_dir():
        what = "is a file, not a folder of documents" if root.exists() else "not found"
        raise FileNotFoundError(f"corpus folder {what}: {root}")
    manifest_path = Path(manifest) if manifest else find_manifest(root)
    overrides = read_manifest(manifest_path) if manifest_path else {}

    found = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    files = [p for p in found if p.suffix.lower() in TEXT_SUFFIXES and not _report(p)]
    parts = [files[i : i + FILES_PER_TASK] for i in range(0, len(files), FILES_PER_TASK)]
    loaded = fork_map(partial(_load_files, overrides=overrides), parts, jobs)
    documents: dict[str, Document] = {}
    problems: list[Problem] = []
    for file, result in zip(files, (r for part in loaded for r in part), strict=True):
        doc_id = shown(file.stem)
        if doc_id in documents:
            first = shown(str(documents[doc_id].path))
            problems.append(
                Problem(shown(str(file)), "duplicate_id", f"{doc_id!r} is already {first}")
            )
        elif isinstance(result, Problem):
            problems.append(result)
        else:
            documents[doc_id] = result
    for file in found:
        if (other := OTHER_FORMATS.get(file.suffix.lower())) is not None:
            kind, use = other
            detail = f"{kind}: xref reads {', '.join(TEXT_SUFFIXES)}; {use}"
            problems.append(Problem(shown(str(file)), "not_text", detail))
    for doc_id in sorted(set(overrides) - set(documents)):
        problems.append(
            Problem(
                str(manifest_path),
                "manifest_unknown_doc",
                f"row for {doc_id!r}, which is not loaded",
            )
        )
    ordered = tuple(documents[k] for k in sorted(documents))
    return Corpus(root=root, documents=ordered, problems=tuple(problems))


def documents_frame(corpus: Corpus) -> pd.DataFrame:
    """One row per document: its metadata, length, warnings, encoding and path (relative to
    the corpus folder, so the table does not depend on where the corpus lives)."""
    rows = []
    for doc in corpus:
        row = {"doc_id": doc.doc_id}
        row.update({f: getattr(doc.meta, f) for f in METADATA_FIELDS})
        row["n_chars"] = len(doc.text)
        row["warnings"] = "; ".join(doc.warnings)
        row["encoding"] = doc.encoding
        row["path"] = shown(doc.path.relative_to(corpus.root).as_posix())
        rows.append(row)
    df = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
    return df.astype({"period_start": "Int64", "period_end": "Int64", "n_chars": "int64"})


def problems_frame(corpus: Corpus) -> pd.DataFrame:
    """One row per problem met while loading: ``path, problem, detail``."""
    return pd.DataFrame(
        [(p.path, p.problem, p.detail) for p in corpus.problems],
        columns=["path", "problem", "detail"],
    )
