"""The graph: schema, placeholders, roll-up, and exports that load back unchanged."""

from __future__ import annotations

import json
import warnings
from functools import partial
from pathlib import Path

import matplotlib
import networkx as nx
import pandas as pd
import pytest
from conftest import seed
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.readwrite.graphml import write_graphml_lxml

import xref
from xref import export
from xref.export import write_gexf, write_graph_files, write_graphml, write_json
from xref.graph import Mentions, graph_edges, implementers, item_node
from xref.link import LinkConfig, select

matplotlib.use("Agg")


def _seeds_graph(corpus, items, links, terms, **options) -> nx.MultiDiGraph:
    units, citations = xref.units_frame(corpus, items), xref.citations_frame(corpus, items)
    return xref.build_graph(
        corpus, items, links, terms=terms, units=units, citations=citations, **options
    )


@pytest.fixture(scope="module")
def graph(corpus, items, links, terms):
    return _seeds_graph(corpus, items, links, terms)


def test_schema(graph) -> None:
    assert {d["type"] for _, d in graph.nodes(data=True)} == {
        "document",
        "item",
        "term",
        "unit",
        "region",
    }
    assert {k for *_, k in graph.edges(keys=True)} == {
        "contains",
        "implements",
        "cites",
        "mentions",
        "responsible",
        "located_in",
    }
    assert all(str(n).isascii() for n in graph)
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    jiading = f"doc:{seed('001')}"
    regions = [
        graph.nodes[v]["label"]
        for _, v, k in graph.out_edges(jiading, keys=True)
        if k == "located_in"
    ]
    assert regions == ["嘉定区"]
    up = [
        graph.nodes[v]["label"]
        for _, v, k in graph.out_edges("region:310114", keys=True)
        if k == "located_in"
    ]
    assert up == ["上海市"]


def test_missing_cited_documents_are_placeholders(graph) -> None:
    missing = [d for _, d in graph.nodes(data=True) if d.get("missing")]
    labels = {d["label"] for d in missing}
    assert "天津市“十四五”市场监管现代化规划" in labels
    assert all(d["type"] == "document" and d["titles"] for d in missing)


def test_roll_up_reaches_through_intermediate_tasks(corpus, items, scored, terms) -> None:
    """With the chain check (``LinkConfig.chain``) a district item linked to a task of 003
    links to that task's parent in 000 too, and on the seeds roll-up adds no item; without
    it, 004's items reach 三/（十） through 003's tasks as well as directly."""
    task = item_node(seed("000"), "三/（十）")
    for chain in (True, False):
        links = select(scored, LinkConfig(chain=chain))
        graph = xref.build_graph(corpus, items, links, terms=terms)
        direct = {u for u, _, k in graph.in_edges(task, keys=True) if k == "implements"}
        reached = implementers(graph, task)
        assert any(graph.nodes[n]["doc_id"] == seed("003") for n in direct)
        assert direct == reached if chain else direct < reached


def test_exports_load_back_and_are_deterministic(graph, tmp_path: Path) -> None:
    for write, read in ((write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)):
        path = tmp_path / f"g.{write.__name__}"
        write(graph, path)
        first = path.read_bytes()
        write(graph, path)
        assert path.read_bytes() == first
        back = read(path)
        assert back.number_of_nodes() == graph.number_of_nodes()
    write_json(graph, tmp_path / "g.json")
    back = nx.node_link_graph(
        __import__("json").loads((tmp_path / "g.json").read_text()), edges="links"
    )
    assert back.number_of_edges() == graph.number_of_edges()


def _networkx_graphml(graph: nx.MultiDiGraph, path: Path) -> bytes:
    with path.open("wb") as fh:
        write_graphml_lxml(graph.copy(), fh, encoding="utf-8", prettyprint=True)
    return path.read_bytes()


def test_graphml_is_byte_for_byte_networkx(graph, tmp_path: Path) -> None:
    write_graphml(graph, tmp_path / "ours.graphml")
    ours = (tmp_path / "ours.graphml").read_bytes()
    assert ours == _networkx_graphml(graph, tmp_path / "nx.graphml")


_TEXT = st.text("ab &<>\"'\n\r\t市场监管\u3000𠀀", max_size=6)
_VALUE = st.one_of(_TEXT, st.integers(-9, 9), st.floats(allow_nan=False), st.booleans())
_ATTRS = st.dictionaries(st.sampled_from(["type", "a", "w"]), _VALUE, max_size=3)


@settings(max_examples=150, deadline=None)
@given(
    graph_attrs=st.dictionaries(st.sampled_from(["name", "b"]), _VALUE, max_size=2),
    nodes=st.dictionaries(_TEXT, _ATTRS, max_size=5),
    edges=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), _TEXT, _ATTRS), max_size=6),
)
def test_graphml_equals_networkx_on_awkward_graphs(
    tmp_path_factory, graph_attrs, nodes, edges
) -> None:
    """Escaping (quotes, newlines and tabs in attributes, \\r in text), empty elements, a name
    seen with two types, graph attributes: the same bytes as networkx's writer."""
    graph = nx.MultiDiGraph(**graph_attrs)
    graph.add_nodes_from(nodes.items())
    names = list(nodes)
    for u, v, key, attrs in edges:
        if names:
            graph.add_edge(names[u % len(names)], names[v % len(names)], key=key, **attrs)
    folder = tmp_path_factory.mktemp("graphml")
    write_graphml(graph, folder / "ours.graphml")
    assert (folder / "ours.graphml").read_bytes() == _networkx_graphml(graph, folder / "nx")


def test_equal_values_of_other_types_are_written_as_themselves(tmp_path: Path) -> None:
    """1, 1.0 and True are equal, so are 0.0 and -0.0: each edge still shows its own."""
    values = [1, 1.0, True, 0.0, -0.0, 0, False]
    graph = nx.MultiDiGraph()
    for i, value in enumerate(values):
        graph.add_edge("a", "b", key=str(i), type="t", w=value)
    write_graphml(graph, tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == _networkx_graphml(graph, tmp_path / "nx")
    write_gexf(graph, tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text("utf-8")
    edges = [line for line in text.splitlines() if line.startswith("<edge ")]
    written = [line.rsplit('value="', 1)[1].split('"')[0] for line in edges]
    assert written == ["1", "1.0", "true", "0.0", "-0.0", "0", "false"]


def test_subgraph_figure_renders_chinese_without_touching_global_settings(
    graph, tmp_path: Path
) -> None:
    from xref.plot import draw_task_subgraph

    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is only a warning: make it fail
        ax = draw_task_subgraph(graph, item_node(seed("000"), "三/（十）"))
        ax.figure.savefig(tmp_path / "sub.png")
        ax.figure.savefig(tmp_path / "sub.svg")
    assert (tmp_path / "sub.png").stat().st_size > 10_000
    assert dict(matplotlib.rcParams) == before
    assert not (Path.cwd() / "plot.png").exists()


def test_subgraph_figure_draws_every_implementer_and_tells_strong_links_from_weak(graph) -> None:
    """One box per item, one arrow per implements link among them: solid when coverage
    counts it (verbatim, adapted, analyst), dashed when weak."""
    from matplotlib.patches import FancyBboxPatch

    from xref.graph import implementers
    from xref.link import STRONG_GRADES
    from xref.plot import draw_task_subgraph

    task = item_node(seed("000"), "三/（九）")
    drawn = implementers(graph, task) | {task}
    links = [
        d
        for u, v, key, d in graph.edges(drawn, keys=True, data=True)
        if key == "implements" and v in drawn
    ]
    ax = draw_task_subgraph(graph, task)
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [a.arrow_patch for a in ax.texts if getattr(a, "arrow_patch", None)]
    assert len(boxes) == len(drawn) > 10
    assert len(arrows) == len(links)
    dashed = sum(a.get_linestyle() == "--" for a in arrows)
    assert dashed == sum(d["grade"] not in STRONG_GRADES for d in links) > 0
    assert 0 < dashed < len(arrows)


def test_item_nodes_carry_their_own_text(graph, items) -> None:
    """A part's node holds its heading and preamble; its tasks are nodes of their own."""
    part = items[(items["doc_id"] == seed("000")) & (items["item_id"] == "三")].iloc[0]
    node = graph.nodes[item_node(seed("000"), "三")]
    assert node["text"].startswith("三、") and part["text"].startswith(node["text"])
    assert "（八）全面推行清单管理制度" in part["text"]
    assert "（八）全面推行清单管理制度" not in node["text"]


def test_json_is_networkx_node_link_data_in_any_chunking(
    graph, tmp_path: Path, monkeypatch
) -> None:
    """Encoded a chunk at a time, the file is still ``json.dumps`` of the node-link data,
    wherever the chunks break."""
    expected = json.dumps(
        nx.node_link_data(graph, edges="links"),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    for chunk in (1, 7, 4096):
        monkeypatch.setattr(export, "CHUNK", chunk)
        write_json(graph, tmp_path / "g.json")
        assert (tmp_path / "g.json").read_text("utf-8") == expected


def test_json_writes_mentions_edges_as_the_encoder_would(tmp_path: Path) -> None:
    """``mentions`` edges are written from a template: escapes, odd floats and anything the
    template does not cover (an int or NaN weight, a numpy float, another attribute) come
    out as ``json.dumps`` writes them."""
    import numpy as np

    g = nx.MultiDiGraph()
    odd = {
        'term:引号"与\\反斜杠': 0.5,
        "term:换行\n制表\t\x01": -0.0,
        "term:小": 1e-05,
        "term:整数": 1,
        "term:非数": float("nan"),
        "term:numpy": np.float64(0.25),
    }
    for n, (term, weight) in enumerate(odd.items()):
        g.add_edge(
            "item:甲", term, key="mentions", type="mentions", weight=weight, found_by='tf"idf'
        )
        g.add_edge(
            f"item:{n}", term, key="mentions", type="mentions", weight=0.1, found_by="quoted"
        )
    g.add_edge(
        "item:乙", "term:小", key="mentions", type="mentions", weight=0.3, found_by="x", extra=1
    )
    g.add_edge("item:乙", "term:小", key="contains", type="contains")
    write_json(g, tmp_path / "g.json")
    expected = json.dumps(
        nx.node_link_data(g, edges="links"),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert (tmp_path / "g.json").read_text("utf-8") == expected


def test_json_export_keeps_every_edge_attribute(graph, tmp_path: Path) -> None:
    """Node-link JSON names an edge's ends ``source`` and ``target``: no attribute may share
    those names, or the export silently drops it."""
    write_json(graph, tmp_path / "graph.json")
    back = nx.node_link_graph(
        json.loads((tmp_path / "graph.json").read_text("utf-8")), edges="links"
    )
    mention = next(d for _, _, k, d in back.edges(keys=True, data=True) if k == "mentions")
    assert mention["found_by"] in {"quoted", "dictionary", "tfidf"}
    reserved = {"source", "target", "key"}
    assert not any(reserved & set(d) for *_, d in graph.edges(data=True))


@pytest.fixture(scope="module")
def lean(corpus, items, links, terms):
    return _seeds_graph(corpus, items, links, terms, mentions=False)


def test_a_graph_without_mentions_edges_writes_the_same_files(
    graph, lean, terms, tmp_path: Path
) -> None:
    """The build's graph leaves out its mentions edges and the writers read them from the
    terms table (Mentions): the same nodes, the same files."""
    assert list(lean.nodes(data=True)) == list(graph.nodes(data=True))
    assert not any(k == "mentions" for *_, k in lean.edges(keys=True))
    assert lean.number_of_edges() < graph.number_of_edges() / 2  # most edges are mentions
    for write in (write_graphml, write_gexf, write_json):
        write(graph, tmp_path / "full")
        write(lean, tmp_path / "lean", mentions=Mentions(terms))
        assert (tmp_path / "lean").read_bytes() == (tmp_path / "full").read_bytes(), write
    # as the build writes them: the three files, one scan of attribute types for both XML files
    (tmp_path / "build").mkdir()
    paths = write_graph_files(lean, tmp_path / "build", date="2024-01-01", mentions=Mentions(terms))
    assert [p.name for p in paths] == ["graph.json", "graph.graphml", "graph.gexf"]
    write_gexf(graph, tmp_path / "full.gexf", date="2024-01-01")
    assert paths[2].read_bytes() == (tmp_path / "full.gexf").read_bytes()
    for path, write in zip(paths[:2], (write_json, write_graphml), strict=True):
        write(graph, tmp_path / "full")
        assert path.read_bytes() == (tmp_path / "full").read_bytes(), write


def test_mentions_edges_come_in_the_full_graphs_order_from_any_terms_table(
    corpus, items, links, terms
) -> None:
    """Rows in any order, a term repeated for one item (one edge, the last row's weight), an
    item the items table lacks (a bare node where its edge would add it)."""
    odd = terms.sample(frac=1.0, random_state=7)  # items' rows no longer together
    odd = pd.concat([odd, odd.iloc[[3]].assign(weight=0.5), odd.iloc[[0]]])
    odd.loc[len(odd)] = [seed("001"), "no/such", "市场监管", 0.25, "tfidf"]
    units = xref.units_frame(corpus, items)
    build = partial(xref.build_graph, corpus, items, links, terms=odd, units=units)
    full, lean = build(), build(mentions=False)
    assert any(k == "responsible" for *_, k in full.edges(keys=True))
    assert list(lean.nodes(data=True)) == list(full.nodes(data=True))
    assert list(graph_edges(lean, Mentions(odd))) == list(full.edges(keys=True, data=True))
    assert list(graph_edges(full)) == list(full.edges(keys=True, data=True))
    # what the writers' scan of attribute types reads of a plain table: the first edge of
    # the first item with any, in the graph's order; of any other table, every edge
    mentions = Mentions(odd)
    scan = mentions.for_scan()
    read = [(node, scan(node)) for node in lean]
    scanned = [(node, edges) for node, edges in read if edges]
    first = next(node for node in lean if mentions(node))
    assert scanned == [(first, dict([next(iter(mentions(first).items()))]))]
    assert sum(len(mentions(node)) for node in lean) > 100
    other = Mentions(odd.assign(weight=(odd["weight"] * 100).round().astype(int)))
    scan = other.for_scan()
    assert all(scan(node) == other(node) for node in lean)


@pytest.mark.parametrize("odd", ["repeated", "escaped", "integer", "nan", "no_source"])
def test_graph_files_write_any_terms_tables_mentions_as_the_full_graph(
    corpus, items, links, terms, odd: str, tmp_path: Path
) -> None:
    """The writers write an item's ``mentions`` edges from templates when the table is plain
    (finite float weights, string sources); any other table, edge by edge. Either way the
    files are the full graph's."""
    table = terms.copy()
    first = table.index[5]
    if odd == "repeated":
        table = pd.concat([table, table.iloc[[5]].assign(weight=0.5)])
    elif odd == "escaped":
        table["source"] = table["source"].replace("tfidf", 'tf"idf<&>\x01\n')
    elif odd == "integer":
        table["weight"] = (table["weight"] * 100).round().astype(int)
    elif odd == "nan":
        table.loc[first, "weight"] = float("nan")
    else:
        table.loc[first, "source"] = None
    full = _seeds_graph(corpus, items, links, table)
    lean = _seeds_graph(corpus, items, links, table, mentions=False)
    for write in (write_graphml, write_gexf, write_json):
        write(full, tmp_path / "full")
        write(lean, tmp_path / "lean", mentions=Mentions(table))
        assert (tmp_path / "lean").read_bytes() == (tmp_path / "full").read_bytes(), write


def test_coverage_reads_key_terms_from_the_terms_table(graph, lean, terms) -> None:
    full = xref.coverage(graph, "000")
    table = xref.coverage(lean, "000", mentions=Mentions(terms))
    assert (full.orphans["key_terms"] != "").sum() > 5
    pd.testing.assert_frame_equal(table.orphans, full.orphans)
    assert xref.coverage(lean, "000").orphans["key_terms"].eq("").all()  # read from nowhere
