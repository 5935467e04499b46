"""The dask engine gives the local engine's outputs, byte for byte; the segmentation cache
makes a rebuild segment only what changed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import RAW, ROOT

import xref
from xref.cache import TokenCache
from xref.cli import main
from xref.engine import partitions

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import documents

COMPARED = ("items.csv", "terms.csv", "links.csv", "coverage.csv", "graph.graphml")


@pytest.fixture(scope="module")
def corpus_with_generated(tmp_path_factory) -> Path:
    """The seeds plus 20 generated documents (a city plan, its work points, districts)."""
    folder = tmp_path_factory.mktemp("mixed") / "raw"
    shutil.copytree(RAW, folder)
    for doc_id, text in documents(20):
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_dask_engine_matches_local(corpus_with_generated: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["build", str(corpus_with_generated), "-o", str(local), "--no-cache"]) == 0
    assert main(["build", str(corpus_with_generated), "-o", str(dask), "--engine", "dask"]) == 0
    for name in COMPARED:
        assert (local / name).read_bytes() == (dask / name).read_bytes(), name


def test_partitions_keep_order_and_everything() -> None:
    texts = ["a" * 5, "b" * 5, "c" * 5, "d"]
    parts = partitions(texts, size=10)
    assert parts == [["a" * 5, "b" * 5], ["c" * 5, "d"]]
    assert partitions([], size=10) == []


def test_cache_segments_only_new_documents(corpus, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path)
    first = xref.corpus_segmenter(corpus, cache=cache)
    tokens = {doc.doc_id: first.tokenize(doc.text) for doc in corpus}
    assert (cache.hits, cache.misses) == (0, len(corpus))
    cache.close()

    again = TokenCache(tmp_path)
    second = xref.corpus_segmenter(corpus, cache=again)
    assert {doc.doc_id: second.tokenize(doc.text) for doc in corpus} == tokens
    assert (again.hits, again.misses) == (len(corpus), 0)
    assert second._tokenizer is None  # jieba's dictionary was never even loaded
    again.close()


def test_a_damaged_cache_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "tokens.sqlite").write_bytes(b"not a database at all" * 100)
    cache = TokenCache(tmp_path)
    assert cache.get("anything") is None
    assert (tmp_path / "tokens.sqlite.broken").is_file()
