from __future__ import annotations

from pathlib import Path

import pytest

import xref

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED_IDS = sorted(p.stem for p in RAW.glob("*.txt"))


def seed(prefix: str) -> str:
    """The full document id of the seed whose id starts with ``prefix`` (``"000"``)."""
    (doc_id,) = [d for d in SEED_IDS if d.startswith(prefix)]
    return doc_id


@pytest.fixture(scope="session")
def corpus() -> xref.Corpus:
    return xref.load_corpus(RAW)


@pytest.fixture(scope="session")
def segmenter(corpus: xref.Corpus) -> xref.Segmenter:
    """One segmenter for the session: loading jieba's dictionary takes about a second."""
    return xref.corpus_segmenter(corpus)


@pytest.fixture(scope="session")
def items(corpus: xref.Corpus, segmenter: xref.Segmenter):
    return xref.extract(corpus, segmenter=segmenter)


@pytest.fixture(scope="session")
def docs(corpus: xref.Corpus) -> dict[str, xref.Document]:
    """Seed documents by their three-digit prefix."""
    return {d.doc_id[:3]: d for d in corpus}


def assert_reads_as_seed(corpus: xref.Corpus, seed_doc: xref.Document, items) -> None:
    """``corpus`` (one document: the seed in another form) gives the seed's items and
    metadata; ``items``: the seeds' items."""
    copy = corpus[seed_doc.doc_id]
    columns = ["item_id", "kind", "heading"]
    seed_items = items[items["doc_id"] == seed_doc.doc_id][columns]
    assert xref.extract(corpus)[columns].values.tolist() == seed_items.values.tolist()
    for field in ("title", "issuer", "level", "region", "kind", "issue_date", "period_end"):
        assert getattr(copy.meta, field) == getattr(seed_doc.meta, field), field


def flag_zip(path: Path, *, flag: int = 0, method: int | None = None) -> None:
    """Mark every member of a zip as encrypted (``flag`` 1) or packed by a method Python does
    not unpack (9, Deflate64), in its local and central headers alike."""
    data = bytearray(path.read_bytes())
    for sig, at_flag, at_method in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = data.find(sig)
        while start != -1:
            data[start + at_flag] |= flag
            if method is not None:
                data[start + at_method : start + at_method + 2] = method.to_bytes(2, "little")
            start = data.find(sig, start + 4)
    path.write_bytes(bytes(data))


def problems_of(folder: Path) -> dict[str, str]:
    """``{file name: problem}`` of a folder of files none of which can be read."""
    corpus = xref.load_corpus(folder)
    assert list(corpus) == []
    return {Path(p.path).name: p.problem for p in corpus.problems}


def assert_reads_as_paginated_seed(
    corpus: xref.Corpus, seed_doc: xref.Document, items, encoding: str
) -> xref.Document:
    """As :func:`assert_reads_as_seed`, for the seed laid out on numbered pages (a PDF, an
    OFD): read in ``encoding``, its pages joined by form feeds, their numbers gone."""
    assert corpus.problems == ()
    copy = corpus[seed_doc.doc_id]
    assert copy.encoding == encoding
    assert copy.raw.count("\f") >= 3
    assert "— 2 —" not in copy.text
    assert_reads_as_seed(corpus, seed_doc, items)
    return copy


@pytest.fixture
def snippet(tmp_path, segmenter):
    """``snippet(text)`` -> ``(corpus, items)`` for a one-document corpus made of ``text``."""

    def make(text: str, name: str = "snippet"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        corpus = xref.load_corpus(folder)
        return corpus, xref.extract(corpus, segmenter=segmenter)

    return make


@pytest.fixture(scope="session")
def terms(corpus, items, segmenter):
    return xref.terms_frame(corpus, items, segmenter=segmenter)


@pytest.fixture(scope="session")
def scored(corpus, items, segmenter, terms):
    from xref.link import LinkConfig, score_pairs

    # every candidate ranked, as `xref evaluate` does
    return score_pairs(
        corpus, items, segmenter=segmenter, terms=terms, config=LinkConfig(keep=None, cards="all")
    )


@pytest.fixture(scope="session")
def links(scored):
    from xref.link import select

    return select(scored)


@pytest.fixture(scope="session")
def graph(corpus, items, links, terms):
    return xref.build_graph(
        corpus, items, links, terms=terms, citations=xref.citations_frame(corpus, items)
    )


@pytest.fixture(scope="session")
def cov(graph, corpus, items) -> xref.Coverage:
    return xref.coverage(graph, targets=xref.targets_frame(corpus, items))
