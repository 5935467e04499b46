"""similar_to: items of another region that resemble a plan's tasks, asked for, never counted
as implementation."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from conftest import RAW, seed

import xref
from xref.cli import main
from xref.hierarchy import cross_region_pairs, relation
from xref.link import LINK_COLUMNS, find_similar


def test_only_documents_of_another_region_are_paired(corpus) -> None:
    """Shanghai's plan (000) is compared with Jizhou's (002, Tianjin) alone: its own
    districts and work points implement it instead; Jizhou's with every Shanghai document."""
    shanghai = cross_region_pairs(corpus, [seed("000")])
    assert list(shanghai.itertuples(index=False)) == [(seed("002"), seed("000"), "cross_region")]
    tianjin = cross_region_pairs(corpus, [seed("002")])
    assert list(tianjin["child_doc"]) == [seed(p) for p in ("000", "001", "003", "004")]
    meta = {doc.doc_id: doc.meta for doc in corpus}
    for child, parent, _ in (*shanghai.itertuples(index=False), *tianjin.itertuples(index=False)):
        assert relation(meta[child], meta[parent]) == ""  # no implements link could join them


@pytest.fixture(scope="module")
def similar(corpus, items, segmenter, terms) -> pd.DataFrame:
    return find_similar(corpus, items, [seed("000")], segmenter=segmenter, terms=terms)


def test_jizhou_measures_resemble_shanghai_tasks_with_evidence(similar, items) -> None:
    assert list(similar.columns) == list(LINK_COLUMNS)
    assert len(similar) >= 10
    assert set(similar["source_doc"]) == {seed("002")}
    assert set(similar["target_doc"]) == {seed("000")}
    assert (similar["reason"] == "cross_region").all()
    tasks = items[(items["doc_id"] == seed("000")) & (items["kind"] == "task")]["item_id"]
    assert set(similar["target_id"]) <= set(tasks)
    assert similar["evidence"].str.startswith("共同词语").all()
    # both five-year plans of market regulation: some pairs share a specific key term
    assert (similar["shared_terms"].str.contains("知识产权|信用|食品安全")).any()
    assert similar["score"].between(0, 1).all()


def test_a_build_adds_similar_links_without_touching_implementation(tmp_path: Path, capsys) -> None:
    plain, compared = tmp_path / "plain", tmp_path / "compared"
    assert main(["build", str(RAW), "-o", str(plain), "--no-cache"]) == 0
    assert main(["build", str(RAW), "-o", str(compared), "--no-cache", "--similar-to", "000"]) == 0
    assert pd.read_csv(plain / "similar.csv", encoding="utf-8-sig").empty
    similar = pd.read_csv(compared / "similar.csv", encoding="utf-8-sig")
    assert f"{len(similar)} similar_to links" in capsys.readouterr().err
    assert len(similar) and set(similar["source_doc"]) == {seed("002")}
    # implementation and coverage are the same with or without the comparison
    for name in ("links.csv", "coverage.csv", "gaps.csv", "orphans.csv", "task_coverage.csv"):
        assert (compared / name).read_bytes() == (plain / name).read_bytes(), name
    graph, before = (
        nx.read_graphml(out / "graph.graphml", force_multigraph=True) for out in (compared, plain)
    )
    assert [k for *_, k in graph.edges(keys=True)].count("similar_to") == len(similar)
    assert "similar_to" not in {k for *_, k in before.edges(keys=True)}
    regions = {n: d.get("region") for n, d in graph.nodes(data=True) if d["type"] == "document"}
    for u, v, k in graph.edges(keys=True):
        if k == "similar_to":
            source, target = (graph.nodes[n]["doc_id"] for n in (u, v))
            assert regions[f"doc:{source}"] != regions[f"doc:{target}"]
    # built again without the comparison, the folder holds none: no stale similar.csv
    assert main(["build", str(RAW), "-o", str(compared), "--no-cache"]) == 0
    assert (compared / "similar.csv").read_bytes() == (plain / "similar.csv").read_bytes()


def test_a_mistyped_similar_to_is_reported_before_any_work(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(RAW), "-o", str(out), "--similar-to", "999"]) == 2
    assert "--similar-to '999' matches 0 loaded documents" in capsys.readouterr().err
    assert not out.exists()


def test_a_corpus_of_one_region_gives_an_empty_comparison_and_says_why(
    tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    for prefix in ("000", "001"):  # Shanghai's plan and a district of Shanghai
        (folder / f"{seed(prefix)}.txt").write_bytes((RAW / f"{seed(prefix)}.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "--no-cache", "--similar-to", "000"]) == 0
    assert "found nothing to compare: 0 document(s) of another region" in capsys.readouterr().err
    similar = pd.read_csv(out / "similar.csv", encoding="utf-8-sig")
    assert similar.empty and list(similar.columns) == list(LINK_COLUMNS)


def test_the_library_call_needs_no_segmenter(corpus) -> None:
    items = xref.extract(corpus)
    found = xref.find_similar(corpus, items, [seed("002")])
    assert set(found["target_doc"]) <= {seed("002")}
    assert not set(found["source_doc"]) & {seed("002")}
