"""xref: cross-reference analysis of Chinese government plans.

The pipeline runs one way: documents -> items -> links -> graph -> coverage -> figures.
This release covers documents and items::

    import xref
    corpus = xref.load_corpus("data/raw")
    xref.documents_frame(corpus)   # one row per document
    xref.extract(corpus)           # one row per numbered item
"""

from xref.corpus import documents_frame, load_corpus, load_document, problems_frame
from xref.decode import DecodeError
from xref.extract import extract
from xref.manifest import ManifestError, read_manifest
from xref.types import Corpus, Document, Metadata, Problem

__all__ = [
    "Corpus",
    "DecodeError",
    "Document",
    "ManifestError",
    "Metadata",
    "Problem",
    "documents_frame",
    "extract",
    "load_corpus",
    "load_document",
    "problems_frame",
    "read_manifest",
]
__version__ = "0.1.0"
