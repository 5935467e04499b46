"""xref: cross-reference analysis of Chinese government plans.

The pipeline runs one way: documents -> items -> links -> graph -> coverage -> figures.
Each stage is a function on DataFrames or graphs::

    import xref
    corpus = xref.load_corpus("data/raw")
    xref.documents_frame(corpus)   # one row per document
    items = xref.extract(corpus)   # one row per numbered item
    xref.terms_frame(corpus, items)  # and targets_, deadlines_, units_, citations_,
                                     # indicators_frame(corpus, items)
    links = xref.find_links(corpus, items)
    graph = xref.build_graph(corpus, items, links)
    # optional: items of other regions that resemble a plan's tasks (never implementation)
    similar = xref.find_similar(corpus, items, ["000_75cacc162e068247"])
    cov = xref.coverage(graph)     # matrix, tasks, gaps, orphans, targets, rollup, years
"""

from xref.citations import citations_frame, normalize_title
from xref.corpus import documents_frame, load_corpus, load_document, problems_frame
from xref.coverage import Coverage, coverage
from xref.deadlines import deadlines_frame
from xref.decode import DecodeError
from xref.extract import extract, outline
from xref.graph import build_graph
from xref.indicators import indicators_frame
from xref.link import find_links, find_similar
from xref.manifest import ManifestError, read_manifest
from xref.segment import Segmenter
from xref.targets import targets_frame
from xref.terms import corpus_segmenter, terms_frame
from xref.types import Corpus, Document, Metadata, Problem
from xref.units import units_frame

__all__ = [
    "Corpus",
    "Coverage",
    "DecodeError",
    "Document",
    "ManifestError",
    "Metadata",
    "Problem",
    "Segmenter",
    "build_graph",
    "citations_frame",
    "corpus_segmenter",
    "coverage",
    "deadlines_frame",
    "documents_frame",
    "extract",
    "find_links",
    "find_similar",
    "indicators_frame",
    "load_corpus",
    "load_document",
    "normalize_title",
    "outline",
    "problems_frame",
    "read_manifest",
    "targets_frame",
    "terms_frame",
    "units_frame",
]
__version__ = "0.1.0"
