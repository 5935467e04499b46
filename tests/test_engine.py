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
from xref.parallel import partitions

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


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_segmenting_on_workers_gives_the_same_tokens(
    corpus_with_generated: Path, tmp_path: Path, backend: str
) -> None:
    if backend == "rjieba":
        pytest.importorskip("rjieba")
    mixed = xref.load_corpus(corpus_with_generated)
    texts = [doc.text for doc in mixed]
    alone = xref.corpus_segmenter(mixed, backend=backend)
    expected = [alone.tokenize(t) for t in texts]
    cache = TokenCache(tmp_path)
    shared = xref.corpus_segmenter(mixed, backend=backend, cache=cache)
    shared.tokenize_all(texts, jobs=2, part_chars=20_000)
    assert [shared.tokenize(t) for t in texts] == expected
    assert cache.misses == len(set(texts))  # cut on the workers, stored by this process
    cache.close()
    again = xref.corpus_segmenter(mixed, backend=backend, cache=TokenCache(tmp_path))
    again.tokenize_all(texts, jobs=2, part_chars=20_000)
    assert [again.tokenize(t) for t in texts] == expected
    assert (again.cache.hits, again.cache.misses) == (len(set(texts)), 0)
    assert again._tokenizer is None  # nothing to cut: the workers only sliced the texts


def test_outputs_do_not_depend_on_the_number_of_processes(
    corpus_with_generated: Path, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert (
        main(["build", str(corpus_with_generated), "-o", str(one), "--no-cache", "--jobs", "1"])
        == 0
    )
    assert (
        main(["build", str(corpus_with_generated), "-o", str(two), "--no-cache", "--jobs", "2"])
        == 0
    )
    for path in sorted(one.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (two / path.relative_to(one)).read_bytes(), path.name


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
